"""The article JSON Schema: loading it, and filling its label enums from schema/labels/."""

from __future__ import annotations

import copy
import json
from functools import lru_cache

from khabar import labels
from khabar.paths import schema_dir

SCHEMA_FILE = "article.schema.json"


@lru_cache(maxsize=None)
def article_schema() -> dict:
    """The committed schema/article.schema.json."""
    with open(schema_dir() / SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def enum_locations(schema: dict) -> dict[str, tuple[dict, tuple[str, ...]]]:
    """JSON pointer of each label enum -> (the schema node holding it, the labels it must list)."""
    props = schema["properties"]
    event = props["events"]["items"]["properties"]
    return {
        "/properties/entities/items/properties/type": (
            props["entities"]["items"]["properties"]["type"], labels.entity_types().names),
        "/properties/events/items/properties/type": (event["type"], labels.event_type_names()),
        "/properties/events/items/properties/arguments/items/properties/role": (
            event["arguments"]["items"]["properties"]["role"], labels.argument_roles().names),
        "/properties/events/items/properties/mode/items": (event["mode"]["items"], labels.all_mode_names()),
        "/properties/events/items/properties/context/items": (event["context"]["items"], labels.contexts().names),
        "/properties/event_labels/items": (props["event_labels"]["items"], labels.event_type_names()),
    }


def with_label_enums(schema: dict) -> dict:
    """A copy of schema whose label enums are exactly the label sets in schema/labels/."""
    synced = copy.deepcopy(schema)
    for node, names in enum_locations(synced).values():
        node["enum"] = list(names)
    return synced


def dumps_schema(schema: dict) -> str:
    """The schema file's canonical text (so a re-sync produces no spurious diff)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def field_order(schema: dict | None = None) -> dict[str, list[str]]:
    """Key order for written records, taken from the schema's `properties` order per object."""
    schema = schema or article_schema()
    props = schema["properties"]
    event = props["events"]["items"]["properties"]
    return {
        "": list(props),
        "source": list(props["source"]["properties"]),
        "entity": list(props["entities"]["items"]["properties"]),
        "event": list(event),
        "trigger": list(event["trigger"]["properties"]),
        "argument": list(event["arguments"]["items"]["properties"]),
        "annotation": list(props["annotation"]["properties"]),
    }
