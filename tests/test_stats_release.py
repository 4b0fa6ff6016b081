"""`khabar stats releases/vX.Y.Z` reads the release's Parquet data, not its JSON metadata files."""

import json
import shutil

import pytest

from conftest import REPO, write_published_corpus
from khabar.release.build import build_release
from khabar.release.metadata import project_metadata
from khabar.release.reader import is_release, release_records

RELEASE = REPO / "releases" / "v0.1.0"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A gold corpus: v0.1.0's one article (guidelines 1.0) and the split registry; the repository's
    record has since been re-annotated and is `reviewed`, so it cannot be released as gold."""
    return write_published_corpus(tmp_path_factory.mktemp("stats") / "corpus")


@pytest.fixture(scope="module")
def built(corpus):
    """A release built now from that corpus."""
    release = corpus.parent / "v9.9.9"
    build_release(corpus, release, metadata=project_metadata(REPO, "9.9.9", "2026-12-01"))
    return release


def test_release_records_give_back_the_corpus_records_exactly(corpus, built):
    assert is_release(RELEASE) and is_release(built) and not is_release(corpus)
    (gold,) = corpus.glob("2021/*.json")
    assert list(release_records(built)) == [("train", json.loads(gold.read_text(encoding="utf-8")))]


def test_stats_of_a_release_equal_the_stats_of_its_corpus(run_cli, corpus, built):
    code, from_release, err = run_cli("stats", RELEASE, "--format", "json")
    assert code == 0 and err == ""
    released = json.loads(from_release)
    assert released["all"]["articles"] == 1 and released["all"]["sentences"] == 14
    assert released["all"]["entities"]["total"] == 78 and released["all"]["events"]["total"] == 28
    assert released["splits"] == {"train": released["all"]}
    _, from_corpus, _ = run_cli("stats", corpus, "--format", "json")
    _, from_built, _ = run_cli("stats", built, "--format", "json")
    assert released == json.loads(from_corpus) == json.loads(from_built)


def test_a_release_beside_other_paths_is_counted_once_with_them(run_cli, corpus):
    (gold,) = corpus.glob("2021/*.json")
    code, out, _ = run_cli("stats", RELEASE, gold, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["all"]["articles"] == 2 and data["all"]["entities"]["total"] == 156


def test_a_damaged_release_is_an_input_error_not_a_traceback(run_cli, tmp_path):
    damaged = tmp_path / "v0.1.0"
    shutil.copytree(RELEASE, damaged)
    (damaged / "data" / "documents" / "train-00000-of-00001.parquet").write_bytes(b"not parquet")
    code, out, err = run_cli("stats", damaged)
    assert code == 2 and "Traceback" not in err and "train-00000-of-00001.parquet" in err
