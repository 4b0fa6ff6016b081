"""Release units (khabar.release.units): a synthetic corpus (scripts/make_synthetic.py, marked
synthetic) cut into several units gives the same release bytes with 1, 2 and 3 workers; a release
of one unit is written as before units existed; a build never silently changes the unit layout of
a published release."""

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from khabar.pipeline import batched
from khabar.release.build import BuildRefused, build_release, differing_files
from khabar.release.features import CONFIGS, SPLITS
from khabar.release.metadata import corpus_metadata
from khabar.release.verify import verify_release

RECORDS = 25
UNIT = 10  # 25 records: units of 10, 10 and 5


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units") / "synthetic"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), str(RECORDS), str(folder),
                    "--layout", "jsonl", "--shard-size", "7"], check=True, capture_output=True)
    return folder


def build(corpus, out, **options):
    return build_release(corpus, out, metadata=corpus_metadata(corpus), statuses=("draft",), **options)


@pytest.fixture(scope="module")
def one_worker(synthetic_corpus, tmp_path_factory):
    return build(synthetic_corpus, tmp_path_factory.mktemp("w1") / "v0.0.0", unit_size=UNIT).release_dir


@pytest.fixture(scope="module")
def one_unit(synthetic_corpus, tmp_path_factory):
    return build(synthetic_corpus, tmp_path_factory.mktemp("one") / "v0.0.0").release_dir


def manifest(release):
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def table(release, config, split):
    files = manifest(release)["data_files"].get(config, {}).get(split, [])
    return pa.concat_tables([pq.read_table(release / name) for name in files]) if files else None


def test_batches_never_cross_a_unit():
    assert list(batched(range(7), size=3, boundary=5)) == [[0, 1, 2], [3, 4], [5, 6]]
    assert list(batched(range(7), size=3)) == [[0, 1, 2], [3, 4, 5], [6]]


@pytest.mark.parametrize("workers", [2, 3])
def test_the_release_does_not_depend_on_the_number_of_workers(synthetic_corpus, one_worker, workers, tmp_path):
    release = build(synthetic_corpus, tmp_path / "v0.0.0", unit_size=UNIT, workers=workers).release_dir
    assert differing_files(one_worker, release) == []


def units_holding(corpus, split):
    """The units (in corpus order: sorted shards, then lines) that hold an article of split."""
    order = [json.loads(line)["id"] for shard in sorted(corpus.glob("*.jsonl"))
             for line in shard.read_text(encoding="utf-8").splitlines()]
    registry = dict(line.split("\t")[:2] for line in (corpus / "splits.tsv").read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith(("#", "id\t")))
    return sorted({number // UNIT for number, record_id in enumerate(order) if registry[record_id] == split})


def test_each_unit_is_its_own_file_and_the_manifest_records_the_unit_size(synthetic_corpus, one_worker, one_unit):
    recorded = manifest(one_worker)
    assert recorded["unit_size"] == UNIT
    assert "unit_size" not in manifest(one_unit)
    ids = recorded["ids"]
    expected = {split: len(units_holding(synthetic_corpus, split)) for split in SPLITS}
    assert expected["train"] == 3  # the cut is exercised: train articles in every unit
    for split in SPLITS:
        files = recorded["data_files"]["documents"][split]
        assert files == [f"data/documents/{split}-{i:05d}-of-{expected[split]:05d}.parquet"
                         for i in range(expected[split])]
    assert sum(len(members) for members in ids.values()) == RECORDS
    assert recorded["counts"] == manifest(one_unit)["counts"]
    assert all(len(files) == 1 for split_files in manifest(one_unit)["data_files"].values()
               for files in split_files.values())


def test_units_hold_the_same_rows_in_the_same_order_as_one_unit(one_worker, one_unit):
    for config in CONFIGS:
        for split in SPLITS:
            cut, whole = table(one_worker, config, split), table(one_unit, config, split)
            assert (cut is None) == (whole is None)
            if whole is not None:
                assert cut.equals(whole)


def test_a_rebuild_keeps_the_recorded_unit_size(synthetic_corpus, one_worker, tmp_path):
    copy = tmp_path / "v0.0.0"
    subprocess.run(["cp", "-r", str(one_worker), str(copy)], check=True)
    assert build(synthetic_corpus, copy).identical is True


def test_a_build_that_would_change_a_published_unit_layout_is_refused(synthetic_corpus, one_worker, one_unit,
                                                                       tmp_path):
    for published, unit_size, message in [
            (one_unit, UNIT, "was published as one unit; this build cuts the corpus into 3 units of 10 records, "
                             "which would change its data files: build with --unit-size 25"),
            (one_worker, 7, "was published as units of 10 records; this build cuts the corpus into 4 units of 7 "
                            "records, which would change its data files: build with --unit-size 10"),
            (one_worker, 100, "was published as units of 10 records; this build cuts the corpus into one unit "
                              "(--unit-size 100)")]:
        before = sorted((p.relative_to(published), p.read_bytes()) for p in published.rglob("*") if p.is_file())
        with pytest.raises(BuildRefused, match="nothing written") as refused:
            build(synthetic_corpus, published, unit_size=unit_size)
        assert message in str(refused.value)
        assert refused.value.exit_code == 1
        after = sorted((p.relative_to(published), p.read_bytes()) for p in published.rglob("*") if p.is_file())
        assert after == before
        assert sorted(p.name for p in published.parent.iterdir()) == [published.name]


def test_cli_unit_size_must_be_a_positive_number(synthetic_corpus, tmp_path):
    result = subprocess.run([sys.executable, "-m", "khabar", "build", "--corpus", str(synthetic_corpus),
                             "--out", str(tmp_path / "v"), "--include-status", "draft", "--unit-size", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "--unit-size: expected a number of records >= 1" in result.stderr
    assert not (tmp_path / "v").exists()


def test_cli_builds_units(synthetic_corpus, one_worker, tmp_path):
    out = tmp_path / "v0.0.0"
    result = subprocess.run([sys.executable, "-m", "khabar", "build", "--corpus", str(synthetic_corpus),
                             "--out", str(out), "--include-status", "draft", "--unit-size", str(UNIT),
                             "--workers", "2"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert differing_files(one_worker, out) == []


def test_a_release_of_several_units_verifies(one_worker):
    assert verify_release(one_worker) == []


def test_a_unit_size_below_one_is_refused(synthetic_corpus, tmp_path):
    with pytest.raises(ValueError, match="--unit-size must be a positive number of records, not 0"):
        build(synthetic_corpus, tmp_path / "v0.0.0", unit_size=0)
    assert not (tmp_path / "v0.0.0").exists()


def test_a_release_of_several_units_loads_with_datasets(one_worker, tmp_path):
    datasets = pytest.importorskip("datasets")
    for config in CONFIGS:
        loaded = datasets.load_dataset(str(one_worker), config, cache_dir=str(tmp_path / "cache"))
        for split in SPLITS:
            expected = manifest(one_worker)["counts"][config][split]
            assert (loaded[split].num_rows if split in loaded else 0) == expected
        first = table(one_worker, config, "train")
        assert loaded["train"][0]["id"] == first.column("id")[0].as_py()
