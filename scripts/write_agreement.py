#!/usr/bin/env python3
"""Write the agreement table of annotation batch 01, computed from its two independent
annotations (agreement/batch-01/), into DATASHEET.md between `<!-- agreement:start -->` and
`<!-- agreement:end -->`.

    python scripts/write_agreement.py

tests/test_agreement_table.py fails while the table is not current.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.agreement.table import agreement_table, replace_block  # noqa: E402

BATCH = Path("agreement/batch-01")


def main() -> int:
    import os

    os.chdir(ROOT)  # the table names the batch files relative to the repository
    block = agreement_table(BATCH)
    path = ROOT / "DATASHEET.md"
    path.write_text(replace_block(path.read_text(encoding="utf-8"), block), encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
