"""Reading a release folder back: its Parquet rows, with ClassLabel indices turned into names.

A release is recognised by its manifest.json and its data/ folder; its records come from the
`documents` config, whose rows hold every field of the record (absent optional fields read as
null and are dropped again here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from khabar.release.features import SPLITS, ClassLabel, ListOf, Struct, config_features
from khabar.release.manifest import MANIFEST


def is_release(path: Path) -> bool:
    """True for a release folder (manifest.json and data/documents/)."""
    return path.is_dir() and (path / MANIFEST).is_file() and (path / "data" / "documents").is_dir()


def decode(feature, value):
    """A value read from a release's Parquet file with ClassLabel indices turned back into names."""
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.names[value]
    if isinstance(feature, ListOf):
        return [decode(feature.item, item) for item in value]
    if isinstance(feature, Struct):
        return {name: decode(item, value.get(name)) for name, item in feature.fields}
    return value


def release_rows(release: Path, split: str, config: str) -> list[dict]:
    """The rows of one config and split (an empty split has no file: no rows), labels as names.

    Raises OSError naming the file when a data file is not readable as Parquet.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    features = config_features(config)
    rows = []
    for path in sorted(release.glob(f"data/{config}/{split}-*.parquet")):
        try:
            table = pq.read_table(path)
        except pa.ArrowException as error:
            raise OSError(0, f"not readable as Parquet ({error})", str(path)) from None
        rows.extend(decode(features, row) for row in table.to_pylist())
    return rows


def _without_nulls(value):
    """The record as the record format writes it: optional fields that Parquet filled with null left out."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def release_records(release: Path) -> Iterator[tuple[str, dict]]:
    """(split, record) for every article of the release, split by split, in file order.

    Raises OSError when a data file cannot be read.
    """
    for split in SPLITS:
        for row in release_rows(release, split, "documents"):
            record = _without_nulls(row)
            record["source"].setdefault("url", None)  # the one field the record format keeps as null
            yield split, record
