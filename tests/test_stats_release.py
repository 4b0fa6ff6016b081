"""`khabar stats releases/vX.Y.Z` reads the release's Parquet data, not its JSON metadata files."""

import json
import shutil

from conftest import REPO
from khabar.release.reader import is_release, release_records

RELEASE = REPO / "releases" / "v0.1.0"
GOLD = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"


def test_release_records_give_back_the_corpus_records_exactly():
    assert is_release(RELEASE) and not is_release(REPO / "corpus")
    assert list(release_records(RELEASE)) == [("train", json.loads(GOLD.read_text(encoding="utf-8")))]


def test_stats_of_a_release_equal_the_stats_of_its_corpus(run_cli):
    code, from_release, err = run_cli("stats", RELEASE, "--format", "json")
    assert code == 0 and err == ""
    released = json.loads(from_release)
    assert released["all"]["articles"] == 1 and released["all"]["sentences"] == 14
    assert released["all"]["entities"]["total"] == 78 and released["all"]["events"]["total"] == 28
    assert released["splits"] == {"train": released["all"]}
    _, from_corpus, _ = run_cli("stats", REPO / "corpus", "--format", "json")
    assert released == json.loads(from_corpus)


def test_a_release_beside_other_paths_is_counted_once_with_them(run_cli, tmp_path):
    shutil.copy(GOLD, tmp_path / GOLD.name)
    code, out, _ = run_cli("stats", RELEASE, tmp_path / GOLD.name, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["all"]["articles"] == 2 and data["all"]["entities"]["total"] == 156


def test_a_damaged_release_is_an_input_error_not_a_traceback(run_cli, tmp_path):
    damaged = tmp_path / "v0.1.0"
    shutil.copytree(RELEASE, damaged)
    (damaged / "data" / "documents" / "train-00000-of-00001.parquet").write_bytes(b"not parquet")
    code, out, err = run_cli("stats", damaged)
    assert code == 2 and "Traceback" not in err and "train-00000-of-00001.parquet" in err
