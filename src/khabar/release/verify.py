"""`khabar verify`: a release folder against its SHA256SUMS, card, Croissant and manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from khabar.release.features import CONFIGS, SPLITS, arrow_schema, yaml_features
from khabar.release.manifest import CHECKSUMS, MANIFEST


def _checksum_problems(release: Path) -> list[str]:
    sums = release / CHECKSUMS
    if not sums.is_file():
        return [f"{CHECKSUMS} is missing"]
    problems, listed = [], set()
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        listed.add(name)
        path = release / name
        if not path.is_file():
            problems.append(f"{CHECKSUMS}:{number}: {name} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{CHECKSUMS}:{number}: {name} does not match its checksum")
    present = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {CHECKSUMS}
    problems += [f"{name} is not listed in {CHECKSUMS}" for name in sorted(present - listed)]
    return problems


def _card_yaml(release: Path) -> dict:
    text = (release / "README.md").read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError("README.md has no YAML header")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def _data_problems(release: Path, manifest: dict, card: dict) -> list[str]:
    problems = []
    infos = {info["config_name"]: info for info in card.get("dataset_info", [])}
    for config in CONFIGS:
        if infos.get(config, {}).get("features") != yaml_features(config):
            problems.append(f"README.md: features of {config} differ from khabar's")
        card_counts = {s["name"]: s["num_examples"] for s in infos.get(config, {}).get("splits", [])}
        for split in SPLITS:
            files = sorted(release.glob(f"data/{config}/{split}-*.parquet"))
            rows = 0
            for path in files:
                try:
                    parquet = pq.ParquetFile(path)
                except (pa.ArrowException, OSError) as error:
                    problems.append(f"{path.relative_to(release)}: not readable as Parquet ({error})")
                    continue
                if parquet.schema_arrow.remove_metadata() != arrow_schema(config):
                    problems.append(f"{path.relative_to(release)}: columns differ from the {config} schema")
                rows += parquet.metadata.num_rows
            if not files and manifest["counts"][config][split]:
                problems.append(f"data/{config}/{split}-*.parquet: no file")
            if manifest["counts"][config][split] != rows:
                problems.append(f"{MANIFEST}: {config}/{split} says {manifest['counts'][config][split]} rows, data has {rows}")
            if card_counts.get(split, 0) != rows:
                problems.append(f"README.md: {config}/{split} num_examples {card_counts.get(split)} != {rows} rows")
    return problems


def _croissant_problems(release: Path) -> list[str]:
    path = release / "croissant.json"
    if not path.is_file():
        return ["croissant.json is missing"]
    metadata = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for item in metadata.get("distribution", []):
        if item.get("@type") == "cr:FileObject":
            target = release / item["contentUrl"]
            if not target.is_file():
                problems.append(f"croissant.json: {item['contentUrl']} is missing")
            elif hashlib.sha256(target.read_bytes()).hexdigest() != item.get("sha256"):
                problems.append(f"croissant.json: sha256 of {item['contentUrl']} does not match")
    return problems


def _licence_problems(release: Path, manifest: dict) -> list[str]:
    """Format 2: the licence table of the card and LICENSE.md, recomputed from the records' sources."""
    if manifest.get("format", 1) < 2:
        return []  # format 1 (v0.1.0) states a fixed licence text
    from khabar.release import licences
    from khabar.release.reader import release_records

    expected = licences.terms_table(licences.records_terms([record["source"] for _, record in release_records(release)]))
    problems = []
    for name in ("README.md", licences.LICENSE_FILE):
        path = release / name
        if not path.is_file() or expected not in path.read_text(encoding="utf-8"):
            problems.append(f"{name}: the licence table differs from the records' source.name and source.license")
    return problems


def verify_release(release: Path) -> list[str]:
    """Every disagreement found, one line each; an empty list means the release is intact."""
    problems = _checksum_problems(release)
    try:
        manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
        card = _card_yaml(release)
    except (OSError, ValueError, yaml.YAMLError) as error:
        return problems + [f"cannot read {MANIFEST} or README.md: {error}"]
    problems += _data_problems(release, manifest, card)
    problems += _croissant_problems(release)
    try:
        problems += _licence_problems(release, manifest)
    except OSError as error:
        problems.append(f"{error.filename}: {error.strerror}")
    return problems
