"""Where khabar's data files live, for a source checkout and for an installed wheel alike."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=None)
def schema_dir() -> Path:
    """The folder holding article.schema.json, labels/ and the guidelines.

    A wheel carries the repository's top-level schema/ as khabar/schema (mapped at build
    time, see pyproject.toml); an editable install or a plain checkout reads schema/ at the
    repository root. Either way there is one hand-kept copy.
    """
    packaged = Path(str(resources.files("khabar"))) / "schema"
    if (packaged / "article.schema.json").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "schema"
    if (checkout / "article.schema.json").is_file():
        return checkout
    raise FileNotFoundError(f"khabar schema folder not found (looked in {packaged} and {checkout})")


def repository_root() -> Path | None:
    """The checkout this package runs from, or None when running from an installed wheel."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "schema").is_dir() else None
