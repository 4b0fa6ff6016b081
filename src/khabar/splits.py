"""Split membership: the registry `corpus/splits.tsv`, under version control, and the rule
that assigns new articles.

Policy (README, "Splits"): a registered article never changes split; an unregistered one joins
the split of a registered near-duplicate (same story), otherwise the split that a hash of its
id selects (80 / 10 / 10). The rule is deterministic; the registry makes it permanent.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from khabar.atomic import replace_file
from khabar.compact import StringIndex, StringStore

REGISTRY_NAME = "splits.tsv"
SPLITS = ("train", "validation", "test")
HEADER = "id\tsplit\tstory"
NEAR_DUPLICATE = 0.5  # Jaccard similarity of word 3-gram sets above which two texts are one story


@dataclass(frozen=True)
class Entry:
    id: str
    split: str
    story: str


class RegistryError(ValueError):
    """A malformed registry line: (line number, message)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _registry_entries(path: Path) -> Iterator[tuple[int, Entry]]:
    """(line number, entry) of each registry line, in file order. Raises RegistryError on a
    malformed line (a repeated id is the reader's to find)."""
    with open(path, "rb") as handle:
        for number, line_bytes in enumerate(handle, start=1):
            try:
                line = line_bytes.decode("utf-8").rstrip("\n")
            except UnicodeDecodeError as error:
                raise RegistryError(number, f"not UTF-8 (byte 0x{line_bytes[error.start]:02x})") from None
            if not line or line.startswith("#") or line == HEADER:
                continue
            fields = line.split("\t")
            if len(fields) != 3:
                raise RegistryError(number, f"expected 3 tab-separated fields (id, split, story), found {len(fields)}")
            entry = Entry(*fields)
            if entry.split not in SPLITS:
                raise RegistryError(number, f"unknown split {entry.split!r}")
            yield number, entry


def _listed_twice(number: int, record_id: str) -> RegistryError:
    return RegistryError(number, f"id {record_id!r} listed twice")


def read_registry(path: Path) -> dict[str, Entry]:
    """Entries by id, in file order. Raises RegistryError on a malformed line."""
    entries: dict[str, Entry] = {}
    for number, entry in _registry_entries(path):
        if entry.id in entries:
            raise _listed_twice(number, entry.id)
        entries[entry.id] = entry
    return entries


class RegistryIndex:
    """Each registered id's split, without a Python object per entry (khabar.compact): what
    validation and builds of large corpora need of the registry. Iterates as (id, split)."""

    def __init__(self, ids: StringIndex | None = None, splits: array | None = None) -> None:
        self.ids = ids or StringIndex()
        self._splits = splits or array("B")  # id number -> index in SPLITS

    def split_of(self, record_id: str) -> str | None:
        number = self.ids.find(record_id)
        return None if number is None else SPLITS[self._splits[number]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((record_id, SPLITS[split]) for record_id, split in zip(self.ids, self._splits))


def read_registry_index(path: Path) -> RegistryIndex:
    """The registry as a RegistryIndex. Raises RegistryError on a malformed line, as
    read_registry does (the first problem in file order)."""
    ids, splits, lines = StringStore(), array("B"), array("I")
    malformed = None
    try:
        for number, entry in _registry_entries(path):
            ids.append(entry.id)
            splits.append(SPLITS.index(entry.split))
            lines.append(number)
    except RegistryError as error:
        malformed = error  # reported unless an id repeats before it
    index, repeated = StringIndex.of_strings(ids)
    if repeated is not None:
        raise _listed_twice(lines[repeated], ids[repeated])
    if malformed is not None:
        raise malformed
    return RegistryIndex(index, splits)


def write_registry(path: Path, entries: list[Entry]) -> None:
    """Rewrite the registry atomically (temporary file, then rename)."""
    lines = ["# khabar split registry: one article per line. A released line never changes (README, Splits).",
             HEADER] + [f"{e.id}\t{e.split}\t{e.story}" for e in entries]
    replace_file(path, "\n".join(lines) + "\n")


def split_by_hash(story: str) -> str:
    bucket = int(hashlib.sha256(story.encode("utf-8")).hexdigest(), 16) % 10
    return "train" if bucket < 8 else "validation" if bucket == 8 else "test"


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text)
    return {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def assign(new_records: list[dict], registered: dict[str, Entry], texts: dict[str, str]) -> list[tuple[Entry, str]]:
    """Entries for unregistered records, each with the reason for its split.

    texts: id -> text of the registered articles (for near-duplicate detection).
    """
    known = {record_id: shingles(text) for record_id, text in texts.items() if record_id in registered}
    stories = dict(registered)
    assigned = []
    for record in sorted(new_records, key=lambda r: r["id"]):
        own = shingles(record["text"])
        twin = max(known, key=lambda other: (similarity(own, known[other]), other), default=None)
        if twin is not None and similarity(own, known[twin]) >= NEAR_DUPLICATE:
            entry = Entry(record["id"], stories[twin].split, stories[twin].story)
            reason = f"same story as {twin} (similarity {similarity(own, known[twin]):.2f})"
        else:
            entry = Entry(record["id"], split_by_hash(record["id"]), record["id"])
            reason = "hash of the id"
        stories[entry.id] = entry
        known[entry.id] = own
        assigned.append((entry, reason))
    return assigned


def released_splits(releases_dir: Path) -> dict[str, tuple[str, str]]:
    """id -> (split, release) for every article in a published release's manifest."""
    placed: dict[str, tuple[str, str]] = {}
    if not releases_dir.is_dir():
        return placed
    for manifest in sorted(releases_dir.glob("v*/manifest.json")):
        try:
            ids = json.loads(manifest.read_text(encoding="utf-8"))["ids"]
        except (OSError, ValueError, KeyError):
            continue  # `khabar verify` reports a broken release; here it only cannot pin splits
        for split, members in ids.items():
            for record_id in members:
                placed.setdefault(record_id, (split, manifest.parent.name))
    return placed
