"""The invisible-mark policy and text clean-up at the import boundary, with offset maps.

khabar text is NFC and holds no control, bidirectional or other invisible formatting character
(ZWNJ and ZWJ excepted) - the validator's `text-invisible-control` and `text-not-nfc`. Imported
text is brought there by removing every such character (U+200E LEFT-TO-RIGHT MARK, U+200F,
U+FEFF, ...) and normalising to NFC; the removals are counted per character and reported per
file, never silently. A token that held nothing else disappears (a reported repair).

For whole texts (brat .txt, Label Studio task text) `clean_text` also converts CRLF to LF and
lays lines out as khabar paragraphs, and returns an OffsetMap that carries span offsets from
the raw text to the clean one.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

# the validator's character rules: importing them keeps import and validation from drifting apart
from khabar.textrules import is_invisible

def invisible_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


class _Deleter(dict):
    """str.translate table that deletes invisible characters, filled in as characters are met."""

    def __missing__(self, code: int):
        self[code] = None if is_invisible(chr(code)) else code
        return self[code]


_DELETE_INVISIBLE = _Deleter()


def clean_token(token: str) -> tuple[str, str, bool]:
    """(the token without invisible characters, in NFC; the removed characters, in order;
    whether NFC changed it)."""
    removed = ""
    if not token.isprintable():  # every invisible character is unprintable: the usual token skips this
        cleaned = token.translate(_DELETE_INVISIBLE)
        if len(cleaned) != len(token):
            removed = "".join(char for char in token if is_invisible(char))
            token = cleaned
    if token.isascii() or unicodedata.is_normalized("NFC", token):
        return token, removed, False
    return unicodedata.normalize("NFC", token), removed, True


def describe_removed(removed: Counter) -> str:
    """'152,599 × U+200E LEFT-TO-RIGHT MARK, 3 × U+200F RIGHT-TO-LEFT MARK'."""
    return ", ".join(f"{count:,} × {invisible_name(char)}" for char, count in sorted(removed.items()))


@dataclass
class OffsetMap:
    """Maps offsets into a raw text to offsets into its cleaned form.

    kept[i] is the raw offset of clean character i; `clusters` are raw offsets where an NFC
    composition starts a clean character, so that a boundary inside one can be refused.
    """

    kept: list[int]
    raw_length: int
    inside_cluster: set[int]

    def clean(self, raw_offset: int) -> int:
        """The clean offset of a raw boundary: the number of kept characters before it."""
        return bisect.bisect_left(self.kept, raw_offset)

    def splits_a_character(self, raw_offset: int) -> bool:
        return raw_offset in self.inside_cluster


@dataclass
class CleanText:
    text: str
    offsets: OffsetMap
    removed: Counter  # invisible characters removed
    crlf: int  # CRLF pairs read as LF
    layout_changed: bool  # line breaks or white space at line edges changed


def clean_text(raw: str) -> CleanText:
    """The raw text as khabar text: LF line ends, no invisible characters, NFC, every non-blank
    line a paragraph (lines stripped, paragraphs separated by one blank line).

    A valid khabar text comes back unchanged, and so do the offsets of its span boundaries.
    """
    removed: Counter = Counter()
    crlf = 0
    chars: list[tuple[int, str]] = []  # (raw offset, character) kept so far
    for offset, char in enumerate(raw):
        if char == "\r":
            if raw[offset + 1: offset + 2] == "\n":
                crlf += 1
                continue
            char = "\n"  # a lone CR ends a line (old Mac files)
        if char != "\n" and is_invisible(char):
            removed[char] += 1
            continue
        chars.append((offset, char))
    chars, inside = _nfc(chars)
    laid_out, layout_changed = _layout(chars)
    text = "".join(char for _, char in laid_out)
    return CleanText(text, OffsetMap([offset for offset, _ in laid_out], len(raw), inside), removed, crlf, layout_changed)


def _nfc(chars: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[int]]:
    """NFC, cluster by cluster (a starter and the combining marks after it)."""
    out: list[tuple[int, str]] = []
    inside: set[int] = set()
    i = 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and unicodedata.combining(chars[j][1]):
            j += 1
        cluster = "".join(char for _, char in chars[i:j])
        composed = unicodedata.normalize("NFC", cluster)
        if composed == cluster:
            out.extend(chars[i:j])
        else:
            # the composed characters take the raw offset of the cluster's start; a span boundary
            # strictly inside the cluster cannot be carried over
            inside.update(offset for offset, _ in chars[i + 1:j])
            out.extend((chars[i][0], char) for char in composed)
        i = j
    return out, inside


def _layout(chars: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], bool]:
    """Every non-blank line a paragraph: lines stripped, paragraphs joined by one blank line."""
    lines: list[list[tuple[int, str]]] = [[]]
    for item in chars:
        if item[1] == "\n":
            lines.append([])
        else:
            lines[-1].append(item)
    out: list[tuple[int, str]] = []
    for line in lines:
        start, end = 0, len(line)
        while start < end and line[start][1].isspace():
            start += 1
        while end > start and line[end - 1][1].isspace():
            end -= 1
        if start == end:
            continue
        if out:
            # the separator sits just after the previous paragraph's last raw character, so a
            # span ending there stays before it and a span starting on the next line after it
            after = out[-1][0] + 1
            out.extend([(after, "\n"), (after, "\n")])
        out.extend(line[start:end])
    changed = "".join(c for _, c in out) != "".join(c for _, c in chars)
    return out, changed


# ---------------------------------------------------------------- crawled text

# Crawl artefacts a news map may repair (`khabar import news`). Each is an artefact of the
# crawl, not of publication (GUIDELINES section 1): the reader saw the character the entity or
# the presentation form stands for, and a space where the crawl kept a no-break space.
HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")  # Arabic Presentation Forms-A and -B (not U+FEFF)
SPACE_CONTROLS = "\t\v\f"  # white space written as a control character: a space, not a deletion (words stay apart)
CRAWL_REPAIRS = ("html-entities", "presentation-forms", "nbsp")


def repair_crawled(text: str, repairs: Iterable[str] = CRAWL_REPAIRS) -> tuple[str, Counter]:
    """The text with the chosen crawl repairs made, then the invisible-mark policy applied, then NFC.

    repairs: any of CRAWL_REPAIRS. "html-entities": `&quot;`, `&#8211;` ... become their
    characters; "presentation-forms": Arabic presentation forms become the standard letters
    (NFKC of those characters only); "nbsp": U+00A0 becomes a space. Then, always: CRLF and CR
    become LF, TAB/VT/FF a space, every other invisible character (textrules.is_invisible) is
    removed; then NFC. Returns the text and the changes counted per (kind, detail):
    ("html-entity", "&quot;"), ("presentation-form", "Arabic presentation forms ..."), ("nbsp", "U+00A0 NO-BREAK SPACE"),
    ("space-control", "U+0009 ..."), ("invisible", "U+200F ..."), ("line-end", "CR"), ("nfc", "lines").
    """
    counts: Counter = Counter()
    repairs = set(repairs)
    unknown = repairs - set(CRAWL_REPAIRS)
    if unknown:
        raise ValueError(f"unknown crawl repair(s): {', '.join(sorted(unknown))}")
    if "html-entities" in repairs and "&" in text:
        def unescape(match: re.Match) -> str:
            replaced = html.unescape(match.group())
            if replaced != match.group():
                counts["html-entity", match.group()] += 1
            return replaced
        text = HTML_ENTITY.sub(unescape, text)
    # every character of U+F000-U+FFFF starts with the byte EF in UTF-8: most texts hold none and skip the regex
    if "presentation-forms" in repairs and b"\xef" in text.encode("utf-8", "surrogatepass") \
            and PRESENTATION_FORM.search(text):
        def standard(match: re.Match) -> str:
            counts["presentation-form", "Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFE)"] += 1
            return unicodedata.normalize("NFKC", match.group())
        text = PRESENTATION_FORM.sub(standard, text)
    if "nbsp" in repairs and "\xa0" in text:
        counts["nbsp", invisible_name("\xa0")] += text.count("\xa0")
        text = text.replace("\xa0", " ")
    if "\r" in text:
        counts["line-end", "CRLF"] += text.count("\r\n")
        text = text.replace("\r\n", "\n")
        counts["line-end", "CR"] += text.count("\r")
        text = text.replace("\r", "\n")
        counts = +counts
    # every invisible character is unprintable, and isprintable() clears the usual text at C speed
    if not text.replace("\n", " ").isprintable():  # the rare text that needs the character-by-character pass
        for char in SPACE_CONTROLS:
            if char in text:
                counts["space-control", invisible_name(char)] += text.count(char)
                text = text.replace(char, " ")
        cleaned = text.translate(_DELETE_INVISIBLE)
        if len(cleaned) != len(text):
            counts.update(("invisible", invisible_name(char)) for char in text if char != "\n" and is_invisible(char))
            text = cleaned
    if not unicodedata.is_normalized("NFC", text):
        normalized = unicodedata.normalize("NFC", text)
        counts["nfc", "lines changed"] += sum(a != b for a, b in zip(text.split("\n"), normalized.split("\n")))
        text = normalized
    return text, counts
