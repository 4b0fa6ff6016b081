"""The adjudicator's list: every point where A and B differ, one item each, with both readings.

Entities. Spans annotated alike (same span, same type) agree. Of the rest, a span of A and a
span of B over the same characters differ in type ("entity-type"); then overlapping spans are
paired, the one with the same type and then the largest overlap first ("entity-extent"); what is
left is on one side only ("entity-only-a", "entity-only-b").

Events are paired the same way by trigger: same span and type agree on the trigger; same span
and another type is "event-type"; overlapping triggers "event-trigger"; the rest "event-only-a"
or "event-only-b". Events paired by span then have their arguments (role and entity span),
modes and contexts compared: "event-arguments", "event-mode", "event-context". Document labels
that differ are "labels".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

NONE = "(none)"


@dataclass
class Disagreement:
    article: str
    kind: str
    start: int | None  # the characters the item concerns (both sides' extent together); None for labels
    end: int | None
    text: str
    a: str
    b: str

    def as_json(self) -> dict:
        return asdict(self)

    def as_text(self) -> str:
        where = [f"[{self.start}:{self.end}] «{self.text}»"] if self.start is not None else []
        return "  ".join([self.article, self.kind, *where, f"A: {self.a}  |  B: {self.b}"])


def _pair_leftovers(left_a: list, left_b: list, span_of, type_of) -> tuple[list, list, list]:
    """(same-span pairs, overlapping pairs, (only a, only b)) of unmatched items."""
    same, overlapping = [], []
    for item in list(left_a):
        twin = next((other for other in left_b if span_of(other) == span_of(item)), None)
        if twin is not None:
            same.append((item, twin))
            left_a.remove(item)
            left_b.remove(twin)
    for item in list(left_a):
        start, end = span_of(item)
        candidates = [other for other in left_b if span_of(other)[0] < end and start < span_of(other)[1]]
        if not candidates:
            continue
        best = max(candidates, key=lambda other: (type_of(other) == type_of(item),
                                                  min(end, span_of(other)[1]) - max(start, span_of(other)[0]),
                                                  -span_of(other)[0]))
        overlapping.append((item, best))
        left_a.remove(item)
        left_b.remove(best)
    return same, overlapping, (left_a, left_b)


def _extent(text: str, *bounds: tuple[int, int]) -> tuple[int, int, str]:
    start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return start, end, text[start:end]


def _entity_reading(entity: dict, with_span: bool) -> str:
    return f"{entity['type']} [{entity['start']}:{entity['end']}] «{entity['text']}»" if with_span else entity["type"]


def entity_disagreements(record_a: dict, record_b: dict) -> list[Disagreement]:
    key = lambda e: (e["start"], e["end"], e["type"])  # noqa: E731
    keys_b = {key(e) for e in record_b["entities"]}
    keys_a = {key(e) for e in record_a["entities"]}
    left_a = sorted((e for e in record_a["entities"] if key(e) not in keys_b), key=key)
    left_b = sorted((e for e in record_b["entities"] if key(e) not in keys_a), key=key)
    span = lambda e: (e["start"], e["end"])  # noqa: E731
    same, overlapping, (only_a, only_b) = _pair_leftovers(left_a, left_b, span, lambda e: e["type"])
    text, article = record_a["text"], record_a["id"]
    found = []
    for a, b in same:
        found.append(Disagreement(article, "entity-type", a["start"], a["end"], a["text"], a["type"], b["type"]))
    for a, b in overlapping:
        found.append(Disagreement(article, "entity-extent", *_extent(text, span(a), span(b)),
                                  _entity_reading(a, True), _entity_reading(b, True)))
    for a in only_a:
        found.append(Disagreement(article, "entity-only-a", a["start"], a["end"], a["text"], a["type"], NONE))
    for b in only_b:
        found.append(Disagreement(article, "entity-only-b", b["start"], b["end"], b["text"], NONE, b["type"]))
    return found


def _arguments(record: dict, event: dict) -> str:
    entities = {e["id"]: e for e in record["entities"]}
    shown = sorted(f"{a['role']} «{entities[a['entity']]['text']}» [{entities[a['entity']]['start']}:"
                   f"{entities[a['entity']]['end']}]" for a in event["arguments"])
    return ", ".join(shown) or NONE


def _argument_keys(record: dict, event: dict) -> set:
    entities = {e["id"]: e for e in record["entities"]}
    return {(a["role"], entities[a["entity"]]["start"], entities[a["entity"]]["end"]) for a in event["arguments"]}


def _event_reading(event: dict) -> str:
    trigger = event["trigger"]
    return f"{event['type']} [{trigger['start']}:{trigger['end']}] «{trigger['text']}»"


def event_disagreements(record_a: dict, record_b: dict) -> list[Disagreement]:
    span = lambda e: (e["trigger"]["start"], e["trigger"]["end"])  # noqa: E731
    kind = lambda e: e["type"]  # noqa: E731
    article, text = record_a["id"], record_a["text"]
    left_a = sorted(record_a["events"], key=lambda e: (*span(e), e["type"]))
    left_b = sorted(record_b["events"], key=lambda e: (*span(e), e["type"]))
    agreed = []
    for event in list(left_a):
        twin = next((o for o in left_b if span(o) == span(event) and o["type"] == event["type"]), None)
        if twin is not None:
            agreed.append((event, twin))
            left_a.remove(event)
            left_b.remove(twin)
    same, overlapping, (only_a, only_b) = _pair_leftovers(left_a, left_b, span, kind)
    found = []
    for a, b in same:
        found.append(Disagreement(article, "event-type", *span(a), a["trigger"]["text"], a["type"], b["type"]))
    for a, b in overlapping:
        found.append(Disagreement(article, "event-trigger", *_extent(text, span(a), span(b)), _event_reading(a),
                                  _event_reading(b)))
    for a, b in sorted(agreed + same, key=lambda pair: span(pair[0])):
        where = (*span(a), a["trigger"]["text"])
        if _argument_keys(record_a, a) != _argument_keys(record_b, b):
            found.append(Disagreement(article, "event-arguments", *where, _arguments(record_a, a),
                                      _arguments(record_b, b)))
        for field in ("mode", "context"):
            if set(a[field]) != set(b[field]):
                found.append(Disagreement(article, f"event-{field}", *where, ", ".join(sorted(a[field])) or NONE,
                                          ", ".join(sorted(b[field])) or NONE))
    for a in only_a:
        found.append(Disagreement(article, "event-only-a", *span(a), a["trigger"]["text"], _event_reading(a), NONE))
    for b in only_b:
        found.append(Disagreement(article, "event-only-b", *span(b), b["trigger"]["text"], NONE, _event_reading(b)))
    return found


def label_disagreements(record_a: dict, record_b: dict) -> list[Disagreement]:
    if set(record_a["event_labels"]) == set(record_b["event_labels"]):
        return []
    return [Disagreement(record_a["id"], "labels", None, None, "", ", ".join(record_a["event_labels"]) or NONE,
                         ", ".join(record_b["event_labels"]) or NONE)]


def disagreements(pairs: list[tuple[dict, dict]]) -> list[Disagreement]:
    """Every disagreement, article by article (A's order), in text order within an article."""
    out = []
    for record_a, record_b in pairs:
        found = entity_disagreements(record_a, record_b) + event_disagreements(record_a, record_b)
        found.sort(key=lambda d: (d.start, d.end, d.kind))
        out += found + label_disagreements(record_a, record_b)
    return out
