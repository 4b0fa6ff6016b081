"""Level 4, corpus: checks across records (names, unique ids, duplicate texts)."""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path

from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord


def text_digest(text: str) -> bytes:
    """16 bytes that stand for a text in the duplicate check."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CorpusChecks:
    """Fed one article-valid record at a time; remembers what it needs to compare later ones.

    Per record it keeps the id, the text digest and a record number; where a record came from
    is kept once per file plus a line number in a compact array, so memory per record is a few
    dozen bytes, not a few strings.
    """

    def __init__(self) -> None:
        self._number_of_id: dict[str, int] = {}
        self._number_of_text: dict[bytes, int] = {}
        self._files: list[str] = []  # shown file names, in order of first use
        self._file_of = array("I")  # record number -> index in _files
        self._line_of = array("I")  # record number -> first line
        self._ids: list[str] = []  # record number -> id (the same str objects as the dict keys)

    @property
    def ids(self) -> set[str]:
        """Ids of the records checked so far."""
        return set(self._number_of_id)

    def _where(self, number: int) -> str:
        return f"{self._files[self._file_of[number]]}:{self._line_of[number]}"

    def check(self, raw: RawRecord, record_id: str, digest: bytes) -> list[Incident]:
        incidents = []
        if raw.path.suffix == ".json" and raw.path.stem != record_id:
            incidents.append(Incident(raw.file, raw.first_line, "file-name-mismatch",
                                      f"file is named {raw.path.name!r} but the record's id is {record_id!r}", record_id))
        number = len(self._ids)
        if not self._files or self._files[-1] != raw.file:
            self._files.append(raw.file)
        self._file_of.append(len(self._files) - 1)
        self._line_of.append(raw.first_line)
        first = self._number_of_id.setdefault(record_id, number)
        self._ids.append(record_id if first == number else self._ids[first])
        if first != number:
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-article-id",
                                      f"id {record_id!r} is already used at {self._where(first)}", record_id))
        first_text = self._number_of_text.setdefault(digest, number)
        if first_text != number:
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-text",
                                      f"same text as {self._where(first_text)} ({self._ids[first_text]})", record_id))
        return incidents


def registry_checks(corpus_dir: Path, shown: str, checked_ids: set[str]) -> list[Incident]:
    """L4 split checks for a corpus folder that has a registry (corpus_dir/splits.tsv)."""
    from khabar.splits import REGISTRY_NAME, RegistryError, read_registry, released_splits

    registry = corpus_dir / REGISTRY_NAME
    if not registry.is_file():
        return []
    where = f"{shown}/{REGISTRY_NAME}" if shown != "." else REGISTRY_NAME
    try:
        entries = read_registry(registry)
    except RegistryError as error:
        return [Incident(where, error.line, "split-registry-invalid", str(error))]
    incidents = [Incident(where, None, "split-unregistered", f"{record_id} has no split; run `khabar splits`", record_id)
                 for record_id in sorted(checked_ids - set(entries))]
    incidents += [Incident(where, None, "split-unknown-id", f"{record_id} is listed but no article has that id", record_id)
                  for record_id in entries if record_id not in checked_ids]
    for record_id, (split, release) in sorted(released_splits(corpus_dir.parent / "releases").items()):
        entry = entries.get(record_id)
        if entry is not None and entry.split != split:
            incidents.append(Incident(where, None, "split-moved",
                                      f"{record_id} is in {entry.split} but was released in {split} ({release})", record_id))
    return incidents


def is_record_file(path: Path) -> bool:
    return path.suffix in (".json", ".jsonl") and not path.name.startswith(".")
