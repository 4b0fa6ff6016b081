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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.atomic import current_umask
from khabar.guidelines import guidelines_version
from khabar.paths import schema_dir
from khabar.pipeline import workers_for
from khabar.release import card, citation, croissant, loading_script, manifest
from khabar.release import staging as staging_folders
from khabar.release.changes import release_changes
from khabar.show.records import ReleaseError
from khabar.release.context import ReleaseContext
from khabar.release.features import CONFIGS, SPLITS
from khabar.release.formats import CURRENT_FORMAT, FORMAT1_DATASHEET, recorded_format
from khabar.release.metadata import DatasetMetadata, project_metadata
from khabar.release.units import DEFAULT_UNIT_SIZE, published_unit_size, unit_layout_refusal
from khabar.release.tables import (DEFAULT_STATUSES, BatchRows, SplitStats, convert_batch, events_table,
                                   set_split_registry, widen_published)
from khabar.splits import REGISTRY_NAME
from khabar.stats_charts import chart_files
from khabar.validate.incident import Incident
from khabar.validate.level4 import registry_invalid, registry_shown
from khabar.validate.corpus import Corpus, read_corpus
from khabar.validate.runner import check_records, shown_path
from khabar.wording import count

MAX_ROWS_PER_SHARD = 100_000
# Row groups of a fixed size, whatever the batches: the bytes must not depend on how the
# corpus was cut into batches or on the number of worker processes.
ROW_GROUP_ROWS = {"documents": 256, "ner": 4_096, "events": 512}
PARQUET_OPTIONS = dict(compression="zstd", compression_level=3, version="2.6", data_page_version="1.0",
                       use_dictionary=True, write_statistics=True)
STATUSES = ("gold", "reviewed", "draft")  # annotation.status, most finished first


class BuildRefused(Exception):
    """The corpus or the destination does not allow a release: exit code 1 for the corpus,
    2 for a differing release in the way (refusing to overwrite a target exits 2 everywhere)."""

    def __init__(self, message: str, incidents: list[Incident] | None = None, differing: list[str] | None = None):
        super().__init__(message)
        self.incidents = incidents or []
        self.differing = differing or []
        self.exit_code = 2 if self.differing else 1


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


def _input_hashes(corpus: Corpus) -> dict[str, str]:
    """sha256 of the inputs: the registry, each schema file, and the corpus as one digest over
    the sorted `<sha256>  <path>` lines of its record files (a corpus may have 200,000 files)."""
    corpus_lines = []
    for file in corpus.files:
        corpus_lines.append(f"{sha256_file(file.path)}  {file.path.relative_to(corpus.folder).as_posix()}\n")
    inputs = {"corpus (sha256 of the sha256sum lines of its record files)":
              hashlib.sha256("".join(corpus_lines).encode("utf-8")).hexdigest(),
              "corpus/" + REGISTRY_NAME: sha256_file(corpus.registry_path)}
    for path in sorted(p for p in schema_dir().rglob("*") if p.is_file()):
        inputs["schema/" + path.relative_to(schema_dir()).as_posix()] = sha256_file(path)
    return inputs


class ShardWriter:
    """Writes one config/split of one release unit as Parquet shards of at most MAX_ROWS_PER_SHARD
    rows, in row groups of exactly ROW_GROUP_ROWS[config] rows (the last one may be shorter)."""

    def __init__(self, staging: Path, config: str, split: str, unit: int = 0):
        self.staging, self.config, self.split, self.unit = staging, config, split, unit
        self.group_rows = min(ROW_GROUP_ROWS[config], MAX_ROWS_PER_SHARD)
        self.buffer: list[pa.Table] = []
        self.buffered = 0
        self.rows = 0
        self.num_bytes = 0
        self.shards: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.shard_rows = 0

    def write(self, table: pa.Table) -> None:
        self.buffer.append(table)
        self.buffered += table.num_rows
        while self.buffered >= self.group_rows:
            self._flush(self.group_rows)

    def _flush(self, rows: int) -> None:
        # always a fresh copy, from offset 0: a slice's nbytes depends on where it starts
        # (validity bits are counted by the byte), and so on how the corpus was cut into batches
        table = pa.concat_tables([self.buffer[0].schema.empty_table(), *self.buffer]).combine_chunks()
        group, rest = table.slice(0, rows), table.slice(rows)
        self.buffer, self.buffered = ([rest] if rest.num_rows else []), rest.num_rows
        if self.writer is None or self.shard_rows + rows > MAX_ROWS_PER_SHARD:
            self._close_shard()
            path = self.staging / "data" / self.config / f".{self.split}-{self.unit:05d}-{len(self.shards):05d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.shards.append(path)
            self.writer = pq.ParquetWriter(path, group.schema, **PARQUET_OPTIONS)
            self.shard_rows = 0
        self.writer.write_table(group, row_group_size=rows)
        self.shard_rows += rows
        self.rows += rows
        self.num_bytes += group.nbytes

    def _close_shard(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        """Write what is left, close, and return the shards (hidden names, in order)."""
        while self.buffered:
            self._flush(min(self.buffered, self.group_rows))
        self._close_shard()
        return self.shards


def name_shards(staging: Path, config: str, split: str, shards: list[Path]) -> tuple[list[str], int]:
    """Rename a config/split's shards, every unit's in unit order, to
    `data/<config>/<split>-NNNNN-of-NNNNN.parquet`; returns the names and their bytes."""
    names, size = [], 0
    for index, path in enumerate(shards):
        name = f"data/{config}/{split}-{index:05d}-of-{len(shards):05d}.parquet"
        path.rename(staging / name)
        size += (staging / name).stat().st_size
        names.append(name)
    return names, size


def differing_files(a: Path, b: Path) -> list[str]:
    """Relative paths that are in only one of the two trees or differ in content."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differing = sorted(files_a ^ files_b)
    differing += sorted(name for name in files_a & files_b
                        if not filecmp.cmp(a / name, b / name, shallow=False))
    return sorted(differing)


def release_format_for(release_dir: Path, metadata: DatasetMetadata) -> int:
    """The format to write: that of the release already at release_dir, else that of the published
    release of this version (its default folder), else the current one. A published version keeps
    its format wherever it is rebuilt, so it rebuilds byte for byte."""
    for existing in (release_dir, metadata.default_release_dir):
        found = recorded_format(existing)
        if found is not None:
            return found
    return CURRENT_FORMAT


def included_statuses(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """gold plus the statuses asked for, in STATUSES order. Raises ValueError for an unknown status."""
    unknown = sorted(set(extra) - set(STATUSES))
    if unknown:
        raise ValueError(f"unknown annotation status {', '.join(unknown)}; expected {', '.join(STATUSES)}")
    return tuple(status for status in STATUSES if status in {*DEFAULT_STATUSES, *extra})


def build_release(corpus_dir: Path, release_dir: Path | None = None, project: Path | None = None,
                  version: str | None = None, date: str | None = None,
                  say: Callable[[str], None] = lambda message: None, workers: int | None = 1, *,
                  metadata: DatasetMetadata | None = None, statuses: Iterable[str] = (),
                  release_format: int | None = None,
                  progress: Callable[[int], None] | None = None, unit_size: int | None = None) -> BuildResult:
    """Validate corpus_dir and write its release to release_dir (see module doc).

    metadata says what the release is (khabar.release.metadata); without it, the khabar project
    at `project` gives it (version and date, when given, override its files). release_dir
    defaults to the metadata's `releases/v<version>`. The release holds the valid records whose
    annotation status is gold or one of `statuses`; the others are counted as left out. The
    format is release_format, else release_format_for(release_dir, metadata).

    The corpus is cut into release units of unit_size records (khabar.release.units), each
    written as its own Parquet files per config and split; unit_size defaults to the one the
    published release of this version records, else DEFAULT_UNIT_SIZE. A build whose unit layout
    differs from that published release's is refused (BuildRefused).

    One streaming pass: records are validated and converted to rows in `workers` processes (None:
    as many as khabar.pipeline.workers_for the corpus's size) and written here in corpus order
    (sorted files, then lines), so memory stays flat and the files do not depend on the number
    of workers. Raises BuildRefused (invalid corpus, missing
    registry, no article to release, a differing existing release), ValueError (an unknown
    status or format) and OSError for I/O failures; in every failure case nothing is left at
    release_dir. progress(1) is called for every record checked. Staging folders of earlier
    builds that were killed are removed first (khabar.release.staging).
    """
    metadata = metadata or project_metadata(project, version, date)
    release_dir = release_dir or metadata.default_release_dir
    release_format = release_format or release_format_for(release_dir, metadata)
    if unit_size is not None and unit_size < 1:
        raise ValueError(f"--unit-size must be a positive number of records, not {unit_size}")
    published, recorded_unit = published_unit_size([release_dir, metadata.default_release_dir])
    unit_size = unit_size or recorded_unit or DEFAULT_UNIT_SIZE
    # format 1 (v0.1.0) released every valid record, whatever its status
    held = STATUSES if release_format == 1 else included_statuses(statuses)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{shown_path(corpus_dir)}: no such corpus folder")
    if not (corpus_dir / REGISTRY_NAME).is_file():
        raise BuildRefused(f"{shown_path(corpus_dir / REGISTRY_NAME)} is missing: run `khabar splits` to assign splits")
    corpus = read_corpus(corpus_dir)  # the one walk of the folder and parse of its registry
    workers = workers_for(corpus.size) if workers is None else workers
    if corpus.registry is None:  # reported as validation reports it
        raise BuildRefused("1 validation error; nothing written",
                           [registry_invalid(registry_shown(corpus.shown), corpus.registry_error)])
    release_dir.parent.mkdir(parents=True, exist_ok=True)
    staging_folders.remove_stale(release_dir.parent, say)
    staging = Path(tempfile.mkdtemp(dir=release_dir.parent, prefix=staging_folders.staging_prefix(release_dir.name)))
    try:
        # one unit's writers at a time; the shards of the units already written, per config/split
        writers: dict[tuple[str, str], ShardWriter] = {}
        shards: dict[tuple[str, str], list[Path]] = {(config, split): [] for config in CONFIGS for split in SPLITS}
        rows = {key: 0 for key in shards}
        num_bytes = {key: 0 for key in shards}
        stats = {split: SplitStats() for split in SPLITS}
        units = 0

        def close_unit() -> None:
            for key, writer in writers.items():
                shards[key].extend(writer.finish())
                rows[key] += writer.rows
                num_bytes[key] += writer.num_bytes
            writers.clear()

        def take(batch: BatchRows, unit: int) -> None:
            nonlocal units
            if unit + 1 > units:
                close_unit()
                units = unit + 1
                writers.update({(config, split): ShardWriter(staging, config, split, unit)
                                for config in CONFIGS for split in SPLITS})
            for (config, split), table in batch.tables.items():
                writers[config, split].write(table)
                if config == "documents":
                    writers["events", split].write(events_table(table))
            for split, split_stats in batch.stats.items():
                stats[split].add(split_stats)

        errors, records = [], 0
        for checked in check_records([corpus], workers, convert=convert_batch, on_converted=take,
                                     initializer=set_split_registry,
                                     initargs=(corpus.registry, held, release_format), unit_size=unit_size):
            errors.extend(i for i in checked.incidents if i.severity == "error")
            if checked.raw is not None:
                records += 1
                if progress is not None:
                    progress(1)
        if errors:
            raise BuildRefused(f"{count(len(errors), 'validation error')}; nothing written", errors)
        if not records:
            raise BuildRefused(f"{corpus.shown} holds no article: a release holds at least one; "
                               "nothing written")
        say(f"validated {count(records, 'article')}")
        close_unit()
        refusal = unit_layout_refusal(published, recorded_unit, unit_size, units, records,
                                      shown_path(published) if published else "")
        if refusal:
            raise BuildRefused(refusal)
        context = ReleaseContext(version=metadata.version, date=metadata.date, guidelines_version=guidelines_version(),
                                 ids={split: list(stats[split].ids) for split in SPLITS}, counts={},
                                 inputs=_input_hashes(corpus), format=release_format, name=metadata.name,
                                 pretty_name=metadata.pretty_name, description=metadata.description,
                                 url=metadata.url, authors=metadata.authors, from_project=metadata.from_project,
                                 included_statuses=held, unit_size=unit_size if units > 1 else None)
        if release_format == 1:  # v0.1.0's prose, frozen (khabar.release.formats)
            context.datasheet = card.datasheet_sections(FORMAT1_DATASHEET)
        else:
            context.datasheet_path = metadata.datasheet
        for split in SPLITS:
            context.entity_types[split] = stats[split].entity_types
            context.event_types[split] = stats[split].event_types
            context.document_labels[split] = stats[split].document_labels
            context.bio[split] = stats[split].bio
            context.sources.update(stats[split].sources)
            context.statuses.update(stats[split].statuses)
            context.licences.update(stats[split].licences)
            context.left_out.update(stats[split].left_out)
            for source, (first, last) in stats[split].published.items():
                widen_published(context.published, source, first, last)
        left_out = sum(context.left_out.values())
        if left_out:
            say(f"left out {left_out} valid article(s) whose annotation status is not "
                f"{' or '.join(held)}: " + ", ".join(f"{status} {count}" for status, count in sorted(context.left_out.items()))
                + f" (--include-status {','.join(sorted(context.left_out))} releases them)")
        if context.articles == 0:
            raise BuildRefused(f"no article to release: none of the {records} valid article(s) has the annotation "
                               f"status {' or '.join(held)}; nothing written")
        for (config, split), written in shards.items():
            paths, size = name_shards(staging, config, split, written)
            context.counts.setdefault(config, {})[split] = rows[config, split]
            context.num_bytes.setdefault(config, {})[split] = num_bytes[config, split]
            context.download_size[config] = context.download_size.get(config, 0) + size
            if paths:  # datasets cannot read a Parquet file without rows: an empty split has no file
                context.data_files.setdefault(config, {})[split] = paths
            say(f"built {config}/{split} (staging): {count(rows[config, split], 'row')} in {count(len(paths), 'file')}")
        try:
            context.changes = release_changes(release_dir.parent, metadata.version, staging)
        except ReleaseError as error:
            raise BuildRefused(f"the previous release cannot be compared: {error}") from None
        (staging / "images").mkdir()
        filled = [split for split in SPLITS if context.ids[split]] or ["train"]
        for name, png in chart_files({s: context.entity_types[s] for s in filled},
                                     {s: context.event_types[s] for s in filled}).items():
            (staging / "images" / name).write_bytes(png)
        for file_writer in (card.write, croissant.write, citation.write, loading_script.write, manifest.write):
            file_writer(staging, context)
        manifest.write_checksums(staging)
        if release_dir.exists():
            differing = differing_files(staging, release_dir)
            if differing:
                raise BuildRefused(f"{shown_path(release_dir)} exists and differs from this build in {len(differing)} file(s); "
                                   f"bump the version in {'pyproject.toml' if metadata.from_project else 'dataset.toml'} "
                                   f"to release the change", differing=differing)
            return BuildResult(release_dir, True, context)
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp made it 0700
        os.rename(staging, release_dir)
        return BuildResult(release_dir, False, context)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
