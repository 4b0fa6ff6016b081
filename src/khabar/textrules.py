"""Character rules that the validator enforces and the tokenizer and importers follow.

One definition each: level 3 of the validator checks text and spans with them, the tokenizer
uses the same word characters, and the importers clean and trim imported data to satisfy them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# What may precede a mention inside its word (guidelines 2.2): the proclitics و ف, then ب ل ك,
# then a tatweel. The validator's span-partial-word check and khabar suggest both use it.
PROCLITIC_PREFIX = re.compile(r"^[وف]?[بلك]?ـ?$")

# ZWNJ and ZWJ shape Arabic (and Persian) letters legitimately; other format characters do not.
ALLOWED_FORMAT = frozenset("\u200c\u200d")
# Punctuation that never opens or closes a mention: quotation marks and brackets (any script),
# dashes, and separators. A full stop may close one (abbreviations).
_EDGE_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf", "Pd"})
_EDGE_MARKS = frozenset("\"'،,؛;:!?؟.…")


@lru_cache(maxsize=4096)
def is_word_char(char: str) -> bool:
    """Letters, digits, underscore, combining marks (Arabic harakat) and tatweel."""
    return char.isalnum() or char in "_ـ" or unicodedata.category(char).startswith("M")


@lru_cache(maxsize=4096)
def is_invisible(char: str) -> bool:
    """Controls but the line feed, format characters but ZWNJ/ZWJ, line and paragraph separators."""
    category = unicodedata.category(char)
    return (category == "Cc" and char != "\n") or (category == "Cf" and char not in ALLOWED_FORMAT) \
        or category in ("Zl", "Zp")


def first_invisible(value: str, line_breaks: bool = True) -> tuple[int, str] | None:
    """The first invisible character of value and its offset (a line feed counts unless
    line_breaks). isprintable() rejects all of them, so it clears the usual text at C speed;
    only text it rejects is scanned one by one."""
    if (value.replace("\n", " ") if line_breaks else value).isprintable():
        return None
    for offset, char in enumerate(value):
        if is_invisible(char) or (char == "\n" and not line_breaks):
            return offset, char
    return None


def escaped(value: str) -> str:
    """value with every line break, control, invisible formatting character and lone surrogate
    (an undecodable byte of a file name) written as a Python escape (\\n, \\x1b, \\u202e,
    \\udcff): what khabar prints of a path or any other name taken from data, so that a name
    can neither add a line to a report nor reorder it on screen."""
    if value.isprintable():
        return value
    return "".join(char.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if char == "\n" or is_invisible(char) or "\ud800" <= char <= "\udfff" else char
                   for char in value)


@lru_cache(maxsize=4096)
def is_edge_punctuation(char: str, at_end: bool) -> bool:
    """May char not stand at a span's start (at_end False) or end (at_end True)?"""
    if at_end and char == ".":
        return False
    return char in _EDGE_MARKS or unicodedata.category(char) in _EDGE_CATEGORIES
