"""The version being released and its date: pyproject.toml and CHANGELOG.md are their homes."""

from __future__ import annotations

import re
import sys
from pathlib import Path


if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


# a khabar project folder holds these (khabar.release.metadata)
PROJECT_FILES = ("pyproject.toml", "CHANGELOG.md", "DATASHEET.md")


def project_version(project: Path) -> str:
    """The version in the project's pyproject.toml (read directly, so an edit needs no reinstall)."""
    with open(project / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def release_date(version: str, changelog: Path) -> str:
    """The date of `## <version> — YYYY-MM-DD` in CHANGELOG.md (a release is documented first).

    Raises ValueError when the changelog has no such heading.
    """
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    found = re.search(rf"^## {re.escape(version)} [—-] (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text, flags=re.M)
    if not found:
        raise ValueError(f"{changelog} has no heading '## {version} — YYYY-MM-DD' for this release")
    return found.group(1)
