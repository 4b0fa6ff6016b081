"""A deterministic tokenizer and sentence splitter that never look at annotations.

Tokens: runs of word characters (letters, digits, combining marks, tatweel; proclitics stay
attached, as written) and single punctuation or symbol characters. Sentences: the headline,
then each paragraph cut after sentence-final punctuation (. ! ? ؟ …) that white space follows.
Deriving tokens from the text alone keeps entity boundaries from leaking into the tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s)")


def is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_ـ" or unicodedata.category(char).startswith("M")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end], with offsets into text."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    i = start
    while i < end:
        char = text[i]
        if char.isspace():
            i += 1
        elif is_word_char(char):
            j = i + 1
            while j < end and is_word_char(text[j]):
                j += 1
            tokens.append(Token(i, j, text[i:j]))
            i = j
        else:
            tokens.append(Token(i, i + 1, char))
            i += 1
    return tokens


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs (the headline is one) cut after final punctuation."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        begin = 0
        for found in _SENTENCE_END.finditer(paragraph):
            spans.append((offset + begin, offset + found.end()))
            begin = found.end()
            while begin < len(paragraph) and paragraph[begin].isspace():
                begin += 1
        if begin < len(paragraph):
            spans.append((offset + begin, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return spans
