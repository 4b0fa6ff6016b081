"""The annotation guidelines' version, read from schema/GUIDELINES.md (its one home)."""

from __future__ import annotations

import re
from functools import lru_cache

from khabar.paths import schema_dir


@lru_cache(maxsize=None)
def guidelines_version() -> str:
    text = (schema_dir() / "GUIDELINES.md").read_text(encoding="utf-8")
    found = re.search(r"^Version: ([0-9]+\.[0-9]+(?:\.[0-9]+)?)\s*$", text, flags=re.M)
    if not found:
        raise ValueError("schema/GUIDELINES.md has no 'Version: X.Y' line")
    return found.group(1)
