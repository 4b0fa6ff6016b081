"""Every check the validator can report: its stable id, level, severity, meaning and fix.

The ids are an interface (curators grep for them, tests assert them, fixtures are named
after them): never rename one; retire it and add a new one instead.
schema/CHECKS.md is generated from this table (tests/test_checks_table.py keeps it current).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    id: str
    level: int
    meaning: str
    fix: str
    severity: str = "error"  # "warning" is reported but does not make the data invalid


_TABLE = [
    # L1 file
    Check("utf8-invalid", 1, "The file is not valid UTF-8.", "Re-save the file as UTF-8."),
    Check("utf8-bom", 1, "The file starts with a UTF-8 byte-order mark.", "Save without BOM."),
    Check("empty-file", 1, "The file holds no record.", "Remove the file or write the record."),
    Check("jsonl-blank-line", 1, "A .jsonl shard has a blank line between records.", "Delete the blank line."),
    Check("json-syntax", 1, "The record is not valid JSON (including NaN/Infinity literals).", "Fix the JSON at the reported line and column."),
    Check("json-extra-data", 1, "A .json file holds more than one JSON value.", "Keep one article per .json file, or use a .jsonl shard."),
    Check("json-too-deep", 1, "The JSON nests deeper than the parser can follow.", "Records nest at most a few levels; fix the generator."),
    Check("json-number-too-large", 1, "A number has more digits than can be read safely.", "Offsets are small integers; fix the value."),
    Check("duplicate-key", 1, "An object repeats a key (JSON parsers would silently keep one value).", "Keep one of the values."),
    Check("lone-surrogate", 1, "A string holds a \\uD800-\\uDFFF escape that is not half of a pair.", "Replace the escape by the character it was meant to be."),
    Check("record-not-object", 1, "The record is not a JSON object.", "Each record is one JSON object."),
    # L2 schema: one id per JSON Schema keyword used in schema/article.schema.json
    Check("schema-required", 2, "A required property is missing.", "Add the property (see schema/article.schema.json)."),
    Check("schema-additional-properties", 2, "An object has a property the schema does not define.", "Remove or rename the property."),
    Check("schema-type", 2, "A value has the wrong JSON type (e.g. null where an object belongs).", "Use the type the schema gives."),
    Check("schema-enum", 2, "A label is not in its label set (schema/labels/).", "Use a label from the set, or propose one in the guidelines."),
    Check("schema-pattern", 2, "A string does not match its pattern (ids, dates, URLs, language tags).", "Follow the pattern the schema gives."),
    Check("schema-min-length", 2, "A string that must not be empty is empty.", "Fill it in."),
    Check("schema-min-items", 2, "A list that must not be empty is empty (e.g. reviewed_by of a reviewed record).", "Fill it in, or lower the annotation status."),
    Check("schema-minimum", 2, "A number is below its minimum (negative offset).", "Offsets count from 0."),
    Check("schema-unique-items", 2, "A list repeats an item (modes, contexts, event_labels).", "List each item once."),
    Check("schema", 2, "The record does not match the schema in a way the other schema checks do not name (the fast validator's verdict, in its words).",
          "Follow schema/article.schema.json at the reported pointer."),
    # L3 article
    Check("offset-not-integer", 3, "An offset is a number with a fraction part or written as a float (5.0).", "Write offsets as plain integers."),
    Check("offset-out-of-range", 3, "A span ends beyond the end of text.", "Recompute the offsets against text."),
    Check("span-empty-or-reversed", 3, "A span's start is not before its end.", "end is exclusive: end = start + length."),
    Check("span-text-mismatch", 3, "A span's text differs from text[start:end].", "Recompute the offsets or fix the span text."),
    Check("span-edge-whitespace", 3, "A span starts or ends with white space.", "Trim the span to the mention."),
    Check("span-edge-punctuation", 3, "A span starts or ends with punctuation (quotation marks stay outside spans).", "Trim the span to the mention (guidelines, Spans)."),
    Check("span-proclitic", 3, "An entity starts with a proclitic and the article (وال، فال، بال، كال) or with the contracted لل.", "Start the span after the proclitic (guidelines, Proclitics); foreign names such as والتر may legitimately match.", "warning"),
    Check("span-partial-word", 3, "A span ends inside a word, or starts inside one after something other than the proclitics و ف ب ل ك.", "Widen the span to the word's end, or start it right after the proclitics (guidelines, Spans)."),
    Check("span-crossing", 3, "Two entities overlap without one containing the other.", "Nest the spans or split them (guidelines, Nesting)."),
    Check("span-duplicate", 3, "Two entities cover exactly the same span.", "Keep one entity per span."),
    Check("place-head-noun-outside", 3, "A GPE starts right after a head noun that says what kind of place it is (مدينة، محافظة، قرية، ولاية، العاصمة ...).", "Start the GPE at the head noun, after its proclitics, and drop a GPE of the bare name (guidelines, Place names).", "warning"),
    Check("duplicate-id", 3, "An entity or event id repeats within the article.", "Number ids uniquely: T1, T2, ...; E1, E2, ..."),
    Check("argument-unresolved", 3, "An event argument names an entity id that the article does not have.", "Point the argument at an existing entity."),
    Check("argument-entity-type", 3, "An argument points at an entity whose type the role does not take (e.g. time -> GPE).", "Point the role at an entity of an allowed type (schema/labels/argument_roles.json)."),
    Check("argument-distant", 3, "An argument's entity lies in another paragraph than the event's trigger.", "Take arguments from the trigger's own sentence (guidelines, Arguments)."),
    Check("argument-duplicate", 3, "An event lists the same role and entity twice.", "List each argument once."),
    Check("argument-recipient-missing", 3, "An event of a type that PLOVER expects to have a recipient (requires_recipient in schema/labels/event_types.json: COOPERATE, AID, SANCTION, PROTEST) names none, and it is not a mutual act of two or more actors.", "Add the recipient named in the trigger's sentence; the text may name none, which is why this is a warning (guidelines, Arguments).", "warning"),
    Check("trigger-multiple-types", 3, "Two events of different types share the same trigger span (PLOVER codes one category per event).", "Keep the one type that fits (guidelines, The trigger); a signing is one SUPPORT, not SUPPORT plus AGREE."),
    Check("mode-not-allowed", 3, "An event carries a mode that belongs to another event type.", "Use the type's own modes or the auxiliary ones (schema/labels/event_types.json)."),
    Check("date-approximator", 3, "A DATE span starts with an approximator (نحو، حوالي، حوالى، قرابة، زهاء).", "Start the DATE after the approximator, as Wojood does (guidelines, Dates).", "warning"),
    Check("normalized-not-date", 3, "A `normalized` value sits on an entity that is not a DATE, or is not a real date.", "Only DATE entities carry normalized, as YYYY, YYYY-MM or YYYY-MM-DD."),
    Check("date-invalid", 3, "A source date is not a real calendar date.", "Write an existing date as YYYY-MM-DD."),
    Check("text-not-nfc", 3, "text or title is not in Unicode NFC.", "Normalize to NFC before computing offsets (khabar ingest does)."),
    Check("text-invisible-control", 3, "A string (text, title, or a source or annotation field) holds a control, bidirectional or other invisible formatting character; a line break is allowed in text and annotation.notes only.", "Remove it (ZWNJ and ZWJ are allowed)."),
    Check("text-layout", 3, "text is not headline, blank line, body paragraphs separated by single blank lines, without white space at line ends.", "Re-ingest, or fix the white space at the reported offset."),
    Check("title-text-mismatch", 3, "text does not start with the title followed by a blank line.", "Make the title the first paragraph of text."),
    Check("event-labels-mismatch", 3, "event_labels differ from the types of the events reported as news (guidelines, Document labels).", "Set event_labels to the expected list in the message."),
    Check("interchange-note-invalid", 3, "annotation.notes holds a `khabar-interchange:` line that is not a valid interchange note (keys in src/khabar/interchange/provenance.py): exporters write file names and columns from it.", "Restore the line as the importer wrote it, or delete it (the record then exports like any khabar record)."),
    # L4 corpus
    Check("file-name-mismatch", 4, "An article file is not named <id>.json.", "Rename the file or fix the id."),
    Check("duplicate-article-id", 4, "Two records share an id.", "Give one of them a new id."),
    Check("duplicate-text", 4, "Two records have the same text.", "Keep one record per article."),
    Check("split-registry-invalid", 4, "A line of splits.tsv is malformed (fields, unknown split, repeated id).", "Fix the line: id, split (train/validation/test), story, tab-separated."),
    Check("split-unregistered", 4, "An article is missing from splits.tsv.", "Run `khabar splits` to assign it and commit the registry."),
    Check("split-unknown-id", 4, "splits.tsv lists an id that no article has.", "Remove the line, unless the article was published: then restore the article."),
    Check("split-moved", 4, "splits.tsv puts a published article in another split than its release did.", "Put it back: a released article never changes split."),
]

CHECKS: dict[str, Check] = {check.id: check for check in _TABLE}
assert len(CHECKS) == len(_TABLE), "check ids must be unique"

# JSON Schema keyword -> check id for level 2.
SCHEMA_KEYWORD_CHECKS = {
    "required": "schema-required",
    "additionalProperties": "schema-additional-properties",
    "type": "schema-type",
    "enum": "schema-enum",
    "pattern": "schema-pattern",
    "minLength": "schema-min-length",
    "minItems": "schema-min-items",
    "minimum": "schema-minimum",
    "uniqueItems": "schema-unique-items",
}


def checks_table_markdown() -> str:
    """schema/CHECKS.md: every check id, its level, what it means and how to fix it."""
    rows = [
        "# Validator checks",
        "",
        "Generated from `src/khabar/validate/checks.py`; do not edit by hand "
        "(`python scripts/write_checks_table.py`). A level runs only on records that passed the "
        "levels below it; the split checks run when every record of the folder passed levels 1-3. "
        "Warnings are reported but do not make the data invalid.",
        "",
        "| id | level | severity | meaning | how to fix |",
        "|---|---|---|---|---|",
    ]
    for check in _TABLE:
        rows.append(f"| `{check.id}` | L{check.level} | {check.severity} | {check.meaning} | {check.fix} |")
    return "\n".join(rows) + "\n"
