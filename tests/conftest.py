import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_CASES = REPO / "tests" / "test-cases"
SHARED = REPO.parent / "shared"

sys.path.insert(0, str(REPO / "tests"))


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
