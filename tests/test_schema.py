"""schema/: the JSON Schema is valid, strict, and its enums are the label sets."""

import json

import jsonschema
import pytest

from khabar import labels
from khabar.paths import schema_dir
from khabar.schema import SCHEMA_FILE, article_schema, dumps_schema, enum_locations, with_label_enums
from khabar.validate.checks import SCHEMA_KEYWORD_CHECKS


def test_schema_is_valid_draft_2020_12():
    schema = article_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_committed_schema_has_the_label_sets_as_enums():
    committed = (schema_dir() / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == dumps_schema(with_label_enums(article_schema())), "run scripts/sync_schema_enums.py"
    for pointer, (node, names) in enum_locations(article_schema()).items():
        assert node["enum"] == list(names), pointer


def _objects(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_object_schema_is_closed():
    for node in _objects(article_schema()):
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, node.get("title") or list(node.get("properties", {}))


def _subschemas(schema):
    yield schema
    for key in ("properties", "$defs"):
        for child in schema.get(key, {}).values():
            yield from _subschemas(child)
    for key in ("items", "if", "then"):
        if key in schema:
            yield from _subschemas(schema[key])


def test_every_keyword_that_can_fail_has_a_check_id():
    annotations = {"$schema", "$id", "$ref", "$defs", "title", "description", "properties", "items", "if", "then"}
    keywords = {key for node in _subschemas(article_schema()) for key in node} - annotations
    assert keywords == set(SCHEMA_KEYWORD_CHECKS)


def test_label_sets_have_the_documented_sizes_and_one_line_definitions():
    assert len(labels.entity_types().names) == 21
    assert labels.event_type_names() == ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                                         "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                                         "MOBILIZE", "COERCE", "ASSAULT")
    assert labels.auxiliary_modes().names == ("historical", "future", "hypothetical", "negation")
    assert len(labels.contexts().names) == 37
    assert labels.argument_roles().names == ("actor", "recipient", "location", "time")
    assert [m.name for m in dict((t.name, t) for t in labels.event_types())["CONSULT"].modes] == [
        "visit", "third-party", "multilateral", "phone"]
    assert [m.name for m in dict((t.name, t) for t in labels.event_types())["SANCTION"].modes] == [
        "convict", "expel", "withdraw", "discontinue"]
    for label_set in (labels.entity_types(), labels.auxiliary_modes(), labels.contexts(), labels.argument_roles()):
        assert len(set(label_set.names)) == len(label_set.names)
        for label in label_set.labels:
            assert label.definition and "\n" not in label.definition, label.name
    for event_type in labels.event_types():
        assert event_type.definition and all(m.definition and "\n" not in m.definition for m in event_type.modes)


@pytest.mark.parametrize("name", ["entity_types", "event_types", "auxiliary_modes", "contexts", "argument_roles"])
def test_label_files_credit_their_source(name):
    raw = json.loads((schema_dir() / "labels" / f"{name}.json").read_text(encoding="utf-8"))
    assert raw["name"] == name and raw["source"]
    if name in ("event_types", "auxiliary_modes", "contexts"):
        assert "PLOVER" in raw["source"] and "CC BY-SA 4.0" in raw["source"]


def test_argument_roles_name_existing_entity_types():
    known = set(labels.entity_types().names)
    for role, types in labels.role_entity_types().items():
        assert types and types <= known, role
