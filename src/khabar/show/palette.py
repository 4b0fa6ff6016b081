"""A colour and a line pattern per entity type, readable on white and told apart without colour.

Colours are Okabe & Ito's colour-blind-safe palette (2008) without its yellow, which is too light
on white. Seven colours cannot tell 21 types apart, so each type also has a border pattern
(solid, dashed, dotted) and always shows its name as a label: colour is never the only cue.
The type list comes from schema/labels (khabar.labels), in its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from khabar import labels

# Okabe-Ito: black, orange, sky blue, bluish green, blue, vermillion, reddish purple
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7")
PATTERNS = ("solid", "dashed", "dotted")
BLACK, WHITE = "#000000", "#FFFFFF"


@dataclass(frozen=True)
class TypeStyle:
    name: str
    definition: str
    colour: str  # border and label background
    pattern: str  # CSS border-style
    label_text: str  # label text colour, the one of black/white with more contrast on `colour`
    tint: str  # a light background for the span, 8-digit hex (colour at low opacity)

    @property
    def css_class(self) -> str:
        return f"t-{self.name}"


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #RRGGBB."""
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=None)
def entity_styles() -> tuple[TypeStyle, ...]:
    """One style per entity type of the schema, in schema order; no two share colour and pattern.

    Raises ValueError if the schema ever holds more types than colours x patterns.
    """
    types = labels.entity_types().labels
    if len(types) > len(OKABE_ITO) * len(PATTERNS):
        raise ValueError(f"{len(types)} entity types, only {len(OKABE_ITO) * len(PATTERNS)} colour/pattern pairs")
    styles = []
    for index, label in enumerate(types):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        pattern = PATTERNS[index // len(OKABE_ITO)]
        text = BLACK if contrast(colour, BLACK) >= contrast(colour, WHITE) else WHITE
        styles.append(TypeStyle(label.name, label.definition, colour, pattern, text, colour + "1F"))
    return tuple(styles)


def style_of(entity_type: str) -> TypeStyle | None:
    """The style of a schema type; None for a type the schema does not know (an invalid record)."""
    return {style.name: style for style in entity_styles()}.get(entity_type)
