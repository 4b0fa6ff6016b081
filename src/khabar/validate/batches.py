"""Batches of raw records as they travel to worker processes: a few columns and one byte
string, not an object per record (pickling a RawRecord with its Path per record cost the
reading process about as much as reading)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord


@dataclass
class PackedBatch:
    files: list[tuple[str, str]] = field(default_factory=list)  # (shown name, path) of each file used
    file_of: array = field(default_factory=lambda: array("I"))  # record -> index in files
    first_line: array = field(default_factory=lambda: array("I"))
    single_line: bytearray = field(default_factory=bytearray)  # record -> 1 for a shard line
    ends: array = field(default_factory=lambda: array("Q"))  # record -> end of its bytes in data
    data: bytes = b""
    incidents: list[tuple[int, Incident]] = field(default_factory=list)  # (position in batch, file-level incident)
    size: int = 0


def pack(items: list[RawRecord | Incident]) -> PackedBatch:
    batch = PackedBatch(size=len(items))
    pieces = []
    end = 0
    for position, item in enumerate(items):
        if isinstance(item, Incident):
            batch.incidents.append((position, item))
            continue
        if not batch.files or batch.files[-1][0] != item.file:
            batch.files.append((item.file, str(item.path)))
        batch.file_of.append(len(batch.files) - 1)
        batch.first_line.append(item.first_line)
        batch.single_line.append(item.single_line)
        end += len(item.data)
        batch.ends.append(end)
        pieces.append(item.data)
    batch.data = b"".join(pieces)
    return batch


def unpack(batch: PackedBatch) -> list[RawRecord | Incident]:
    paths = [Path(path) for _, path in batch.files]
    records = iter([
        RawRecord(batch.files[file][0], paths[file], line, batch.data[start:end], bool(single))
        for file, line, single, start, end in zip(batch.file_of, batch.first_line, batch.single_line,
                                                   [0, *batch.ends[:-1]], batch.ends)])
    incidents = dict(batch.incidents)
    return [incidents[position] if position in incidents else next(records) for position in range(batch.size)]
