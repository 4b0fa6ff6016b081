"""The suggested draft record: accepted proposals as entities and events, with provenance.

The record stays a draft whatever it held before (status draft, reviewed_by empty): a
suggestion is never gold until a person or a reviewing pass has checked every span.
annotation.produced_by keeps what it named and adds khabar suggest with its sources;
annotation.notes keeps its text and adds one sentence for people and one line
`khabar-suggest: {JSON}` with the provenance of every suggested entity and event by id:
{"sources": [...], "entities": {"T3": ["lexicon: ...", "rules: ..."]}, "events": {"E1": [...]}}.
"""

from __future__ import annotations

import copy
import json

from khabar.rules import expected_event_labels
from khabar.suggest.merge import INPUT, Accepted

NOTE_KEY = "khabar-suggest: "


def read_note(record: dict) -> dict | None:
    """The record's khabar-suggest provenance, or None."""
    for line in (record.get("annotation", {}).get("notes") or "").split("\n"):
        if line.startswith(NOTE_KEY):
            try:
                return json.loads(line[len(NOTE_KEY):])
            except json.JSONDecodeError:
                return None
    return None


def suggested_record(record: dict, entities: list[Accepted], triggers: list[Accepted], produced_by: str,
                     sources: list[str]) -> dict:
    """A copy of record with the accepted entities and events (ids renumbered in text order,
    the record's own arguments following their entities) and the provenance described above."""
    text = record["text"]
    new_id = {}
    out_entities, entity_notes = [], {}
    for number, accepted in enumerate(entities, start=1):
        entity_id = f"T{number}"
        if accepted.original is not None:
            new_id[accepted.original["id"]] = entity_id
            entity = dict(copy.deepcopy(accepted.original), id=entity_id)
        else:
            entity = {"id": entity_id, "start": accepted.start, "end": accepted.end, "type": accepted.type,
                      "text": text[accepted.start:accepted.end]}
            if accepted.type == "DATE" and accepted.normalized:
                entity["normalized"] = accepted.normalized
        out_entities.append(entity)
        if accepted.provenance != [INPUT]:
            entity_notes[entity_id] = accepted.provenance
    out_events, event_notes = [], {}
    for number, accepted in enumerate(triggers, start=1):
        event_id = f"E{number}"
        if accepted.original is not None:
            event = copy.deepcopy(accepted.original)
            event["id"] = event_id
            for argument in event["arguments"]:
                argument["entity"] = new_id[argument["entity"]]
        else:
            event = {"id": event_id, "type": accepted.type,
                     "trigger": {"start": accepted.start, "end": accepted.end, "text": text[accepted.start:accepted.end]},
                     "arguments": [], "mode": [], "context": []}
        out_events.append(event)
        if accepted.provenance != [INPUT]:
            event_notes[event_id] = accepted.provenance
    out = copy.deepcopy(record)
    out["entities"], out["events"] = out_entities, out_events
    out["event_labels"] = expected_event_labels(out_events)
    annotation = out["annotation"]
    annotation["status"] = "draft"
    annotation["reviewed_by"] = []
    annotation["produced_by"] = list(annotation["produced_by"]) + [produced_by]
    human = (f"khabar suggest proposed {len(entity_notes)} entities and {len(event_notes)} events (sources: "
             f"{', '.join(sources)}); none is reviewed: every span must be checked against the guidelines before "
             f"this record can become reviewed or gold. Provenance by id on the next line.")
    data = {"sources": sources, "entities": entity_notes, "events": event_notes}
    earlier = annotation.get("notes")
    annotation["notes"] = (f"{earlier}\n" if earlier else "") + human + "\n" + NOTE_KEY + json.dumps(
        data, ensure_ascii=False, separators=(",", ":"))
    return out
