"""Rows of each config, built from validated records, as Arrow tables (in worker processes)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pyarrow as pa

from khabar.ner import BioStats, bio_sentences
from khabar.release.features import CONFIGS, SPLITS, arrow_schema, config_features, encoder

# id -> split, set in each worker process by set_split_registry (sent once, not with every batch)
_SPLIT_OF: dict[str, str] = {}


def set_split_registry(split_of: dict[str, str]) -> None:
    global _SPLIT_OF
    _SPLIT_OF = split_of


def ner_rows(record: dict, stats: BioStats) -> list[dict]:
    sentences, record_stats = bio_sentences(record)
    stats.add(record_stats)
    return [{"id": s.id, "tokens": s.words, "ner_tags": s.tags} for s in sentences]


def event_row(record: dict) -> dict:
    return {"id": record["id"], "text": record["text"], "labels": record["event_labels"]}


@lru_cache(maxsize=None)
def _row_encoder(config: str):
    return encoder(config_features(config))


@lru_cache(maxsize=None)
def _schema(config: str) -> pa.Schema:
    return arrow_schema(config)


def to_table(config: str, rows: list[dict]) -> pa.Table:
    """Rows (label names as strings) -> an Arrow table with the config's exact schema."""
    encode_row = _row_encoder(config)
    return pa.Table.from_pylist([encode_row(row) for row in rows], schema=_schema(config))


@dataclass
class SplitStats:
    """Counts of one split, summed over batches, for the card and the manifest."""

    ids: list[str] = field(default_factory=list)
    entity_types: Counter = field(default_factory=Counter)
    event_types: Counter = field(default_factory=Counter)
    document_labels: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    bio: BioStats = field(default_factory=BioStats)

    def add(self, other: "SplitStats") -> None:
        self.ids.extend(other.ids)
        for name in ("entity_types", "event_types", "document_labels", "sources", "statuses"):
            getattr(self, name).update(getattr(other, name))
        self.bio.add(other.bio)


@dataclass
class BatchRows:
    tables: dict[tuple[str, str], pa.Table]  # (config, split) -> rows of this batch
    stats: dict[str, SplitStats]  # split -> counts of this batch


def convert_batch(records: list[dict]) -> BatchRows:
    """The rows of every config for a batch of valid records, grouped by split.

    A record missing from the registry is left out: level 4 reports it and the build stops.
    """
    rows = {(config, split): [] for config in CONFIGS for split in SPLITS}
    stats = {split: SplitStats() for split in SPLITS}
    for record in records:
        split = _SPLIT_OF.get(record["id"])
        if split is None:
            continue
        split_stats = stats[split]
        split_stats.ids.append(record["id"])
        split_stats.entity_types.update(e["type"] for e in record["entities"])
        split_stats.event_types.update(e["type"] for e in record["events"])
        split_stats.document_labels.update(record["event_labels"])
        split_stats.sources[record["source"]["name"]] += 1
        split_stats.statuses[record["annotation"]["status"]] += 1
        rows["documents", split].append(record)
        rows["ner", split].extend(ner_rows(record, split_stats.bio))
        rows["events", split].append(event_row(record))
    # documents rows are the records themselves, encoded in place by to_table: the ner and
    # events rows above were taken from them first (events keep the label list, which the
    # encoder replaces rather than edits)
    tables = {key: to_table(key[0], key_rows) for key, key_rows in rows.items() if key_rows}
    return BatchRows(tables, stats)
