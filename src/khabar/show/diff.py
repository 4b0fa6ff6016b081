"""`khabar diff`: what changed between two readings of the corpus.

Articles are matched by id, entities and event triggers by character offsets (never by their
ids, which a re-annotation may renumber). A span whose type or boundaries changed is one change,
not a removal and an addition: spans at the same offsets pair first, then overlapping spans
(same type first, then the largest overlap). Events pair by trigger offsets the same way, and a
paired event also reports changed arguments (compared by their entities' offsets, so an
argument follows its entity through a boundary change), modes and contexts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

ENTITY_CHANGES = ("added", "removed", "type", "boundary", "type+boundary")
EVENT_CHANGES = ENTITY_CHANGES + ("arguments/mode/context",)
DOCUMENT_FIELDS = ("title", "text", "language", "event_labels")
SOURCE_FIELDS = ("name", "url", "published", "license")
ANNOTATION_FIELDS = ("status", "guidelines", "notes")


@dataclass
class Change:
    """One changed entity or event: `old` and/or `new` are the record's items (None when added
    or removed); `details` lists what else changed in a paired event."""

    kind: str  # "entity" | "event"
    change: str  # one of EVENT_CHANGES
    old: dict | None
    new: dict | None
    details: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"kind": self.kind, "change": self.change, "old": self.old, "new": self.new, "details": self.details}


@dataclass
class ArticleDiff:
    id: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    old: dict | None
    new: dict | None
    fields: list[str] = field(default_factory=list)  # document-level changes, one line each
    changes: list[Change] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"id": self.id, "status": self.status, "fields": self.fields,
                "changes": [change.as_json() for change in self.changes]}


class Tally:
    """Counts of a diff, added to article by article (a corpus diff need not be kept whole)."""

    def __init__(self):
        self.articles: Counter = Counter()
        self.changes = {"entity": Counter(), "event": Counter()}

    def add(self, article: ArticleDiff) -> None:
        self.articles[article.status] += 1
        for change in article.changes:
            self.changes[change.kind][change.change] += 1

    def summary(self) -> dict:
        """Articles by status; entities and events by kind of change (every kind present)."""
        return {
            "articles": {status: self.articles[status] for status in ("added", "removed", "changed", "unchanged")},
            "entities": {kind: self.changes["entity"][kind] for kind in ENTITY_CHANGES},
            "events": {kind: self.changes["event"][kind] for kind in EVENT_CHANGES},
        }


@dataclass
class CorpusDiff:
    articles: list[ArticleDiff]

    def summary(self) -> dict:
        tally = Tally()
        for article in self.articles:
            tally.add(article)
        return tally.summary()

    def as_json(self) -> dict:
        return {"summary": self.summary(),
                "articles": [article.as_json() for article in self.articles if article.status != "unchanged"]}


def diff_corpora(old_records: list[dict], new_records: list[dict]) -> CorpusDiff:
    """Compare two lists of records (ids unique within each); articles in the new order, then
    the removed ones in the old order."""
    old_by_id = {record["id"]: record for record in old_records}
    new_ids = {record["id"] for record in new_records}
    articles = [diff_records(old_by_id.get(record["id"]), record) for record in new_records]
    articles += [diff_records(record, None) for record in old_records if record["id"] not in new_ids]
    return CorpusDiff(articles)


def diff_records(old: dict | None, new: dict | None) -> ArticleDiff:
    """The changes from old to new (either may be None: an added or removed article)."""
    if old is None or new is None:
        record = new if old is None else old
        return ArticleDiff(record["id"], "added" if old is None else "removed", old, new)
    article = ArticleDiff(new["id"], "unchanged", old, new, _field_changes(old, new))
    entity_pairs, entity_changes = _pair_spans(old["entities"], new["entities"], _entity_span)
    article.changes.extend(Change("entity", kind, o, n) for kind, o, n in entity_changes)
    old_span_in_new = {o["id"]: _entity_span(n) for o, n in entity_pairs}
    old_span_in_new.update((o["id"], _entity_span(n)) for kind, o, n in entity_changes if o and n)
    event_pairs, event_changes = _pair_spans(old["events"], new["events"], _trigger_span)
    for kind, o, n in event_changes:
        article.changes.append(Change("event", kind, o, n, _event_details(o, n, old, new, old_span_in_new)
                                      if o and n else []))
    for o, n in event_pairs:
        details = _event_details(o, n, old, new, old_span_in_new)
        if details:
            article.changes.append(Change("event", "arguments/mode/context", o, n, details))
    article.changes.sort(key=_change_order)
    if article.fields or article.changes:
        article.status = "changed"
    return article


def _entity_span(entity: dict) -> tuple[int, int]:
    return entity["start"], entity["end"]


def _trigger_span(event: dict) -> tuple[int, int]:
    return event["trigger"]["start"], event["trigger"]["end"]


def _change_order(change: Change) -> tuple:
    item = change.new or change.old
    span = _entity_span(item) if change.kind == "entity" else _trigger_span(item)
    return (change.kind != "entity", span, change.change)


def _pair_spans(old_items: list[dict], new_items: list[dict], span_of) -> tuple[list, list]:
    """([(old, new)] unchanged in span and type, [(change kind, old or None, new or None)])."""
    unchanged, changes = [], []
    remaining_old, remaining_new = list(old_items), list(new_items)
    # 1. same offsets: same type first, then a type change
    for same_type in (True, False):
        still_new = []
        for new in remaining_new:
            match = next((old for old in remaining_old if span_of(old) == span_of(new)
                          and (old["type"] == new["type"]) == same_type), None)
            if match is None:
                still_new.append(new)
                continue
            remaining_old.remove(match)
            if same_type:
                unchanged.append((match, new))
            else:
                changes.append(("type", match, new))
        remaining_new = still_new
    # 2. overlapping offsets: a boundary change (same type first, then the largest overlap)
    candidates = []
    for i, old in enumerate(remaining_old):
        for j, new in enumerate(remaining_new):
            (os_, oe), (ns, ne) = span_of(old), span_of(new)
            overlap = min(oe, ne) - max(os_, ns)
            if overlap > 0:
                candidates.append((old["type"] != new["type"], -overlap, abs(os_ - ns) + abs(oe - ne), i, j))
    taken_old, taken_new = set(), set()
    for type_differs, _, _, i, j in sorted(candidates):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        changes.append(("type+boundary" if type_differs else "boundary", remaining_old[i], remaining_new[j]))
    changes.extend(("removed", old, None) for i, old in enumerate(remaining_old) if i not in taken_old)
    changes.extend(("added", None, new) for j, new in enumerate(remaining_new) if j not in taken_new)
    return unchanged, changes


def _event_details(old: dict, new: dict, old_record: dict, new_record: dict,
                   old_span_in_new: dict[str, tuple[int, int]]) -> list[str]:
    """What changed inside a paired event, besides its type and trigger."""
    details = []
    old_entities = {e["id"]: e for e in old_record["entities"]}
    new_entities = {e["id"]: e for e in new_record["entities"]}

    def argument_key(argument: dict, entities: dict, translate: dict | None) -> tuple:
        entity = entities.get(argument["entity"])
        if entity is None:
            return (argument["role"], None, None, argument["entity"])
        span = translate.get(entity["id"], _entity_span(entity)) if translate is not None else _entity_span(entity)
        return (argument["role"], *span, argument["entity"] if translate is None else None)

    old_arguments = {argument_key(a, old_entities, old_span_in_new)[:3]: a for a in old["arguments"]}
    new_arguments = {argument_key(a, new_entities, None)[:3]: a for a in new["arguments"]}
    for key in new_arguments.keys() - old_arguments.keys():
        details.append(f"argument + {key[0]} {_entity_label(new_entities.get(new_arguments[key]['entity']), new_arguments[key]['entity'])}")
    for key in old_arguments.keys() - new_arguments.keys():
        details.append(f"argument - {key[0]} {_entity_label(old_entities.get(old_arguments[key]['entity']), old_arguments[key]['entity'])}")
    for name in ("mode", "context"):
        added = [value for value in new[name] if value not in old[name]]
        removed = [value for value in old[name] if value not in new[name]]
        details += [f"{name} + {value}" for value in added] + [f"{name} - {value}" for value in removed]
    return sorted(details)


def _entity_label(entity: dict | None, entity_id: str) -> str:
    if entity is None:
        return f"{entity_id} (no such entity)"
    return f"{entity_id} {quote(entity['text'])}"


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _field_changes(old: dict, new: dict) -> list[str]:
    lines = []
    for name in DOCUMENT_FIELDS:
        if old.get(name) != new.get(name):
            lines.append(f"{name}: changed" if name == "text" else f"{name}: {_shown(old.get(name))} -> {_shown(new.get(name))}")
    for group, names in (("source", SOURCE_FIELDS), ("annotation", ANNOTATION_FIELDS)):
        for name in names:
            before, after = (old.get(group) or {}).get(name), (new.get(group) or {}).get(name)
            if before != after:
                lines.append(f"{group}.{name}: changed" if name == "notes"
                             else f"{group}.{name}: {_shown(before)} -> {_shown(after)}")
    return lines


def _shown(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def describe(change: Change) -> str:
    """One line for a change: `entity type T5 [120:126] "..." ORG -> GPE`."""
    def entity(item: dict) -> str:
        return f"{item['id']} [{item['start']}:{item['end']}] {quote(item['text'])} {item['type']}"

    def event(item: dict) -> str:
        trigger = item["trigger"]
        return f"{item['id']} {item['type']} [{trigger['start']}:{trigger['end']}] {quote(trigger['text'])}"

    show = entity if change.kind == "entity" else event
    if change.old is None:
        line = f"{change.kind} added: {show(change.new)}"
    elif change.new is None:
        line = f"{change.kind} removed: {show(change.old)}"
    elif change.change == "arguments/mode/context":
        line = f"{change.kind} changed: {show(change.new)}"
    else:
        line = f"{change.kind} {change.change}: {show(change.old)} -> {show(change.new)}"
    return line + (": " + "; ".join(change.details) if change.details else "")
