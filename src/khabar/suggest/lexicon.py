"""Proposals from gold records: entity strings and trigger words annotated there, with their types.

An entry is the text of an annotated span (every nesting level) or of an event trigger. It gets
the type it carries most often in the gold (ties: the first in alphabetical order), and is kept
when the gold annotates it (with any type) in at least MIN_PRECISION of the places where it
occurs as a mention (words.occurrences), the rule of the lexicon baseline
(khabar.evaluation.baselines.lexicon). Every occurrence of a kept entry in a draft is proposed,
with the counts as provenance: "«المغرب» GPE: annotated GPE at 21 of 21 gold occurrences".

Nesting follows the gold too: an entity string is proposed inside another entity only when the
gold annotates it inside an entity of that type (الإسرائيلي inside an ORG, الجيش inside an OCC),
not merely because it is a word of a longer match (غانتس inside PERS بيني غانتس, which the gold
leaves whole).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from khabar.evaluation.baselines.lexicon import MIN_PRECISION
from khabar.suggest import Candidate
from khabar.suggest.words import occurrences


class GoldLexicon:
    def __init__(self, kind: str) -> None:
        self.kind = kind  # "entity" or "trigger"
        self.entries: dict[str, tuple[str, str]] = {}  # surface -> (type, provenance)
        self.nests_in: dict[str, frozenset[str]] = {}  # surface -> types of the gold entities it is nested in

    @staticmethod
    def _spans(record: dict, kind: str):
        if kind == "entity":
            return [(e["start"], e["end"], e["type"]) for e in record["entities"]]
        return [(e["trigger"]["start"], e["trigger"]["end"], e["type"]) for e in record["events"]]

    def fit(self, gold_records: list[dict]) -> "GoldLexicon":
        typed: dict[str, Counter] = defaultdict(Counter)
        places: dict[str, set] = defaultdict(set)
        outer_types: dict[str, set] = defaultdict(set)
        for number, record in enumerate(gold_records):
            spans = self._spans(record, self.kind)
            for start, end, kind in spans:
                surface = record["text"][start:end]
                typed[surface][kind] += 1
                places[surface].add((number, start, end))
                outer_types[surface].update(k for s, e, k in spans if s <= start and end <= e and (s, e) != (start, end))
        for surface in sorted(typed):
            found = set(places[surface])
            for number, record in enumerate(gold_records):
                found.update((number, start, end) for start, end in occurrences(record["text"], surface))
            if len(places[surface]) < MIN_PRECISION * len(found):
                continue
            best = sorted(typed[surface].items(), key=lambda item: (-item[1], item[0]))[0][0]
            others = ", ".join(f"{kind} {count}" for kind, count in sorted(typed[surface].items()) if kind != best)
            detail = (f"«{surface}» {best}: annotated {best} at {typed[surface][best]} of {len(found)} gold "
                      f"occurrence(s)" + (f" (also {others})" if others else ""))
            self.entries[surface] = (best, detail)
            self.nests_in[surface] = frozenset(outer_types[surface])
        return self

    def propose(self, text: str) -> list[Candidate]:
        out = []
        for surface, (kind, detail) in self.entries.items():
            for start, end in occurrences(text, surface):
                out.append(Candidate(start, end, kind, "lexicon", detail, self.kind, nests_in=self.nests_in[surface]))
        return out
