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
