"""A record's text cut into paragraphs of nested marks: the structure a page draws.

Entities and event triggers are marks over character offsets of `text`. Marks nest as the
spans do (outer before inner, deepest innermost), so the HTML elements nest the same way and
each entity is one element. Marks a valid record never has are still drawn: a span that
crosses another, or a paragraph break, is cut into fragments (one element each, the first
carrying the element id); a span whose offsets are unusable is listed, not drawn.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

ENTITY, TRIGGER = "entity", "trigger"
_RANK = {ENTITY: 0, TRIGGER: 1}  # an entity and a trigger over the same span: the trigger inside


@dataclass
class Mark:
    """One element over text[start:end]: an entity (key = its id) or the trigger of one or more
    events (key = the first event's id)."""

    kind: str
    key: str
    start: int
    end: int
    type: str  # entity type, or the event types joined by " / "
    label: str  # what the label shows
    title: str  # the tooltip
    args: str = ""  # triggers: "role:entity-id ..." of every argument of its events
    first: bool = True  # the fragment that carries the element id
    joins: bool = False  # starts inside a word, after a letter that joins the next one
    incidents: list[int] = field(default_factory=list)  # numbers of the page's incidents at this mark
    height: int = 1  # 1 + the height of the deepest mark inside
    items: list = field(default_factory=list)  # text pieces (str) and marks inside, in order


@dataclass
class Paragraph:
    start: int
    end: int
    items: list  # text pieces (str) and marks
    height: int  # the deepest nesting in the paragraph (0 without marks)


def _usable(start, end, length: int) -> bool:
    return type(start) is int and type(end) is int and 0 <= start < end <= length


def marks_of(record: dict) -> tuple[list[Mark], list[str]]:
    """(every drawable mark, ids of entities and events whose offsets cannot be drawn)."""
    text = record["text"]
    marks: list[Mark] = []
    undrawable: list[str] = []
    for entity in record["entities"]:
        if not _usable(entity["start"], entity["end"], len(text)):
            undrawable.append(entity["id"])
            continue
        title = f"{entity['id']} {entity['type']}" + (f" = {entity['normalized']}" if "normalized" in entity else "")
        marks.append(Mark(ENTITY, entity["id"], entity["start"], entity["end"], entity["type"], entity["type"], title))
    by_trigger: dict[tuple[int, int], list[dict]] = {}
    for event in record["events"]:
        trigger = event["trigger"]
        if not _usable(trigger["start"], trigger["end"], len(text)):
            undrawable.append(event["id"])
            continue
        by_trigger.setdefault((trigger["start"], trigger["end"]), []).append(event)
    for (start, end), events in by_trigger.items():
        label = " / ".join(_event_label(event) for event in events)
        args = " ".join(f"{argument['role']}:{argument['entity']}" for event in events for argument in event["arguments"])
        marks.append(Mark(TRIGGER, events[0]["id"], start, end, " / ".join(event["type"] for event in events),
                          label, " / ".join(f"{event['id']} {_event_label(event)}" for event in events), args))
    return marks, undrawable


def _event_label(event: dict) -> str:
    """Type, then modes and contexts: `AGREE (future; military, intelligence)`."""
    details = "; ".join(part for part in (", ".join(event["mode"]), ", ".join(event["context"])) if part)
    return f"{event['type']} ({details})" if details else event["type"]


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the parts of text between blank lines."""
    bounds, start = [], 0
    for match in re.finditer(r"\n\n", text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


# Arabic letters that never join the letter after them (alef forms, dal, thal, reh, zain, waw,
# teh marbuta, hamza): a label drawn after one of them does not cut a joined pair
_NOT_JOINING_LEFT = frozenset("اأإآٱدذرزوؤةء")


def joins_across(text: str, offset: int) -> bool:
    """Whether text[offset - 1] and text[offset] are Arabic letters drawn joined: a label put
    between them must keep the join (see the template's zero-width joiners)."""
    if offset <= 0 or offset >= len(text):
        return False
    before, after = text[offset - 1], text[offset]
    return (_is_arabic_letter(before) and before not in _NOT_JOINING_LEFT and _is_arabic_letter(after))


def _is_arabic_letter(char: str) -> bool:
    return "\u0620" <= char <= "\u064A" or "\u066E" <= char <= "\u06D3" or char == "\u0640"


def _fragment(mark: Mark, start: int, end: int, first: bool, text: str) -> Mark:
    return Mark(mark.kind, mark.key, start, end, mark.type, mark.label, mark.title, mark.args, first,
                joins_across(text, start), mark.incidents)


def paragraphs(text: str, marks: list[Mark]) -> list[Paragraph]:
    """The text's paragraphs, each a tree of the marks over it (see the module doc)."""
    seen: set[tuple[str, str]] = set()
    result = []
    for p_start, p_end in paragraph_bounds(text):
        heap = [(max(m.start, p_start), -min(m.end, p_end), _RANK[m.kind], index, m)
                for index, m in enumerate(marks) if m.start < p_end and m.end > p_start and p_start < p_end]
        heapq.heapify(heap)
        root = Mark("root", "", p_start, p_end, "", "", "")
        stack = [root]
        while heap:
            start, negative_end, rank, index, mark = heapq.heappop(heap)
            end = -negative_end
            while stack[-1] is not root and stack[-1].end <= start:
                stack.pop()
            parent = stack[-1]
            if end > parent.end:  # crosses its container: the rest continues after it
                heapq.heappush(heap, (parent.end, negative_end, rank, index, mark))
                end = parent.end
            first = (mark.kind, mark.key) not in seen
            seen.add((mark.kind, mark.key))
            node = _fragment(mark, start, end, first, text)
            parent.items.append(node)
            stack.append(node)
        height = _fill(text, root)
        result.append(Paragraph(p_start, p_end, root.items, height - 1))
    return result


def _fill(text: str, node: Mark) -> int:
    """Interleave node's child marks with the text between them; set and return heights."""
    items, position, deepest = [], node.start, 0
    for child in node.items:
        if child.start > position:
            items.append(text[position:child.start])
        items.append(child)
        deepest = max(deepest, _fill(text, child))
        position = child.end
    if position < node.end:
        items.append(text[position:node.end])
    node.items = items
    node.height = deepest + 1
    return node.height
