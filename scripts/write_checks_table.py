#!/usr/bin/env python3
"""Regenerate schema/CHECKS.md from the check registry (src/khabar/validate/checks.py)."""

from khabar.paths import schema_dir
from khabar.validate.checks import checks_table_markdown

if __name__ == "__main__":
    path = schema_dir() / "CHECKS.md"
    path.write_text(checks_table_markdown(), encoding="utf-8")
    print(f"wrote {path}")
