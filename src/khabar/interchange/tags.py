"""Token tags: reading one tag, decoding a tag column into spans, encoding spans into tags.

Schemes: BIO (IOB2: every entity starts with B-), IOB1 (I- starts an entity; B- only marks an
entity that directly follows one of the same type) and BIOES (B- I- E-, S- for one token).

Repair policy for malformed tags (README, "Import and export"), as conlleval and seqeval read them:

- an I-X that follows O, another type or the sentence start starts a new entity (read as B-X);
  in IOB1 that is the scheme itself and no repair;
- in BIOES an E-X that closes nothing is read as S-X;
- tag syntax that no scheme has but whose meaning is plain is normalised: `OO` -> O,
  `IO` / `B-O` (a prefix on the outside tag) -> O, `I--ORG` -> I-ORG, a stray trailing
  character (`B-MIS1\\``) is dropped;
- anything else is unreadable and stops the import.

Mixing schemes is not repaired: an E- or S- tag in a BIO or IOB1 file, or an entity that a BIOES
file leaves unclosed, is an error (SchemeError).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

SCHEMES = ("BIO", "IOB1", "BIOES")

_WELL_FORMED = re.compile(r"^([BIES])-([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)$")
_ONLY_O = re.compile(r"^O+$")
_PREFIX_ON_O = re.compile(r"^[BIES]-?O$")
_DOUBLED_HYPHEN = re.compile(r"^([BIES])-{2,}([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)$")
_STRAY_TAIL = re.compile(r"^([BIES])-([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)[^A-Za-z0-9_\-]+$")


class UnreadableTag(ValueError):
    """A tag that no repair rule reads."""


class SchemeError(ValueError):
    """Tags of two schemes in one file; index is the token where it shows."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class TokenSpan:
    """An entity over tokens start..end-1 of a sentence, from tag column `column`."""

    start: int
    end: int
    type: str
    column: int


def read_tag(raw: str) -> tuple[str, str | None]:
    """(the tag as O or P-TYPE, the reason it was rewritten or None). Raises UnreadableTag."""
    if raw == "O":
        return raw, None
    if _PREFIX_ON_O.match(raw):  # before the well-formed test: B-O looks like a type named O
        return "O", "a prefix on the outside tag O"
    if _WELL_FORMED.match(raw):
        return raw, None
    if _ONLY_O.match(raw):
        return "O", "repeated O"
    found = _DOUBLED_HYPHEN.match(raw)
    if found:
        return f"{found.group(1)}-{found.group(2)}", "doubled hyphen"
    found = _STRAY_TAIL.match(raw)
    if found:
        return f"{found.group(1)}-{found.group(2)}", "stray character after the type"
    raise UnreadableTag(f"unreadable tag {raw!r}")


RepairCallback = Callable[[int, str, str], None]  # (token index, repair kind, message)


def decode(tags: list[str], scheme: str, column: int, repaired: RepairCallback) -> list[TokenSpan]:
    """The entities one column of (read) tags describes, in order; repairs go to `repaired`.

    Raises SchemeError when the column mixes schemes.
    """
    if scheme == "BIOES":
        return _decode_bioes(tags, column, repaired)
    spans: list[TokenSpan] = []
    current: list | None = None  # [start, end, type]

    def close() -> None:
        nonlocal current
        if current:
            spans.append(TokenSpan(current[0], current[1], current[2], column))
        current = None

    for index, tag in enumerate(tags):
        if tag == "O":
            close()
            continue
        prefix, entity_type = tag[0], tag[2:]
        if prefix in "ES":
            raise SchemeError(index, f"{tag} is a BIOES tag in a {scheme} file (mixed schemes); "
                                     f"pass --scheme BIOES if the whole file is BIOES")
        if prefix == "I" and current and current[2] == entity_type:
            current[1] = index + 1
            continue
        if prefix == "I" and scheme == "BIO":
            before = "the sentence start" if index == 0 else tags[index - 1]
            repaired(index, "i-without-b", f"I-{entity_type} after {before} starts a new entity: read as B-{entity_type}")
        close()
        current = [index, index + 1, entity_type]
    close()
    return spans


def _decode_bioes(tags: list[str], column: int, repaired: RepairCallback) -> list[TokenSpan]:
    spans: list[TokenSpan] = []
    current: list | None = None  # an entity opened by B- (or a repaired I-), not yet closed by E-

    def unclosed(index: int) -> SchemeError:
        after = tags[index] if index < len(tags) else "the sentence end"
        return SchemeError(index, f"{after} leaves a {current[2]} entity unclosed (no E-{current[2]}): "
                                  "a BIO entity in a BIOES file (mixed schemes)")

    for index, tag in enumerate(tags):
        prefix, entity_type = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        if prefix in "IE" and current and current[2] == entity_type:
            current[1] = index + 1
            if prefix == "E":
                spans.append(TokenSpan(current[0], current[1], entity_type, column))
                current = None
            continue
        if current:
            raise unclosed(index)
        if prefix == "B":
            current = [index, index + 1, entity_type]
        elif prefix == "S":
            spans.append(TokenSpan(index, index + 1, entity_type, column))
        elif prefix == "I":
            before = "the sentence start" if index == 0 else tags[index - 1]
            repaired(index, "i-without-b", f"I-{entity_type} after {before} starts a new entity: read as B-{entity_type}")
            current = [index, index + 1, entity_type]
        elif prefix == "E":
            before = "the sentence start" if index == 0 else tags[index - 1]
            repaired(index, "e-without-b", f"E-{entity_type} after {before} closes nothing: read as S-{entity_type}")
            spans.append(TokenSpan(index, index + 1, entity_type, column))
    if current:
        raise unclosed(len(tags))
    return spans


def encode(length: int, spans: list[tuple[int, int, str]], scheme: str) -> list[list[str]]:
    """Tags of `length` tokens for possibly nested spans (start, end, type), one list per token.

    A token's tags list the spans covering it outermost first (by start, then longer first,
    ties in the order given), the layout of Wojood's nested files; ["O"] when none covers it.
    """
    ordered = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1], i))
    per_token: list[list[tuple[int, int, str]]] = [[] for _ in range(length)]
    for i in ordered:
        start, end, _ = spans[i]
        for token in range(start, end):
            per_token[token].append(spans[i])
    tags: list[list[str]] = []
    for token, covering in enumerate(per_token):
        if not covering:
            tags.append(["O"])
            continue
        row = []
        for depth, (start, end, entity_type) in enumerate(covering):
            row.append(f"{_prefix(token, start, end, entity_type, depth, per_token, scheme)}-{entity_type}")
        tags.append(row)
    return tags


def _prefix(token: int, start: int, end: int, entity_type: str, depth: int,
            per_token: list[list[tuple[int, int, str]]], scheme: str) -> str:
    if scheme == "BIOES":
        if end - start == 1:
            return "S"
        return "B" if token == start else "E" if token == end - 1 else "I"
    if token != start:
        return "I"
    if scheme == "BIO":
        return "B"
    # IOB1: B- only where the previous token ends an entity of the same type at the same depth
    if token > 0 and depth < len(per_token[token - 1]):
        before = per_token[token - 1][depth]
        if before[1] == token and before[2] == entity_type:
            return "B"
    return "I"
