"""`khabar verify`: a release folder against its SHA256SUMS, card, Croissant and manifest.

Every problem is one line naming the file (relative to the release) and, where there is one,
the line: a malformed file is a problem like a wrong checksum, never a traceback. A file that
cannot be read at all raises OSError (the command exits 2). A name in SHA256SUMS or in the
Croissant metadata must stay inside the release folder: an absolute path or one through `..`
is a problem, even when the file it names has that hash.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from khabar.release.build import sha256_file
from khabar.release.formats import recorded_format
from khabar.release.features import CONFIGS, SPLITS, arrow_schema, yaml_features
from khabar.release.manifest import CHECKSUMS, MANIFEST

_SHA256 = re.compile(r"^[0-9a-f]{64}$")




def inside_name_problem(name: str) -> str | None:
    """Why name cannot name a file of the release (None when it can): the release lists its
    own files by relative POSIX paths without `..`, backslashes or control characters."""
    if not name:
        return "an empty file name"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in name) or "\\" in name:
        return f"{name!r} contains a control character or backslash"
    path = PurePosixPath(name)
    if path.is_absolute():
        return f"{name} is an absolute path; a release names its files relative to its folder"
    if ".." in path.parts or "." in name.split("/") or "" in name.split("/"):
        return f"{name} leaves the release folder or is not a plain relative path"
    return None


def _read_text(release: Path, name: str) -> tuple[str | None, str | None]:
    """(text, problem): the file as UTF-8 text, or a problem line when it is not UTF-8.
    Raises OSError when it cannot be read."""
    data = (release / name).read_bytes()
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, f"{name}:{line}: not UTF-8 (byte offset {error.start})"


def _read_json(release: Path, name: str) -> tuple[object, str | None]:
    text, problem = _read_text(release, name)
    if problem:
        return None, problem
    try:
        return json.loads(text), None
    except ValueError as error:  # JSONDecodeError
        line = getattr(error, "lineno", 1)
        return None, f"{name}:{line}: not JSON ({getattr(error, 'msg', error)})"
    except RecursionError:
        return None, f"{name}:1: not JSON (nested too deeply)"


def _checksum_problems(release: Path) -> list[str]:
    sums = release / CHECKSUMS
    if not sums.is_file():
        return [f"{CHECKSUMS} is missing"]
    text, problem = _read_text(release, CHECKSUMS)
    if problem:
        return [problem]
    problems, listed = [], set()
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the final newline
    for number, line in enumerate(lines, start=1):
        digest, separator, name = line.partition("  ")
        if not separator or not _SHA256.match(digest):
            problems.append(f"{CHECKSUMS}:{number}: not a `<sha256>  <file>` line")
            continue
        outside = inside_name_problem(name)
        if outside:
            problems.append(f"{CHECKSUMS}:{number}: {outside}")
            continue
        listed.add(name)
        path = release / name
        if not path.is_file() or path.is_symlink():
            problems.append(f"{CHECKSUMS}:{number}: {name} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"{CHECKSUMS}:{number}: {name} does not match its checksum")
    present = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {CHECKSUMS}
    problems += [f"{name} is not listed in {CHECKSUMS}" for name in sorted(present - listed)]
    return problems


def _card_yaml(release: Path) -> tuple[dict | None, str | None]:
    """(the card's YAML header as a mapping, problem)."""
    text, problem = _read_text(release, "README.md")
    if problem:
        return None, problem
    end = text.find("\n---\n", 4)
    if not text.startswith("---\n") or end < 0:
        return None, "README.md:1: no YAML header between --- lines"
    try:
        header = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2  # +1 for counting from 1, +1 for the opening ---
        return None, f"README.md:{line}: YAML header not readable ({getattr(error, 'problem', None) or error})"
    if not isinstance(header, dict):
        return None, f"README.md:2: the YAML header is a {type(header).__name__}, not a mapping"
    return header, None


def _card_infos(card: dict) -> tuple[dict, list[str]]:
    """config name -> its dataset_info entry, and problems with the entries' shape."""
    infos, problems = {}, []
    entries = card.get("dataset_info", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return {}, ["README.md: dataset_info is not a list of mappings"]
    for entry in entries:
        splits = entry.get("splits", [])
        if not isinstance(splits, list) or not all(isinstance(s, dict) for s in splits):
            problems.append(f"README.md: dataset_info of {entry.get('config_name')!r}: splits is not a list of mappings")
            entry = {**entry, "splits": []}
        if isinstance(entry.get("config_name"), str):
            infos[entry["config_name"]] = entry
    return infos, problems


def _manifest_counts(manifest: object) -> tuple[dict | None, str | None]:
    """counts[config][split] (whole numbers) from the manifest, or a problem line."""
    counts = manifest.get("counts") if isinstance(manifest, dict) else None
    if not isinstance(counts, dict) or not all(
            isinstance(counts.get(config), dict) and all(type(counts[config].get(split)) is int for split in SPLITS)
            for config in CONFIGS):
        return None, (f"{MANIFEST}: no counts of rows per config and split "
                      f"({', '.join(CONFIGS)} x {', '.join(SPLITS)})")
    return counts, None


def _data_problems(release: Path, counts: dict | None, card: dict | None) -> list[str]:
    problems = []
    infos = {}
    try:  # a release is checked against the columns of the format it was written in
        release_format = recorded_format(release)
    except ValueError:
        release_format = None  # the manifest's own problem is reported with it
    if card is not None:
        infos, problems = _card_infos(card)
    for config in CONFIGS:
        if card is not None and infos.get(config, {}).get("features") != yaml_features(config, release_format):
            problems.append(f"README.md: features of {config} differ from khabar's")
        card_counts = {s.get("name"): s.get("num_examples") for s in infos.get(config, {}).get("splits", [])
                       if isinstance(s.get("name"), str)}
        for split in SPLITS:
            files = sorted(release.glob(f"data/{config}/{split}-*.parquet"))
            rows = 0
            for path in files:
                try:
                    parquet = pq.ParquetFile(path)
                except (pa.ArrowException, OSError) as error:
                    problems.append(f"{path.relative_to(release)}: not readable as Parquet ({error})")
                    continue
                if parquet.schema_arrow.remove_metadata() != arrow_schema(config, release_format=release_format):
                    problems.append(f"{path.relative_to(release)}: columns differ from the {config} schema")
                rows += parquet.metadata.num_rows
            if counts is not None:
                if not files and counts[config][split]:
                    problems.append(f"data/{config}/{split}-*.parquet: no file")
                if counts[config][split] != rows:
                    problems.append(f"{MANIFEST}: {config}/{split} says {counts[config][split]} rows, data has {rows}")
            if card is not None and card_counts.get(split, 0) != rows:
                problems.append(f"README.md: {config}/{split} num_examples {card_counts.get(split)} != {rows} rows")
    return problems


def _croissant_problems(release: Path) -> list[str]:
    name = "croissant.json"
    if not (release / name).is_file():
        return [f"{name} is missing"]
    metadata, problem = _read_json(release, name)
    if problem:
        return [problem]
    distribution = metadata.get("distribution") if isinstance(metadata, dict) else None
    if not isinstance(distribution, list):
        return [f"{name}: no distribution list (a Croissant file is a JSON-LD object with one)"]
    problems = []
    for index, item in enumerate(distribution):
        if not isinstance(item, dict):
            problems.append(f"{name}: distribution[{index}] is not an object")
            continue
        if item.get("@type") != "cr:FileObject":
            continue
        url = item.get("contentUrl")
        if not isinstance(url, str):
            problems.append(f"{name}: distribution[{index}] ({item.get('@id')!r}) has no contentUrl")
            continue
        outside = inside_name_problem(url)
        if outside:
            problems.append(f"{name}: distribution[{index}]: {outside}")
            continue
        target = release / url
        if not target.is_file() or target.is_symlink():
            problems.append(f"{name}: {url} is missing")
        elif sha256_file(target) != item.get("sha256"):
            problems.append(f"{name}: sha256 of {url} does not match")
    return problems


def _licence_problems(release: Path, manifest: object) -> list[str]:
    """Format 2: the licence table of the card and LICENSE.md, recomputed from the records' sources."""
    release_format = manifest.get("format", 1) if isinstance(manifest, dict) else 1
    if type(release_format) is not int or release_format < 2:
        return []  # format 1 (v0.1.0) states a fixed licence text; a malformed manifest is reported already
    from khabar.release import licences
    from khabar.release.reader import release_records

    try:
        expected = licences.terms_table(licences.records_terms([record["source"]
                                                                for _, record in release_records(release)]))
    except (KeyError, TypeError, IndexError, AttributeError):
        return ["data/documents: the records' sources cannot be read back; the licence table is not checked"]
    problems = []
    for name in ("README.md", licences.LICENSE_FILE):
        path = release / name
        if not path.is_file() or expected not in path.read_bytes().decode("utf-8", "replace"):
            problems.append(f"{name}: the licence table differs from the records' source.name and source.license")
    return problems


def verify_release(release: Path) -> list[str]:
    """Every disagreement found, one line each (see the module doc); an empty list means the
    release is intact. Raises OSError when a file of the release cannot be read."""
    problems = _checksum_problems(release)
    counts = card = manifest = None
    if not (release / MANIFEST).is_file():
        problems.append(f"{MANIFEST} is missing")
    else:
        manifest, problem = _read_json(release, MANIFEST)
        counts, problem = (None, problem) if problem else _manifest_counts(manifest)
        problems += [problem] if problem else []
    if not (release / "README.md").is_file():
        problems.append("README.md is missing")
    else:
        card, problem = _card_yaml(release)
        problems += [problem] if problem else []
    problems += _data_problems(release, counts, card)
    problems += _croissant_problems(release)
    try:
        problems += _licence_problems(release, manifest)
    except OSError as error:
        problems.append(f"{error.filename}: {error.strerror}")
    return problems
