#!/usr/bin/env python3
"""Write the corpus's size, computed from the latest release under releases/, into README.md and
DATASHEET.md (between `<!-- summary:start -->` and `<!-- summary:end -->`).

    python scripts/write_summary.py

Run it after committing a new release folder (README, "Cutting a release");
tests/test_summary.py fails while the text is not current.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.release.summary import latest_release, release_summary, replace_block, summary_markdown  # noqa: E402

DOCUMENTS = ("README.md", "DATASHEET.md")


def main() -> int:
    block = summary_markdown(release_summary(latest_release(ROOT / "releases")))
    # every document checked before any is written
    updated = {name: replace_block((ROOT / name).read_text(encoding="utf-8"), block) for name in DOCUMENTS}
    for name, text in updated.items():
        (ROOT / name).write_text(text, encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
