import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_CASES = REPO / "tests" / "test-cases"
# Third-party test material and the seed live beside the checkout (../shared); a checkout
# elsewhere finds them through KHABAR_SHARED or the workplace's /work/shared.
SHARED = next((p for p in (Path(os.environ.get("KHABAR_SHARED", REPO.parent / "shared")), REPO.parent / "shared",
                           Path("/work/shared")) if (p / "seeds").is_dir()), REPO.parent / "shared")

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
