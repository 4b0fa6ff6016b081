"""The articles two annotations share: records of A and B matched by id, else by source.url.

A pair's texts must be equal (offsets index the text): a pair whose texts differ is a data
error, not a disagreement. Records found on one side only are listed and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class PairingError(Exception):
    """Input that cannot be compared: invalid records, or a matched pair whose texts differ
    (exit code 1). One line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class UnreadableInput(Exception):
    """A path that cannot be read at all (exit code 2)."""


@dataclass
class Pairs:
    pairs: list[tuple[dict, dict]] = field(default_factory=list)  # (A's record, B's record), in A's file order
    only_a: list[str] = field(default_factory=list)  # ids of A's records without a counterpart in B
    only_b: list[str] = field(default_factory=list)
    matched_by_url: int = 0  # pairs whose ids differ, matched by source.url


def read_side(paths: list[Path], side: str) -> list[dict]:
    """The valid records under paths (files, shards, folders). Raises PairingError when the
    validator finds errors, UnreadableInput for a path that cannot be read."""
    from khabar.interchange.records import read_valid_records
    from khabar.validate.runner import InputError

    try:
        records, errors = read_valid_records(paths)
    except InputError as error:
        raise UnreadableInput(str(error)) from None
    if errors:
        raise PairingError(errors + [f"{side}: {len(errors)} validation error(s); run `khabar validate`"])
    if not records:
        raise UnreadableInput(f"{side}: no article records in {', '.join(str(p) for p in paths)}")
    return records


def match(records_a: list[dict], records_b: list[dict]) -> Pairs:
    """Pair A's records with B's: same id first, then same (non-null) source.url. Raises
    PairingError when a pair's texts differ."""
    by_id = {record["id"]: record for record in records_b}
    by_url = {record["source"]["url"]: record for record in records_b if record["source"].get("url")}
    taken: set[str] = set()
    found = Pairs()
    problems = []
    for record in records_a:
        other = by_id.get(record["id"])
        if other is None or other["id"] in taken:
            other = by_url.get(record["source"].get("url") or "")
            if other is not None and other["id"] not in taken:
                found.matched_by_url += 1
            else:
                other = None
        if other is None:
            found.only_a.append(record["id"])
            continue
        taken.add(other["id"])
        if other["text"] != record["text"]:
            problems.append(f"{record['id']} (A) and {other['id']} (B): the texts differ; agreement compares "
                            "annotations of one text")
            continue
        found.pairs.append((record, other))
    found.only_b = [record["id"] for record in records_b if record["id"] not in taken]
    if problems:
        raise PairingError(problems)
    return found
