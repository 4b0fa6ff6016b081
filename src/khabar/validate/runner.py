"""Runs the levels over files and folders, in a fixed order, and sums up the result."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from khabar.pipeline import batched, ordered_map
from khabar.textrules import escaped
from khabar.validate import level1, level2, level3
from khabar.validate.batches import PackedBatch, pack, unpack
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord
from khabar.validate.level4 import CorpusChecks, is_record_file, registry_checks, text_digest

if TYPE_CHECKING:
    from khabar.validate.corpus import Corpus


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
    """The path as reports show it: relative to the working folder when inside it, with control
    and invisible characters escaped (khabar.textrules.escaped). Every printed path goes
    through here."""
    try:
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    return escaped(shown)


def record_files(paths: Iterable[Path]) -> list[Path]:
    """Every article file and shard under paths, each folder's files in sorted order.

    Raises InputError for a path that does not exist or is not a record file, and for what a
    folder holds that would otherwise be skipped unread (folder_record_files).
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(folder_record_files(path))
        elif path.is_file():
            if not is_record_file(path):
                raise InputError(f"{shown_path(path)}: not an article file (.json) or shard (.jsonl)")
            found.append(path)
        else:
            raise InputError(f"{shown_path(path)}: no such file or folder")
    return found


def _looks_like_a_record(name: str) -> bool:
    return name.lower().endswith((".json", ".jsonl"))


def folder_record_files(folder: Path) -> list[Path]:
    """The article files and shards under folder, sorted (hidden files left out).

    khabar reads only what a folder holds itself: a symbolic link inside it (to a file or a
    folder, dangling or not) is not followed but refused, so that nothing is skipped unread
    and nothing outside the folder is read. Raises InputError (exit code 2) for such a link, an
    unreadable subfolder, a record file that is not a regular file, and a file named like a
    record whose suffix is not lower-case `.json` or `.jsonl` (`x.JSON`).
    """
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    path = Path(entry.path)
                    if entry.is_symlink():
                        raise InputError(f"{shown_path(path)}: a symbolic link inside a folder of records; khabar "
                                         "does not follow links there: put the file or folder itself in place")
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(path)
                    elif entry.name.startswith(".") or not _looks_like_a_record(entry.name):
                        continue
                    elif not is_record_file(path):
                        raise InputError(f"{shown_path(path)}: named like a record but not read: a record file "
                                         "ends in .json or .jsonl, lower case")
                    elif not entry.is_file(follow_symlinks=False):
                        raise InputError(f"{shown_path(path)}: not a regular file")
                    else:
                        found.append(path)
        except OSError as error:
            raise InputError(f"{shown_path(current)}: {error.strerror or error}") from error
    return sorted(found)


@dataclass
class CheckedRecord:
    """One record after validation, with what later stages need of it."""

    raw: RawRecord | None  # where it came from (its bytes dropped once checked); None for file-level incidents
    record: dict | None  # the parsed record, when it passed levels 1-3 and the caller asked to keep records
    incidents: list[Incident]
    record_id: str | None = None  # set once the record passed levels 1-3
    text_digest: bytes | None = None  # for the corpus-level duplicate check
    valid: bool = False  # passed every error check, level 4 included


def _has_error(incidents: list[Incident]) -> bool:
    return any(incident.severity == "error" for incident in incidents)


# What a worker returns per batch item: (incidents, record id, text digest, record), the last
# three None for an item that did not pass levels 1-3 (the record also when not asked for).
Outcome = tuple[list[Incident], "str | None", "bytes | None", "dict | None"]


def check_batch(batch: list, keep_records: bool = False,
                convert: Callable[[list[dict]], object] | None = None) -> tuple[list[Outcome], object]:
    """Levels 1-3 for a batch of raw records and file-level incidents (a list or a PackedBatch),
    and `convert` of the records that passed them (a build's rows). Runs in a worker process.
    """
    outcomes: list[Outcome] = []
    passed = []
    for item in unpack(batch) if isinstance(batch, PackedBatch) else batch:
        if isinstance(item, Incident):
            outcomes.append(([item], None, None, None))
            continue
        record, incidents = level1.parse(item)
        if record is not None:
            record, incidents = _levels_2_3(item, record, incidents)
        if record is None:
            outcomes.append((incidents, None, None, None))
            continue
        outcomes.append((incidents, record["id"], text_digest(record["text"]), record if keep_records else None))
        passed.append(record)
    return outcomes, (convert(passed) if convert else None)


def _levels_2_3(item: RawRecord, record: dict, incidents: list[Incident]) -> tuple[dict | None, list[Incident]]:
    """Levels 2 and 3 on a record that passed level 1: (record, incidents), the record None
    once a level finds an error (the levels above it do not run)."""
    for level in (level2.check, level3.check):
        incidents = incidents + level(item, record)
        if _has_error(incidents):
            return None, incidents
    return record, incidents


def check_serialized(item: RawRecord, record: dict) -> list[Incident]:
    """Levels 1-3 of a record that a writer has just serialized itself: item.data is
    orjson.dumps(record) plus a line break. Level 1 (parsing those bytes) cannot fail on them and
    gives back an equal dict, so it is not run again; levels 2 and 3 run on record as they would
    on the parsed line. For `khabar import news`, which checks every record before writing it."""
    return _levels_2_3(item, record, [])[1]


def _checked(item: RawRecord | Incident, outcome: Outcome) -> CheckedRecord:
    incidents, record_id, digest, record = outcome
    if isinstance(item, Incident):
        return CheckedRecord(None, None, incidents)
    return CheckedRecord(replace(item, data=b""), record, incidents, record_id, digest)


def corpus_sources(paths: Iterable[Path | Corpus]) -> list[Path | Corpus]:
    """Each folder under paths read once as a Corpus (khabar.validate.corpus), each record file
    kept as its path, each Corpus as it is. Raises InputError as record_files does."""
    from khabar.validate.corpus import read_corpus  # corpus.py builds on this module's walk

    sources: list[Path | Corpus] = []
    for path in paths:
        if not isinstance(path, Path):
            sources.append(path)
        elif path.is_dir():
            sources.append(read_corpus(path))
        else:
            sources.extend(record_files([path]))  # refuses what is not a record file
    return sources


def _source_files(sources: list[Path | Corpus]) -> Iterator[tuple[Path, str]]:
    for source in sources:
        if isinstance(source, Path):
            yield source, shown_path(source)
        else:
            yield from ((file.path, file.shown) for file in source.files)


def raw_records(paths: Iterable[Path | Corpus]) -> Iterator[RawRecord | Incident]:
    """Every record of the files under paths, unparsed, and the file-level incidents, in order."""
    for path, shown in _source_files(corpus_sources(paths)):
        try:
            yield from level1.read_records(path, shown)
        except OSError as error:
            raise InputError(f"{shown}: {error.strerror or error}") from error


def check_records(paths: Iterable[Path | Corpus], workers: int = 1, keep_records: bool = False,
                  convert: Callable[[list[dict]], object] | None = None,
                  on_converted: Callable[[object, int], None] | None = None,
                  initializer: Callable[..., None] | None = None, initargs: tuple = (),
                  unit_size: int | None = None) -> Iterator[CheckedRecord]:
    """Validate record by record, streaming, in file order; yields every record with its incidents.

    A level runs only on records that passed the levels below. Levels 1-3 (and `convert` of
    each batch's records that passed them) run in `workers` processes, each set up by
    `initializer(*initargs)`; level 4 and `on_converted(converted batch, unit)` run here, in
    file order, so the result does not depend on the number of workers. With a unit_size, the
    records (and file-level incidents) in corpus order are cut into units of that many, no
    batch crosses a unit, and `unit` numbers the batch's unit from 0 (else it is 0). A folder is read once as a
    Corpus (files, registry); pass a Corpus to reuse one already read. Raises InputError when a
    file cannot be read.
    """
    sources = corpus_sources(paths)
    corpus = CorpusChecks()
    every_record_reached = True
    work = partial(check_batch, keep_records=keep_records, convert=convert)
    seen = 0  # records and file-level incidents before this batch
    for items, (outcomes, converted) in ordered_map(work, batched(raw_records(sources), boundary=unit_size),
                                                    workers, initializer, initargs, send=pack):
        if on_converted is not None and converted is not None:
            on_converted(converted, seen // unit_size if unit_size else 0)
        seen += len(items)
        for item, outcome in zip(items, outcomes):
            checked = _checked(item, outcome)
            every_record_reached &= checked.record_id is not None
            if checked.record_id is not None:
                checked.incidents = checked.incidents + corpus.check(checked.raw, checked.record_id, checked.text_digest)
                checked.valid = not _has_error(checked.incidents)
                if not checked.valid:
                    checked.record = None
            yield checked
    # the registry is compared with the corpus only when every record could say its id
    for source in sources if every_record_reached else []:
        if not isinstance(source, Path):
            incidents = registry_checks(source, corpus.ids)
            if incidents:
                yield CheckedRecord(None, None, incidents)


def check_record_text(path: Path, text: str) -> list[Incident]:
    """Levels 1-3 and the file-name check for one record's file content before it is written."""
    raw = RawRecord(shown_path(path), path, 1, text.encode("utf-8"), single_line=False)
    [outcome], _ = check_batch([raw])
    checked = _checked(raw, outcome)
    if checked.record_id is None:
        return checked.incidents
    return checked.incidents + CorpusChecks().check(checked.raw, checked.record_id, checked.text_digest)


def validate_paths(paths: Iterable[Path], workers: int = 1,
                   progress: Callable[[int], None] | None = None) -> ValidationReport:
    """Validate every record under paths and collect the incidents (raises InputError).

    progress, when given, is called with 1 for every record checked (a progress bar's update).
    """
    sources = corpus_sources(paths)
    report = ValidationReport(files=sum(1 if isinstance(s, Path) else len(s.files) for s in sources))
    for checked in check_records(sources, workers):
        report.incidents.extend(checked.incidents)
        if checked.raw is not None:
            report.records += 1
            report.valid_records += checked.valid
            if progress is not None:
                progress(1)
    return report
