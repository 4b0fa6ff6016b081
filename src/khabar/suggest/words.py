"""Where a string occurs in a text as a mention may: at whole words, proclitics outside.

A mention starts at a word's start or right after the proclitics the guidelines put outside
(textrules.PROCLITIC_PREFIX: و ف, then ب ل ك), and ends at a word's end (enclitic pronouns stay
inside, so a match that stops inside a word is no mention). A string that starts with the
article ال is also found in its ل + ال form (للجيش): the span then starts at the second lam, as
guidelines 2.2 prescribe (لجيش).
"""

from __future__ import annotations

from khabar.textrules import PROCLITIC_PREFIX, is_edge_punctuation, is_word_char


def word_prefix(text: str, start: int) -> str:
    """The part of the word that precedes text[start]."""
    begin = start
    while begin > 0 and is_word_char(text[begin - 1]):
        begin -= 1
    return text[begin:start]


def is_mention(text: str, start: int, end: int) -> bool:
    """Would the validator accept text[start:end] as a span's extent (no white space or edge
    punctuation at its edges, whole words, only proclitics before it in its word)?"""
    if not 0 <= start < end <= len(text):
        return False
    first, last = text[start], text[end - 1]
    if first.isspace() or last.isspace() or is_edge_punctuation(first, False) or is_edge_punctuation(last, True):
        return False
    if end < len(text) and is_word_char(last) and is_word_char(text[end]):
        return False
    return PROCLITIC_PREFIX.match(word_prefix(text, start)) is not None


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """(start, end) of every place where surface occurs in text as a mention (module doc)."""
    found = []
    forms = [(surface, False)]
    if surface.startswith("ال") and len(surface) > 2:
        forms.append(("ل" + surface[2:], True))
    for form, after_lam in forms:
        position = text.find(form)
        while position >= 0:
            end = position + len(form)
            if is_mention(text, position, end) and (not after_lam or word_prefix(text, position).endswith("ل")):
                found.append((position, end))
            position = text.find(form, position + 1)
    return sorted(set(found))
