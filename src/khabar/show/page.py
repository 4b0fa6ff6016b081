"""HTML pages of records: one self-contained page per record and an index (Jinja2, autoescaped).

Every character of a record reaches the page through the template engine's escaping, so an
article or a note holding `<script>` shows as text. Pages make no network request: the style
and the small script that links triggers to their arguments are inline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from khabar.show import layout
from khabar.show.incidents import subject_of
from khabar.show.palette import entity_styles
from khabar.show.records import LoadedRecord

TRIGGER_COLOUR = "#444444"


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("khabar.show", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass
class PageIncident:
    number: int
    severity: str
    text: str  # as `khabar validate` prints it
    target: str | None  # the element id of its mark, or None for the record as a whole


@dataclass
class EventRow:
    id: str
    type: str
    trigger: str  # the trigger's text
    target: str | None  # element id of its trigger mark
    mode: list[str]
    context: list[str]
    arguments: list[tuple[str, str, str | None]]  # (role, entity id, entity text or None if unresolved)


def record_view(loaded: LoadedRecord) -> dict:
    """What the record template needs: paragraphs of marks, events, incidents, legend."""
    record = loaded.record
    marks, undrawable = layout.marks_of(record)
    trigger_of = {}  # event id -> element id of its trigger mark
    for mark in marks:
        if mark.kind == layout.TRIGGER:
            for event in record["events"]:
                if (event["trigger"]["start"], event["trigger"]["end"]) == (mark.start, mark.end):
                    trigger_of[event["id"]] = mark.key
    mark_of = {(m.kind, m.key): m for m in marks}
    incidents = []
    for number, incident in enumerate(loaded.incidents, start=1):
        subject = subject_of(incident, record)
        target = None
        if subject is not None:
            kind, key = subject
            key = trigger_of.get(key) if kind == "event" else key
            mark = mark_of.get((layout.ENTITY if kind == "entity" else layout.TRIGGER, key))
            if mark is not None:
                mark.incidents.append(number)
                target = key
        incidents.append(PageIncident(number, incident.severity, incident.as_text(), target))
    entity_text = {e["id"]: e["text"] for e in record["entities"]}
    events = [EventRow(e["id"], e["type"], e["trigger"]["text"], trigger_of.get(e["id"]), e["mode"], e["context"],
                       [(a["role"], a["entity"], entity_text.get(a["entity"])) for a in e["arguments"]])
              for e in record["events"]]
    used = Counter(e["type"] for e in record["entities"])
    return {
        "record": record,
        "file": loaded.file if loaded.line in (None, 1) else f"{loaded.file}:{loaded.line}",
        "paragraphs": layout.paragraphs(record["text"], marks),
        "events": events,
        "incidents": incidents,
        "undrawable": undrawable,
        "legend": [(style, used[style.name]) for style in entity_styles()],
        "unknown_types": sorted(set(used) - {style.name for style in entity_styles()}),
        "styles": entity_styles(),
        "trigger_colour": TRIGGER_COLOUR,
    }


def render_record(loaded: LoadedRecord) -> str:
    """The page of one usable record (loaded.record is not None)."""
    return environment().get_template("record.html.j2").render(**record_view(loaded))


@dataclass
class IndexRow:
    page: str | None  # file name of the record's page; None when it could not be drawn
    record_id: str | None
    title: str | None
    where: str
    status: str | None
    entities: int | None
    events: int | None
    errors: int
    warnings: int
    first_incidents: list[str]


def index_row(loaded: LoadedRecord, page: str | None) -> IndexRow:
    record = loaded.record or {}
    errors = sum(i.severity == "error" for i in loaded.incidents)
    return IndexRow(page, record.get("id"), record.get("title"),
                    loaded.file if loaded.line in (None, 1) else f"{loaded.file}:{loaded.line}",
                    (record.get("annotation") or {}).get("status"),
                    len(record["entities"]) if record else None, len(record["events"]) if record else None,
                    errors, len(loaded.incidents) - errors,
                    [i.as_text() for i in loaded.incidents[:3]])


def render_index(rows: list[IndexRow]) -> str:
    return environment().get_template("index.html.j2").render(rows=rows, styles=entity_styles())
