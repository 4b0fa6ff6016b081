"""The closed label sets, read from schema/labels/*.json: the one place they are defined.

JSON Schema enums, validator checks, Arrow features and docs tables all take their
labels from here (or are tested against it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from khabar.paths import schema_dir


@dataclass(frozen=True)
class Label:
    name: str
    definition: str


@dataclass(frozen=True)
class LabelSet:
    name: str
    description: str
    source: str
    labels: tuple[Label, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)


@dataclass(frozen=True)
class EventType(Label):
    modes: tuple[Label, ...] = ()
    requires_recipient: bool = False  # PLOVER's "Requires recipient" for the type


def _read(name: str) -> dict:
    with open(schema_dir() / "labels" / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _label_set(name: str) -> LabelSet:
    raw = _read(name)
    labels = tuple(Label(item["name"], item["definition"]) for item in raw["labels"])
    return LabelSet(raw["name"], raw["description"], raw["source"], labels)


@lru_cache(maxsize=None)
def entity_types() -> LabelSet:
    """Wojood's 21 entity types."""
    return _label_set("entity_types")


@lru_cache(maxsize=None)
def auxiliary_modes() -> LabelSet:
    """PLOVER's modes that any event type may carry (historical, future, ...)."""
    return _label_set("auxiliary_modes")


@lru_cache(maxsize=None)
def contexts() -> LabelSet:
    """PLOVER's contexts (the topic an event belongs to)."""
    return _label_set("contexts")


@lru_cache(maxsize=None)
def argument_roles() -> LabelSet:
    """The roles an entity can play in an event."""
    return _label_set("argument_roles")


@lru_cache(maxsize=None)
def role_entity_types() -> dict[str, frozenset[str]]:
    """Argument role -> the entity types an argument in that role may point at."""
    return {item["name"]: frozenset(item["entity_types"]) for item in _read("argument_roles")["labels"]}


@lru_cache(maxsize=None)
def event_types() -> tuple[EventType, ...]:
    """PLOVER's 16 event types, each with its own modes."""
    raw = _read("event_types")
    return tuple(
        EventType(
            item["name"],
            item["definition"],
            tuple(Label(mode["name"], mode["definition"]) for mode in item["modes"]),
            bool(item.get("requires_recipient", False)),
        )
        for item in raw["labels"]
    )


@lru_cache(maxsize=None)
def event_type_names() -> tuple[str, ...]:
    return tuple(event_type.name for event_type in event_types())


@lru_cache(maxsize=None)
def event_type_order() -> dict[str, int]:
    """Event type -> its position in the label set."""
    return {name: position for position, name in enumerate(event_type_names())}


@lru_cache(maxsize=None)
def types_requiring_recipient() -> frozenset[str]:
    """The event types whose events PLOVER expects to name a recipient (requires_recipient in the label file)."""
    return frozenset(event_type.name for event_type in event_types() if event_type.requires_recipient)


@lru_cache(maxsize=None)
def modes_allowed_for() -> dict[str, frozenset[str]]:
    """Event type -> the modes it may carry: its own modes plus the auxiliary ones."""
    auxiliary = frozenset(auxiliary_modes().names)
    return {t.name: frozenset(m.name for m in t.modes) | auxiliary for t in event_types()}


def all_mode_names() -> tuple[str, ...]:
    """Every mode name, type-specific ones first in type order, then the auxiliary ones; no repeats."""
    seen: dict[str, None] = {}
    for event_type in event_types():
        for mode in event_type.modes:
            seen.setdefault(mode.name, None)
    for name in auxiliary_modes().names:
        seen.setdefault(name, None)
    return tuple(seen)
