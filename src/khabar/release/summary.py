"""The corpus's size in one sentence, computed from a release's Parquet data.

README.md and DATASHEET.md show it between `<!-- summary:start -->` and `<!-- summary:end -->`;
scripts/write_summary.py writes it there and a test fails while the text is not current, so the
figures on the front page are never typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds

from khabar.release.features import config_features

MARKER_START, MARKER_END = "<!-- summary:start -->", "<!-- summary:end -->"
DOCUMENTS_COLUMNS = ["id", "source", "entities", "events", "annotation"]


@dataclass(frozen=True)
class ReleaseSummary:
    version: str
    articles: int
    sources: int
    sentences: int
    entities: int
    events: int
    statuses: dict[str, int]


def latest_release(releases: Path) -> Path:
    """The release folder `vX.Y.Z` with the highest version under releases/ (FileNotFoundError if none)."""
    found = [(tuple(int(part) for part in m.groups()), path) for path in releases.glob("v*")
             if path.is_dir() and (m := re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)", path.name))]
    if not found:
        raise FileNotFoundError(f"{releases}: no release folder vX.Y.Z")
    return max(found)[1]


def release_summary(release: Path) -> ReleaseSummary:
    """Counts read from the release's Parquet files (all splits): articles, distinct source names,
    `ner` sentences, entity mentions (all nesting levels), events, articles per annotation status."""
    documents = ds.dataset(release / "data" / "documents", format="parquet").to_table(columns=DOCUMENTS_COLUMNS)
    sentences = ds.dataset(release / "data" / "ner", format="parquet").count_rows()
    entities = pc.sum(pc.list_value_length(documents.column("entities"))).as_py() or 0
    events = pc.sum(pc.list_value_length(documents.column("events"))).as_py() or 0
    sources = len(set(documents.column("source").combine_chunks().field("name").to_pylist()))
    names = _status_names()
    statuses: dict[str, int] = {}
    for code in documents.column("annotation").combine_chunks().field("status").to_pylist():
        statuses[names[code]] = statuses.get(names[code], 0) + 1
    return ReleaseSummary(release.name.removeprefix("v"), documents.num_rows, sources, sentences, entities,
                          events, dict(sorted(statuses.items())))


def _status_names() -> list[str]:
    """The names of the annotation.status ClassLabel, whose indices the column stores."""
    return list(dict(dict(config_features("documents").fields)["annotation"].fields)["status"].names)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def summary_markdown(summary: ReleaseSummary) -> str:
    statuses = ", ".join(f"{status} {count:,}" for status, count in summary.statuses.items())
    return (f"**Size today** (release v{summary.version}): {_plural(summary.articles, 'article')} from "
            f"{_plural(summary.sources, 'source')}, {_plural(summary.sentences, 'sentence')}, "
            f"{_plural(summary.entities, 'entity mention')} and {_plural(summary.events, 'event')}; "
            f"annotation status: {statuses}.")


def replace_block(text: str, block: str) -> str:
    """text with the part between the summary markers replaced by block (ValueError without markers)."""
    start, end = text.find(MARKER_START), text.find(MARKER_END)
    if start < 0 or end < start:
        raise ValueError(f"no {MARKER_START} ... {MARKER_END} block")
    return text[:start + len(MARKER_START)] + "\n" + block + "\n" + text[end:]
