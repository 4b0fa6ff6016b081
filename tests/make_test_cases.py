#!/usr/bin/env python3
"""Write tests/test-cases/: synthetic one-defect fixtures, one folder per check id.

    python tests/make_test_cases.py [OUT_DIR] [--expected]   (default: tests/test-cases)

Every record here is synthetic: invented sentences, ids starting with "synthetic-",
source "khabar synthetic test fixture". None of it may enter corpus/ or releases/.
Layout follows the UD validator's test-cases: valid/<name>/ and invalid-L<level>/<check-id>/,
each folder holding its record file(s) and expected.txt, the validator's exact output
(`--expected` rewrites it; review the diff like code).
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from khabar.record_io import dumps_record, dumps_record_line  # noqa: E402
from khabar.rules import expected_event_labels  # noqa: E402

SOURCE = {"name": "khabar synthetic test fixture", "url": None, "published": "2020-01-06", "license": "CC0-1.0"}
ANNOTATION = {"status": "draft", "guidelines": "1.0", "produced_by": ["tests/make_test_cases.py (synthetic)"],
              "reviewed_by": []}


def build(record_id, title, paragraphs, entities, events):
    """A record whose offsets are found in the text: entities are (id, surface, occurrence, type[, normalized]),
    events are (id, type, (trigger surface, occurrence), [(role, entity id)], modes, contexts)."""
    text = "\n\n".join([title] + paragraphs)

    def locate(surface, occurrence):
        position = -1
        for _ in range(occurrence + 1):
            position = text.index(surface, position + 1)
        return position, position + len(surface)

    record_entities = []
    for spec in entities:
        entity_id, surface, occurrence, entity_type = spec[:4]
        start, end = locate(surface, occurrence)
        entity = {"id": entity_id, "start": start, "end": end, "type": entity_type, "text": surface}
        if len(spec) > 4:
            entity["normalized"] = spec[4]
        record_entities.append(entity)
    record_events = []
    for event_id, event_type, (surface, occurrence), arguments, modes, contexts in events:
        start, end = locate(surface, occurrence)
        record_events.append({
            "id": event_id, "type": event_type, "trigger": {"start": start, "end": end, "text": surface},
            "arguments": [{"role": role, "entity": entity} for role, entity in arguments],
            "mode": modes, "context": contexts,
        })
    return {"id": record_id, "title": title, "text": text, "language": "ar", "source": dict(SOURCE),
            "entities": record_entities, "events": record_events,
            "event_labels": expected_event_labels(record_events), "annotation": copy.deepcopy(ANNOTATION)}


VISIT_TITLE = "سمير حداد يزور القاهرة"
VISIT_BODY = [
    "وصل وزير الخارجية سمير حداد إلى القاهرة يوم الاثنين، في زيارة رسمية تستمر يومين.",
    "ووقّع حداد مع وزارة الخارجية المصرية اتفاقا للتعاون الاقتصادي، وفق ما أوردته صحيفة “الأهرام”.",
    "وأقام البلدان علاقات دبلوماسية عام 1990، والقاهرة ترحب بالزيارة.",
]
VISIT_ENTITIES = [
    ("T1", "سمير حداد", 0, "PERS"), ("T2", "القاهرة", 0, "GPE"), ("T3", "وزير الخارجية", 0, "OCC"),
    ("T4", "سمير حداد", 1, "PERS"), ("T5", "القاهرة", 1, "GPE"), ("T6", "يوم الاثنين", 0, "DATE", "2020-01-06"),
    ("T7", "حداد", 2, "PERS"), ("T8", "وزارة الخارجية المصرية", 0, "ORG"), ("T9", "المصرية", 0, "NORP"),
    ("T10", "الأهرام", 0, "ORG"), ("T11", "عام 1990", 0, "DATE", "1990"), ("T12", "القاهرة", 2, "GPE"),
]
VISIT_EVENTS = [
    ("E1", "CONSULT", ("زيارة", 0), [("actor", "T4"), ("location", "T5"), ("time", "T6")], ["visit"], ["diplomatic"]),
    ("E2", "SUPPORT", ("وقّع", 0), [("actor", "T7"), ("recipient", "T8")], [], ["economic"]),
    ("E3", "SUPPORT", ("أقام", 0), [("time", "T11")], ["historical"], ["diplomatic"]),
]


def visit(record_id, title=VISIT_TITLE, body=VISIT_BODY, entities=VISIT_ENTITIES, events=VISIT_EVENTS):
    return build(record_id, title, list(body), list(entities), list(events))


def protest(record_id):
    return build(
        record_id, "مظاهرة في مدينة الخليل",
        ["تظاهر مئات الطلاب في مدينة الخليل أمس احتجاجا على قرار جامعة النجوم رفع الرسوم الجامعية."],
        [("T1", "مدينة الخليل", 0, "GPE"), ("T2", "مئات", 0, "CARDINAL"), ("T3", "الطلاب", 0, "NORP"),
         ("T4", "مدينة الخليل", 1, "GPE"), ("T5", "أمس", 0, "DATE", "2020-01-05"), ("T6", "جامعة النجوم", 0, "ORG")],
        [("E1", "PROTEST", ("تظاهر", 0), [("actor", "T3"), ("recipient", "T6"), ("location", "T4"), ("time", "T5")],
          ["demo"], ["economic"])],
    )


def pretty(record) -> bytes:
    return dumps_record(record).encode("utf-8")


def with_change(record_id, change):
    """The visit record with one change applied by change(record)."""
    record = visit(record_id)
    change(record)
    return record


def _set(path, value):
    def change(record):
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(path):
    def change(record):
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


def _replace_text(raw: bytes, old: str, new: str) -> bytes:
    assert raw.count(old.encode()) >= 1, old
    return raw.replace(old.encode(), new.encode(), 1)


def fixtures() -> dict[str, dict[str, bytes]]:
    """folder (relative to test-cases/) -> {file name: content}."""
    cases: dict[str, dict[str, bytes]] = {}

    def add(folder, check, content, suffix=".json", name=None):
        file_id = name or f"synthetic-{check}"
        cases[f"{folder}/{check}"] = {file_id + suffix: content}

    def record_case(level, check, change):
        add(f"invalid-L{level}", check, pretty(with_change(f"synthetic-{check}", change)))

    # valid
    cases["valid/article"] = {"synthetic-valid-article.json": pretty(visit("synthetic-valid-article"))}
    cases["valid/shard"] = {"synthetic-valid-shard.jsonl": (
        dumps_record_line(visit("synthetic-valid-shard-1")) + dumps_record_line(protest("synthetic-valid-shard-2"))
    ).encode("utf-8")}

    # L1 file
    base = lambda check: pretty(visit(f"synthetic-{check}"))  # noqa: E731
    add("invalid-L1", "utf8-invalid", _replace_text(base("utf8-invalid"), "دبلوماسية", "دبلو").replace(
        "دبلو".encode(), "دبلو".encode() + b"\xff", 1))
    add("invalid-L1", "utf8-bom", b"\xef\xbb\xbf" + base("utf8-bom"))
    add("invalid-L1", "empty-file", b"\n")
    add("invalid-L1", "jsonl-blank-line", (
        dumps_record_line(visit("synthetic-jsonl-blank-line-1")) + "\n"
        + dumps_record_line(protest("synthetic-jsonl-blank-line-2"))).encode("utf-8"), suffix=".jsonl")
    add("invalid-L1", "json-syntax", _replace_text(base("json-syntax"), '"language": "ar",', '"language": "ar"'))
    # a truncated shard line is reported on its own line, not on the next one
    cases["invalid-L1/json-syntax"]["synthetic-json-syntax-truncated.jsonl"] = (
        dumps_record_line(visit("synthetic-json-syntax-truncated-1")) + '{"id":"synthetic-json-syntax-truncated-2",\n'
        + dumps_record_line(protest("synthetic-json-syntax-truncated-3"))).encode("utf-8")
    add("invalid-L1", "json-extra-data", base("json-extra-data") + b"{}\n")
    add("invalid-L1", "json-too-deep", b'{"id": ' + b"[" * 10_000 + b"]" * 10_000 + b"}\n")
    add("invalid-L1", "json-number-too-large", _replace_text(
        base("json-number-too-large"), '"start": 0,', '"start": 1' + "0" * 5000 + ","))
    add("invalid-L1", "duplicate-key", _replace_text(
        base("duplicate-key"), '"language": "ar",', '"language": "ar",\n  "language": "en",'))
    add("invalid-L1", "lone-surrogate", _replace_text(
        base("lone-surrogate"), '"name": "khabar synthetic test fixture"', '"name": "khabar synthetic \\ud800 fixture"'))
    add("invalid-L1", "record-not-object", b"[\n" + base("record-not-object") + b"]\n")

    # L2 schema
    record_case(2, "schema-required", _delete(["language"]))
    record_case(2, "schema-additional-properties", _set(["annotation", "confidence"], "high"))
    record_case(2, "schema-type", _set(["source"], None))
    record_case(2, "schema-enum", _set(["entities", 4, "type"], "CITY"))
    record_case(2, "schema-pattern", _set(["source", "published"], "06/01/2020"))
    record_case(2, "schema-min-length", _set(["source", "name"], ""))

    # a pattern must not let a value end with a line break (Python's `$` matches before one)
    def entity_id_with_line_break(record):
        record["entities"][3]["id"] = "T4\n"
        record["events"][0]["arguments"][0]["entity"] = "T4\n"
    cases["invalid-L2/schema-pattern"]["synthetic-schema-pattern-line-break-id.json"] = pretty(
        with_change("synthetic-schema-pattern-line-break-id", entity_id_with_line_break))
    cases["invalid-L2/schema-pattern"]["synthetic-schema-pattern-line-break-url.json"] = pretty(
        with_change("synthetic-schema-pattern-line-break-url", _set(["source", "url"], "https://example.com/a\n")))

    def reviewed_without_reviewer(record):
        record["annotation"]["status"] = "reviewed"
    record_case(2, "schema-min-items", reviewed_without_reviewer)
    record_case(2, "schema-minimum", _set(["entities", 2, "start"], -1))
    record_case(2, "schema-unique-items", _set(["events", 0, "mode"], ["visit", "visit"]))

    # L3 article
    def body_change(old, new):
        return [paragraph.replace(old, new, 1) for paragraph in VISIT_BODY]

    add("invalid-L3", "offset-not-integer", _replace_text(
        base("offset-not-integer"), '"start": 0,', '"start": 0.0,'))
    record_case(3, "offset-out-of-range", _set(["events", 1, "trigger", "end"], 100_000))

    def empty_span(record):
        record["entities"][3]["end"] = record["entities"][3]["start"]
    record_case(3, "span-empty-or-reversed", empty_span)

    def shifted(record):
        record["entities"][6]["start"] += 1
        record["entities"][6]["end"] += 1
    record_case(3, "span-text-mismatch", shifted)

    def widen(index, before=0, after=0):
        def change(record):
            entity = record["entities"][index]
            entity["start"] -= before
            entity["end"] += after
            entity["text"] = record["text"][entity["start"]:entity["end"]]
        return change
    record_case(3, "span-edge-whitespace", widen(6, after=1))
    record_case(3, "span-edge-punctuation", widen(9, before=1, after=1))
    record_case(3, "span-proclitic", widen(11, before=1))

    def cut_word(record):
        entity = record["entities"][9]  # الأهرام -> الأهرا
        entity["end"] -= 1
        entity["text"] = entity["text"][:-1]
    record_case(3, "span-partial-word", cut_word)

    def crossing(record):
        org = record["entities"][7]  # وزارة الخارجية المصرية
        start = org["start"] - 3  # "مع وزارة": starts before the ORG, ends inside it
        record["entities"].append({"id": "T13", "start": start, "end": org["start"] + 5, "type": "ORG",
                                   "text": record["text"][start:org["start"] + 5]})
    record_case(3, "span-crossing", crossing)

    def duplicate_span(record):
        record["entities"].append(dict(record["entities"][9], id="T13"))
    record_case(3, "span-duplicate", duplicate_span)
    record_case(3, "duplicate-id", _set(["entities", 11, "id"], "T5"))
    record_case(3, "argument-unresolved", _set(["events", 0, "arguments", 2, "entity"], "T99"))

    record_case(3, "argument-entity-type", _set(["events", 0, "arguments", 2, "entity"], "T5"))
    record_case(3, "argument-distant", _set(["events", 0, "arguments", 1, "entity"], "T12"))

    def duplicate_argument(record):
        record["events"][1]["arguments"].append({"role": "actor", "entity": "T7"})
    record_case(3, "argument-duplicate", duplicate_argument)
    record_case(3, "argument-recipient-missing", _set(["events", 2, "type"], "COOPERATE"))  # أقام: no recipient

    def second_type_on_a_trigger(record):
        record["events"].append(dict(copy.deepcopy(record["events"][1]), id="E4", type="AGREE"))  # وقّع
        record["event_labels"] = expected_event_labels(record["events"])
    record_case(3, "trigger-multiple-types", second_type_on_a_trigger)
    record_case(3, "mode-not-allowed", _set(["events", 0, "mode"], ["visit", "convict"]))
    approximate = [("T11", "نحو عام 1990", 0, "DATE", "1990") if spec[0] == "T11" else spec for spec in VISIT_ENTITIES]
    add("invalid-L3", "date-approximator", pretty(visit(
        "synthetic-date-approximator", body=body_change("عام 1990", "نحو عام 1990"), entities=approximate)))
    add("invalid-L3", "place-head-noun-outside", pretty(visit(
        "synthetic-place-head-noun-outside", body=body_change("إلى القاهرة", "إلى مدينة القاهرة"))))
    record_case(3, "normalized-not-date", _set(["entities", 0, "normalized"], "2020-01-06"))
    record_case(3, "date-invalid", _set(["source", "published"], "2020-02-30"))

    decomposed = unicodedata.normalize("NFD", "إلى")
    add("invalid-L3", "text-not-nfc", pretty(visit("synthetic-text-not-nfc", body=body_change("إلى", decomposed))))
    add("invalid-L3", "text-invisible-control", pretty(
        visit("synthetic-text-invisible-control", body=body_change("رسمية", "رسمية\u202e"))))
    # every free-text string is checked, not only title and text
    cases["invalid-L3/text-invisible-control"]["synthetic-text-invisible-control-url.json"] = pretty(with_change(
        "synthetic-text-invisible-control-url", _set(["source", "url"], "https://example.com/\ufeffa")))
    cases["invalid-L3/text-invisible-control"]["synthetic-text-invisible-control-source-name.json"] = pretty(
        with_change("synthetic-text-invisible-control-source-name",
                    _set(["source", "name"], "khabar synthetic \u202etest fixture")))
    add("invalid-L3", "text-layout", pretty(visit("synthetic-text-layout", body=VISIT_BODY[:1] + [VISIT_BODY[1] + " "] + VISIT_BODY[2:])))
    record_case(3, "title-text-mismatch", _set(["title"], "سمير حداد في القاهرة"))
    record_case(3, "event-labels-mismatch", _set(["event_labels"], ["CONSULT"]))
    record_case(3, "interchange-note-invalid", _set(["annotation", "notes"], (
        'Imported from a CoNLL file.\nkhabar-interchange: {"format":"conll","file":"../../escaped.conll","lines":[1,9]}')))

    # L4 corpus
    add("invalid-L4", "file-name-mismatch", pretty(visit("synthetic-file-name-mismatch-renamed")),
        name="synthetic-file-name-mismatch")
    cases["invalid-L4/duplicate-article-id"] = {
        "synthetic-duplicate-article-id.json": pretty(visit("synthetic-duplicate-article-id")),
        "synthetic-duplicate-article-id.jsonl": dumps_record_line(protest("synthetic-duplicate-article-id")).encode(),
    }
    registry = "id\tsplit\tstory\n"
    split_article = "corpus/synthetic-split-{}.json"
    cases["invalid-L4/split-registry-invalid"] = {
        split_article.format("registry-invalid"): pretty(visit("synthetic-split-registry-invalid")),
        "corpus/splits.tsv": (registry + "synthetic-split-registry-invalid\ttraining\tx\n").encode()}
    cases["invalid-L4/split-unregistered"] = {
        split_article.format("unregistered"): pretty(visit("synthetic-split-unregistered")),
        "corpus/splits.tsv": registry.encode()}
    cases["invalid-L4/split-unknown-id"] = {
        split_article.format("unknown-id"): pretty(visit("synthetic-split-unknown-id")),
        "corpus/splits.tsv": (registry + "synthetic-split-unknown-id\ttrain\tsynthetic-split-unknown-id\n"
                              + "synthetic-split-removed\ttest\tsynthetic-split-removed\n").encode()}
    cases["invalid-L4/split-moved"] = {
        split_article.format("moved"): pretty(visit("synthetic-split-moved")),
        "corpus/splits.tsv": (registry + "synthetic-split-moved\ttrain\tsynthetic-split-moved\n").encode(),
        "releases/v0.0.1/manifest.json": json.dumps(
            {"ids": {"train": [], "validation": [], "test": ["synthetic-split-moved"]}}).encode()}
    cases["valid/corpus-with-registry"] = {
        "corpus/synthetic-valid-registered.json": pretty(visit("synthetic-valid-registered")),
        "corpus/splits.tsv": (registry + "synthetic-valid-registered\ttest\tsynthetic-valid-registered\n").encode(),
        "releases/v0.0.1/manifest.json": json.dumps(
            {"ids": {"train": [], "validation": [], "test": ["synthetic-valid-registered"]}}).encode()}
    cases["invalid-L4/duplicate-text"] = {
        "synthetic-duplicate-text-1.json": pretty(visit("synthetic-duplicate-text-1")),
        "synthetic-duplicate-text-2.json": pretty(visit("synthetic-duplicate-text-2")),
    }
    return cases


def write(out_dir: Path) -> None:
    """(Re)write every fixture's record files under out_dir, keeping each folder's expected.txt."""
    for folder, files in fixtures().items():
        target = out_dir / folder
        if target.exists():
            for old in target.iterdir():
                if old.name != "expected.txt":
                    shutil.rmtree(old) if old.is_dir() else old.unlink()
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(content)


def expected_output(case_dir: Path, cases_root: Path) -> str:
    """The validator's report on one fixture folder, paths relative to cases_root (as in expected.txt)."""
    import os

    from khabar.validate import validate_paths

    here = os.getcwd()
    os.chdir(cases_root)
    # a fixture with a corpus/ folder is validated as a corpus (its splits.tsv, its ../releases)
    target = case_dir / "corpus" if (case_dir / "corpus").is_dir() else case_dir
    try:
        report = validate_paths([target.relative_to(cases_root)])
    finally:
        os.chdir(here)
    return "".join(incident.as_text() + "\n" for incident in report.incidents)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--expected"]
    root = Path(arguments[0]) if arguments else Path(__file__).resolve().parent / "test-cases"
    write(root)
    if "--expected" in sys.argv:
        for folder in fixtures():
            (root / folder / "expected.txt").write_text(expected_output(root / folder, root), encoding="utf-8")
