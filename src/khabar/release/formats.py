"""Release formats: which generation of card, Croissant and citation a release folder was written in.

A published release never changes, yet the files that describe a release improve. So the
describing files are versioned, and manifest.json records the format it was written in
(`"format": N`; a manifest without the key is format 1, the format of v0.1.0). Rebuilding an
existing release uses its recorded format, so `khabar build` still reports `identical` for it;
a new release gets CURRENT_FORMAT.

- 1 (v0.1.0): card prose copied from DATASHEET.md as it stood at 0.1.0 (frozen in
  `format1/DATASHEET.md`), a fixed licence text, CITATION.cff without licence; every valid record.
- 2: every statement about size, sources, dates and licences computed from the records; the
  licence per source and licence text in the card, LICENSE.md, Croissant and CITATION.cff; the
  statuses held (gold by default) and the records left out stated; datasheet prose true of any corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from khabar.release.manifest import MANIFEST

CURRENT_FORMAT = 2
FORMATS = (1, 2)
FORMAT1_DATASHEET = Path(__file__).parent / "format1" / "DATASHEET.md"


def recorded_format(release_dir: Path) -> int | None:
    """The format an existing release was written in; None when release_dir holds no release.

    Raises ValueError when its manifest is unreadable or names a format this khabar does not know.
    """
    path = release_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        found = json.loads(path.read_text(encoding="utf-8")).get("format", 1)
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, RecursionError) as error:
        raise ValueError(f"{path}: not a release manifest ({error})") from None
    if found not in FORMATS:
        raise ValueError(f"{path}: release format {found!r} is not one this khabar writes ({FORMATS}); upgrade khabar")
    return found
