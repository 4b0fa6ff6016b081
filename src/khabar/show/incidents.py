"""Where on a page an incident of `khabar validate` belongs.

Level 3 names the entity or event it is about at the start of its message ("entities[4] (T5)
...", "events[2] (E3) trigger ..."), by position in the record: that is how an incident finds its
mark. Every other incident belongs to the record as a whole.
"""

from __future__ import annotations

import re

from khabar.validate.incident import Incident

_SUBJECT = re.compile(r"^(entities|events)\[(\d+)\]")


def subject_of(incident: Incident, record: dict) -> tuple[str, str] | None:
    """("entity" | "event", id) the incident is about, or None for the record as a whole."""
    match = _SUBJECT.match(incident.message)
    if match is None:
        return None
    field, index = match.group(1), int(match.group(2))
    items = record.get(field)
    if not isinstance(items, list) or index >= len(items) or not isinstance(items[index], dict):
        return None
    return ("entity" if field == "entities" else "event", str(items[index].get("id")))
