"""Entity spans <-> BIO tags over tokens (the `ner` config and its round trip)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from khabar.tokens import Token, sentence_spans, token_bounds


def outermost(entities: list[dict]) -> list[dict]:
    """Entities that no other entity contains (the top nesting layer), in text order."""
    ordered = sorted(entities, key=lambda e: (e["start"], -e["end"]))
    top: list[dict] = []
    for entity in ordered:
        if top and entity["end"] <= top[-1]["end"]:
            continue  # inside the previous outermost entity
        top.append(entity)
    return top


@dataclass
class BioStats:
    """What the conversion to token tags had to change, for the dataset card."""

    entities: int = 0
    widened: int = 0  # spans that started or ended inside a token (e.g. after a proclitic)
    dropped: list[str] = field(default_factory=list)  # entity ids that could not be tagged

    def add(self, other: "BioStats") -> None:
        self.entities += other.entities
        self.widened += other.widened
        self.dropped.extend(other.dropped)


@dataclass
class Sentence:
    id: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    tags: list[str]

    @property
    def tokens(self) -> list[Token]:
        return [Token(*token) for token in zip(self.starts, self.ends, self.words)]


def bio_sentences(record: dict) -> tuple[list[Sentence], BioStats]:
    """The record as sentences of tokens with BIO tags over its outermost entities."""
    text = record["text"]
    stats = BioStats()
    top = outermost(record["entities"])
    sentences = []
    all_starts, all_ends = token_bounds(text)  # once per text: tokens never cross a sentence end
    for number, (start, end) in enumerate(sentence_spans(text)):
        first_token, stop_token = bisect.bisect_left(all_starts, start), bisect.bisect_left(all_starts, end)
        starts, ends = all_starts[first_token:stop_token], all_ends[first_token:stop_token]
        tags = ["O"] * len(starts)
        for entity in top:
            if entity["end"] <= start or entity["start"] >= end:
                continue
            stats.entities += 1
            # tokens overlapping the entity: from the last token starting at or before its start
            first = max(0, bisect.bisect_right(starts, entity["start"]) - 1)
            if starts and ends[first] <= entity["start"]:
                first += 1
            covered = list(range(first, bisect.bisect_left(starts, entity["end"])))
            if not covered:
                stats.dropped.append(f"{record['id']}:{entity['id']}")
                continue
            if entity["start"] < start or entity["end"] > end or any(tags[i] != "O" for i in covered):
                stats.dropped.append(f"{record['id']}:{entity['id']}")
                continue
            if starts[covered[0]] != entity["start"] or ends[covered[-1]] != entity["end"]:
                stats.widened += 1
            tags[covered[0]] = "B-" + entity["type"]
            for i in covered[1:]:
                tags[i] = "I-" + entity["type"]
        words = [text[s:e] for s, e in zip(starts, ends)]
        sentences.append(Sentence(f"{record['id']}/{number}", starts, ends, words, tags))
    return sentences, stats


def spans_from_bio(tokens: list[Token], tags: list[str]) -> list[tuple[int, int, str]]:
    """Character spans (start, end, type) that BIO tags describe (IOB2: an entity starts at B-)."""
    spans: list[tuple[int, int, str]] = []
    current: list | None = None
    for token, tag in zip(tokens, tags):
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
            if current:
                spans.append(tuple(current))
            current = [token.start, token.end, tag[2:]]
        elif tag.startswith("I-"):
            current[1] = token.end
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def bio_tag_names(entity_types: tuple[str, ...]) -> list[str]:
    """The ClassLabel names of ner_tags: O, then B- and I- of each type in label-set order."""
    names = ["O"]
    for entity_type in entity_types:
        names += [f"B-{entity_type}", f"I-{entity_type}"]
    return names
