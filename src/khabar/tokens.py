"""A deterministic tokenizer and sentence splitter that never look at annotations.

Tokens: runs of word characters (letters, digits, combining marks, tatweel; proclitics stay
attached, as written) and single punctuation or symbol characters. Sentences: the headline,
then each paragraph cut after sentence-final punctuation (. ! ? ؟ …) that white space follows.
Deriving tokens from the text alone keeps entity boundaries from leaking into the tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from khabar.textrules import is_word_char

_SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s)")


_SPACE, _WORD, _OTHER = 0, 1, 2


@lru_cache(maxsize=None)
def _bmp_classes() -> np.ndarray:
    """Class of every Basic Multilingual Plane character: space, word character, or other."""
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        if char.isspace():
            table[code] = _SPACE
        elif is_word_char(char):
            table[code] = _WORD
    return table


def token_arrays(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the tokens of text as int64 arrays: runs of word characters, and every
    other non-space character on its own. Vectorized: the tokenizer runs over every sentence of
    a release, and a character loop in Python would dominate the build."""
    if not text:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    classes = _bmp_classes()[np.minimum(codes, 0xFFFF)]
    for index in np.nonzero(codes > 0xFFFF)[0]:  # outside the BMP: classify one by one (rare)
        char = chr(int(codes[index]))
        classes[index] = _SPACE if char.isspace() else _WORD if is_word_char(char) else _OTHER
    previous = np.concatenate(([_SPACE], classes[:-1]))
    following = np.concatenate((classes[1:], [_SPACE]))
    filled = classes != _SPACE
    starts = np.flatnonzero(filled & ((classes == _OTHER) | (previous != _WORD)))
    ends = np.flatnonzero(filled & ((classes == _OTHER) | (following != _WORD))) + 1
    return starts, ends


def token_bounds(text: str, start: int = 0, end: int | None = None) -> tuple[list[int], list[int]]:
    """(starts, ends) of the tokens of text[start:end], as offsets into text."""
    end = len(text) if end is None else end
    if end <= start:
        return [], []
    starts, ends = token_arrays(text[start:end])
    return (starts + start).tolist(), (ends + start).tolist()


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end], with offsets into text."""
    starts, ends = token_bounds(text, start, end)
    return [Token(s, e, text[s:e]) for s, e in zip(starts, ends)]


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
