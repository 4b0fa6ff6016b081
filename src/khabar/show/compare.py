"""Reading the two sides of `khabar diff` (record files, folders or release folders)."""

from __future__ import annotations

from pathlib import Path

from khabar.show.diff import CorpusDiff, diff_corpora
from khabar.show.records import load
from khabar.validate.incident import Incident


class UnusableInput(Exception):
    """A side holds records that cannot be compared (exit code 1): `lines` say why, one each."""

    def __init__(self, lines: list[str]):
        super().__init__(f"{len(lines)} problem(s)")
        self.lines = lines


def read_side(path: Path) -> list[dict]:
    """The records under path, every one readable and matching the schema, ids unique.

    Raises UnusableInput (invalid records, repeated ids), InputError or ReleaseError (I/O).
    """
    loaded = load([path], validate=False)
    problems = [incident.as_text() for entry in loaded if entry.record is None
                for incident in entry.incidents if isinstance(incident, Incident) and incident.severity == "error"]
    seen: dict[str, str] = {}
    for entry in loaded:
        if entry.record is not None:
            where = entry.file if entry.line in (None, 1) else f"{entry.file}:{entry.line}"
            if entry.record["id"] in seen:
                problems.append(f"{where}: id {entry.record['id']} also in {seen[entry.record['id']]}")
            seen.setdefault(entry.record["id"], where)
    if problems:
        raise UnusableInput(problems)
    return [entry.record for entry in loaded]


def diff_paths(old: Path, new: Path) -> CorpusDiff:
    """Compare the records under old with those under new (see khabar.show.diff)."""
    return diff_corpora(read_side(old), read_side(new))
