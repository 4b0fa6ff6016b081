#!/usr/bin/env python3
"""Rewrite the repository's CITATION.cff (type: software) for the version in pyproject.toml.

Run after bumping the version and dating it in CHANGELOG.md; tests/test_release.py fails while
the file and the release's CITATION.cff disagree.
"""

from pathlib import Path

from khabar.release.citation import cff_text
from khabar.release.version import project_version, release_date

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    version = project_version(root)
    (root / "CITATION.cff").write_text(cff_text(version, release_date(version, root / "CHANGELOG.md"), "software"),
                                       encoding="utf-8")
    print(f"wrote {root / 'CITATION.cff'} for version {version}")
