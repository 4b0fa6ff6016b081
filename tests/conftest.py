import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_CASES = REPO / "tests" / "test-cases"
# The project's shared folder beside the checkout (seeds, third-party corpora); may be absent.
SHARED = REPO.parent / "shared"

sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "scripts"))

import fetch_external  # noqa: E402  (scripts/fetch_external.py: the table of third-party files)

# Third-party corpora: $KHABAR_EXTERNAL, else ../shared/external. Tests marked `external` need
# every file of fetch_external.TABLE there, and skip with one reason naming the command otherwise.
EXTERNAL = fetch_external.external_dir()
EXTERNAL_MISSING = fetch_external.missing_files(EXTERNAL)
EXTERNAL_SKIP_REASON = (f"third-party test corpora not found in $KHABAR_EXTERNAL or ../shared/external: "
                        f"run `{fetch_external.FETCH_COMMAND}`")


def pytest_collection_modifyitems(config, items):
    if EXTERNAL_MISSING:
        skip = pytest.mark.skip(reason=EXTERNAL_SKIP_REASON)
        for item in items:
            if item.get_closest_marker("external"):
                item.add_marker(skip)


@pytest.fixture
def run_cli(capsys):
    """Run the khabar command line in-process: (exit code, stdout, stderr)."""
    from khabar.cli import main

    def run(*argv):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def published_first_article() -> dict:
    """The first article as published in releases/v0.1.0 (guidelines 1.0, status gold): a fixed annotation
    for tests that assert exact numbers, whatever the living corpus record becomes."""
    from khabar.release.reader import release_records

    (record,) = [record for _, record in release_records(REPO / "releases" / "v0.1.0")]
    return record


def write_published_first_article(folder: Path) -> Path:
    """Write the v0.1.0 first article into `folder` as a one-article corpus (`folder/2021/<id>.json`, the
    layout of corpus/) and return the record's path."""
    from khabar.record_io import dumps_record

    record = published_first_article()
    path = Path(folder) / "2021" / f"{record['id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_record(record), encoding="utf-8")
    return path


def write_published_registry(folder: Path, record_ids) -> Path:
    """Write `folder/splits.tsv` holding only the repository registry's lines of `record_ids` (a fixed
    corpus carries its own registry: the living one lists every article of corpus/). Returns its path."""
    from khabar.splits import read_registry, write_registry

    registry = read_registry(REPO / "corpus" / "splits.tsv")
    path = Path(folder) / "splits.tsv"
    write_registry(path, [registry[record_id] for record_id in record_ids])
    return path


def write_published_corpus(folder: Path) -> Path:
    """A one-article corpus at `folder`: the v0.1.0 first article (gold) and its own split registry (the
    repository's line for it: train). Returns the folder; for tests of what a release of a gold corpus says."""
    write_published_first_article(folder)
    write_published_registry(folder, [published_first_article()["id"]])
    return Path(folder)
