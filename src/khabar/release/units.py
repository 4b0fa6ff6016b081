"""Release units: the corpus, in its canonical order (sorted files, then lines), is cut into units
of a fixed number of records, and each unit becomes its own Parquet files per config and split.

The data files then depend on the unit size alone, never on the number of workers. A release
of one unit is written exactly as releases were before units existed, and its manifest does
not name a unit size; a release of several records its `unit_size` in manifest.json, so the
same layout can be rebuilt. A build whose unit layout would differ from that of the published
release of its version is refused (unit_layout_refusal), never silently different.
"""

from __future__ import annotations

import json
from pathlib import Path

from khabar.release.manifest import MANIFEST, UNIT_SIZE_KEY

# 50,000 articles of about 7 KB of text: one documents file of the order of 100 MB compressed,
# the size the Hub serves well; a 200,000-article corpus gives 4 units, enough to keep 2-4
# workers busy; and every corpus up to 50,000 articles (khabar holds 61) stays one unit, so
# its release keeps the layout releases had before units.
DEFAULT_UNIT_SIZE = 50_000


def recorded_unit_size(release_dir: Path) -> tuple[bool, int | None]:
    """(whether release_dir holds a release, the unit size its manifest records: None for one unit).
    Raises ValueError for a manifest that cannot be read."""
    path = release_dir / MANIFEST
    if not path.is_file():
        return False, None
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get(UNIT_SIZE_KEY)
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, RecursionError) as error:
        raise ValueError(f"{path}: not a release manifest ({error})") from None
    return True, recorded


def published_unit_size(candidates: list[Path]) -> tuple[Path | None, int | None]:
    """The first of candidates holding a release, and the unit size it records (None: one unit);
    (None, None) when none does."""
    for release_dir in candidates:
        found, recorded = recorded_unit_size(release_dir)
        if found:
            return release_dir, recorded
    return None, None


def unit_layout_refusal(published: Path | None, recorded: int | None, unit_size: int, units: int,
                        records: int, shown: str) -> str | None:
    """Why a build that cut its `records` records into `units` units of `unit_size` may not stand
    for the published release at `published` (shown as `shown`), which records the unit size
    `recorded`; None when the layouts agree."""
    if published is None:
        return None
    written = unit_size if units > 1 else None
    if written == recorded:
        return None
    was = "one unit" if recorded is None else f"units of {recorded:,} records"
    now = f"{units} units of {unit_size:,} records" if units > 1 else f"one unit (--unit-size {unit_size:,})"
    hint = f"--unit-size {records}" if recorded is None else f"--unit-size {recorded}"
    return (f"{shown} was published as {was}; this build cuts the corpus into {now}, which would change its "
            f"data files: build with {hint}, or bump the version to release the new layout; nothing written")
