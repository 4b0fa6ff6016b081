#!/usr/bin/env python3
"""Count annotation practices in Wojood's data, the evidence behind the guidelines' entity rules (2.0 and 2.1).

    python scripts/wojood_practices.py WOJOOD_DIR      (the folder of train.txt, val.txt, test.txt)

Prints JSON: for each practice the guidelines cite (nationality adjectives, groups of people,
approximators, head nouns of names; from 2.1 also titles, honorifics, short designations of bodies,
anchoring prepositions, TIME spans, plurals of office-holders, dual head nouns, designations of
episodes, compass words, resolutions, borders and territories), how often each treatment occurs. The categories are defined
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
HEAD_NOUNS = {"مدينة": "GPE", "قرية": "GPE", "محافظة": "GPE", "العاصمة": "GPE", "حركة": "ORG", "موقع": "WEBSITE",
              "جامعة": "ORG"}
GROUP_WORDS = {"الحوثيين": r"حوثيين", "المعتقلين": r"معتقلين", "اللاجئين": r"لاجئ", "المصابين": r"مصاب",
               "مواطن": r"مواطن", "سكان": r"سكان", "المدنيين": r"مدنيين"}


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


# --- guidelines 2.1 ------------------------------------------------------------------------------

def _bare(token: str) -> str:
    """The token without one proclitic و ف ب ل ك, and with ل + ل restored to ال."""
    token = re.sub(r"^[وف]", "", token)
    if token.startswith("لل"):
        return "ال" + token[2:]
    return re.sub(r"^[بلك](?=ال)", "", token)


def spans(sentence) -> list[tuple[int, int, str]]:
    """(first token, end token, type) of every entity: a B- tag and the I- tags of its type after it."""
    found = []
    for position, (_, tags) in enumerate(sentence):
        for tag in tags:
            if tag.startswith("B-"):
                kind, end = tag[2:], position + 1
                while end < len(sentence) and f"I-{kind}" in sentence[end][1]:
                    end += 1
                found.append((position, end, kind))
    return found


MINISTER = re.compile(r"^[وفبل]?(?:ال)?وزير(?:ة)?$")
ROYAL = frozenset({"الملك", "الملكة", "الأمير", "الامير", "الأميرة"})
HONORIFICS = frozenset({"السيد", "السيدة", "الشيخ", "الدكتور", "سماحة", "معالي", "فضيلة", "سمو", "الحاج"})
ANCHORS = frozenset({"قبل", "بعد", "منذ"})
SHORT_DESIGNATIONS = ("النظام", "التحالف", "المقاومة", "الشرعية", "المعارضة", "الحكومة", "الاحتلال", "الإحتلال",
                      "البرلمان", "الشرطة", "السلطات",
                      "الجيش")
OFFICE_PLURALS = re.compile(r"^(?:ال)?(?:مسؤولين|مسؤولون|مسئولين|وزراء|أطباء|اطباء|صحفيين|صحافيين|نواب|سفراء|"
                            r"ضباط|خطباء|رؤساء|أعضاء|اعضاء|محامين|جنود|أئمة|ائمة)$")
DUAL_HEADS = re.compile(r"^(?:محافظت|مدينت|قريت|ولايت|منطقت|دولت|مطار|بلد)(?:ي|ا)$")
EPISODE_HEADS = frozenset({"الحرب", "الأزمة", "الازمة", "المبادرة", "الاتفاق", "الاتفاقية", "الانتفاضة", "الثورة"})
COMPASS = frozenset({"الشمال", "الجنوب", "الشرق", "الغرب", "الوسط"})
RESOLUTION = frozenset({"قرار", "القرار"})
TERRITORY_HEADS = frozenset({"الحدود", "الأراضي", "الاراضي"})


def _treatment(sentence, position: int) -> str:
    """How the token at position is tagged: the types of the spans it begins, else inside / O."""
    tags = sentence[position][1]
    begun = sorted(_types(tags, "B-"))
    if begun:
        return "+".join(begun)
    return "inside " + "+".join(sorted(_types(tags, "I-"))) if _types(tags, "I-") else "O"


def titles(sentences) -> dict:
    """Minister titles (OCC starting with وزير + a word): a nested ORG or flat; royal titles and
    honorifics right before a PERS: inside the PERS, their own OCC, or outside any entity."""
    counts: Counter = Counter()
    for sentence in sentences:
        found = spans(sentence)
        for start, end, kind in found:
            if kind == "OCC" and end - start >= 2 and MINISTER.match(sentence[start][0]):
                nested = any(k == "ORG" and s > start and e <= end for s, e, k in found)
                counts[f"وزير X: {'nested ORG' if nested else 'flat'}"] += 1
        for position in range(len(sentence) - 1):
            word = _bare(sentence[position][0])
            following = sentence[position + 1][1]
            if word not in ROYAL | HONORIFICS or not ({"B-PERS", "I-PERS"} & set(following)):
                continue
            kind = "royal title" if word in ROYAL else word
            tags = sentence[position][1]
            place = ("inside the PERS" if "B-PERS" in tags and "I-PERS" in following
                     else "own OCC" if "B-OCC" in tags else "outside")
            counts[f"{kind} before PERS: {place}"] += 1
    return dict(sorted(counts.items()))


def short_designations(sentences) -> dict:
    """A short designation of a body as a whole token (proclitic allowed) that is not the start of a
    longer span: tagged ORG on its own, another type, or O (generic uses included)."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position, (token, tags) in enumerate(sentence):
            word = _bare(token)
            if word not in SHORT_DESIGNATIONS or _types(tags, "I-"):
                continue
            begun = _types(tags, "B-")
            following = sentence[position + 1][1] if position + 1 < len(sentence) else []
            if begun and any(f"I-{kind}" in following for kind in begun):
                continue  # the start of a longer name: النظام السوري, الحكومة اليمنية
            counts[f"{word}: {'+'.join(sorted(begun)) if begun else 'O'}"] += 1
    return dict(sorted(counts.items()))


def anchors(sentences) -> dict:
    """قبل، بعد، منذ right before a DATE or TIME: inside its span, or outside."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(len(sentence) - 1):
            if _bare(sentence[position][0]) not in ANCHORS:
                continue
            here, after = _types(sentence[position][1], "B-"), _types(sentence[position + 1][1], "B-")
            if here & {"DATE", "TIME"}:
                counts["inside"] += 1
            elif after & {"DATE", "TIME"}:
                counts["outside"] += 1
    return dict(sorted(counts.items()))


def time_spans(sentences) -> dict:
    """TIME spans: with a DATE nested inside, or without; and الآن as TIME or O."""
    counts: Counter = Counter()
    for sentence in sentences:
        found = spans(sentence)
        for start, end, kind in found:
            if kind == "TIME":
                nested = any(k == "DATE" and s >= start and e <= end for s, e, k in found)
                counts[f"TIME: {'DATE nested' if nested else 'no DATE nested'}"] += 1
        for position, (token, tags) in enumerate(sentence):
            if _bare(token) in ("الآن", "الان", "الأن"):
                counts[f"الآن: {'TIME' if 'B-TIME' in tags else 'O'}"] += 1
    return dict(sorted(counts.items()))


def office_plurals(sentences) -> dict:
    """Plurals of offices and occupations that begin a span or stand alone: NORP, OCC, other or O."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position, (token, tags) in enumerate(sentence):
            if OFFICE_PLURALS.match(_bare(token)):
                counts[_treatment(sentence, position)] += 1
    return dict(sorted(counts.items()))


def dual_heads(sentences) -> dict:
    """A dual head noun before a name (محافظتي X وY): inside the name's span, or outside."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(len(sentence) - 1):
            if DUAL_HEADS.match(_bare(sentence[position][0])) and _types(sentence[position + 1][1], "B-"):
                counts["outside" if _treatment(sentence, position) == "O" else "inside"] += 1
    return dict(sorted(counts.items()))


def episode_designations(sentences) -> dict:
    """الحرب، الأزمة، المبادرة، الاتفاق ... + a nisba adjective with the article (المبادرة الخليجية): EVENT or not."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position in range(len(sentence) - 1):
            word, following = _bare(sentence[position][0]), sentence[position + 1][0]
            if word in EPISODE_HEADS and re.match(r"^ال[\u0621-\u064A]+(?:ي|ية)$", following):
                counts["EVENT" if "B-EVENT" in sentence[position][1] else _treatment(sentence, position)] += 1
    return dict(sorted(counts.items()))


def places_and_documents(sentences) -> dict:
    """Bare compass words (no span continues after them); الحدود / الأراضي + nisba; قرار + a number."""
    counts: Counter = Counter()
    for sentence in sentences:
        for position, (token, tags) in enumerate(sentence):
            word = _bare(token)
            following = sentence[position + 1] if position + 1 < len(sentence) else ("", [])
            if word in COMPASS and not _types(following[1], "I-"):
                counts[f"compass word: {_treatment(sentence, position)}"] += 1
            if word in TERRITORY_HEADS and NISBA.match(following[0]):
                counts[f"{word} + nisba: {_treatment(sentence, position)}"] += 1
            if word in RESOLUTION:
                rest = [t for t, _ in sentence[position + 1:position + 3]]
                if rest and (rest[0].isdigit() or (rest[0] == "رقم" and len(rest) > 1 and rest[1].isdigit())):
                    number = position + 1 if rest[0].isdigit() else position + 2
                    counts[f"قرار + number: {_treatment(sentence, position)}, number {_treatment(sentence, number)}"] += 1
    return dict(sorted(counts.items()))


def practices(folder: Path) -> dict:
    sentences = read_sentences(folder)
    return {"sentences": len(sentences), "tokens": sum(len(s) for s in sentences),
            "nisba_adjectives": nisba_adjectives(sentences), "approximators": approximators(sentences),
            "head_nouns": head_nouns(sentences), "group_words": group_words(sentences),
            "titles": titles(sentences), "short_designations": short_designations(sentences),
            "anchors": anchors(sentences), "time_spans": time_spans(sentences),
            "office_plurals": office_plurals(sentences), "dual_heads": dual_heads(sentences),
            "episode_designations": episode_designations(sentences),
            "places_and_documents": places_and_documents(sentences)}


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
