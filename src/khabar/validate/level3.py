"""Level 3, article: offsets, spans, nesting, references, modes, text form, document labels.

Runs only on records that matched the schema, so every field has its type.
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
import unicodedata
from functools import lru_cache

from khabar import labels
from khabar.rules import expected_event_labels
from khabar.textrules import first_invisible, is_edge_punctuation, is_word_char
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord
from khabar.validate.locate import LineFinder

_PROCLITIC_WITH_ARTICLE = re.compile(r"^(?:[وفبك]ال|لل)\w")
# What may precede a span inside its word: the proclitics و ف then ب ل ك (a tatweel may follow).
_PROCLITICS = re.compile(r"^[وف]?[بلك]?ـ?$")


def _word_prefix(text: str, start: int) -> str:
    """The part of the word that precedes text[start] (empty at a word boundary)."""
    begin = start
    while begin > 0 and is_word_char(text[begin - 1]):
        begin -= 1
    return text[begin:start]


def _quote(value: str, limit: int = 40) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


class _Reporter:
    def __init__(self, raw: RawRecord, record: dict):
        self.raw = raw
        self.record_id = record["id"]
        self.lines = LineFinder(raw.text, raw.first_line, raw.single_line)
        self.incidents: list[Incident] = []

    def __call__(self, ptr: str, check: str, message: str) -> None:
        self.incidents.append(Incident(self.raw.file, self.lines.line_of(ptr), check, message, self.record_id))


def _check_span(report: _Reporter, ptr: str, label: str, span: dict, text: str) -> bool:
    """Offsets and text of one span (entity or trigger); True when its offsets are usable."""
    start, end = span["start"], span["end"]
    if type(start) is not int or type(end) is not int:
        report(ptr, "offset-not-integer", f"{label}: offsets {start!r}, {end!r} must be integers")
        return False
    if end > len(text):
        report(ptr, "offset-out-of-range", f"{label}: end {end} is beyond the text's {len(text)} characters")
        return False
    if start >= end:
        report(ptr, "span-empty-or-reversed", f"{label}: start {start} is not before end {end}")
        return False
    actual = text[start:end]
    if span["text"] != actual:
        report(ptr, "span-text-mismatch", f"{label}: {_quote(span['text'])} != text[{start}:{end}] {_quote(actual)}")
        return True
    if actual[0].isspace() or actual[-1].isspace():
        report(ptr, "span-edge-whitespace", f"{label}: {_quote(actual)} starts or ends with white space")
    elif is_edge_punctuation(actual[0], False) or is_edge_punctuation(actual[-1], True):
        report(ptr, "span-edge-punctuation", f"{label}: {_quote(actual)} starts or ends with punctuation")
    if (end < len(text) and is_word_char(text[end]) and is_word_char(actual[-1])) \
            or not _PROCLITICS.match(_word_prefix(text, start)):
        report(ptr, "span-partial-word", f"{label}: {_quote(actual)} cuts a word ({_quote(_context(text, start, end))})")
    if _PROCLITIC_WITH_ARTICLE.match(actual):
        report(ptr, "span-proclitic", f"{label}: {_quote(actual)} seems to start with a proclitic before the article")
    return True


def _context(text: str, start: int, end: int) -> str:
    begin = start
    while begin > 0 and is_word_char(text[begin - 1]):
        begin -= 1
    stop = end
    while stop < len(text) and is_word_char(text[stop]):
        stop += 1
    return text[begin:stop]


def _check_text(report: _Reporter, record: dict) -> None:
    title, text = record["title"], record["text"]
    for field in ("title", "text"):
        if not unicodedata.is_normalized("NFC", record[field]):
            report(f"/{field}", "text-not-nfc", f"{field} is not in Unicode NFC")
    for field in ("title", "text"):
        found = first_invisible(record[field])
        if found:
            offset, char = found
            name = unicodedata.name(char, "control")
            report(f"/{field}", "text-invisible-control", f"{field}[{offset}] is U+{ord(char):04X} {name}")
    if "\n" in title or not text.startswith(title + "\n\n"):
        report("/title", "title-text-mismatch", "text does not start with the title followed by a blank line")
    layout = _layout_problem(text)
    if layout:
        report("/text", "text-layout", layout)


def _layout_problem(text: str) -> str | None:
    """The first departure from headline / blank line / paragraphs separated by blank lines."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 2:
        return "text has no body after the headline"
    offset = 0
    for paragraph in paragraphs:
        if not paragraph:
            return f"more than one blank line at offset {offset}"
        if "\n" in paragraph:
            return f"single line break inside a paragraph at offset {offset + paragraph.index(chr(10))}"
        if paragraph != paragraph.strip():
            edge = offset if paragraph[0].isspace() else offset + len(paragraph.rstrip())
            return f"white space at a line edge at offset {edge}"
        offset += len(paragraph) + 2
    return None


def _check_dates(report: _Reporter, record: dict) -> None:
    for field in ("published", "retrieved"):
        value = record["source"].get(field)
        if value is not None:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                report(f"/source/{field}", "date-invalid", f"source.{field} {value!r} is not a real date")


def _valid_partial_date(value: str) -> bool:
    parts = value.split("-") + ["01"] * (3 - len(value.split("-")))
    try:
        datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return True


def _check_entities(report: _Reporter, record: dict) -> set[str]:
    """Span checks on every entity; returns the ids of entities whose offsets are usable."""
    text = record["text"]
    usable = []
    for index, entity in enumerate(record["entities"]):
        label = f"entities[{index}] ({entity['id']})"
        ptr = f"/entities/{index}"
        if _check_span(report, ptr, label, entity, text):
            usable.append((entity["start"], entity["end"], index, entity["id"]))
        if "normalized" in entity and (entity["type"] != "DATE" or not _valid_partial_date(entity["normalized"])):
            report(ptr, "normalized-not-date", f"{label}: normalized {entity['normalized']!r} on a {entity['type']} entity")
    usable.sort(key=lambda span: (span[0], -span[1], span[2]))
    open_spans: list[tuple[int, int, int, str]] = []
    previous = None
    for span in usable:
        start, end, index, entity_id = span
        if previous and previous[:2] == span[:2]:
            report(f"/entities/{index}", "span-duplicate",
                   f"entities[{index}] ({entity_id}) covers the same span [{start}:{end}] as entities[{previous[2]}] ({previous[3]})")
        previous = span
        while open_spans and open_spans[-1][1] <= start:
            open_spans.pop()
        if open_spans and end > open_spans[-1][1]:
            outer = open_spans[-1]
            report(f"/entities/{index}", "span-crossing",
                   f"entities[{index}] ({entity_id}) [{start}:{end}] crosses entities[{outer[2]}] ({outer[3]}) [{outer[0]}:{outer[1]}]")
            continue
        open_spans.append(span)
    return {span[3] for span in usable}


def _check_ids(report: _Reporter, record: dict) -> None:
    for field in ("entities", "events"):
        seen: set[str] = set()
        for index, item in enumerate(record[field]):
            if item["id"] in seen:
                report(f"/{field}/{index}/id", "duplicate-id", f"{field}[{index}]: id {item['id']} is used twice")
            seen.add(item["id"])


def _check_events(report: _Reporter, record: dict, usable_entities: set[str]) -> None:
    text = record["text"]
    entities: dict[str, dict] = {}
    for entity in record["entities"]:
        entities.setdefault(entity["id"], entity)  # a repeated id is reported by duplicate-id
    allowed = labels.modes_allowed_for()
    role_types = labels.role_entity_types()
    for index, event in enumerate(record["events"]):
        label = f"events[{index}] ({event['id']})"
        ptr = f"/events/{index}"
        trigger_usable = _check_span(report, ptr + "/trigger", label + " trigger", event["trigger"], text)
        seen_arguments = set()
        for arg_index, argument in enumerate(event["arguments"]):
            arg_ptr = f"{ptr}/arguments/{arg_index}"
            entity = entities.get(argument["entity"])
            if entity is None:
                report(arg_ptr, "argument-unresolved", f"{label} {argument['role']}: no entity {argument['entity']}")
            elif entity["type"] not in role_types[argument["role"]]:
                report(arg_ptr, "argument-entity-type",
                       f"{label} {argument['role']}: {entity['id']} is a {entity['type']}, not one of "
                       f"{', '.join(sorted(role_types[argument['role']]))}")
            elif trigger_usable and entity["id"] in usable_entities \
                    and _paragraph_of(text, entity["start"]) != _paragraph_of(text, event["trigger"]["start"]):
                report(arg_ptr, "argument-distant",
                       f"{label} {argument['role']}: {entity['id']} is in paragraph {_paragraph_of(text, entity['start'])}, "
                       f"the trigger in paragraph {_paragraph_of(text, event['trigger']['start'])}")
            key = (argument["role"], argument["entity"])
            if key in seen_arguments:
                report(arg_ptr, "argument-duplicate", f"{label}: {argument['role']} {argument['entity']} listed twice")
            seen_arguments.add(key)
        for mode_index, mode in enumerate(event["mode"]):
            if mode not in allowed[event["type"]]:
                report(f"{ptr}/mode/{mode_index}", "mode-not-allowed", f"{label}: mode {mode!r} is not a mode of {event['type']}")


def _paragraph_of(text: str, offset: int) -> int:
    """0 for the headline, then 1, 2, ... for the body paragraphs."""
    return bisect.bisect_right(_paragraph_starts(text), offset) - 1


@lru_cache(maxsize=4)
def _paragraph_starts(text: str) -> list[int]:
    starts, found = [0], text.find("\n\n")
    while found != -1:
        starts.append(found + 2)
        found = text.find("\n\n", found + 2)
    return starts


def _check_event_labels(report: _Reporter, record: dict) -> None:
    expected = expected_event_labels(record["events"])
    if record["event_labels"] != expected:
        report("/event_labels", "event-labels-mismatch",
               f"event_labels {json.dumps(record['event_labels'])} != {json.dumps(expected)} (types of the events reported as news)")


def check(raw: RawRecord, record: dict) -> list[Incident]:
    """L3 incidents for one schema-valid record."""
    report = _Reporter(raw, record)
    _check_text(report, record)
    _check_dates(report, record)
    usable_entities = _check_entities(report, record)
    _check_ids(report, record)
    _check_events(report, record, usable_entities)
    _check_event_labels(report, record)
    return report.incidents
