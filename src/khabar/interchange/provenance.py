"""The interchange note: what an import keeps about the source file, inside the record.

khabar's schema has one free-text provenance field, `annotation.notes`. An importer appends to
it one line `khabar-interchange: {JSON}` that exporters read back; the text before that line is
for people. The JSON object holds (all keys optional but `format` and `file`):

- format: "conll"; file: the source file name; lines: [first, last] line of the record's part;
- sentences, tokens: how many the source part had (`khabar stats` reports them as the source
  corpus's own counts; the text may hold fewer tokens after the documented repairs);
- separator: the column separator to write back (" " or "\\t"); docstart: the -DOCSTART- line
  that opened this document, if any;
- marks: [[paragraph, token, "$#$"], ...] layout marks lifted out of the text (Wojood's `$#$`),
  to be written back before kept token `token` of paragraph `paragraph` (0 = headline);
- source_types: [[start, end, "Politician", "PERS"], ...] the source type of every entity whose
  type the types map renamed, with the khabar type it became: export gives the source tag back
  without the map, unless a curator has retyped the entity since;
- foreign: [[start, end, "MISC"], ...] source spans whose type has no khabar equivalent: not
  khabar entities, written back by the CoNLL exporter;
- repairs: {kind: count} repairs made in this part.

Offsets in the note are code points of `text`, like every khabar offset; the text is never
edited, so they stay valid while the record is curated.
"""

from __future__ import annotations

import json

NOTE_KEY = "khabar-interchange: "


def with_note(human: str, data: dict) -> str:
    """`annotation.notes`: the human-readable sentence(s), then the machine-readable line."""
    return f"{human}\n{NOTE_KEY}{json.dumps(data, ensure_ascii=False, separators=(',', ':'))}"


def read_note(record: dict) -> dict | None:
    """The record's interchange note, or None (a record not imported, or a note edited away)."""
    notes = record.get("annotation", {}).get("notes") or ""
    for line in notes.split("\n"):
        if line.startswith(NOTE_KEY):
            try:
                data = json.loads(line[len(NOTE_KEY):])
            except json.JSONDecodeError:
                return None
            return data if isinstance(data, dict) else None
    return None
