"""Level 4, corpus: checks across records (names, unique ids, duplicate texts)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord


class CorpusChecks:
    """Fed one article-valid record at a time; remembers what it needs to compare later ones.

    Keeps a few bytes per record (id, text digest), so memory stays small for large corpora.
    """

    def __init__(self) -> None:
        self._where_id: dict[str, str] = {}
        self._where_text: dict[bytes, str] = {}

    def check(self, raw: RawRecord, record: dict) -> list[Incident]:
        incidents = []
        record_id = record["id"]
        here = f"{raw.file}:{raw.first_line}"
        if raw.path.suffix == ".json" and raw.path.stem != record_id:
            incidents.append(Incident(raw.file, raw.first_line, "file-name-mismatch",
                                      f"file is named {raw.path.name!r} but the record's id is {record_id!r}", record_id))
        first = self._where_id.setdefault(record_id, here)
        if first != here:
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-article-id",
                                      f"id {record_id!r} is already used at {first}", record_id))
        digest = hashlib.blake2b(record["text"].encode("utf-8"), digest_size=16).digest()
        first_text = self._where_text.setdefault(digest, f"{here} ({record_id})")
        if not first_text.startswith(here + " "):
            incidents.append(Incident(raw.file, raw.first_line, "duplicate-text",
                                      f"same text as {first_text}", record_id))
        return incidents


def is_record_file(path: Path) -> bool:
    return path.suffix in (".json", ".jsonl") and not path.name.startswith(".")
