"""Split membership: the registry `corpus/splits.tsv`, under version control, and the rule
that assigns new articles.

Policy (README, "Splits"): a registered article never changes split; an unregistered one joins
the split of a registered near-duplicate (same story), otherwise the split furthest below its
share (80 / 10 / 10) of the registry with that article counted, new articles taken in id order.
The rule is deterministic; the registry makes it permanent. (Until 0.2.0 the split was the one a
hash of the id selected; on a small corpus that left the test split with 2 of 61 articles, and
shares kept by count give every split its tenth, spread over the outlets that ids sort by.)
"""

from __future__ import annotations

import hashlib
from collections import Counter
import json
import math
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


SHARES = {"train": 0.8, "validation": 0.1, "test": 0.1}


def split_by_share(counts: Counter) -> str:
    """The split furthest below its share of the registry once one more article is counted
    (ties: test, then validation, then train). counts: split -> articles registered so far."""
    total = sum(counts.values()) + 1
    return max(("test", "validation", "train"), key=lambda split: SHARES[split] * total - counts[split])


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text)
    return {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def assign(new_records: list[dict], registered: dict[str, Entry], texts: dict[str, str]) -> list[tuple[Entry, str]]:
    """Entries for unregistered records, each with the reason for its split.

    texts: id -> text of the registered articles (for near-duplicate detection). New records
    are taken in id order; each joins the story of the most similar article registered or
    assigned before it (ties: the greatest id) when their similarity reaches NEAR_DUPLICATE.
    The search is exact (NearDuplicates), not a comparison of every pair.
    """
    known_ids = [record_id for record_id in texts if record_id in registered]
    new_sorted = sorted(new_records, key=lambda r: r["id"])
    search = NearDuplicates([texts[record_id] for record_id in known_ids] + [r["text"] for r in new_sorted])
    for number, record_id in enumerate(known_ids):
        search.add(number, record_id)
    stories = dict(registered)
    counts = Counter(entry.split for entry in registered.values())
    assigned = []
    for offset, record in enumerate(new_sorted, start=len(known_ids)):
        twin = search.most_similar(offset)
        if twin is not None and twin[0] >= NEAR_DUPLICATE:
            score, twin_id = twin
            entry = Entry(record["id"], stories[twin_id].split, stories[twin_id].story)
            reason = f"same story as {twin_id} (similarity {score:.2f})"
        else:
            entry = Entry(record["id"], split_by_share(counts), record["id"])
            reason = "share of the registry (80/10/10)"
        stories[entry.id] = entry
        counts[entry.split] += 1
        search.add(offset, entry.id)
        assigned.append((entry, reason))
    return assigned


class NearDuplicates:
    """Exact search for the article most similar to a new one, with a prefix filter.

    Texts become sets of word 3-grams (`shingles`), each 3-gram a 64-bit digest, and the
    digests of every text are ranked rarest first (document frequency over all the texts, then
    the digest). Two sets x, y with Jaccard similarity >= t share at least ceil(t*|x|) members,
    so the first |x| - ceil(t*|x|) + 1 ranks of x (its prefix) meet y's prefix: only articles
    sharing a prefix rank are compared, and every pair at or above the threshold is found, with
    the same similarity as comparing the 3-gram strings (two 3-grams share a digest with a
    probability of about 2^-64 per pair).
    """

    def __init__(self, texts: list[str], threshold: float = NEAR_DUPLICATE):
        import numpy as np

        self.threshold = threshold
        digests = [np.unique(np.array([_digest64(shingle) for shingle in shingles(text)], dtype=np.uint64))
                   for text in texts]
        everything = np.concatenate(digests) if digests else np.zeros(0, np.uint64)
        distinct, frequency = np.unique(everything, return_counts=True)
        rank_of = np.empty(len(distinct), np.int64)
        rank_of[np.lexsort((distinct, frequency))] = np.arange(len(distinct))
        self.sets = [np.sort(rank_of[np.searchsorted(distinct, d)]) for d in digests]
        self.index: dict[int, list[int]] = {}  # prefix rank -> numbers of the texts added
        self.ids: dict[int, str] = {}

    def _prefix(self, number: int):
        ranks = self.sets[number]
        return ranks[:len(ranks) - math.ceil(self.threshold * len(ranks)) + 1]

    def add(self, number: int, record_id: str) -> None:
        self.ids[number] = record_id
        for rank in self._prefix(number).tolist():
            self.index.setdefault(rank, []).append(number)

    def most_similar(self, number: int) -> tuple[float, str] | None:
        """(similarity, id) of the added text most similar to text `number` (ties: greatest id)
        among those that may reach the threshold; None when none may."""
        import numpy as np

        own = self.sets[number]
        candidates = {other for rank in self._prefix(number).tolist() for other in self.index.get(rank, ())}
        best = None
        for other in candidates:
            shared = len(np.intersect1d(own, self.sets[other], assume_unique=True))
            score = shared / (len(own) + len(self.sets[other]) - shared)
            if best is None or (score, self.ids[other]) > best:
                best = (score, self.ids[other])
        return best


def _digest64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "little")


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
