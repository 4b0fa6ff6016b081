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

from khabar.textrules import first_invisible

NOTE_KEY = "khabar-interchange: "


class NoteError(ValueError):
    """An interchange line that is not a valid note (the message says what is wrong)."""


def with_note(human: str, data: dict) -> str:
    """`annotation.notes`: the human-readable sentence(s), then the machine-readable line."""
    return f"{human}\n{NOTE_KEY}{json.dumps(data, ensure_ascii=False, separators=(',', ':'))}"


def read_note(record: dict) -> dict | None:
    """The record's interchange note, or None when its notes hold no interchange line.

    Raises NoteError when the line is there but is not a valid note (note_problem): exporters
    write file names and columns from it.
    """
    notes = record.get("annotation", {}).get("notes") or ""
    if NOTE_KEY not in notes:
        return None
    for line in notes.split("\n"):
        if line.startswith(NOTE_KEY):
            try:
                data = json.loads(line[len(NOTE_KEY):])
            except (json.JSONDecodeError, RecursionError, ValueError) as error:
                raise NoteError(f"not JSON ({error})") from None
            problem = note_problem(data, len(record.get("text") or ""))
            if problem:
                raise NoteError(problem)
            return data
    return None


def is_plain_file_name(name: object) -> bool:
    """A file name that can only mean a file directly inside the target folder: a non-empty
    string without a path separator, not `.` or `..`, without control characters."""
    return (type(name) is str and name not in ("", ".", "..") and "/" not in name and "\\" not in name
            and first_invisible(name, line_breaks=False) is None)


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _is_label(value: object, separator: str) -> bool:
    # a mark or a type written into a CoNLL column: no column separator, tab or line break (a
    # space may occur in a tab-separated file's types)
    return type(value) is str and value.strip() != "" and separator not in value \
        and first_invisible(value, line_breaks=False) is None


def _spans_problem(key: str, value: object, width: int, text_length: int, separator: str) -> str | None:
    if type(value) is not list:
        return f'"{key}" is not a list'
    for index, item in enumerate(value):
        if type(item) is not list or len(item) != width or not all(_is_count(n) for n in item[:2]) \
                or not all(_is_label(label, separator) for label in item[2:]):
            return f'"{key}"[{index}] is not [start, end' + ", type" * (width - 2) + "]"
        if not item[0] < item[1] <= text_length:
            return f'"{key}"[{index}] [{item[0]}:{item[1]}] is empty, reversed or beyond the text'
    return None


def note_problem(note: object, text_length: int) -> str | None:
    """What is wrong with a parsed interchange note (the keys of the module docstring), or None."""
    if type(note) is not dict:
        return "not a JSON object"
    if type(note.get("format")) is not str or not note["format"]:
        return '"format" is not a non-empty string'
    if "file" in note and not is_plain_file_name(note["file"]):
        return f'"file" {json.dumps(note["file"], ensure_ascii=False)} is not a plain file name ' \
               "(no separator, no '.' or '..', no control character)"
    lines = note.get("lines")
    if "lines" in note and not (type(lines) is list and len(lines) == 2 and all(_is_count(n) for n in lines)
                                and 1 <= lines[0] <= lines[1]):
        return '"lines" is not [first, last] with 1 <= first <= last'
    for key in ("sentences", "tokens"):
        if key in note and not _is_count(note[key]):
            return f'"{key}" is not a whole number'
    if "separator" in note and note["separator"] not in (" ", "\t"):
        return '"separator" is neither " " nor "\\t"'
    if "docstart" in note and not (type(note["docstart"]) is str
                                   and first_invisible(note["docstart"].replace("\t", " "), line_breaks=False) is None):
        return '"docstart" is not one line of text'
    marks = note.get("marks", [])
    if type(marks) is not list:
        return '"marks" is not a list'
    for index, mark in enumerate(marks):
        if type(mark) is not list or len(mark) != 3 or not all(_is_count(n) for n in mark[:2]) \
                or not _is_label(mark[2], note.get("separator", " ")):
            return f'"marks"[{index}] is not [paragraph, token, mark]'
    for key, width in (("source_types", 4), ("foreign", 3)):
        problem = _spans_problem(key, note.get(key, []), width, text_length, note.get("separator", " "))
        if problem:
            return problem
    repairs = note.get("repairs", {})
    if type(repairs) is not dict or not all(_is_count(count) for count in repairs.values()):
        return '"repairs" is not an object of counts'
    return None
