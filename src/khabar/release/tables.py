"""Rows of each config, built from validated records, as Arrow tables (in worker processes).

Columns are built without Python objects per row: the documents table is read from the
records' JSON by Arrow's JSON reader and its labels encoded column by column; the ner table's
tokens and tags come from numpy arrays over the texts' bytes. A build converts every record of
a corpus, and per-row Python objects would cost more than everything else it does.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.json as pj

from khabar import labels
from khabar.compact import StringStore
from khabar.ner import BioBatch, BioStats, bio_batch
from khabar.splits import RegistryIndex
from khabar.release.features import SPLITS, arrow_schema, config_features, encode_labels

# the split registry and the annotation statuses a release holds, set in each worker process by
# set_split_registry (sent once, not with every batch)
_REGISTRY = RegistryIndex()
DEFAULT_STATUSES = ("gold",)
_STATUSES: frozenset[str] = frozenset(DEFAULT_STATUSES)


def set_split_registry(registry: RegistryIndex, statuses: tuple[str, ...] = DEFAULT_STATUSES,
                       release_format: int | None = None) -> None:
    global _REGISTRY, _STATUSES, _FORMAT
    _REGISTRY, _STATUSES, _FORMAT = registry, frozenset(statuses), release_format


_FORMAT: int | None = None  # the release format being built (its documents columns), set with the registry


@lru_cache(maxsize=None)
def _json_options(config: str, release_format: int | None) -> pj.ParseOptions:
    return pj.ParseOptions(explicit_schema=arrow_schema(config, label_type=pa.string(), release_format=release_format),
                           unexpected_field_behavior="ignore")


def documents_table(records: list[dict]) -> pa.Table:
    """The documents rows of records: the records themselves, labels as indices."""
    data = b"\n".join(map(orjson.dumps, records))
    # one block for the whole batch: a record never straddles blocks, and no chunks to combine
    read = pj.ReadOptions(use_threads=False, block_size=len(data) + 1)
    table = pj.read_json(io.BytesIO(data), read_options=read, parse_options=_json_options("documents", _FORMAT))
    features = dict(config_features("documents", _FORMAT).fields)
    columns = [encode_labels(table.column(name).combine_chunks(), features[name]) for name in table.column_names]
    return pa.Table.from_arrays(columns, schema=arrow_schema("documents", release_format=_FORMAT))


def events_table(documents: pa.Table) -> pa.Table:
    """The events rows: id, text and document labels, shared with the documents table."""
    return pa.Table.from_arrays([documents.column("id"), documents.column("text"), documents.column("event_labels")],
                                schema=arrow_schema("events"))


@lru_cache(maxsize=None)
def _type_codes() -> dict[str, int]:
    return {name: code for code, name in enumerate(labels.entity_types().names)}


def _in_tokens(batch: BioBatch, length: int) -> np.ndarray:
    """Per character of the joined texts: inside a token."""
    inside = np.zeros(length + 1, np.int32)
    inside[batch.starts] += 1
    inside[batch.ends] -= 1
    return np.cumsum(inside[:-1], dtype=np.int32) > 0


def ner_table(records: list[dict], stats: BioStats) -> pa.Table:
    """The ner rows of records: one per sentence, with its tokens and BIO tag indices."""
    batch = bio_batch(records, _type_codes())
    stats.add(batch.stats)
    ids = [f"{record['id']}/{number}" for record, count in zip(records, batch.sentence_counts)
           for number in range(count)]
    # the tokens' bytes, one after another: the joined texts' UTF-8 without the bytes that no
    # token covers (white space); a mask, not an index per byte, keeps the batch's memory small
    encoded = np.frombuffer(batch.joined.encode("utf-8"), dtype=np.uint8)
    if len(encoded) == len(batch.joined):  # ASCII only
        lengths, kept = batch.ends - batch.starts, _in_tokens(batch, len(batch.joined))
    else:
        codes = np.frombuffer(batch.joined.encode("utf-32-le"), dtype=np.uint32)
        widths = 1 + (codes >= 0x80).astype(np.int8) + (codes >= 0x800) + (codes >= 0x10000)
        character_bytes = np.concatenate(([0], np.cumsum(widths, dtype=np.int64)))
        lengths = character_bytes[batch.ends] - character_bytes[batch.starts]
        kept = np.repeat(_in_tokens(batch, len(codes)), widths)
    data = encoded[kept]
    value_offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))).astype(np.int32)
    tokens = pa.StringArray.from_buffers(len(lengths), pa.py_buffer(value_offsets), pa.py_buffer(data))
    sentence_offsets = pa.array(batch.sentence_offsets, pa.int32())
    return pa.Table.from_arrays(
        [pa.array(ids, pa.string()), pa.ListArray.from_arrays(sentence_offsets, tokens),
         pa.ListArray.from_arrays(sentence_offsets, pa.array(batch.tags, pa.int64()))],
        schema=arrow_schema("ner"))


@dataclass
class SplitStats:
    """Counts of one split, summed over batches, for the card and the manifest."""

    ids: StringStore = field(default_factory=StringStore)  # not a list: one str per article would pin memory
    entity_types: Counter = field(default_factory=Counter)
    event_types: Counter = field(default_factory=Counter)
    document_labels: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    licences: Counter = field(default_factory=Counter)  # (source.name, source.license) -> articles
    # source.name -> [earliest, latest] source.published (ISO dates compare as strings)
    published: dict[str, list[str]] = field(default_factory=dict)
    left_out: Counter = field(default_factory=Counter)  # annotation status -> valid articles not released
    bio: BioStats = field(default_factory=BioStats)

    def add(self, other: "SplitStats") -> None:
        self.ids.extend(other.ids)
        for name in ("entity_types", "event_types", "document_labels", "sources", "statuses", "licences", "left_out"):
            getattr(self, name).update(getattr(other, name))
        for source, (first, last) in other.published.items():
            widen_published(self.published, source, first, last)
        self.bio.add(other.bio)


def widen_published(published: dict[str, list[str]], source: str, first: str, last: str) -> None:
    """Stretch source's [earliest, latest] publication dates in published to cover first..last."""
    span = published.setdefault(source, [first, last])
    span[0], span[1] = min(span[0], first), max(span[1], last)


@dataclass
class BatchRows:
    # (config, split) -> rows of this batch, for documents and ner: events shares the documents'
    # columns, so the process that writes derives it (events_table) rather than receive a copy
    tables: dict[tuple[str, str], pa.Table]
    stats: dict[str, SplitStats]  # split -> counts of this batch


def _label_counts(indices: pa.Array, names: tuple[str, ...]) -> Counter:
    """Names -> how often their index occurs in indices (an encoded label column)."""
    counts = np.bincount(indices.to_numpy(zero_copy_only=False), minlength=len(names)) if len(indices) else []
    return Counter({names[index]: int(count) for index, count in enumerate(counts) if count})


def _count_labels(documents: pa.Table, stats: SplitStats) -> None:
    """The split's label counts, taken from the encoded columns of its documents rows."""
    features = dict(config_features("documents").fields)
    entity_fields = dict(features["entities"].item.fields)
    event_fields = dict(features["events"].item.fields)
    entities = documents.column("entities").combine_chunks().flatten()
    events = documents.column("events").combine_chunks().flatten()
    stats.entity_types.update(_label_counts(entities.field("type"), entity_fields["type"].names))
    stats.event_types.update(_label_counts(events.field("type"), event_fields["type"].names))
    stats.document_labels.update(_label_counts(documents.column("event_labels").combine_chunks().flatten(),
                                               features["event_labels"].item.names))
    annotation = documents.column("annotation").combine_chunks()
    stats.statuses.update(_label_counts(annotation.field("status"), dict(features["annotation"].fields)["status"].names))
    source = documents.column("source").combine_chunks()
    names, licences = source.field("name").to_pylist(), source.field("license").to_pylist()
    stats.sources.update(names)
    stats.licences.update(zip(names, licences))
    for name, published in zip(names, source.field("published").to_pylist()):
        widen_published(stats.published, name, published, published)


def convert_batch(records: list[dict]) -> BatchRows:
    """The rows of every config for a batch of valid records, grouped by split.

    A record missing from the registry is left out: level 4 reports it and the build stops. A
    record whose annotation status the release does not hold is left out and counted (left_out).
    """
    by_split: dict[str, list[dict]] = {split: [] for split in SPLITS}
    stats = {split: SplitStats() for split in SPLITS}
    for record in records:
        split = _REGISTRY.split_of(record["id"])
        if split is not None and record["annotation"]["status"] not in _STATUSES:
            stats[split].left_out[record["annotation"]["status"]] += 1
        elif split is not None:
            stats[split].ids.append(record["id"])
            by_split[split].append(record)
    tables = {}
    for split, split_records in by_split.items():
        if split_records:
            documents = documents_table(split_records)
            _count_labels(documents, stats[split])
            tables["documents", split] = documents
            tables["ner", split] = ner_table(split_records, stats[split].bio)
    return BatchRows(tables, stats)
