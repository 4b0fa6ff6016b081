"""Level 2, schema: the record against schema/article.schema.json.

jsonschema-rs decides, always (fast accept path); the pure-Python jsonschema explains a
failure with the JSON pointer of every failing value. The schema's patterns are written to
mean the same in both engines (`$(?!\n)`: Python's `$` alone also matches before a final line
break), and tests/test_fixtures.py proves both give the same verdict on every fixture. Should
they still differ, the fast verdict stands: a record the explainer finds nothing wrong with
gets a generic `schema` incident carrying jsonschema-rs's own message and pointer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

import jsonschema_rs

from khabar.schema import article_schema
from khabar.validate.checks import SCHEMA_KEYWORD_CHECKS
from khabar.validate.incident import Incident
from khabar.validate.level1 import RawRecord
from khabar.validate.locate import LineFinder, pointer

if TYPE_CHECKING:
    import jsonschema


@lru_cache(maxsize=None)
def fast_validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(article_schema())


@lru_cache(maxsize=None)
def explaining_validator() -> jsonschema.Draft202012Validator:
    # imported on the first invalid record: a process that only meets valid ones (a worker of a
    # large build) saves its memory and start-up time
    import jsonschema

    return jsonschema.Draft202012Validator(article_schema())


def schema_errors(record: dict) -> list[jsonschema.ValidationError]:
    """Every schema violation in record, in a stable order (by location, then keyword)."""
    errors = explaining_validator().iter_errors(record)
    return sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.validator, e.message))


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "unknown propert" + ("y " if len(extra) == 1 else "ies ") + ", ".join(map(json.dumps, extra))
    if error.validator == "required":
        return error.message.replace("'", '"')
    shown = json.dumps(error.instance, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if error.validator == "enum":
        return f"{shown} is not a known label"
    if error.validator == "type":
        return f"{shown} is not of type {json.dumps(error.validator_value)}"
    if error.validator == "pattern":
        return f"{shown} does not match {error.validator_value}"
    if error.validator in ("minLength", "minItems"):
        return f"{shown} must not be empty"
    if error.validator == "uniqueItems":
        return f"{shown} repeats an item"
    if error.validator == "minimum":
        return f"{shown} is less than {error.validator_value}"
    return error.message


def check(raw: RawRecord, record: dict) -> list[Incident]:
    """L2 incidents for one parsed record (empty when it matches the schema)."""
    if fast_validator().is_valid(record):
        return []
    lines = LineFinder(raw.text, raw.first_line, raw.single_line)
    record_id = record.get("id") if isinstance(record.get("id"), str) else None
    incidents = []
    for error in schema_errors(record):
        where = pointer(*error.absolute_path)
        check_id = SCHEMA_KEYWORD_CHECKS.get(error.validator, "schema")
        incidents.append(Incident(raw.file, lines.line_of(where), check_id,
                                  f"{where or '/'}: {_describe(error)}", record_id))
    if not incidents:  # the engines disagree: the fast verdict stands, in its own words
        for error in fast_validator().iter_errors(record):
            where = pointer(*error.instance_path)
            incidents.append(Incident(raw.file, lines.line_of(where), "schema", f"{where or '/'}: {error.message}",
                                      record_id))
    return incidents
