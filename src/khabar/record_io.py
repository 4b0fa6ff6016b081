"""Reading and writing article records: canonical key order, pretty-printed, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from khabar.atomic import write_new_file  # noqa: F401  (records are written by the shared writer)
from khabar.schema import field_order


def _ordered(value: dict, order: list[str]) -> dict:
    # keys the schema does not know keep their place after the known ones (the validator reports them)
    known = {key: value[key] for key in order if key in value}
    known.update((key, item) for key, item in value.items() if key not in known)
    return known


def canonical(record: dict) -> dict:
    """A copy of record with every object's keys in the schema's order."""
    order = field_order()
    out = _ordered(record, order[""])
    if isinstance(out.get("source"), dict):
        out["source"] = _ordered(out["source"], order["source"])
    if isinstance(out.get("annotation"), dict):
        out["annotation"] = _ordered(out["annotation"], order["annotation"])
    if isinstance(out.get("entities"), list):
        out["entities"] = [_ordered(e, order["entity"]) if isinstance(e, dict) else e for e in out["entities"]]
    if isinstance(out.get("events"), list):
        events = []
        for event in out["events"]:
            if isinstance(event, dict):
                event = _ordered(event, order["event"])
                if isinstance(event.get("trigger"), dict):
                    event["trigger"] = _ordered(event["trigger"], order["trigger"])
                if isinstance(event.get("arguments"), list):
                    event["arguments"] = [_ordered(a, order["argument"]) if isinstance(a, dict) else a
                                          for a in event["arguments"]]
            events.append(event)
        out["events"] = events
    return out


def dumps_record(record: dict) -> str:
    """The record file's text: canonical key order, two-space indent, UTF-8 characters, final newline."""
    return json.dumps(canonical(record), ensure_ascii=False, indent=2) + "\n"


def dumps_record_line(record: dict) -> str:
    """One .jsonl line for the record (canonical key order, no indentation)."""
    return json.dumps(canonical(record), ensure_ascii=False, separators=(",", ":")) + "\n"


def read_record(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
