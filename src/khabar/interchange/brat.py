"""brat standoff <-> khabar records.

Export writes, per record, `<id>.txt` (the text, byte for byte), `<id>.ann` and `<id>.khabar`
(the record's other fields, JSON, which brat ignores), and one `annotation.conf` declaring
khabar's labels. In the .ann, offsets are code points of the .txt, as in khabar and brat:

    T1<TAB>GPE 0 6<TAB>المغرب                       an entity, with the record's id
    N1<TAB>Reference T9 ISO8601:2021-11-24<TAB>...   a DATE's `normalized`
    T79<TAB>SUPPORT 28 34<TAB>يوقعان                 an event's trigger (ids after the entities')
    E1<TAB>SUPPORT:T79 actor:T1 actor2:T2           the event and its arguments in order
    A1<TAB>mode-visit E2                            one binary attribute per mode ...
    A2<TAB>context-military E1                      ... and per context, in order

so record -> brat -> record is the identity. Import reads any brat document: without a
.khabar file the metadata comes from the command's options and the .txt is cleaned to khabar
text (CRLF, invisible marks, line layout) with its offsets carried over. Bad documents stop the
import with `file:line: message`: an annotation past the end of the .txt, a span whose text
differs from the .txt, a discontinuous span (khabar spans are contiguous), an unknown type.
Notes (#), relations (R) and equivalences (*) have no place in a khabar record: they are
skipped and reported (rejected with --strict).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from khabar import labels
from khabar.interchange.problems import BadInput, RepairLog
from khabar.interchange.records import IMPORTER, SourceInfo, file_slug, new_record, record_id
from khabar.interchange.textclean import clean_text, describe_removed
from khabar.interchange.typemap import TypesMap
from khabar.textrules import escaped
from khabar.rules import expected_event_labels

META_SUFFIX = ".khabar"
META_FIELDS = ("id", "title", "language", "source", "annotation")
_ROLE_NUMBER = re.compile(r"^(.*?)(\d*)$")
_OFFSET = re.compile(r"[0-9]+")


# ---------------------------------------------------------------- export

def _ann_text(value: str) -> str:
    # brat keeps one annotation per line: a line break inside a span is written as a space
    return value.replace("\n", " ")


def record_to_ann(record: dict) -> str:
    """The .ann of one record (see the module docstring for the layout)."""
    lines: list[str] = []
    for entity in record["entities"]:
        lines.append(f"{entity['id']}\t{entity['type']} {entity['start']} {entity['end']}\t{_ann_text(entity['text'])}")
    for number, entity in enumerate((e for e in record["entities"] if "normalized" in e), start=1):
        lines.append(f"N{number}\tReference {entity['id']} ISO8601:{entity['normalized']}\t{entity['normalized']}")
    next_t = max((int(e["id"][1:]) for e in record["entities"]), default=0) + 1
    attribute = 1
    for event in record["events"]:
        trigger_id = f"T{next_t}"
        next_t += 1
        trigger = event["trigger"]
        lines.append(f"{trigger_id}\t{event['type']} {trigger['start']} {trigger['end']}\t{_ann_text(trigger['text'])}")
        seen: dict[str, int] = {}
        arguments = []
        for argument in event["arguments"]:
            seen[argument["role"]] = seen.get(argument["role"], 0) + 1
            suffix = "" if seen[argument["role"]] == 1 else str(seen[argument["role"]])  # brat: actor, actor2, ...
            arguments.append(f"{argument['role']}{suffix}:{argument['entity']}")
        lines.append(f"{event['id']}\t" + " ".join([f"{event['type']}:{trigger_id}"] + arguments))
        for kind, values in (("mode", event["mode"]), ("context", event["context"])):
            for value in values:
                lines.append(f"A{attribute}\t{kind}-{value} {event['id']}")
                attribute += 1
    return "\n".join(lines) + ("\n" if lines else "")


def annotation_conf() -> str:
    """brat's annotation.conf for khabar's labels: entities, events with their roles, attributes."""
    role_types = labels.role_entity_types()
    entity_names = labels.entity_types().names
    roles = ", ".join(f"{role}*:{'|'.join(t for t in entity_names if t in role_types[role])}"
                      for role in labels.argument_roles().names)
    lines = ["# khabar labels for brat (written by `khabar export brat`)", "[entities]", *entity_names, "",
             "[relations]", "# khabar spans nest (the validator forbids crossing); brat's own overlap check is off",
             "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]"]
    lines += [f"{name}\t{roles}" for name in labels.event_type_names()]
    lines += ["", "[attributes]"]
    allowed = labels.modes_allowed_for()
    for mode in labels.all_mode_names():
        types = [t for t in labels.event_type_names() if mode in allowed[t]]
        lines.append(f"mode-{mode}\tArg:{'|'.join(types)}")
    lines += [f"context-{context}\tArg:<EVENT>" for context in labels.contexts().names]
    return "\n".join(lines) + "\n"


def export_brat(records: list[dict]) -> dict[str, str]:
    """File name -> content for the records' brat documents and annotation.conf."""
    files = {"annotation.conf": annotation_conf()}
    for record in records:
        files[f"{record['id']}.txt"] = record["text"]
        files[f"{record['id']}.ann"] = record_to_ann(record)
        meta = {field: record[field] for field in META_FIELDS}
        files[f"{record['id']}{META_SUFFIX}"] = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    return files


# ---------------------------------------------------------------- import

def _documents(paths: list[Path]) -> list[Path]:
    """The .ann files named by paths (a .txt names its .ann; a folder all .ann in it, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.ann")))
        elif path.suffix in (".ann", ".txt"):
            found.append(path.with_suffix(".ann"))
        else:
            raise BadInput(str(path), None, "not a brat document (.ann or .txt) or a folder of them")
    return found


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise BadInput(str(path), None, "no such file (a brat document is a .txt and an .ann)")
    data = path.read_bytes()
    if b"\x00" in data:
        raise BadInput(str(path), data.count(b"\n", 0, data.index(b"\x00")) + 1, "binary file (NUL byte)")
    try:
        # a .txt keeps a byte-order mark as its first character (brat counts it; the offset map
        # removes it); an .ann's is dropped so that its first line reads
        text = data.decode("utf-8")
        return text[1:] if path.suffix == ".ann" and text.startswith("\ufeff") else text
    except UnicodeDecodeError as error:
        raise BadInput(str(path), data.count(b"\n", 0, error.start) + 1, "not UTF-8 text") from None


def import_brat(paths: list[Path], source: SourceInfo | None, id_prefix: str | None, types: TypesMap,
                log: RepairLog) -> list[dict]:
    """The records of the brat documents under paths. Raises BadInput."""
    from khabar.interchange.problems import UsageProblem

    records = []
    for ann_path in _documents(paths):
        meta_path = ann_path.with_suffix(META_SUFFIX)
        meta = None
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise BadInput(str(meta_path), getattr(error, "lineno", None), f"not khabar metadata ({error})") from None
            except RecursionError:
                raise BadInput(str(meta_path), 1, "not khabar metadata (nested too deeply)") from None
            if not isinstance(meta, dict) or any(field not in meta for field in META_FIELDS):
                raise BadInput(str(meta_path), None, f"khabar metadata needs {', '.join(META_FIELDS)}")
            if not isinstance(meta["id"], str):
                raise BadInput(str(meta_path), None, "khabar metadata: id is not a string")
            if not isinstance(meta["annotation"], dict):
                raise BadInput(str(meta_path), None, "khabar metadata: annotation is not an object")
        elif source is None:
            raise UsageProblem(f"{escaped(str(ann_path))}: no {META_SUFFIX} metadata beside it; pass --source-name, --license "
                               "and --published")
        records.append(_document(ann_path, meta, source, id_prefix, types, log))
    return records


def _document(ann_path: Path, meta: dict | None, source: SourceInfo | None, id_prefix: str | None,
              types: TypesMap, log: RepairLog) -> dict:
    txt_path = ann_path.with_suffix(".txt")
    raw_text = _read_text(txt_path)
    ann = _read_text(ann_path)
    shown = str(ann_path)
    clean = clean_text(raw_text)
    if clean.removed:
        log.repair(str(txt_path), None, "text-invisible", f"removed {describe_removed(clean.removed)}")
    if clean.crlf:
        log.summary(f"{escaped(str(txt_path))}: {clean.crlf} CRLF line ends read as LF")
    if clean.layout_changed:
        log.repair(str(txt_path), None, "text-layout", "lines laid out as khabar paragraphs (one per line, blank "
                                                        "line between, no white space at line edges)")
    text = clean.text
    spans: dict[str, tuple[int, int, str, int]] = {}  # T id -> (start, end, type, line)
    event_lines: list[tuple[int, str, list[str]]] = []
    attributes: list[tuple[int, str, str]] = []
    normalized: dict[str, str] = {}
    line_of_id: dict[str, int] = {}  # annotation id -> its line: ids are unique in a document
    for number, line in enumerate(ann.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        kind = fields[0][:1]
        if kind != "*":  # equivalences all have the id `*`
            if fields[0] in line_of_id:
                raise BadInput(shown, number, f"id {fields[0]} is used again (first on line {line_of_id[fields[0]]}): "
                                              "ids are unique in a brat document")
            line_of_id[fields[0]] = number
        if kind == "T":
            spans[fields[0]] = _text_bound(fields, raw_text, clean, shown, number, txt_path.name)
        elif kind == "E" and len(fields) >= 2:
            parts = fields[1].split()
            if not parts or not parts[0].partition(":")[2]:
                raise BadInput(shown, number, f"event {fields[0]} has no TYPE:TRIGGER")
            event_lines.append((number, fields[0], parts))
        elif kind in "AM" and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) != 2:
                raise BadInput(shown, number, f"attribute {fields[1]!r}: khabar reads binary attributes "
                                              "(mode-<name> or context-<name> on an event)")
            attributes.append((number, parts[0], parts[1]))
        elif kind == "N" and len(fields) >= 2:
            parts = fields[1].split()
            if len(parts) == 3 and parts[2].startswith("ISO8601:"):
                normalized[parts[1]] = parts[2][len("ISO8601:"):]
            else:
                log.repair(shown, number, "skipped", f"normalization {fields[1]!r} is not ISO8601: skipped")
        elif kind in "#R*":
            what = {"#": "note", "R": "relation", "*": "equivalence"}[kind]
            log.repair(shown, number, "skipped", f"{what} {fields[0]} has no place in a khabar record: skipped")
        else:
            raise BadInput(shown, number, f"not a brat annotation line: {line[:40]!r}")
    return _build(ann_path, meta, source, id_prefix, types, text, spans, event_lines, attributes, normalized, log)


def _text_bound(fields: list[str], raw_text: str, clean, shown: str, number: int, txt_name: str) -> tuple:
    if len(fields) != 3:
        raise BadInput(shown, number, "a text-bound annotation is ID<TAB>TYPE START END<TAB>TEXT")
    type_and_offsets = fields[1].split(" ", 1)
    if len(type_and_offsets) != 2:
        raise BadInput(shown, number, f"no offsets in {fields[1]!r}")
    if ";" in type_and_offsets[1]:
        raise BadInput(shown, number, f"{fields[0]} is discontinuous ({type_and_offsets[1]}): khabar spans are contiguous")
    offsets = type_and_offsets[1].split()
    # ASCII digits only, as brat writes and reads them: int() would also take "٠" and "0_6"
    if len(offsets) != 2 or not all(_OFFSET.fullmatch(value) for value in offsets):
        raise BadInput(shown, number, f"offsets {type_and_offsets[1]!r} are not two integers")
    if any(len(value) > 18 for value in offsets):  # int() of 4,300 digits and more raises
        raise BadInput(shown, number, f"{fields[0]} offsets {type_and_offsets[1][:40]!r}... point past the end of "
                                      f"{txt_name} ({len(raw_text)} characters)")
    start, end = int(offsets[0]), int(offsets[1])
    if end > len(raw_text) or start < 0:
        raise BadInput(shown, number, f"{fields[0]} [{start}:{end}] points past the end of {txt_name} "
                                      f"({len(raw_text)} characters)")
    if start >= end:
        raise BadInput(shown, number, f"{fields[0]} [{start}:{end}] is empty or reversed")
    if _ann_text(raw_text[start:end]) != fields[2]:
        raise BadInput(shown, number, f"{fields[0]} text {fields[2]!r} differs from {txt_name}[{start}:{end}] "
                                      f"{raw_text[start:end]!r}")
    if clean.offsets.splits_a_character(start) or clean.offsets.splits_a_character(end):
        raise BadInput(shown, number, f"{fields[0]} starts or ends inside a character that NFC composes")
    return clean.offsets.clean(start), clean.offsets.clean(end), type_and_offsets[0], number


def _build(ann_path, meta, source, id_prefix, types, text, spans, event_lines, attributes, normalized, log) -> dict:
    shown = str(ann_path)
    event_names = set(labels.event_type_names())
    triggers: dict[str, str] = {}
    events: list[dict] = []
    by_id: dict[str, dict] = {}
    for number, event_id, parts in event_lines:
        event_type, _, trigger_id = parts[0].partition(":")
        if event_type not in event_names:
            raise BadInput(shown, number, f"event type {event_type!r} is not a PLOVER type")
        if trigger_id not in spans:
            raise BadInput(shown, number, f"{event_id}: no trigger {trigger_id}")
        triggers[trigger_id] = event_id
        start, end, _, _ = spans[trigger_id]
        arguments = []
        for part in parts[1:]:
            role, _, entity = part.partition(":")
            arguments.append({"role": _ROLE_NUMBER.match(role).group(1), "entity": entity})
        event = {"id": event_id, "type": event_type, "trigger": {"start": start, "end": end, "text": text[start:end]},
                 "arguments": arguments, "mode": [], "context": []}
        events.append(event)
        by_id[event_id] = event
    for number, name, target in attributes:
        kind, _, value = name.partition("-")
        if target not in by_id or kind not in ("mode", "context"):
            log.repair(shown, number, "skipped", f"attribute {name} on {target}: khabar keeps modes and contexts "
                                                 "of events only: skipped")
            continue
        by_id[target][kind].append(value)
    entities = []
    for span_id, (start, end, span_type, number) in spans.items():
        if span_id in triggers:
            continue
        known, khabar_type = types.khabar_type(span_type)
        if not known or khabar_type is None:
            raise BadInput(shown, number, f"entity type {span_type!r} is not a khabar type (types map: {types.name})")
        entity = {"id": span_id, "start": start, "end": end, "type": khabar_type, "text": text[start:end]}
        if span_id in normalized:
            entity["normalized"] = normalized[span_id]
        entities.append(entity)
    if meta is not None:
        record = {field: meta[field] for field in META_FIELDS}
        record.update(text=text, entities=entities, events=events, event_labels=expected_event_labels(events))
        # key order of the schema (id, title, text, ...) as every record file has it
        return {key: record[key] for key in ("id", "title", "text", "language", "source", "entities", "events",
                                             "event_labels", "annotation")}
    return new_record(record_id(id_prefix or source.name, file_slug(ann_path.stem)), text, source.source_field(ann_path.name),
                      [f"khabar import brat ({IMPORTER})", f"{source.name}: brat annotation {ann_path.name}"],
                      f"Imported with `khabar import brat` from {ann_path.name}; not yet reviewed against khabar's "
                      "guidelines.", entities, events)
