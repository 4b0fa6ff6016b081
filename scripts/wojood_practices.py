#!/usr/bin/env python3
"""Count annotation practices in Wojood's data, the evidence behind guidelines 2.0's entity rules.

    python scripts/wojood_practices.py WOJOOD_DIR      (the folder of train.txt, val.txt, test.txt)

Prints JSON: for each practice the guidelines cite (nationality adjectives, groups of people,
approximators, head nouns of names), how often each treatment occurs. The categories are defined
by the word lists below, so the counts can be checked and re-run; they are counts of surface
patterns, not a linguistic analysis, and the guidelines quote them as such.

Input: one token per line, then its tags, one per nesting level (`B-ORG`, `I-GPE`, `O`); a blank
line ends a sentence.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from khabar.rules import DATE_APPROXIMATORS as APPROXIMATORS  # noqa: E402  the set the validator warns on

FILES = ("train.txt", "val.txt", "test.txt")
PROCLITICS = r"(?:[وفبلك]?(?:ال|لل))?"
NISBA_STEMS = (
    "إسرائيلي", "اسرائيلي", "أمريكي", "امريكي", "أميركي", "اميركي", "عربي", "فلسطيني", "مصري", "سوري",
    "أردني", "اردني", "عبري", "بريطاني", "فرنسي", "روسي", "إيراني", "ايراني", "تركي", "لبناني", "عراقي",
    "سعودي", "صهيوني", "يهودي", "أوروبي", "اوروبي", "مغربي", "قطري", "ألماني", "صيني", "يمني", "ليبي",
    "تونسي", "جزائري", "سوداني", "خليجي", "كويتي", "إماراتي",
)
NISBA = re.compile(rf"^{PROCLITICS}(?:{'|'.join(NISBA_STEMS)})(?:ة|ين|ون|يين|يون)?$")
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
# Words after which a nisba is a noun or a predicate, not an adjective on the word before it.
NOT_A_HEAD = frozenset({"ضد", "من", "مع", "أنا", "لكل", "إلى", "الى", "في", "على", "عن", "آلاف", "مش", "أو"})
# Head nouns for groups of people (plural or collective), and for one person or a body.
PEOPLE = re.compile(rf"^{PROCLITICS}(?:شعب|شعوب|لاجئين|اجئين|معتقلين|سكان|جمهور|موظفين|مراقبين|أسرى|اسرى|مواطنين)$")
PERSON_OR_BODY = re.compile(rf"^{PROCLITICS}(?:مرأة|مراة|لاجئة|وفد|فريق|جانب)$")
NUMERIC = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
HEAD_NOUNS = {"مدينة": "GPE", "قرية": "GPE", "محافظة": "GPE", "العاصمة": "GPE", "حركة": "ORG", "موقع": "WEBSITE"}
GROUP_WORDS = {"الحوثيين": r"حوثيين", "المعتقلين": r"معتقلين", "اللاجئين": r"لاجئ", "المصابين": r"مصاب",
               "مواطن": r"مواطن", "سكان": r"سكان"}


def read_sentences(folder: Path) -> list[list[tuple[str, list[str]]]]:
    """Every sentence of the three files: [(token, tags)]."""
    sentences, current = [], []
    for name in FILES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if current:
                    sentences.append(current)
                current = []
                continue
            token, *tags = line.split()
            current.append((token, tags))
        if current:
            sentences.append(current)
            current = []
    return sentences


def _types(tags: list[str], prefix: str) -> set[str]:
    return {tag[2:] for tag in tags if tag.startswith(prefix)}


def nisba_adjectives(sentences) -> dict:
    """Nationality adjectives after an Arabic word: inside another entity (with or without a NORP of
    their own), or outside any, by the kind of noun before them."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(1, len(sentence)):
            token, tags = sentence[position]
            previous = sentence[position - 1][0]
            if not NISBA.match(token) or previous in NOT_A_HEAD or not ARABIC_WORD.match(previous):
                continue
            continuing = {tag[2:] for tag in tags if tag.startswith("I-") and not tag.endswith("NORP")}
            if continuing:
                counts["inside another entity: own NORP" if "NORP" in _types(tags, "B-")
                       else "inside another entity: no NORP of its own"] += 1
                continue
            head = ("people" if PEOPLE.match(previous) else
                    "one person or a body" if PERSON_OR_BODY.match(previous) else "other noun")
            counts[f"after {head}: {'NORP' if 'NORP' in _types(tags, '') | _types(tags, 'B-') | _types(tags, 'I-') else 'O'}"] += 1
    return dict(sorted(counts.items()))


def approximators(sentences) -> dict:
    """An approximator before a DATE or a number: left outside the span, or inside it."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(len(sentence) - 1):
            token, tags = sentence[position]
            if re.sub(r"^[وب]", "", token) not in APPROXIMATORS:
                continue
            here, after = _types(tags, "B-"), _types(sentence[position + 1][1], "B-")
            if "DATE" in here or "DATE" in after:
                counts["DATE: inside" if "DATE" in here else "DATE: outside"] += 1
            elif here & set(NUMERIC) or after & set(NUMERIC):
                counts["number: inside" if here & set(NUMERIC) else "number: outside"] += 1
    return dict(sorted(counts.items()))


def head_nouns(sentences) -> dict:
    """A head noun followed by a name: inside the span of the name's type, or outside it."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(len(sentence) - 1):
            token, tags = sentence[position]
            bare = re.sub(r"^[وفبلك]", "", token) if token not in HEAD_NOUNS else token
            if bare.startswith("ل") and "ال" + bare[1:] in HEAD_NOUNS:
                bare = "ال" + bare[1:]
            kind = HEAD_NOUNS.get(bare)
            if kind is None:
                continue
            following = sentence[position + 1][1]
            if kind in _types(following, "I-") and kind in _types(tags, "B-") | _types(tags, "I-"):
                counts[f"{bare}: inside"] += 1
            elif kind in _types(following, "B-"):
                counts[f"{bare}: outside"] += 1
    return dict(sorted(counts.items()))


def group_words(sentences) -> dict:
    """Tokens containing a word for a group of people: tagged NORP (at any level), or not."""
    counts: Counter = Counter()
    for sentence in sentences:
        for token, tags in sentence:
            for name, pattern in GROUP_WORDS.items():
                if re.search(pattern, token):
                    norp = any(tag.endswith("NORP") for tag in tags)
                    counts[f"{name}: {'NORP' if norp else 'not NORP'}"] += 1
    return dict(sorted(counts.items()))


def practices(folder: Path) -> dict:
    sentences = read_sentences(folder)
    return {"sentences": len(sentences), "tokens": sum(len(s) for s in sentences),
            "nisba_adjectives": nisba_adjectives(sentences), "approximators": approximators(sentences),
            "head_nouns": head_nouns(sentences), "group_words": group_words(sentences)}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    folder = Path(argv[0])
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        print(f"wojood_practices: {folder}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    print(json.dumps(practices(folder), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
