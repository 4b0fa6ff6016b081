"""What one release is made of, computed once and handed to every file writer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from khabar.ner import BioStats
from khabar.release.changes import ReleaseChanges
from khabar.release.features import SPLITS

NAME = "khabar"
PRETTY_NAME = "khabar: Arabic news articles annotated with entities and PLOVER events"


@dataclass
class ReleaseContext:
    version: str
    date: str  # YYYY-MM-DD, from CHANGELOG.md
    guidelines_version: str
    ids: dict[str, list[str]]  # split -> article ids, sorted
    counts: dict[str, dict[str, int]]  # config -> split -> rows
    entity_types: dict[str, Counter] = field(default_factory=dict)  # split -> type -> mentions
    event_types: dict[str, Counter] = field(default_factory=dict)  # split -> type -> events
    document_labels: dict[str, Counter] = field(default_factory=dict)  # split -> label -> articles
    bio: dict[str, BioStats] = field(default_factory=dict)  # split -> conversion stats
    sources: Counter = field(default_factory=Counter)  # publisher -> articles
    statuses: Counter = field(default_factory=Counter)  # annotation status -> articles
    inputs: dict[str, str] = field(default_factory=dict)  # input file -> sha256
    data_files: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # config -> split -> paths
    datasheet: dict[str, str] = field(default_factory=dict)  # DATASHEET.md section heading -> text
    num_bytes: dict[str, dict[str, int]] = field(default_factory=dict)  # config -> split -> Arrow bytes
    download_size: dict[str, int] = field(default_factory=dict)  # config -> bytes of its Parquet files
    changes: ReleaseChanges | None = None  # khabar diff against the previous release (None for the first)
    # release format (khabar.release.formats): which generation of card, Croissant and citation to write
    format: int = 1
    name: str = NAME
    pretty_name: str = PRETTY_NAME
    description: str = ""
    url: str | None = None
    authors: tuple[str, ...] = ("khabar contributors",)
    datasheet_path: Path | None = None  # format 2: the datasheet the card's prose comes from (None: computed only)
    from_project: bool = True  # metadata from a khabar project, whose datasheet describes khabar's process
    licences: Counter = field(default_factory=Counter)  # (source.name, source.license) -> articles
    published: dict[str, list[str]] = field(default_factory=dict)  # source.name -> [earliest, latest]
    included_statuses: tuple[str, ...] = ("gold",)
    left_out: Counter = field(default_factory=Counter)  # annotation status -> valid articles not released
    unit_size: int | None = None  # records per release unit; None for a release of one unit

    @property
    def empty_splits(self) -> list[str]:
        return [split for split in SPLITS if not self.ids[split]]

    @property
    def articles(self) -> int:
        return sum(len(ids) for ids in self.ids.values())

    def total(self, config: str) -> int:
        return sum(self.counts[config].values())


def size_category(rows: int) -> str:
    """The Hub's size_categories bucket."""
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if rows < limit:
            return name
    return "n>1M"

