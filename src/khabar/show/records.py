"""The records `khabar show` and `khabar diff` read: article files, shards, folders of them, or
release folders (Parquet under data/documents/, decoded with the release's own label names).

Record files are read and checked with the validator (khabar.validate), so every record comes
with its incidents. A record that fails levels 1 or 2 (unreadable, or not matching the schema)
is kept as an entry without a usable record: a page cannot be drawn from fields of the wrong type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from khabar.validate.incident import Incident
from khabar.validate.level1 import parse, read_records
from khabar.validate.runner import InputError, check_records, record_files, shown_path

DOCUMENTS = Path("data") / "documents"


@dataclass
class LoadedRecord:
    """One record as read, with where it came from and what the validator says about it."""

    file: str  # as reports show it
    line: int | None  # first line of the record in its file (None for a release row)
    record: dict | None  # None when levels 1-2 failed: the record cannot be drawn
    incidents: list[Incident] = field(default_factory=list)

    @property
    def record_id(self) -> str | None:
        return self.record.get("id") if self.record else None


def is_release(path: Path) -> bool:
    """A release folder: its card (README.md) and the documents config's Parquet files."""
    return path.is_dir() and (path / "README.md").is_file() and (path / DOCUMENTS).is_dir()


def load(paths: list[Path], validate: bool = True) -> list[LoadedRecord]:
    """Every record under paths, in file order (a release's rows in shard order).

    validate=False skips levels 3-4 for record files (diff does not need incidents); levels 1-2
    always run, they decide whether a record can be used. Raises InputError for a path that
    cannot be read and ReleaseError for a release folder that cannot be decoded.
    """
    loaded: list[LoadedRecord] = []
    files = [path for path in paths if not is_release(path)]
    for path in paths:
        if is_release(path):
            loaded.extend(release_records(path))
    if files:
        loaded.extend(_file_records(files, validate))
    return loaded


def _file_records(paths: list[Path], validate: bool) -> list[LoadedRecord]:
    from khabar.validate import level2

    incidents_at: dict[tuple[str, int], list[Incident]] = defaultdict(list)
    unplaced: list[Incident] = []  # file-level and registry incidents: no record to hang them on
    if validate:
        for checked in check_records(paths):
            if checked.raw is None:
                unplaced.extend(checked.incidents)
            else:
                incidents_at[checked.raw.file, checked.raw.first_line].extend(checked.incidents)
    loaded: list[LoadedRecord] = []
    for path in record_files(paths):
        try:
            items = list(read_records(path, shown_path(path)))
        except OSError as error:
            raise InputError(f"{path}: {error.strerror or error}") from error
        for item in items:
            if isinstance(item, Incident):
                if not validate:
                    unplaced.append(item)
                continue
            record, problems = parse(item)
            if record is not None and not validate:
                problems = level2.check(item, record)
            incidents = incidents_at.get((item.file, item.first_line), problems)
            usable = record is not None and not any(i.level <= 2 and i.severity == "error" for i in incidents)
            loaded.append(LoadedRecord(item.file, item.first_line, record if usable else None, incidents))
    by_file: dict[str, list[Incident]] = defaultdict(list)
    for incident in unplaced:
        by_file[incident.file].append(incident)
    loaded.extend(LoadedRecord(file, None, None, incidents) for file, incidents in by_file.items())
    return loaded


class ReleaseError(Exception):
    """A release folder whose card or Parquet files cannot be read (exit code 2)."""


def _card_features(release: Path) -> list[dict]:
    card = (release / "README.md").read_text(encoding="utf-8")
    if not card.startswith("---\n") or "\n---\n" not in card[4:]:
        raise ReleaseError(f"{release / 'README.md'}: no YAML header")
    header = yaml.safe_load(card[4:card.index("\n---\n", 4)])
    for info in header.get("dataset_info") or []:
        if info.get("config_name") == "documents":
            return info["features"]
    raise ReleaseError(f"{release / 'README.md'}: no dataset_info for the documents config")


def _decode(value, feature: dict):
    """A Parquet value as the record holds it: ClassLabel indices -> names (the card's names),
    null optional fields dropped."""
    if value is None:
        return None
    if "struct" in feature:
        return _decode_struct(value, feature["struct"])
    if "list" in feature:
        item = feature["list"]
        if isinstance(item, list):
            return [_decode_struct(element, item) for element in value]
        return [_decode_scalar(element, item) for element in value]
    return _decode_scalar(value, feature["dtype"])


def _decode_scalar(value, dtype):
    if isinstance(dtype, dict) and "class_label" in dtype:
        return dtype["class_label"]["names"][str(value)]
    return value


def _decode_struct(value: dict, fields: list[dict]) -> dict:
    decoded = {}
    for feature in fields:
        item = _decode(value.get(feature["name"]), feature)
        if item is not None:
            decoded[feature["name"]] = item
    return decoded


def release_rows(release: Path, features: list[dict] | None = None) -> Iterator[tuple[str, dict]]:
    """(shard as shown, record) for each row of the documents config of a release folder, one row
    group in memory at a time; label names from `features` (dataset_info features in the card's
    form; default: the release's own card). Raises ReleaseError for unreadable files."""
    import pyarrow.parquet as pq

    features = features if features is not None else _card_features(release)
    for shard in sorted((release / DOCUMENTS).glob("*.parquet")):
        shown = shown_path(shard)
        try:
            parquet = pq.ParquetFile(shard)
            for group in range(parquet.num_row_groups):
                for row in parquet.read_row_group(group).to_pylist():
                    yield shown, _decode_row(row, features, shown)
        except (OSError, ValueError) as error:
            raise ReleaseError(f"{shown}: {error}") from error


def _decode_row(row: dict, features: list[dict], shown: str) -> dict:
    try:
        return _decode_struct(row, features)
    except (KeyError, TypeError) as error:
        raise ReleaseError(f"{shown}: a row does not match the card's features ({error})") from error


def release_records(release: Path, features: list[dict] | None = None) -> list[LoadedRecord]:
    """Every row of release_rows() as a LoadedRecord."""
    return [LoadedRecord(shown, None, record) for shown, record in release_rows(release, features)]


class ReleaseIndex:
    """Records of a release found by id, reading one row group at a time (the last few kept):
    comparing two releases of similar order then reads each row group about once."""

    CACHED_GROUPS = 8

    def __init__(self, release: Path, features: list[dict] | None = None):
        import pyarrow.parquet as pq

        self.features = features if features is not None else _card_features(release)
        self.shards = []
        self.where: dict[str, tuple[int, int, int]] = {}  # id -> (shard, row group, row)
        self.order: list[str] = []  # ids in release order
        self._cache: dict[tuple[int, int], list[dict]] = {}
        for number, shard in enumerate(sorted((release / DOCUMENTS).glob("*.parquet"))):
            try:
                parquet = pq.ParquetFile(shard)
                self.shards.append((shown_path(shard), parquet))
                for group in range(parquet.num_row_groups):
                    ids = parquet.read_row_group(group, columns=["id"]).column("id").to_pylist()
                    for row, record_id in enumerate(ids):
                        self.where[record_id] = (number, group, row)
                    self.order.extend(ids)
            except (OSError, ValueError) as error:
                raise ReleaseError(f"{shown_path(shard)}: {error}") from error

    def get(self, record_id: str) -> dict | None:
        """The record with that id, or None."""
        if record_id not in self.where:
            return None
        number, group, row = self.where[record_id]
        rows = self._cache.get((number, group))
        if rows is None:
            shown, parquet = self.shards[number]
            try:
                rows = parquet.read_row_group(group).to_pylist()
            except (OSError, ValueError) as error:
                raise ReleaseError(f"{shown}: {error}") from error
            if len(self._cache) >= self.CACHED_GROUPS:
                self._cache.pop(next(iter(self._cache)))
            self._cache[number, group] = rows
        return _decode_row(rows[row], self.features, self.shards[number][0])
