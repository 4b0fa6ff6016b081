"""A deterministic tokenizer and sentence splitter that never look at annotations.

Tokens: runs of word characters (letters, digits, combining marks, tatweel; proclitics stay
attached, as written) and single punctuation or symbol characters. Sentences: the headline,
then each paragraph cut after sentence-final punctuation (. ! ? ؟ …) that white space follows.
Deriving tokens from the text alone keeps entity boundaries from leaking into the tokens.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from khabar.textrules import is_word_char

# character classes; sentence-final punctuation is "other" for the tokenizer
_SPACE, _WORD, _OTHER, _FINAL = 0, 1, 2, 3
_SENTENCE_FINAL = ".!?؟…"


@lru_cache(maxsize=None)
def _bmp_classes() -> np.ndarray:
    """Class of every Basic Multilingual Plane character."""
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        if char.isspace():
            table[code] = _SPACE
        elif is_word_char(char):
            table[code] = _WORD
    table[[ord(char) for char in _SENTENCE_FINAL]] = _FINAL
    return table


def character_classes(text: str) -> np.ndarray:
    """The class of each character of text (uint8). No white space or final punctuation lies
    outside the BMP; the characters there are classified one by one (rare)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(codes) or codes.max() < 0x10000:
        return _bmp_classes()[codes]
    classes = _bmp_classes()[np.minimum(codes, 0xFFFF)]
    for index in np.flatnonzero(codes > 0xFFFF):
        classes[index] = _WORD if is_word_char(chr(int(codes[index]))) else _OTHER
    return classes


def token_arrays(text: str, classes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the tokens of text as int64 arrays: runs of word characters, and every
    other non-space character on its own. Vectorized: the tokenizer runs over every sentence of
    a release, and a character loop in Python would dominate the build. classes: the text's
    character_classes, when the caller has them."""
    if not text:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    classes = character_classes(text) if classes is None else classes
    word = classes == _WORD
    filled = classes != _SPACE
    previous_word = np.concatenate(([False], word[:-1]))
    following_word = np.concatenate((word[1:], [False]))
    starts = np.flatnonzero(filled & ~(word & previous_word))
    ends = np.flatnonzero(filled & ~(word & following_word)) + 1
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


def sentence_arrays(texts: list[str], classes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(starts, ends) of every sentence of texts, as offsets into " ".join(texts), and the
    number of sentences of each text. classes: the joined text's character_classes, when the
    caller has them.

    The rule: paragraphs are what text.split("\\n\\n") gives (the headline is one); a paragraph
    is cut after a run of sentence-final punctuation (. ! ? ؟ …) that white space follows inside
    it, and the next sentence starts after that white space; a paragraph's first sentence starts
    at the paragraph's start; a sentence is never empty. Vectorized over all the texts.
    """
    paragraph_starts, paragraph_ends, text_starts = [], [], []
    base = 0
    for text in texts:
        text_starts.append(base)
        offset = base
        for paragraph in text.split("\n\n"):
            paragraph_starts.append(offset)
            paragraph_ends.append(offset + len(paragraph))
            offset += len(paragraph) + 2
        base += len(text) + 1
    paragraph_starts, paragraph_ends = np.array(paragraph_starts, np.int64), np.array(paragraph_ends, np.int64)
    classes = character_classes(" ".join(texts)) if classes is None else classes
    space = classes == _SPACE
    cuts = np.flatnonzero((classes[:-1] == _FINAL) & space[1:]) + 1
    # a cut at a paragraph's end is that end (the white space after it is the separator)
    paragraph = np.searchsorted(paragraph_starts, cuts, "right") - 1
    inside = cuts < paragraph_ends[paragraph]
    cuts, paragraph = cuts[inside], paragraph[inside]
    # the next sentence starts at the first character after the cut that is not white space
    begins, ends_of_paragraph = cuts.copy(), paragraph_ends[paragraph]
    spaced = begins < ends_of_paragraph
    while spaced.any():
        begins[spaced] += 1
        spaced = (begins < ends_of_paragraph) & space[np.minimum(begins, len(space) - 1)]
    starts = np.sort(np.concatenate((paragraph_starts, begins)))
    ends = np.sort(np.concatenate((cuts, paragraph_ends)))
    kept = starts < ends
    starts, ends = starts[kept], ends[kept]
    text_of = np.searchsorted(np.array(text_starts, np.int64), starts, "right") - 1
    return starts, ends, np.bincount(text_of, minlength=len(texts)).tolist()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text (sentence_arrays)."""
    starts, ends, _ = sentence_arrays([text])
    return list(zip(starts.tolist(), ends.tolist()))
