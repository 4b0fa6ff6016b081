"""`khabar build`: validate the corpus, then write one immutable, byte-reproducible release.

Nothing is written unless every record passes validation. The release is assembled in a hidden
temporary folder beside its destination and renamed into place at the end, so a failed build
leaves no partial release; an existing release is never overwritten, only compared.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow.parquet as pq

from khabar.guidelines import guidelines_version
from khabar.paths import schema_dir
from khabar.release import card, citation, croissant, loading_script, manifest
from khabar.release.context import ReleaseContext
from khabar.release.features import CONFIGS, SPLITS
from khabar.release.tables import config_rows, to_table
from khabar.splits import REGISTRY_NAME, read_registry
from khabar.validate.incident import Incident
from khabar.validate.runner import check_records

MAX_ROWS_PER_SHARD = 100_000
PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, version="2.6", data_page_version="1.0",
                       use_dictionary=True, write_statistics=True, row_group_size=10_000)


class BuildRefused(Exception):
    """The corpus or the destination does not allow a release (exit code 1)."""

    def __init__(self, message: str, incidents: list[Incident] | None = None, differing: list[str] | None = None):
        super().__init__(message)
        self.incidents = incidents or []
        self.differing = differing or []


@dataclass
class BuildResult:
    release_dir: Path
    identical: bool  # the release existed already and the rebuild matched it byte for byte
    context: ReleaseContext


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_valid_records(corpus_dir: Path, say: Callable[[str], None]) -> list[dict]:
    records, errors = [], []
    for checked in check_records([corpus_dir]):
        errors.extend(i for i in checked.incidents if i.severity == "error")
        if checked.record is not None:
            records.append(checked.record)
    if errors:
        raise BuildRefused(f"{len(errors)} validation error(s); nothing written", errors)
    say(f"validated {len(records)} articles")
    return records


def _input_hashes(corpus_dir: Path) -> dict[str, str]:
    inputs = {}
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl", ".tsv")):
        inputs["corpus/" + path.relative_to(corpus_dir).as_posix()] = sha256_file(path)
    for path in sorted(p for p in schema_dir().rglob("*") if p.is_file()):
        inputs["schema/" + path.relative_to(schema_dir()).as_posix()] = sha256_file(path)
    return inputs


def _shard_paths(config: str, split: str, rows: int) -> list[str]:
    shards = max(1, -(-rows // MAX_ROWS_PER_SHARD))
    return [f"data/{config}/{split}-{i:05d}-of-{shards:05d}.parquet" for i in range(shards)]


def _write_data(staging: Path, by_split: dict[str, list[dict]], context: ReleaseContext,
                say: Callable[[str], None]) -> None:
    for split in SPLITS:
        rows, stats = config_rows(by_split[split])
        context.bio[split] = stats
        for config in CONFIGS:
            table = to_table(config, rows[config])
            context.counts.setdefault(config, {})[split] = table.num_rows
            if table.num_rows == 0:
                # datasets cannot read a Parquet file without rows: an empty split has no file
                # and is left out of the card's configs (the card names it as empty)
                continue
            paths = _shard_paths(config, split, table.num_rows)
            context.data_files.setdefault(config, {})[split] = paths
            for index, relative in enumerate(paths):
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shard = table.slice(index * MAX_ROWS_PER_SHARD, MAX_ROWS_PER_SHARD)
                pq.write_table(shard, target, **PARQUET_OPTIONS)
                # num_bytes as `datasets` counts it: the Arrow size of the table read back
                context.num_bytes.setdefault(config, {}).setdefault(split, 0)
                context.num_bytes[config][split] += pq.read_table(target).nbytes
                context.download_size[config] = context.download_size.get(config, 0) + target.stat().st_size
            say(f"wrote {config}/{split}: {table.num_rows} rows in {len(paths)} file(s)")


def _statistics(by_split: dict[str, list[dict]], context: ReleaseContext) -> None:
    for split, records in by_split.items():
        context.entity_types[split] = Counter(e["type"] for r in records for e in r["entities"])
        context.event_types[split] = Counter(e["type"] for r in records for e in r["events"])
        context.document_labels[split] = Counter(label for r in records for label in r["event_labels"])
        context.sources.update(r["source"]["name"] for r in records)
        context.statuses.update(r["annotation"]["status"] for r in records)


def differing_files(a: Path, b: Path) -> list[str]:
    """Relative paths that are in only one of the two trees or differ in content."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differing = sorted(files_a ^ files_b)
    differing += sorted(name for name in files_a & files_b
                        if not filecmp.cmp(a / name, b / name, shallow=False))
    return sorted(differing)


def build_release(corpus_dir: Path, release_dir: Path, project: Path, version: str, date: str,
                  say: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Validate corpus_dir and write the release of `version` to release_dir (see module doc).

    Raises BuildRefused (invalid corpus, missing registry, a differing existing release) and
    OSError for I/O failures; in every failure case nothing is left at release_dir.
    """
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: no such corpus folder")
    if not (corpus_dir / REGISTRY_NAME).is_file():
        raise BuildRefused(f"{corpus_dir / REGISTRY_NAME} is missing: run `khabar splits` to assign splits")
    records = _load_valid_records(corpus_dir, say)
    registry = read_registry(corpus_dir / REGISTRY_NAME)
    by_split = {split: [] for split in SPLITS}
    for record in sorted(records, key=lambda r: r["id"]):
        by_split[registry[record["id"]].split].append(record)
    context = ReleaseContext(version=version, date=date, guidelines_version=guidelines_version(),
                             ids={split: [r["id"] for r in by_split[split]] for split in SPLITS},
                             counts={}, inputs=_input_hashes(corpus_dir),
                             datasheet=card.datasheet_sections(project / "DATASHEET.md"))
    _statistics(by_split, context)

    release_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=release_dir.parent, prefix=f".{release_dir.name}.building-"))
    try:
        _write_data(staging, by_split, context, say)
        for writer in (card.write, croissant.write, citation.write, loading_script.write, manifest.write):
            writer(staging, context)
        manifest.write_checksums(staging)
        if release_dir.exists():
            differing = differing_files(staging, release_dir)
            if differing:
                raise BuildRefused(f"{release_dir} exists and differs from this build in {len(differing)} file(s); "
                                   f"bump the version in pyproject.toml to release the change", differing=differing)
            return BuildResult(release_dir, True, context)
        os.chmod(staging, 0o755)
        os.rename(staging, release_dir)
        return BuildResult(release_dir, False, context)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
