"""manifest.json (what the release holds and what it was built from) and SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from khabar import labels
from khabar.release.context import NAME, ReleaseContext
from khabar.release.features import CONFIGS, SPLITS

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
UNIT_SIZE_KEY = "unit_size"  # present only in releases of several units (khabar.release.units)


def manifest_data(context: ReleaseContext) -> dict:
    later = {} if context.format == 1 else {  # format 1 (v0.1.0) had neither key; its absence means format 1
        "format": context.format,
        "statuses": {"included": list(context.included_statuses),
                     "released": dict(sorted(context.statuses.items())),
                     "left_out": dict(sorted(context.left_out.items()))},
    }
    return {
        "name": NAME if context.format == 1 else context.name,
        **later,
        "version": context.version,
        "date": context.date,
        "guidelines_version": context.guidelines_version,
        "articles": context.articles,
        "empty_splits": context.empty_splits,
        "counts": {config: {split: context.counts[config][split] for split in SPLITS} for config in CONFIGS},
        "labels": {
            "entity_types": {split: {t: context.entity_types[split][t] for t in labels.entity_types().names
                                     if context.entity_types[split][t]} for split in SPLITS},
            "event_types": {split: {t: context.event_types[split][t] for t in labels.event_type_names()
                                    if context.event_types[split][t]} for split in SPLITS},
            "event_labels": {split: {t: context.document_labels[split][t] for t in labels.event_type_names()
                                     if context.document_labels[split][t]} for split in SPLITS},
        },
        "ner_conversion": {split: {"outermost_entities": context.bio[split].entities,
                                   "widened_to_tokens": context.bio[split].widened,
                                   "dropped": context.bio[split].dropped} for split in SPLITS},
        "data_files": context.data_files,
        "ids": context.ids,
        "inputs": context.inputs,
        **({UNIT_SIZE_KEY: context.unit_size} if context.unit_size is not None else {}),
    }


def write(release: Path, context: ReleaseContext) -> None:
    text = json.dumps(manifest_data(context), ensure_ascii=False, indent=2) + "\n"
    (release / MANIFEST).write_text(text, encoding="utf-8")


def checksum_lines(release: Path) -> list[str]:
    """`<sha256>  <path>` for every file but SHA256SUMS itself, sorted by path (sha256sum -c format)."""
    lines = []
    for path in sorted(p for p in release.rglob("*") if p.is_file() and p.name != CHECKSUMS):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(release).as_posix()}")
    return lines


def write_checksums(release: Path) -> None:
    (release / CHECKSUMS).write_text("\n".join(checksum_lines(release)) + "\n", encoding="utf-8")
