"""Label Studio tasks <-> khabar records.

Export writes `tasks.json` (one task per record: `data.text`, the other record fields under
`data.khabar`, and the annotations as `predictions`, so that a curator corrects a draft rather
than starting from nothing) and `label-config.xml` (the labeling interface for khabar's labels).
Results: entities are `labels` regions from `label` with the entity's id as region id; an
event is a `labels` region from `trigger` with the event's id; its arguments are relations from
the trigger region to the entity region, one per argument, labelled with the role; modes and
contexts are per-region `choices` (`mode`, `context`); a DATE's `normalized` is a per-region
`textarea`.

Offsets. khabar counts code points. Label Studio's Text tag counts code points too in current
versions (its own test web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts), but older
versions counted JavaScript string units, UTF-16 code units, in which a character outside the
Basic Multilingual Plane counts 2 (label-studio issue #1347). Export writes the unit chosen with
--offsets (default codepoints). Import reads each region in the unit under which `value.text`
equals the text there, so exports of either kind of version come back exact; where the text
cannot tell (no character outside the BMP before the region's end, or no `value.text`), --offsets
decides.

Import takes, per task, the most recently updated annotation that was not cancelled; a task
without one falls back to its last prediction (a task exported by khabar and never opened comes
back as it was); a task with neither is skipped and reported. An annotation (a curator's work)
adds "Label Studio annotation by <annotator>" to annotation.produced_by.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

from khabar import labels
from khabar.interchange.problems import BadInput, RepairLog
from khabar.interchange.records import IMPORTER, SourceInfo, new_record, record_id
from khabar.interchange.textclean import clean_text, describe_removed
from khabar.interchange.typemap import TypesMap
from khabar.rules import expected_event_labels

OFFSET_UNITS = ("codepoints", "utf16")
META_FIELDS = ("id", "title", "language", "source", "annotation")
_ENTITY_ID = re.compile(r"^T[1-9][0-9]*\Z")
_EVENT_ID = re.compile(r"^E[1-9][0-9]*\Z")


# ---------------------------------------------------------------- offset units

def utf16_offsets(text: str) -> list[int]:
    """units[i] = the UTF-16 offset of code point offset i (len(text) + 1 entries)."""
    units = [0] * (len(text) + 1)
    position = 0
    for index, char in enumerate(text):
        units[index] = position
        position += 2 if ord(char) > 0xFFFF else 1
    units[len(text)] = position
    return units


def codepoint_offset(units: list[int], utf16: int) -> int | None:
    """The code point offset of a UTF-16 offset, None when it splits a surrogate pair."""
    import bisect

    index = bisect.bisect_left(units, utf16)
    return index if index < len(units) and units[index] == utf16 else None


# ---------------------------------------------------------------- export

def _region(region_id: str, from_name: str, kind: str, start: int, end: int, text: str, units: list[int] | None,
            **value) -> dict:
    if units is not None:
        start, end = units[start], units[end]
    return {"id": region_id, "from_name": from_name, "to_name": "text", "type": kind,
            "value": {"start": start, "end": end, "text": text, **value}}


def record_to_task(record: dict, offsets: str = "codepoints") -> dict:
    """One Label Studio task with the record's annotations as a prediction."""
    units = utf16_offsets(record["text"]) if offsets == "utf16" else None
    result: list[dict] = []
    for entity in record["entities"]:
        result.append(_region(entity["id"], "label", "labels", entity["start"], entity["end"], entity["text"], units,
                              labels=[entity["type"]]))
        if "normalized" in entity:
            normalized = _region(entity["id"], "normalized", "textarea", entity["start"], entity["end"], "", units)
            normalized["value"]["text"] = [entity["normalized"]]  # a textarea's value.text is its list of answers
            result.append(normalized)
    for event in record["events"]:
        trigger = event["trigger"]
        result.append(_region(event["id"], "trigger", "labels", trigger["start"], trigger["end"], trigger["text"], units,
                              labels=[event["type"]]))
        for name in ("mode", "context"):
            if event[name]:
                result.append(_region(event["id"], name, "choices", trigger["start"], trigger["end"], trigger["text"],
                                      units, choices=list(event[name])))
        for argument in event["arguments"]:
            result.append({"from_id": event["id"], "to_id": argument["entity"], "type": "relation",
                           "direction": "right", "labels": [argument["role"]]})
    meta = {field: record[field] for field in META_FIELDS}
    return {"data": {"text": record["text"], "khabar": meta},
            "predictions": [{"model_version": f"khabar {record['annotation']['status']} ({IMPORTER})",
                             "result": result}]}


def label_config() -> str:
    """The labeling interface: entity and trigger labels, roles, modes and contexts per trigger."""
    def options(tag: str, names) -> str:
        return "\n".join(f"    <{tag} value={quoteattr(name)}/>" for name in names)

    return "\n".join([
        "<View>",
        "  <Style>.htx-text { direction: rtl; white-space: pre-wrap; }</Style>",
        '  <Labels name="label" toName="text">', options("Label", labels.entity_types().names), "  </Labels>",
        '  <Labels name="trigger" toName="text">', options("Label", labels.event_type_names()), "  </Labels>",
        '  <Text name="text" value="$text"/>',
        "  <Relations>", options("Relation", labels.argument_roles().names), "  </Relations>",
        '  <View visibleWhen="region-selected" whenTagName="trigger">',
        '    <Header value="Mode"/>',
        '    <Choices name="mode" toName="text" perRegion="true" choice="multiple">',
        options("  Choice", labels.all_mode_names()), "    </Choices>",
        '    <Header value="Context"/>',
        '    <Choices name="context" toName="text" perRegion="true" choice="multiple">',
        options("  Choice", labels.contexts().names), "    </Choices>",
        "  </View>",
        '  <View visibleWhen="region-selected" whenLabelValue="DATE">',
        '    <TextArea name="normalized" toName="text" perRegion="true" maxSubmissions="1" '
        'placeholder="normalized date: YYYY, YYYY-MM or YYYY-MM-DD"/>',
        "  </View>",
        "</View>",
    ]) + "\n"


def export_labelstudio(records: list[dict], offsets: str = "codepoints") -> dict[str, str]:
    tasks = [record_to_task(record, offsets) for record in records]
    return {"tasks.json": json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", "label-config.xml": label_config()}


# ---------------------------------------------------------------- import

def import_labelstudio(path: Path, shown: str, source: SourceInfo | None, id_prefix: str | None, types: TypesMap,
                       offsets: str, log: RepairLog) -> list[dict]:
    """The records of a Label Studio JSON export (a list of tasks, or one task). Raises BadInput."""
    from khabar.interchange.problems import UsageProblem

    data = path.read_bytes()
    if b"\x00" in data:
        raise BadInput(shown, data.count(b"\n", 0, data.index(b"\x00")) + 1, "binary file (NUL byte)")
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BadInput(shown, data.count(b"\n", 0, error.start) + 1, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadInput(shown, error.lineno, f"not JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise BadInput(shown, 1, "not JSON khabar can read: arrays or objects nested too deeply") from None
    tasks = [tasks] if isinstance(tasks, dict) else tasks
    if not isinstance(tasks, list):
        raise BadInput(shown, 1, "a Label Studio JSON export is a list of tasks")
    records = []
    for index, task in enumerate(tasks):
        where = f"task {task.get('id', index + 1) if isinstance(task, dict) else index + 1}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict) \
                or not isinstance(task["data"].get("text"), str):
            raise BadInput(shown, None, f"{where}: no data.text")
        meta = task["data"].get("khabar")
        if meta is not None and (not isinstance(meta, dict) or any(f not in meta for f in META_FIELDS)):
            raise BadInput(shown, None, f"{where}: data.khabar needs {', '.join(META_FIELDS)}")
        if meta is not None:
            _check_meta(meta, shown, where)
        if meta is None and source is None:
            raise UsageProblem(f"{shown}: {where} has no khabar metadata (data.khabar); pass --source-name, "
                               "--license and --published")
        chosen = _chosen_result(task)
        if chosen is None:
            log.repair(shown, None, "skipped", f"{where}: no annotation and no prediction: skipped")
            continue
        result, annotator = chosen
        records.append(_record(task, result, annotator, meta, source, id_prefix, types, offsets, shown, where, log))
    return records


def _check_meta(meta: dict, shown: str, where: str) -> None:
    """What the importer itself relies on in data.khabar (the validator checks the rest of the
    record it becomes): a string id, and an annotation object whose produced_by is a list."""
    if not isinstance(meta["id"], str):
        raise BadInput(shown, None, f"{where}: data.khabar.id is not a string")
    if not isinstance(meta["annotation"], dict):
        raise BadInput(shown, None, f"{where}: data.khabar.annotation is not an object")
    if not isinstance(meta["annotation"].get("produced_by"), list):
        raise BadInput(shown, None, f"{where}: data.khabar.annotation.produced_by is not a list")


def _strings(value, shown: str, where: str, what: str) -> list[str]:
    """value, a list of strings (a Label Studio list field), or BadInput naming what."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadInput(shown, None, f"{where}: {what} is not a list of strings")
    return value


def _value(item: dict, shown: str, where: str) -> dict:
    value = item.get("value", {})
    if not isinstance(value, dict):
        raise BadInput(shown, None, f"{where}: the value of region {item.get('id')} is not an object")
    return value


def _chosen_result(task: dict) -> tuple[list, str | None] | None:
    """(result, annotator or None for a prediction) of the task's latest live annotation, else
    of its last prediction; None when it has neither."""
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")
                   and isinstance(a.get("result"), list)]
    if annotations:
        latest = max(enumerate(annotations),
                     key=lambda item: (str(item[1].get("updated_at") or item[1].get("created_at") or ""), item[0]))[1]
        who = latest.get("completed_by")
        if isinstance(who, dict):
            who = who.get("email") or who.get("id")
        return latest["result"], f"Label Studio annotation by {who if who is not None else 'an unnamed annotator'}"
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict) and isinstance(p.get("result"), list)]
    if predictions:
        return predictions[-1]["result"], None
    return None


def _offsets(value: dict, raw_text: str, units: list[int], offsets: str, shown: str, where: str) -> tuple[int, int]:
    """(start, end) in code points of raw_text, whichever unit the region used (module docstring)."""
    start, end = value.get("start"), value.get("end")
    # a whole number only: int() would truncate 0.9 to 0 and fail on Infinity
    if type(start) is not int or type(end) is not int:
        raise BadInput(shown, None, f"{where}: value.start and value.end must be whole numbers "
                                    f"(got {start!r}, {end!r}; only Text regions are read)")
    candidates = {}
    if 0 <= start < end <= len(raw_text):
        candidates["codepoints"] = (start, end)
    as_points = codepoint_offset(units, start), codepoint_offset(units, end)
    if None not in as_points and as_points[0] < as_points[1]:
        candidates["utf16"] = as_points
    label_text = value.get("text")
    if isinstance(label_text, str):
        matching = [unit for unit, (s, e) in candidates.items() if raw_text[s:e] == label_text]
        if not matching:
            raise BadInput(shown, None, f"{where}: region [{start}:{end}] text {label_text!r} matches the task text "
                                        "neither in code points nor in UTF-16 units")
        unit = offsets if offsets in matching else matching[0]
    else:
        if offsets not in candidates:
            raise BadInput(shown, None, f"{where}: region [{start}:{end}] lies outside the task text")
        unit = offsets
    return candidates[unit]


def _record(task, result, annotator, meta, source, id_prefix, types, offsets, shown, where, log) -> dict:
    raw_text = task["data"]["text"]
    clean = clean_text(raw_text)
    if clean.removed:
        log.repair(shown, None, "text-invisible", f"{where}: removed {describe_removed(clean.removed)}")
    if clean.layout_changed or clean.crlf:
        log.repair(shown, None, "text-layout", f"{where}: text laid out as khabar paragraphs")
    text = clean.text
    units = utf16_offsets(raw_text)
    entity_names, event_names = set(labels.entity_types().names), set(labels.event_type_names())
    regions: dict[str, dict] = {}  # region id -> entity or event, in result order
    relations, per_region = [], []
    for item in result:
        if not isinstance(item, dict):
            raise BadInput(shown, None, f"{where}: a result item is not an object")
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
        elif kind == "labels":
            value = _value(item, shown, where)
            chosen = _strings(value.get("labels", []), shown, where, f"value.labels of region {item.get('id')}")
            if len(chosen) != 1:
                raise BadInput(shown, None, f"{where}: region {item.get('id')} carries {len(chosen)} labels; "
                                            "khabar gives a span one label")
            raw_start, raw_end = _offsets(value, raw_text, units, offsets, shown, where)
            if clean.offsets.splits_a_character(raw_start) or clean.offsets.splits_a_character(raw_end):
                raise BadInput(shown, None, f"{where}: region {item.get('id')} splits a character that NFC composes")
            start, end = clean.offsets.clean(raw_start), clean.offsets.clean(raw_end)
            name = chosen[0]
            if str(item.get("id")) in regions:  # a second region would replace the first
                raise BadInput(shown, None, f"{where}: two regions have the id {item.get('id')!r}; region ids are "
                                            "unique in a task")
            span = {"start": start, "end": end, "text": text[start:end]}
            if name in event_names:
                regions[str(item.get("id"))] = {"kind": "event", "type": name, "trigger": span, "arguments": [],
                                                "mode": [], "context": []}
            else:
                known, khabar_type = types.khabar_type(name)
                if not known or khabar_type is None or khabar_type not in entity_names:
                    raise BadInput(shown, None, f"{where}: label {name!r} is neither a khabar entity type nor a "
                                                f"PLOVER event type (types map: {types.name})")
                regions[str(item.get("id"))] = {"kind": "entity", "type": khabar_type, **span}
        elif kind in ("choices", "textarea"):
            per_region.append(item)
        else:
            log.repair(shown, None, "skipped", f"{where}: result of type {kind!r} has no place in a khabar record: skipped")
    _attach(regions, relations, per_region, shown, where, log)
    entities, events = _number(regions)
    if meta is not None:
        record = {field: meta[field] for field in META_FIELDS}
        record = {"id": record["id"], "title": record["title"], "text": text, "language": record["language"],
                  "source": record["source"], "entities": entities, "events": events,
                  "event_labels": expected_event_labels(events), "annotation": json.loads(json.dumps(record["annotation"]))}
        if annotator and annotator not in record["annotation"]["produced_by"]:
            record["annotation"]["produced_by"].append(annotator)
        return record
    task_id = str(task.get("id", "")) or where.split()[-1]
    produced_by = [f"khabar import labelstudio ({IMPORTER})", annotator or f"{source.name}: Label Studio prediction"]
    return new_record(record_id(id_prefix or source.name, "task", task_id), text, source.source_field(), produced_by,
                      f"Imported with `khabar import labelstudio` from {where}; not yet reviewed against khabar's "
                      "guidelines.", entities, events)


def _attach(regions: dict[str, dict], relations: list[dict], per_region: list[dict], shown: str, where: str,
            log: RepairLog) -> None:
    for item in per_region:
        target = regions.get(str(item.get("id")))
        value = _value(item, shown, where)
        name = item.get("from_name")
        if item.get("type") == "choices" and target and target["kind"] == "event" and name in ("mode", "context"):
            target[name].extend(_strings(value.get("choices", []), shown, where,
                                         f"value.choices of {name} on region {item.get('id')}"))
        elif item.get("type") == "textarea" and target and target["kind"] == "entity" and name == "normalized":
            answers = value.get("text", [])
            answers = _strings([answers] if isinstance(answers, str) else answers, shown, where,
                               f"value.text of the textarea on region {item.get('id')}")
            if answers and answers[-1].strip():
                target["normalized"] = answers[-1].strip()
        else:
            log.repair(shown, None, "skipped", f"{where}: {item.get('type')} {name!r} on region {item.get('id')} "
                                               "has no place in a khabar record: skipped")
    for relation in relations:
        source, target = str(relation.get("from_id")), str(relation.get("to_id"))
        if relation.get("direction") == "left":
            source, target = target, source
        event, entity = regions.get(source), regions.get(target)
        if not event or not entity or event["kind"] != "event" or entity["kind"] != "entity":
            log.repair(shown, None, "skipped", f"{where}: relation {source} -> {target} does not go from a trigger "
                                               "to an entity: skipped")
            continue
        roles = _strings(relation.get("labels", []), shown, where, f"labels of relation {source} -> {target}")
        if not roles:
            log.repair(shown, None, "skipped", f"{where}: relation {source} -> {target} has no role: skipped")
        for role in roles:
            event["arguments"].append({"role": role, "entity": target})


def _number(regions: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """Entities and events with ids: a khabar id (T<n>, E<n>) is kept, any other region id
    (made by Label Studio for a curator's new region) gets the next free number."""
    entity_ids = {rid: rid for rid, r in regions.items() if r["kind"] == "entity" and _ENTITY_ID.match(rid)}
    event_ids = {rid: rid for rid, r in regions.items() if r["kind"] == "event" and _EVENT_ID.match(rid)}
    next_entity = max((int(i[1:]) for i in entity_ids), default=0) + 1
    next_event = max((int(i[1:]) for i in event_ids), default=0) + 1
    for rid, region in regions.items():
        if region["kind"] == "entity" and rid not in entity_ids:
            entity_ids[rid], next_entity = f"T{next_entity}", next_entity + 1
        elif region["kind"] == "event" and rid not in event_ids:
            event_ids[rid], next_event = f"E{next_event}", next_event + 1
    entities, events = [], []
    for rid, region in regions.items():
        if region["kind"] == "entity":
            entity = {"id": entity_ids[rid], "start": region["start"], "end": region["end"], "type": region["type"],
                      "text": region["text"]}
            if "normalized" in region:
                entity["normalized"] = region["normalized"]
            entities.append(entity)
        else:
            arguments = [{"role": a["role"], "entity": entity_ids.get(a["entity"], a["entity"])} for a in region["arguments"]]
            events.append({"id": event_ids[rid], "type": region["type"], "trigger": region["trigger"],
                           "arguments": arguments, "mode": region["mode"], "context": region["context"]})
    return entities, events
