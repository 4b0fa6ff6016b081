"""Types maps: another corpus's entity types -> khabar's 21 types, and back.

A map is a JSON object `{"description": "...", "types": {"SOURCE": "KHABAR" | null, ...}}`
(a bare `{"SOURCE": ...}` object is read too). null means "no khabar equivalent": such a span
is not a khabar entity (the schema allows only khabar's types) but is kept in the record's
interchange note, so that exporting gives it back (README, "Import and export").

Exporting needs the inverse, which a many-to-one map (NewsFANE's Politician, Athlete, ... ->
PERS) does not have: the importer keeps the source type of every renamed entity in the
interchange note, and export gives it back. An entity without a kept source type (added or
retyped by a curator) is exported through the map given to the export: the first source type
the map lists for its khabar type; a khabar type that the map never produces is exported as is.

Bundled maps for the external corpora live in interchange/maps/ and can be named instead of a
file: `--types-map anercorp`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from khabar import labels
from khabar.interchange.problems import UsageProblem

MAPS_DIR = Path(__file__).resolve().parent / "maps"


@dataclass(frozen=True)
class TypesMap:
    name: str
    forward: dict[str, str | None] = field(default_factory=dict)  # source type -> khabar type or None

    def khabar_type(self, source_type: str) -> tuple[bool, str | None]:
        """(known, khabar type or None). Unknown: not in the map and not a khabar type."""
        if source_type in self.forward:
            return True, self.forward[source_type]
        if source_type in labels.entity_types().names:
            return True, source_type
        return False, None

    def sources_of(self, khabar_type: str) -> list[str]:
        """Source types that map to khabar_type, in the map's order."""
        return [source for source, target in self.forward.items() if target == khabar_type]

    def is_ambiguous(self, khabar_type: str) -> bool:
        """True when the khabar type alone does not say which source type it came from."""
        return len(self.sources_of(khabar_type)) > 1

    def source_type(self, khabar_type: str) -> str:
        """The source type an entity of khabar_type is exported as, without a kept original."""
        sources = self.sources_of(khabar_type)
        return sources[0] if sources else khabar_type


IDENTITY = TypesMap("khabar")


def bundled_maps() -> list[str]:
    return sorted(path.stem for path in MAPS_DIR.glob("*.json"))


def load_types_map(value: str | None) -> TypesMap:
    """The map named by --types-map: a bundled map's name or a JSON file; IDENTITY for None.

    Raises UsageProblem for a missing or malformed map.
    """
    if value is None:
        return IDENTITY
    path = Path(value)
    if not path.is_file() and (MAPS_DIR / f"{value}.json").is_file():
        path = MAPS_DIR / f"{value}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageProblem(f"{value}: no such types map (a JSON file, or one of: {', '.join(bundled_maps())})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageProblem(f"{value}: cannot read the types map ({error})") from None
    table = raw.get("types", raw) if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        raise UsageProblem(f"{value}: a types map is a JSON object {{\"types\": {{\"SOURCE\": \"KHABAR\" or null}}}}")
    khabar_types = set(labels.entity_types().names)
    forward: dict[str, str | None] = {}
    for source, target in table.items():
        if target is not None and target not in khabar_types:
            raise UsageProblem(f"{value}: {source!r} maps to {target!r}, which is not a khabar entity type")
        forward[source] = target
    return TypesMap(path.stem, forward)
