"""Rows of each config, built from validated records, as Arrow tables."""

from __future__ import annotations

import pyarrow as pa

from khabar.ner import BioStats, bio_sentences
from khabar.release.features import arrow_schema, config_features, encode


def document_row(record: dict) -> dict:
    return record  # every field; encode() maps labels to ClassLabel indices and fills absent optionals


def ner_rows(record: dict, stats: BioStats) -> list[dict]:
    sentences, record_stats = bio_sentences(record)
    stats.add(record_stats)
    return [{"id": s.id, "tokens": [t.text for t in s.tokens], "ner_tags": s.tags} for s in sentences]


def event_row(record: dict) -> dict:
    return {"id": record["id"], "text": record["text"], "labels": record["event_labels"]}


def to_table(config: str, rows: list[dict]) -> pa.Table:
    """Rows (label names as strings) -> an Arrow table with the config's exact schema."""
    features = config_features(config)
    encoded = [encode(features, row) for row in rows]
    return pa.Table.from_pylist(encoded, schema=arrow_schema(config))


def config_rows(records: list[dict]) -> tuple[dict[str, list[dict]], BioStats]:
    """All rows of every config for one split's records (in the given order)."""
    stats = BioStats()
    rows = {"documents": [], "ner": [], "events": []}
    for record in records:
        rows["documents"].append(document_row(record))
        rows["ner"].extend(ner_rows(record, stats))
        rows["events"].append(event_row(record))
    return rows, stats
