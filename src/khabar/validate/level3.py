"""Level 3, article: offsets, spans, nesting, references, modes, text form, document labels.

Runs only on records that matched the schema, so every field has its type.

Nearly every record is fine, so the loops over spans, entities and arguments are written for
that case: a few look-ups per item, and labels, pointers and line numbers made only for an
incident (a record's line numbers need its text decoded and scanned).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import re
import unicodedata
from functools import lru_cache

from khabar import labels
from khabar.interchange.provenance import NOTE_KEY, NoteError, read_note
from khabar.rules import expected_event_labels, is_place_head_noun, starts_with_approximator
from khabar.textrules import PROCLITIC_PREFIX, first_invisible, is_edge_punctuation, is_word_char
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord
from khabar.validate.locate import LineFinder

_PROCLITIC_WITH_ARTICLE = re.compile(r"^(?:[وفبك]ال|لل)\w")
# The same pattern at the start of any line: one search over all of a record's mentions, joined
# by line breaks, finds whether any mention matches (the pattern never reaches a line break).
_PROCLITIC_WITH_ARTICLE_IN_LINES = re.compile(_PROCLITIC_WITH_ARTICLE.pattern, re.MULTILINE)
# What may precede a span inside its word (one definition, in textrules)
_PROCLITICS = PROCLITIC_PREFIX

# A character's flags under khabar.textrules (and str.isspace), and what a span's first and
# last characters must not be.
_SPACE, _WORD, _NOT_FIRST, _NOT_LAST = 1, 2, 4, 8
_BAD_FIRST, _BAD_LAST = _SPACE | _NOT_FIRST, _SPACE | _NOT_LAST
_FLAGS_CACHE_LIMIT = 1 << 16


class _CharacterFlags(dict):
    """character -> its flags, computed on first sight: a plain dict look-up after that."""

    def __missing__(self, char: str) -> int:
        if len(self) >= _FLAGS_CACHE_LIMIT:  # texts of many distinct characters must not grow it forever
            self.clear()
        flags = ((_SPACE if char.isspace() else 0) | (_WORD if is_word_char(char) else 0)
                 | (_NOT_FIRST if is_edge_punctuation(char, False) else 0)
                 | (_NOT_LAST if is_edge_punctuation(char, True) else 0))
        self[char] = flags
        return flags


_FLAGS = _CharacterFlags()


def _word_prefix(text: str, start: int) -> str:
    """The part of the word that precedes text[start] (empty at a word boundary)."""
    begin = start
    while begin > 0 and _FLAGS[text[begin - 1]] & _WORD:
        begin -= 1
    return text[begin:start]


@lru_cache(maxsize=256)
def _only_proclitics(prefix: str) -> bool:
    return _PROCLITICS.match(prefix) is not None


def _context(text: str, start: int, end: int) -> str:
    """The words a span touches, whole."""
    stop = end
    while stop < len(text) and _FLAGS[text[stop]] & _WORD:
        stop += 1
    return _word_prefix(text, start) + text[start:stop]


def _quote(value: str, limit: int = 40) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


class _Reporter:
    def __init__(self, raw: RawRecord, record: dict):
        self.raw = raw
        self.record_id = record["id"]
        self.lines: LineFinder | None = None  # made for the first incident: it decodes raw.text
        self.incidents: list[Incident] = []

    def __call__(self, ptr: str, check: str, message: str) -> None:
        if self.lines is None:
            self.lines = LineFinder(self.raw.text, self.raw.first_line, self.raw.single_line)
        self.incidents.append(Incident(self.raw.file, self.lines.line_of(ptr), check, message, self.record_id))


def _span_problems(text: str, spans: list[dict]) -> tuple[list[tuple[int, int, int]], dict[int, list[tuple[str, str]]]]:
    """Offsets and text of spans (the entities, or the triggers), in one loop for all of them:
    ((start, -end, index) of each span whose offsets are usable; span index -> [(check, message
    after the span's label)] for the spans with a problem)."""
    length = len(text)
    flags_of = _FLAGS
    empty_prefix_fine = _only_proclitics("")
    maybe_proclitic = _PROCLITIC_WITH_ARTICLE_IN_LINES.search("\n".join([span["text"] for span in spans]))
    usable: list[tuple[int, int, int]] = []
    problems_of: dict[int, list[tuple[str, str]]] = {}
    for index, span in enumerate(spans):
        start, end = span["start"], span["end"]
        if type(start) is not int or type(end) is not int:
            problems_of[index] = [("offset-not-integer", f"offsets {start!r}, {end!r} must be integers")]
            continue
        if not start < end <= length:
            problems_of[index] = [("offset-out-of-range", f"end {end} is beyond the text's {length} characters")
                                  if end > length else
                                  ("span-empty-or-reversed", f"start {start} is not before end {end}")]
            continue
        usable.append((start, -end, index))
        actual = text[start:end]
        if span["text"] != actual:
            problems_of[index] = [("span-text-mismatch",
                                   f"{_quote(span['text'])} != text[{start}:{end}] {_quote(actual)}")]
            continue
        first, last = flags_of[actual[0]], flags_of[actual[-1]]
        following = flags_of[text[end]] if end < length else 0
        if start > 0 and flags_of[text[start - 1]] & _WORD:
            prefix_fine = _only_proclitics(_word_prefix(text, start))
        else:  # no word character precedes: the word prefix is empty
            prefix_fine = empty_prefix_fine
        bad_edge = first & _BAD_FIRST or last & _BAD_LAST
        cuts_word = last & following & _WORD or not prefix_fine
        proclitic = maybe_proclitic is not None and _PROCLITIC_WITH_ARTICLE.match(actual) is not None
        if bad_edge or cuts_word or proclitic:
            edge_check = None if not bad_edge \
                else "span-edge-whitespace" if (first | last) & _SPACE else "span-edge-punctuation"
            problems_of[index] = _edge_problems(text, start, end, edge_check, bool(cuts_word), proclitic)
    return usable, problems_of


def _edge_problems(text: str, start: int, end: int, edge_check: str | None, cuts_word: bool,
                   proclitic: bool) -> list[tuple[str, str]]:
    """The messages for what _span_problems found at the edges of text[start:end]."""
    shown = _quote(text[start:end])
    problems = []
    if edge_check:
        problems.append((edge_check, f"{shown} starts or ends with {_EDGE_CHARACTERS[edge_check]}"))
    if cuts_word:
        problems.append(("span-partial-word", f"{shown} cuts a word ({_quote(_context(text, start, end))})"))
    if proclitic:
        problems.append(("span-proclitic", f"{shown} seems to start with a proclitic before the article"))
    return problems


_EDGE_CHARACTERS = {"span-edge-whitespace": "white space", "span-edge-punctuation": "punctuation"}


def _report_span(report: _Reporter, ptr: str, label: str, problems: list[tuple[str, str]]) -> None:
    for check, message in problems:
        report(ptr, check, f"{label}: {message}")


def _check_text(report: _Reporter, record: dict, paragraphs: list[str]) -> None:
    title, text = record["title"], record["text"]
    for field in ("title", "text"):
        if not unicodedata.is_normalized("NFC", record[field]):
            report(f"/{field}", "text-not-nfc", f"{field} is not in Unicode NFC")
    for field in ("title", "text"):
        _report_invisible(report, f"/{field}", field, first_invisible(record[field]))
    _check_metadata_strings(report, record)
    if "\n" in title or not text.startswith(title + "\n\n"):
        report("/title", "title-text-mismatch", "text does not start with the title followed by a blank line")
    layout = _layout_problem(paragraphs)
    if layout:
        report("/text", "text-layout", layout)


def _report_invisible(report: _Reporter, ptr: str, label: str, found: tuple[int, str] | None) -> None:
    if found:
        offset, char = found
        name = unicodedata.name(char, "control")
        report(ptr, "text-invisible-control", f"{label}[{offset}] is U+{ord(char):04X} {name}")


# The free-text strings of source and annotation. Every other string of a schema-valid record
# is a label (enum), matches a pattern that admits no control character (ids, dates, URL
# scheme), or is a span's text, which must equal a slice of text.
_SOURCE_STRINGS = ("name", "url", "published_basis", "license", "raw_file")
_PEOPLE_LISTS = ("produced_by", "reviewed_by")


def _check_metadata_strings(report: _Reporter, record: dict) -> None:
    """text-invisible-control for the metadata strings; a line break is allowed in notes only.
    One isprintable() over them all clears a usual record; only a rejected one is searched."""
    source, annotation = record["source"], record["annotation"]
    values = [source[key] for key in _SOURCE_STRINGS if type(source.get(key)) is str]
    values += annotation["produced_by"] + annotation["reviewed_by"]
    notes = annotation.get("notes", "")
    if " ".join(values).isprintable() and notes.replace("\n", " ").isprintable():
        return
    for key in _SOURCE_STRINGS:
        if type(source.get(key)) is str:
            _report_invisible(report, f"/source/{key}", f"source.{key}",
                              first_invisible(source[key], line_breaks=False))
    for key in _PEOPLE_LISTS:
        for index, value in enumerate(annotation[key]):
            _report_invisible(report, f"/annotation/{key}/{index}", f"annotation.{key}[{index}]",
                              first_invisible(value, line_breaks=False))
    if notes:
        _report_invisible(report, "/annotation/notes", "annotation.notes", first_invisible(notes))


def _check_interchange_note(report: _Reporter, record: dict) -> None:
    """The importers' machine-readable line in annotation.notes, which exporters write files from."""
    if NOTE_KEY in record["annotation"].get("notes", ""):
        try:
            read_note(record)
        except NoteError as error:
            report("/annotation/notes", "interchange-note-invalid", f"{NOTE_KEY.strip()} line: {error}")


def _layout_problem(paragraphs: list[str]) -> str | None:
    """The first departure from headline / blank line / paragraphs separated by blank lines, in
    text.split("\n\n")."""
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


def _check_entities(report: _Reporter, record: dict) -> list[tuple[int, int, int]]:
    """Span checks on every entity; returns (start, -end, index) of the entities whose offsets
    are usable, sorted: outer spans before the spans they contain."""
    entities = record["entities"]
    usable, problems_of = _span_problems(record["text"], entities)
    for index, entity in enumerate(entities):
        if index in problems_of or "normalized" in entity or entity["type"] == "DATE":
            label, ptr = f"entities[{index}] ({entity['id']})", f"/entities/{index}"
            _report_span(report, ptr, label, problems_of.get(index, ()))
            if "normalized" in entity and (entity["type"] != "DATE" or not _valid_partial_date(entity["normalized"])):
                report(ptr, "normalized-not-date",
                       f"{label}: normalized {entity['normalized']!r} on a {entity['type']} entity")
            if entity["type"] == "DATE" and starts_with_approximator(entity["text"]):
                report(ptr, "date-approximator", f"{label}: DATE {_quote(entity['text'])} starts with an approximator")
    usable.sort()
    _check_nesting(report, usable, entities)
    _check_place_head_nouns(report, record["text"], entities)
    return usable


def _check_place_head_nouns(report: _Reporter, text: str, entities: list[dict]) -> None:
    """Warn on a GPE that starts right after a head noun such as مدينة (guidelines, Place names)."""
    for index, entity in enumerate(entities):
        start = entity["start"]
        if entity["type"] != "GPE" or type(start) is not int or not 1 < start <= len(text) or text[start - 1] != " ":
            continue
        word_start = start - 1
        while word_start > 0 and _FLAGS[text[word_start - 1]] & _WORD:
            word_start -= 1
        head = text[word_start:start - 1]
        if head and is_place_head_noun(head):
            report(f"/entities/{index}", "place-head-noun-outside",
                   f"entities[{index}] ({entity['id']}): GPE {_quote(entity['text'])} follows the head noun "
                   f"{_quote(head)}, which belongs to the span")


def _check_nesting(report: _Reporter, spans: list[tuple[int, int, int]], entities: list[dict]) -> None:
    """Duplicate and crossing spans among sorted (start, -end, index) of entities."""
    open_spans = [None] * len(spans)  # a stack, open_spans[:depth]: the spans that contain the current one
    depth = 0
    previous = (None, None, None)
    for span in spans:
        start, negative_end, index = span
        if previous[0] == start and previous[1] == negative_end:
            report(f"/entities/{index}", "span-duplicate",
                   f"entities[{index}] ({entities[index]['id']}) covers the same span [{start}:{-negative_end}] "
                   f"as entities[{previous[2]}] ({entities[previous[2]]['id']})")
        previous = span
        while depth and -open_spans[depth - 1][1] <= start:
            depth -= 1
        if depth and negative_end < open_spans[depth - 1][1]:
            outer = open_spans[depth - 1]
            report(f"/entities/{index}", "span-crossing",
                   f"entities[{index}] ({entities[index]['id']}) [{start}:{-negative_end}] crosses "
                   f"entities[{outer[2]}] ({entities[outer[2]]['id']}) [{outer[0]}:{-outer[1]}]")
            continue
        open_spans[depth] = span
        depth += 1


def _check_ids(report: _Reporter, record: dict, entities_by_id: dict[str, dict]) -> None:
    distinct_ids = {"entities": len(entities_by_id), "events": len({event["id"] for event in record["events"]})}
    for field in ("entities", "events"):
        items = record[field]
        if distinct_ids[field] == len(items):
            continue  # no id repeats
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item["id"] in seen:
                report(f"/{field}/{index}/id", "duplicate-id", f"{field}[{index}]: id {item['id']} is used twice")
            seen.add(item["id"])


def _check_events(report: _Reporter, record: dict, entities_by_id: dict[str, dict], usable_ids: set[str],
                  paragraphs: list[str]) -> None:
    text = record["text"]
    events = record["events"]
    allowed = labels.modes_allowed_for()
    role_types = labels.role_entity_types()
    needs_recipient = labels.types_requiring_recipient()
    type_of_trigger: dict[tuple[int, int], tuple[int, str]] = {}  # (start, end) -> first event's index and type
    paragraph_starts = None  # found for the first argument that needs them
    usable_triggers, trigger_problems = _span_problems(text, [event["trigger"] for event in events])
    usable_indexes = range(len(events)) if len(usable_triggers) == len(events) \
        else {span[2] for span in usable_triggers}
    for index, event in enumerate(events):
        if index in trigger_problems:
            _report_span(report, f"/events/{index}/trigger", f"{_event_label(index, event)} trigger",
                         trigger_problems[index])
        trigger_usable = index in usable_indexes
        trigger_paragraph = None  # found for the first argument that needs it
        seen_arguments = set()
        for arg_index, argument in enumerate(event["arguments"]):
            role, entity_id = argument["role"], argument["entity"]
            entity = entities_by_id.get(entity_id)
            if entity is None:
                report(f"/events/{index}/arguments/{arg_index}", "argument-unresolved",
                       f"{_event_label(index, event)} {role}: no entity {entity_id}")
            elif entity["type"] not in role_types[role]:
                report(f"/events/{index}/arguments/{arg_index}", "argument-entity-type",
                       f"{_event_label(index, event)} {role}: {entity_id} is a {entity['type']}, not one of "
                       f"{', '.join(sorted(role_types[role]))}")
            elif trigger_usable and entity_id in usable_ids:
                if paragraph_starts is None:
                    paragraph_starts = _paragraph_starts(paragraphs)
                if trigger_paragraph is None:
                    trigger_paragraph = _paragraph_of(paragraph_starts, event["trigger"]["start"])
                entity_paragraph = _paragraph_of(paragraph_starts, entity["start"])
                if entity_paragraph != trigger_paragraph:
                    report(f"/events/{index}/arguments/{arg_index}", "argument-distant",
                           f"{_event_label(index, event)} {role}: {entity_id} is in paragraph {entity_paragraph}, "
                           f"the trigger in paragraph {trigger_paragraph}")
            key = (role, entity_id)
            if key in seen_arguments:
                report(f"/events/{index}/arguments/{arg_index}", "argument-duplicate",
                       f"{_event_label(index, event)}: {role} {entity_id} listed twice")
            seen_arguments.add(key)
        if event["type"] in needs_recipient and not _has_recipient_or_mutual(event["arguments"]):
            report(f"/events/{index}", "argument-recipient-missing",
                   f"{_event_label(index, event)}: {event['type']} names no recipient")
        trigger = event["trigger"]
        first = type_of_trigger.setdefault((trigger["start"], trigger["end"]), (index, event["type"]))
        if first[1] != event["type"]:
            report(f"/events/{index}/trigger", "trigger-multiple-types",
                   f"{_event_label(index, event)} {event['type']}: trigger {_quote(trigger['text'])} "
                   f"[{trigger['start']}:{trigger['end']}] is also the trigger of "
                   f"{_event_label(first[0], events[first[0]])} {first[1]}")
        modes = allowed[event["type"]]
        for mode_index, mode in enumerate(event["mode"]):
            if mode not in modes:
                report(f"/events/{index}/mode/{mode_index}", "mode-not-allowed",
                       f"{_event_label(index, event)}: mode {mode!r} is not a mode of {event['type']}")


def _has_recipient_or_mutual(arguments: list[dict]) -> bool:
    """A recipient is named, or two or more actors act together: PLOVER lists all parties of a
    mutual act as actors and names no recipient (manual, "Compound and Reciprocal Actors")."""
    actors = 0
    for argument in arguments:
        if argument["role"] == "recipient":
            return True
        actors += argument["role"] == "actor"
    return actors >= 2


def _event_label(index: int, event: dict) -> str:
    return f"events[{index}] ({event['id']})"


def _paragraph_of(paragraph_starts: list[int], offset: int) -> int:
    """0 for the headline, then 1, 2, ... for the body paragraphs."""
    return bisect.bisect_right(paragraph_starts, offset) - 1


def _paragraph_starts(paragraphs: list[str]) -> list[int]:
    """Where each part of text.split("\n\n") starts in text: 0, then just after each blank line."""
    return list(itertools.accumulate([len(paragraph) + 2 for paragraph in paragraphs[:-1]], initial=0))


def _check_event_labels(report: _Reporter, record: dict) -> None:
    expected = expected_event_labels(record["events"])
    if record["event_labels"] != expected:
        report("/event_labels", "event-labels-mismatch",
               f"event_labels {json.dumps(record['event_labels'])} != {json.dumps(expected)} (types of the events reported as news)")


def check(raw: RawRecord, record: dict) -> list[Incident]:
    """L3 incidents for one schema-valid record."""
    report = _Reporter(raw, record)
    paragraphs = record["text"].split("\n\n")
    _check_text(report, record, paragraphs)
    _check_dates(report, record)
    usable_entities = _check_entities(report, record)
    entities = record["entities"]
    # the first entity of each id (a repeated id is reported by duplicate-id)
    entities_by_id = {entity["id"]: entity for entity in reversed(entities)}
    usable_ids = entities_by_id.keys() if len(usable_entities) == len(entities) \
        else {entities[span[2]]["id"] for span in usable_entities}  # ids of entities with usable offsets
    _check_ids(report, record, entities_by_id)
    _check_events(report, record, entities_by_id, usable_ids, paragraphs)
    _check_event_labels(report, record)
    _check_interchange_note(report, record)
    return report.incidents
