"""Shared by the importers and exporters: record shells, ids, reading valid records, and writing
a set of files all or nothing.

Nothing is written unless every record would validate (levels 1-3, the file name, and unique
ids and texts among the new records) and no target file exists; files are written atomically
and never overwrite (khabar.record_io.write_new_file).
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from khabar import __version__
from khabar.guidelines import guidelines_version
from khabar.interchange.problems import BadInput
from khabar.record_io import dumps_record, write_new_file
from khabar.rules import expected_event_labels

IMPORTER = f"khabar {__version__}"


@dataclass(frozen=True)
class SourceInfo:
    """What `source` says about imported articles whose files carry no metadata (CLI options)."""

    name: str
    license: str
    published: str
    url: str | None = None
    published_basis: str | None = None

    def source_field(self, raw_file: str | None = None) -> dict:
        basis = self.published_basis or (
            f"Not in the source: {self.name} gives no article dates. By khabar's import convention "
            f"(README, \"Import and export\") published is the publication date of the source corpus, "
            f"1 January when only its year is known; the article appeared in or before that year.")
        source = {"name": self.name, "url": self.url, "published": self.published,
                  "published_basis": basis, "license": self.license}
        if raw_file:
            source["raw_file"] = raw_file
        return source


def slug(value: str, limit: int = 60) -> str:
    """Lower-case ASCII letters, digits and single hyphens (Arabic and other letters drop out)."""
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")[:limit].strip("-")


def file_slug(name: str) -> str:
    """A file name as an id part; a name without ASCII letters or digits (Arabic) gets a digest."""
    import hashlib

    return slug(name) or "file-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def record_id(*parts: str) -> str:
    """An id from slugged parts; valid against ^[a-z0-9][a-z0-9-]{2,127}$ whatever the parts."""
    joined = "-".join(p for p in (slug(part) for part in parts) if p) or "imported"
    return joined[:128].strip("-").ljust(3, "0")


def new_record(record_id_: str, text: str, source: dict, produced_by: list[str], notes: str,
               entities: list[dict], events: list[dict] | None = None, status: str = "draft") -> dict:
    """A draft record around text (headline = its first paragraph)."""
    events = events or []
    return {
        "id": record_id_,
        "title": text.split("\n\n", 1)[0],
        "text": text,
        "language": "ar",
        "source": source,
        "entities": entities,
        "events": events,
        "event_labels": expected_event_labels(events),
        "annotation": {"status": status, "guidelines": guidelines_version(), "produced_by": produced_by,
                       "reviewed_by": [], "notes": notes},
    }


def number_entities(spans: Iterable[tuple[int, int, str]], text: str) -> list[dict]:
    """Entities T1, T2, ... for (start, end, type) spans, in the order given."""
    return [{"id": f"T{n}", "start": start, "end": end, "type": entity_type, "text": text[start:end]}
            for n, (start, end, entity_type) in enumerate(spans, start=1)]


# ---------------------------------------------------------------- reading valid records

def read_valid_records(paths: list[Path], progress=None) -> tuple[list[dict], list[str]]:
    """(every record under paths, in file order; the validator's error lines).

    Exporters and stats work on valid records only: when the second list is not empty the
    caller prints it and stops. progress(1), when given, is called per record checked.
    Raises khabar.validate.runner.InputError for unreadable paths.
    """
    from khabar.validate.runner import check_records

    try:
        checked_records = check_records(paths, keep_records=True)
    except TypeError:  # a validator without keep_records always keeps them
        checked_records = check_records(paths)
    records, errors = [], []
    for checked in checked_records:
        # the split registry's checks (split-*) concern the registry, not the records: like
        # `khabar splits`, exports and stats do not stop for them
        errors.extend(i.as_text() for i in checked.incidents if i.severity == "error" and not i.check.startswith("split-"))
        if checked.record is not None:
            records.append(checked.record)
        if progress is not None and checked.raw is not None:
            progress(1)
    return records, errors


# ---------------------------------------------------------------- writing, all or nothing

def record_files_content(records: list[dict], out_dir: Path, progress=None) -> tuple[dict[Path, str], list[str]]:
    """(target path -> file content for each record; validation error lines).

    Runs the validator's levels 1-3 and file-name check on every record as it would be written,
    and the corpus checks for ids and texts among the new records. progress(1), when given, is
    called per record checked.
    """
    from khabar.validate.runner import check_record_text, shown_path

    files: dict[Path, str] = {}
    errors: list[str] = []
    first_with_text: dict[str, str] = {}
    for record in records:
        target = out_dir / f"{record['id']}.json"
        content = dumps_record(record)
        errors.extend(i.as_text() for i in check_record_text(target, content) if i.severity == "error")
        if target in files:
            errors.append(f"{shown_path(target)}: [L4 duplicate-article-id] two imported records have the id "
                          f"{record['id']!r}")
        earlier = first_with_text.setdefault(record["text"], record["id"])
        if earlier != record["id"]:
            errors.append(f"{shown_path(target)}: [L4 duplicate-text] same text as the imported record {earlier}")
        files[target] = content
        if progress is not None:
            progress(1)
    return files, errors


def files_inside(out_dir: Path, files: dict[str, str | bytes]) -> dict[Path, str | bytes]:
    """Each exported file's target: out_dir / name. Raises BadInput, before anything is written,
    for a name that is not a plain file name (a separator, `..`, an absolute path, a control
    character) or whose target would resolve outside out_dir."""
    from khabar.interchange.provenance import is_plain_file_name
    from khabar.validate.runner import shown_path

    base = out_dir.resolve()
    targets: dict[Path, str | bytes] = {}
    for name, content in files.items():
        target = out_dir / name
        if not is_plain_file_name(name) or target.resolve().parent != base:
            raise BadInput(shown_path(Path(str(name))), None,
                           f"not a plain file name inside {shown_path(out_dir)}: exporters write only there")
        targets[target] = content
    return targets


def write_all(files: dict[Path, str | bytes]) -> None:
    """Write every file or none: refuses (FileExistsError, exit 2 like every refusal to
    overwrite) when a target exists; on a failure midway removes what it wrote and re-raises.
    Raises OSError for I/O problems."""
    for path in files:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists; khabar never overwrites a file; nothing written",
                                  str(path))
    written: list[Path] = []
    try:
        for path, content in files.items():
            write_new_file(path, content)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
