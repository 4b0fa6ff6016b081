"""Level 4, corpus: checks across records (names, unique ids, duplicate texts)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord


def text_digest(text: str) -> bytes:
    """16 bytes that stand for a text in the duplicate check."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CorpusChecks:
    """Fed one article-valid record at a time; remembers what it needs to compare later ones.

    Keeps a few bytes per record (id, text digest), so memory stays small for large corpora.
    """

    def __init__(self) -> None:
        self._where_id: dict[str, str] = {}
        self._where_text: dict[bytes, str] = {}

    def check(self, raw: RawRecord, record_id: str, digest: bytes) -> list[Incident]:
        incidents = []
        here = f"{raw.file}:{raw.first_line}"
        if raw.path.suffix == ".json" and raw.path.stem != record_id:
            incidents.append(Incident(raw.file, raw.first_line, "file-name-mismatch",
                                      f"file is named {raw.path.name!r} but the record's id is {record_id!r}", record_id))
        first = self._where_id.setdefault(record_id, here)
        if first != here:
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-article-id",
                                      f"id {record_id!r} is already used at {first}", record_id))
        first_text = self._where_text.setdefault(digest, f"{here} ({record_id})")
        if not first_text.startswith(here + " "):
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-text",
                                      f"same text as {first_text}", record_id))
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
