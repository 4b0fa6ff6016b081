"""Streaming reader of crawled news files: `.json` (an array of articles or one article),
`.jsonl` (one article a line) and `.zip` archives holding them, read member by member without
unpacking to disk. Memory holds one ZIP member's articles at a time when the member is small
enough to parse whole (orjson), else one article (ijson parses the array incrementally).

Each article comes with its origin, as skip lines and `source.raw_file` show it: the file name
(for a ZIP, the archive's name, and `archive.zip/member` when it holds several members) and the
article's index: its position in the JSON array, from 0, or its line number in a `.jsonl` file.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import ijson
import orjson

from khabar.interchange.problems import BadInput

SUFFIXES = (".json", ".jsonl", ".zip")


@dataclass(frozen=True)
class InputArticle:
    file: str  # origin as shown: "2015-08-11.zip"
    index: int  # array position (from 0) or .jsonl line number (from 1)
    shard: str  # stem of the shard its record goes to: "2015-08-11"
    data: object  # the parsed JSON value (an object, unless the input is broken)

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.index}"


def shard_stems(paths: list[Path]) -> list[str]:
    """The shard stem of each input's articles, in reading order (a ZIP gives one per member).
    Raises BadInput for an unreadable archive."""
    stems: list[str] = []
    for path in paths:
        if path.suffix.lower() == ".zip":
            stems.extend(Path(name).stem for name in _members(path))
        else:
            stems.append(path.stem)
    return stems


def _members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return sorted(name for name in archive.namelist()
                          if Path(name).suffix.lower() in (".json", ".jsonl") and not name.endswith("/"))
    except zipfile.BadZipFile as error:
        raise BadInput(str(path), None, f"not a ZIP archive ({error})") from None


def read_articles(path: Path) -> Iterator[InputArticle]:
    """The articles of one input file, in order. Raises BadInput for a file that is not JSON,
    OSError when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BadInput(str(path), None, "not a .json, .jsonl or .zip file")
    if suffix != ".zip":
        with open(path, "rb") as stream:
            yield from _from_stream(stream, path.name, path.stem, suffix)
        return
    members = _members(path)
    with zipfile.ZipFile(path) as archive:
        for name in members:
            shown = path.name if len(members) == 1 else f"{path.name}/{name}"
            suffix = Path(name).suffix.lower()
            if suffix == ".json" and archive.getinfo(name).file_size <= WHOLE_MEMBER_BYTES:
                parsed = _parsed_whole(archive.read(name))
                if parsed is not None:
                    yield from (InputArticle(shown, index, Path(name).stem, item) for index, item in enumerate(parsed))
                    continue
            with archive.open(name) as stream:
                yield from _from_stream(stream, shown, Path(name).stem, suffix)


# A ZIP member up to this size is parsed in one go (orjson, several times faster than the
# incremental parser); memory then holds one member's articles, bounded by this size and not
# growing with the number of members or archives. Larger members stream through ijson.
WHOLE_MEMBER_BYTES = 64 * 2**20


def _parsed_whole(data: bytes) -> list | None:
    """The articles of a JSON array or one article object, when orjson reads data exactly as the
    incremental path does; None otherwise (not JSON, a lone surrogate or another value orjson
    refuses, any float, a value that is not an array or object): then the
    incremental path reads it and reports any error with its article index."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"[", b"{"):
        return None
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if _holds_float(value):  # orjson reads an integer beyond 64 bits as a float, where ijson stops
        return None
    if head == b"[":
        return value if type(value) is list else None
    return [value] if type(value) is dict else None


def _holds_float(value: object) -> bool:
    """Whether a parsed JSON value holds a float anywhere (crawled articles hold strings)."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
    return False


def _from_stream(stream: IO[bytes], shown: str, shard: str, suffix: str) -> Iterator[InputArticle]:
    if suffix == ".jsonl":
        for number, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8"), start=1):
            if line.strip():
                try:
                    yield InputArticle(shown, number, shard, json.loads(line))
                except json.JSONDecodeError as error:
                    raise BadInput(shown, number, f"not JSON ({error.msg})") from None
        return
    buffered = io.BufferedReader(stream) if not isinstance(stream, io.BufferedReader) else stream
    head = buffered.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    index = -1
    try:
        if head == b"[":
            for index, item in enumerate(ijson.items(buffered, "item", use_float=True)):
                yield InputArticle(shown, index, shard, item)
        elif head == b"{":
            for item in ijson.items(buffered, "", use_float=True):
                index = 0
                yield InputArticle(shown, 0, shard, item)
        else:
            raise BadInput(shown, None, "neither a JSON array of articles nor one article object")
    except (ijson.JSONError, UnicodeDecodeError) as error:
        reason = (str(error).splitlines() or [type(error).__name__])[0].strip()  # yajl adds a drawing of the spot
        raise BadInput(shown, index + 1, f"not JSON after article {index} ({reason})") from None
