"""loading_script/khabar.py (placeholder until the script writer lands)."""

from __future__ import annotations

from pathlib import Path

from khabar.release.context import ReleaseContext


def write(release: Path, context: ReleaseContext) -> None:
    pass
