"""Level 1, file: UTF-8, JSON syntax, duplicate keys, one object per record.

Reads article files (.json, one record each) and shards (.jsonl, one record per line)
and turns them into parsed records, or into L1 incidents that stop the record here.
"""

from __future__ import annotations

import json
import re

import orjson
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator

from khabar.validate.incident import Incident
from khabar.validate.locate import pointer, scan

BOM = b"\xef\xbb\xbf"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


@dataclass
class RawRecord:
    """One record's bytes (valid UTF-8, checked by the reader) and where they came from."""

    file: str  # as shown in reports
    path: Path
    first_line: int
    data: bytes
    single_line: bool  # a .jsonl line: every pointer maps to first_line

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8")


class _DuplicateKey(ValueError):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        raise _DuplicateKey()
    return record


def _reject_constant(name: str) -> None:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def _line_of_byte(data: bytes, index: int) -> int:
    return data.count(b"\n", 0, index) + 1


def read_records(path: Path, shown: str) -> Iterator[RawRecord | Incident]:
    """Yield the raw records of one file, or L1 incidents for what cannot be read.

    Raises OSError when the file cannot be read at all (the caller reports that as an
    I/O error, exit code 2).
    """
    if path.suffix == ".jsonl":
        yield from _read_shard(path, shown)
        return
    data = path.read_bytes()
    if data.startswith(BOM):
        yield Incident(shown, 1, "utf8-bom", "file starts with a UTF-8 byte-order mark (U+FEFF)")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        yield Incident(shown, _line_of_byte(data, error.start), "utf8-invalid",
                       f"byte 0x{data[error.start]:02x} at offset {error.start} is not valid UTF-8")
        return
    if not text.strip():
        yield Incident(shown, 1, "empty-file", "file holds no record")
        return
    yield RawRecord(shown, path, 1, data, single_line=False)


def _read_shard(path: Path, shown: str) -> Iterator[RawRecord | Incident]:
    blank_lines: list[int] = []
    records = 0
    with open(path, "rb") as handle:
        for number, line_bytes in enumerate(handle, start=1):
            if number == 1 and line_bytes.startswith(BOM):
                yield Incident(shown, 1, "utf8-bom", "shard starts with a UTF-8 byte-order mark (U+FEFF)")
                return
            if not line_bytes.strip():
                blank_lines.append(number)
                continue
            # blank lines are reported only between records: a shard may end with newlines
            for blank in blank_lines:
                yield Incident(shown, blank, "jsonl-blank-line", "blank line between records")
            blank_lines = []
            records += 1
            # UTF-8 is checked by parse(), in the worker processes: here it would cost the
            # reading process a decode of every line
            yield RawRecord(shown, path, number, line_bytes, single_line=True)
    if records == 0:
        yield Incident(shown, 1, "empty-file", "shard holds no record")


def _known_keys(record: dict) -> int:
    """Keys of the objects where a record has objects (a lower bound of all its keys)."""
    count = len(record)
    for field in ("source", "annotation"):
        if type(record.get(field)) is dict:
            count += len(record[field])
    for field in ("entities", "events"):
        items = record.get(field)
        if type(items) is list:
            for item in items:
                if type(item) is dict:
                    count += len(item)
                    if field == "events":
                        if type(item.get("trigger")) is dict:
                            count += len(item["trigger"])
                        if type(item.get("arguments")) is list:
                            count += sum(len(a) for a in item["arguments"] if type(a) is dict)
    return count


# White space between a key's closing quote and its colon, which would hide the key from a count of `":`.
_SPACED_COLON = re.compile(rb'"[ \t\n\r]+:')
# orjson reads an integer beyond 64 bits as a float where json keeps it an int: 19 digits in a
# row may be one.
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def _is_own_serialization(data: bytes, record: dict, single_line: bool) -> bool:
    """Is data, apart from one trailing white-space byte, orjson's serialization of record in
    the layout khabar writes (compact for a .jsonl line, two-space indent for a file)?

    Then every key of data is in record, and every number reads back as json reads it. The
    common case; it costs one serialization (which leaves each string's UTF-8 form cached).
    """
    try:
        written = orjson.dumps(record) if single_line else orjson.dumps(record, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        return False
    return 0 <= len(data) - len(written) <= 1 and data.startswith(written)


def _keeps_every_key(data: bytes, record: dict) -> bool:
    """Did orjson provably keep every key of data, and read every number as json does?

    orjson keeps the last of repeated keys silently. Every key ends with `":` once no white space
    separates a key from its colon, and only keys or escaped quotes inside strings do, so the
    count of `":` is at least the number of keys; when it equals the keys the parse kept, no key
    was dropped.
    """
    if _SPACED_COLON.search(data) or _LONG_NUMBER.search(data):
        return False
    return data.count(b'":') == _known_keys(record)


def _fast_parse(data: bytes, single_line: bool) -> dict | None:
    """orjson's parse when it provably equals json's, else None (then the exact path decides).

    orjson refuses lone surrogates (json reads them, and the exact path reports them), so any
    record it returns has none. Bytes equal to orjson's own output are valid UTF-8; otherwise
    they are decoded here as Python decodes them, so that parse() alone decides what is UTF-8.
    """
    try:
        record = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if type(record) is not dict:
        return None
    if _is_own_serialization(data, record, single_line):
        return record
    if _keeps_every_key(data, record) and _is_utf8(data):
        return record
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parse(raw: RawRecord) -> tuple[dict | None, list[Incident]]:
    """Parse one raw record: (the record, []) or (None, the L1 incidents that stop it)."""
    def incident(line: int, check: str, message: str) -> tuple[None, list[Incident]]:
        return None, [Incident(raw.file, line, check, message)]

    record = _fast_parse(raw.data, raw.single_line)  # the bytes, undecoded (see _fast_parse)
    if record is not None:
        return record, []
    try:
        raw.text
    except UnicodeDecodeError as error:  # a shard line (the reader checks whole files)
        return incident(raw.first_line, "utf8-invalid",
                        f"byte 0x{raw.data[error.start]:02x} at column {error.start + 1} is not valid UTF-8")
    try:
        record = json.loads(raw.text, object_pairs_hook=_pairs_without_duplicates,
                            parse_constant=_reject_constant)
    except _DuplicateKey:
        _, duplicates = scan(raw.text)
        return None, [
            Incident(raw.file, raw.first_line - 1 + line, "duplicate-key",
                     f"key {json.dumps(key, ensure_ascii=False)} repeated in object {where or '/'}")
            for where, key, line in duplicates
        ]
    except json.JSONDecodeError as error:
        if raw.single_line:
            # a shard line is parsed with its own line break: an error found at that break (a
            # truncated line) is still on this line, at its end
            line, column = raw.first_line, error.pos + 1
        else:
            line, column = raw.first_line - 1 + error.lineno, error.colno
        if error.msg == "Extra data":
            return incident(line, "json-extra-data", f"a second JSON value starts at column {column}")
        message = error.msg.removesuffix(" at")  # "Invalid control character at"
        return incident(line, "json-syntax", f"{message} at column {column}")
    except RecursionError:
        return incident(raw.first_line, "json-too-deep", "JSON nests too deeply to be read")
    except ValueError as error:  # int() refuses numbers of more than sys.get_int_max_str_digits() digits
        return incident(raw.first_line, "json-number-too-large", str(error).split(";")[0])
    if not isinstance(record, dict):
        return incident(raw.first_line, "record-not-object",
                        f"record is a JSON {type(record).__name__.replace('dict', 'object').replace('list', 'array')}, not an object")
    if _SURROGATE_ESCAPE.search(raw.text):
        lone = list(_lone_surrogates(record, ""))
        if lone:
            lines = None if raw.single_line else scan(raw.text)[0]
            return None, [
                Incident(raw.file, raw.first_line if lines is None else lines.get(ptr, 1),
                         "lone-surrogate", f"{ptr or '/'} holds a lone surrogate U+{ord(char):04X}")
                for ptr, char in lone
            ]
    return record, []


def _lone_surrogates(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        for char in value:
            if "\ud800" <= char <= "\udfff":
                yield where, char
                return
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lone_surrogates(key, where)
            yield from _lone_surrogates(item, where + pointer(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _lone_surrogates(item, f"{where}/{index}")
