"""Proposals to annotations: entities that nest but never cross, triggers that never overlap.

The record's own annotations come first. Then the value expressions (DATE, TIME, CARDINAL,
ORDINAL, PERCENT, MONEY, QUANTITY), longest first and, among equally long ones, by the order of
--using: a value never overlaps another (a number inside a date belongs to the date, guidelines
3.5 and 4, so the rules' اليوم الثلاثاء wins over the lexicon's اليوم and الثلاثاء inside it).
Then every other proposal, by the order of --using: accepted unless it crosses an accepted
entity (or overlaps an accepted trigger). A proposal for a span already accepted adds its
provenance there, with a note when it proposed another type. A rule's nested CURR/UNIT is
accepted only with its outer span. Every accepted item keeps the list of what proposed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from khabar.suggest import Candidate
from khabar.suggest.rules import value_types


@dataclass
class Accepted:
    start: int
    end: int
    type: str
    kind: str
    normalized: str | None = None
    provenance: list[str] = field(default_factory=list)
    original: dict | None = None  # the record's own entity or event, kept as it is


def _crosses(start: int, end: int, other: Accepted) -> bool:
    return start < other.end and other.start < end and not (
        (start <= other.start and other.end <= end) or (other.start <= start and end <= other.end))


VALUE_TYPES = value_types()  # what the rule table proposes, named there once
INPUT = "input: annotated in the record before khabar suggest"


def merge(record: dict, candidates: list[Candidate], order: list[str]) -> tuple[list[Accepted], list[Accepted]]:
    """(entities, triggers) accepted: the record's own entities and events, then candidates by
    source precedence `order`; each list in text order."""
    rank = {source: position for position, source in enumerate(order)}
    values = sorted((c for c in candidates if c.type in VALUE_TYPES and c.kind == "entity"),
                    key=lambda c: (-(c.end - c.start), rank[c.source], c.start))
    others = sorted((c for c in candidates if c.type not in VALUE_TYPES or c.kind != "entity"),
                    key=lambda c: (rank[c.source], c.parent is not None, c.start, -(c.end - c.start)))
    entities = {(e["start"], e["end"]): Accepted(e["start"], e["end"], e["type"], "entity", e.get("normalized"),
                                                 [INPUT], e) for e in record["entities"]}
    triggers = {}
    for event in record["events"]:  # two events may share a trigger: both are kept, keyed apart
        key = (event["trigger"]["start"], event["trigger"]["end"])
        triggers[key if key not in triggers else (*key, event["id"])] = Accepted(*key, event["type"], "trigger",
                                                                                 None, [INPUT], event)
    for candidate in values:
        key = (candidate.start, candidate.end)
        line = f"{candidate.source}: {candidate.detail}"
        if key in entities:
            _add(entities[key], candidate, line)
        elif not any(candidate.start < e.end and e.start < candidate.end and (e.type in VALUE_TYPES or
                                                                              _crosses(candidate.start, candidate.end, e))
                     for e in entities.values()):
            entities[key] = Accepted(*key, candidate.type, "entity", candidate.normalized, [line])
    for candidate in others:
        key = (candidate.start, candidate.end)
        line = f"{candidate.source}: {candidate.detail}"
        if candidate.kind == "trigger":
            if key in triggers:
                _add(triggers[key], candidate, line)
            elif not any(candidate.start < t.end and t.start < candidate.end for t in triggers.values()):
                triggers[key] = Accepted(*key, candidate.type, "trigger", provenance=[line])
            continue
        if candidate.parent is not None and candidate.parent not in entities:
            continue
        if key in entities:
            _add(entities[key], candidate, line)
        elif not any(_crosses(candidate.start, candidate.end, e) for e in entities.values()) \
                and _may_nest(candidate, entities.values()):
            entities[key] = Accepted(*key, candidate.type, "entity", candidate.normalized, [line])
    by_position = lambda item: (item.start, -item.end)  # noqa: E731
    return sorted(entities.values(), key=by_position), sorted(triggers.values(), key=by_position)


def _may_nest(candidate: Candidate, accepted) -> bool:
    """Is the candidate allowed inside the innermost accepted entity that contains it (lexicon
    candidates nest only where the gold nests their string)?"""
    if candidate.nests_in is None:
        return True
    around = [e for e in accepted if e.start <= candidate.start and candidate.end <= e.end]
    if not around:
        return True
    innermost = min(around, key=lambda e: e.end - e.start)
    return innermost.type in candidate.nests_in


def _add(accepted: Accepted, candidate: Candidate, line: str) -> None:
    if candidate.type != accepted.type:
        line += f" [proposed {candidate.type}; {accepted.type} kept by precedence]"
    accepted.provenance.append(line)
    if accepted.normalized is None and candidate.normalized is not None and candidate.type == accepted.type == "DATE":
        accepted.normalized = candidate.normalized
