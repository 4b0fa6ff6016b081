"""Level 4, corpus: checks across records (names, unique ids, duplicate texts)."""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from khabar.compact import DigestIndex, StringIndex
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord

if TYPE_CHECKING:
    from khabar.validate.corpus import Corpus


def text_digest(text: str) -> bytes:
    """16 bytes that stand for a text in the duplicate check."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CorpusChecks:
    """Fed one article-valid record at a time; remembers what it needs to compare later ones.

    Per record it keeps a few numbers in compact arrays (where it came from, which id it has);
    each distinct id is kept once as UTF-8 and each distinct text as its 16-byte digest, found
    through 64-bit keys (khabar.compact), so memory grows by a few dozen bytes per record.
    """

    def __init__(self) -> None:
        self.ids = StringIndex()  # distinct ids, in order of first use
        self._first_with_id = array("I")  # id number -> record number of its first use
        self._id_of = array("I")  # record number -> id number
        self._texts = DigestIndex()  # distinct text digests
        self._first_with_text = array("I")  # digest number -> record number of its first use
        self._files: list[str] = []  # shown file names, in order of first use
        self._file_of = array("I")  # record number -> index in _files
        self._line_of = array("I")  # record number -> first line

    def _where(self, number: int) -> str:
        return f"{self._files[self._file_of[number]]}:{self._line_of[number]}"

    def check(self, raw: RawRecord, record_id: str, digest: bytes) -> list[Incident]:
        incidents = []
        if not raw.single_line and raw.path.suffix == ".json" and raw.path.stem != record_id:
            incidents.append(Incident(raw.file, raw.first_line, "file-name-mismatch",
                                      f"file is named {raw.path.name!r} but the record's id is {record_id!r}", record_id))
        number = len(self._id_of)
        if not self._files or self._files[-1] != raw.file:
            self._files.append(raw.file)
        self._file_of.append(len(self._files) - 1)
        self._line_of.append(raw.first_line)
        id_number, new_id = self.ids.find_or_add(record_id)
        if new_id:
            self._first_with_id.append(number)
        else:
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-article-id",
                                      f"id {record_id!r} is already used at {self._where(self._first_with_id[id_number])}",
                                      record_id))
        self._id_of.append(id_number)
        text_number, new_text = self._texts.find_or_add(digest)
        if new_text:
            self._first_with_text.append(number)
        else:
            first = self._first_with_text[text_number]
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-text",
                                      f"same text as {self._where(first)} ({self.ids.strings[self._id_of[first]]})",
                                      record_id))
        return incidents


def registry_shown(shown_corpus: str) -> str:
    """The registry's path as reports show it, given the corpus folder's."""
    from khabar.splits import REGISTRY_NAME

    return f"{shown_corpus}/{REGISTRY_NAME}" if shown_corpus != "." else REGISTRY_NAME


def registry_invalid(where: str, error) -> Incident:
    """The incident for a RegistryError."""
    return Incident(where, error.line, "split-registry-invalid", str(error))


def registry_checks(corpus: "Corpus", checked: StringIndex) -> list[Incident]:
    """L4 split checks for a corpus folder read as a Corpus (khabar.validate.corpus), given the
    ids of the records checked: none without a registry, one for an invalid registry."""
    if not corpus.has_registry:
        return []
    where = registry_shown(corpus.shown)
    if corpus.registry is None:
        return [registry_invalid(where, corpus.registry_error)]
    entries = corpus.registry
    checked_ids, registered_ids = list(checked), list(entries.ids)
    unregistered = [i for i, known in zip(checked_ids, entries.ids.contains_each(checked_ids)) if not known]
    incidents = [Incident(where, None, "split-unregistered", f"{record_id} has no split; run `khabar splits`", record_id)
                 for record_id in sorted(unregistered)]
    incidents += [Incident(where, None, "split-unknown-id", f"{record_id} is listed but no article has that id", record_id)
                  for record_id, seen in zip(registered_ids, checked.contains_each(registered_ids)) if not seen]
    for record_id, (split, release) in sorted(corpus.released.items()):
        entry_split = entries.split_of(record_id)
        if entry_split is not None and entry_split != split:
            incidents.append(Incident(where, None, "split-moved",
                                      f"{record_id} is in {entry_split} but was released in {split} ({release})", record_id))
    return incidents


def is_record_file(path: Path) -> bool:
    return path.suffix in (".json", ".jsonl") and not path.name.startswith(".")
