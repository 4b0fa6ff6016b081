"""Runs the levels over files and folders, in a fixed order, and sums up the result."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from khabar.validate import level1, level2, level3
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord
from khabar.validate.level4 import CorpusChecks, is_record_file, registry_checks


class InputError(Exception):
    """A path that cannot be read at all (exit code 2, not a data problem)."""


@dataclass
class ValidationReport:
    files: int = 0
    records: int = 0
    valid_records: int = 0
    incidents: list[Incident] = field(default_factory=list)

    @property
    def errors(self) -> list[Incident]:
        return [i for i in self.incidents if i.severity == "error"]

    @property
    def warnings(self) -> list[Incident]:
        return [i for i in self.incidents if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def shown_path(path: Path) -> str:
    """The path as reports show it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def record_files(paths: Iterable[Path]) -> list[Path]:
    """Every article file and shard under paths, each folder's files in sorted order.

    Raises InputError for a path that does not exist or is not a record file.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_record_file(p)))
        elif path.is_file():
            if not is_record_file(path):
                raise InputError(f"{path}: not an article file (.json) or shard (.jsonl)")
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


@dataclass
class CheckedRecord:
    """One record after validation: the parsed record when it passed every error check."""

    raw: RawRecord | None
    record: dict | None
    incidents: list[Incident]
    raw_id: str | None = None  # the record's id once it passed levels 1-3


def check_records(paths: Iterable[Path]) -> Iterator[CheckedRecord]:
    """Validate record by record, streaming; yields every record (valid or not) with its incidents.

    A level runs only on records that passed the levels below. Raises InputError when a
    file cannot be read.
    """
    paths = list(paths)
    corpus = CorpusChecks()
    reached_corpus_level: set[str] = set()
    for path in record_files(paths):
        try:
            for item in level1.read_records(path, shown_path(path)):
                if isinstance(item, Incident):
                    yield CheckedRecord(None, None, [item])
                    continue
                checked = _check_one(item, corpus)
                if checked.raw_id is not None:
                    reached_corpus_level.add(checked.raw_id)
                yield checked
        except OSError as error:
            raise InputError(f"{path}: {error.strerror or error}") from error
    for path in paths:
        if path.is_dir():
            incidents = registry_checks(path, shown_path(path), reached_corpus_level)
            if incidents:
                yield CheckedRecord(None, None, incidents)


def _check_one(raw: RawRecord, corpus: CorpusChecks) -> CheckedRecord:
    record, incidents = level1.parse(raw)
    if record is None:
        return CheckedRecord(raw, None, incidents)
    for level in (level2.check, level3.check):
        incidents = incidents + level(raw, record)
        if any(incident.severity == "error" for incident in incidents):
            return CheckedRecord(raw, None, incidents)
    incidents = incidents + corpus.check(raw, record)
    if any(incident.severity == "error" for incident in incidents):
        return CheckedRecord(raw, None, incidents, record["id"])
    return CheckedRecord(raw, record, incidents, record["id"])


def check_record_text(path: Path, text: str) -> list[Incident]:
    """Levels 1-3 and the file-name check for one record's file content before it is written."""
    raw = RawRecord(shown_path(path), path, 1, text, single_line=False)
    return _check_one(raw, CorpusChecks()).incidents


def validate_paths(paths: Iterable[Path]) -> ValidationReport:
    """Validate every record under paths and collect the incidents (raises InputError)."""
    paths = list(paths)
    report = ValidationReport(files=len(record_files(paths)))
    for checked in check_records(paths):
        report.incidents.extend(checked.incidents)
        if checked.raw is not None:
            report.records += 1
            report.valid_records += checked.record is not None
    return report
