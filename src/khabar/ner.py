"""Entity spans <-> BIO tags over tokens (the `ner` config and its round trip)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from khabar import labels
from khabar.tokens import Token, character_classes, sentence_arrays, token_arrays


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


@dataclass
class BioBatch:
    """The tokens and BIO tags of a batch of records as arrays over their texts joined by a
    space (what the `ner` config stores, without Python objects per token). Tag codes follow
    bio_tag_names: 0 is O, 1 + 2k is B- and 2 + 2k I- of the type with code k."""

    joined: str  # the texts joined by a space, which no token crosses
    text_starts: list[int]  # offset of each record's text in joined
    starts: np.ndarray  # token offsets in joined (code points)
    ends: np.ndarray
    sentence_offsets: np.ndarray  # index of each sentence's first token, then the number of tokens
    sentence_counts: list[int]  # sentences of each record
    tags: np.ndarray
    stats: BioStats


def bio_batch(records: list[dict], type_codes: dict[str, int]) -> BioBatch:
    """The records' tokens, sentences and BIO tags over their outermost entities.

    The rule: an outermost entity tags the tokens it overlaps within its sentence, B- on the
    first and I- on the rest; it is widened when it starts or ends inside a token, and dropped
    (not tagged) when it overlaps no token, crosses a sentence boundary or shares a token with
    an entity tagged before it. Records where every entity is simply tagged (nearly all) are
    tagged together, vectorized; the others by the loop that states the rule entity by entity.
    """
    texts = [record["text"] for record in records]
    joined = " ".join(texts)
    classes = character_classes(joined)
    starts, ends = token_arrays(joined, classes)
    sentence_starts, sentence_ends, sentence_counts = sentence_arrays(texts, classes)
    text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]]).tolist() if texts else []
    firsts, stops = np.searchsorted(starts, sentence_starts), np.searchsorted(starts, sentence_ends)
    # only white space lies between sentences, so each token belongs to exactly one of them
    if len(firsts) and (firsts[0] != 0 or stops[-1] != len(starts) or not np.array_equal(firsts[1:], stops[:-1])):
        raise AssertionError("tokens outside sentences")
    tags = np.zeros(len(starts), np.int64)
    stats = BioStats()
    entities = [entity for record in records for entity in record["entities"]]
    record_of = np.repeat(np.arange(len(records)), [len(record["entities"]) for record in records])
    all_starts = np.fromiter((entity["start"] for entity in entities), np.int64, len(entities))
    all_ends = np.fromiter((entity["end"] for entity in entities), np.int64, len(entities))
    top = _outermost_positions(record_of, all_starts, all_ends)
    entity_record = record_of[top]
    entity_starts = all_starts[top] + np.array(text_starts, np.int64)[entity_record]
    entity_ends = all_ends[top] + np.array(text_starts, np.int64)[entity_record]
    codes = np.fromiter((type_codes[entities[i]["type"]] for i in top.tolist()), np.int64, len(top))
    simple, first, stop = _tag_simply(starts, ends, sentence_starts, sentence_ends, firsts, stops,
                                      entity_starts, entity_ends)
    hard = np.unique(entity_record[~simple])
    take = ~np.isin(entity_record, hard)
    first, stop, codes = first[take], stop[take], codes[take]
    stats.entities = int(take.sum())
    stats.widened = int(((starts[first] != entity_starts[take]) | (ends[stop - 1] != entity_ends[take])).sum())
    tags[first] = 1 + 2 * codes
    inside = stop - first - 1
    if inside.sum():
        tags[np.arange(inside.sum()) + np.repeat(first + 1 - (np.cumsum(inside) - inside), inside)] = \
            np.repeat(2 + 2 * codes, inside)
    sentence_of_record = np.cumsum([0] + sentence_counts)
    for index in hard.tolist():
        sentences = slice(sentence_of_record[index], sentence_of_record[index + 1])
        stats.add(_tag_one_by_one(records[index]["id"], outermost(records[index]["entities"]), type_codes,
                                  starts, ends, tags,
                                  text_starts[index], sentence_starts[sentences].tolist(),
                                  sentence_ends[sentences].tolist(), firsts[sentences].tolist(),
                                  stops[sentences].tolist()))
    return BioBatch(joined, text_starts, starts, ends, np.append(firsts, len(starts)).astype(np.int64),
                    sentence_counts, tags, stats)


def _outermost_positions(record_of: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Positions of the outermost entities (outermost() for every record at once), ordered by
    record, then as outermost() orders them."""
    order = np.lexsort((-ends, starts, record_of))  # stable, as outermost's sort
    # an entity is outermost when it ends after every entity before it in its record: a running
    # maximum of the ends, shifted by record so that records do not see each other's
    shifted = ends[order] + record_of[order] * (int(ends.max(initial=0)) + 1)
    before = np.concatenate(([-1], np.maximum.accumulate(shifted)[:-1]))
    return order[shifted > before]


def _tag_simply(starts, ends, sentence_starts, sentence_ends, firsts, stops, entity_starts, entity_ends):
    """(simple, first token, stop token) of each entity; simple when it lies inside one sentence,
    covers at least one token and shares none with the entity before it."""
    count = len(entity_starts)
    if not count:
        empty = np.zeros(0, np.int64)
        return np.zeros(0, bool), empty, empty
    sentence = np.searchsorted(sentence_starts, entity_starts, "right") - 1
    found = sentence >= 0
    sentence = np.maximum(sentence, 0)
    simple = found & (entity_ends <= sentence_ends[sentence]) & (entity_starts < sentence_ends[sentence])
    # first token: the last one starting at or before the entity, unless it ends before the entity
    first = np.maximum(np.searchsorted(starts, entity_starts, "right") - 1, firsts[sentence])
    simple &= first < stops[sentence]
    first = np.minimum(first, max(len(starts) - 1, 0))
    if len(starts):
        first += (ends[first] <= entity_starts) & simple
    stop = np.searchsorted(starts, entity_ends, "left")
    simple &= stop > first
    simple[1:] &= first[1:] >= stop[:-1]
    simple[:-1] &= first[1:] >= stop[:-1]  # a shared token makes both entities' record hard
    return simple, first, stop


def _tag_one_by_one(record_id, top, type_codes, starts, ends, tags, base, sentence_starts, sentence_ends,
                    firsts, stops) -> BioStats:
    """Tag one record by the rule, sentence by sentence and entity by entity (tags in place)."""
    stats = BioStats()
    for start, end, first_token, stop_token in zip(sentence_starts, sentence_ends, firsts, stops):
        start, end = start - base, end - base
        token_starts = (starts[first_token:stop_token] - base).tolist()
        token_ends = (ends[first_token:stop_token] - base).tolist()
        for entity in top:
            if entity["end"] <= start or entity["start"] >= end:
                continue
            stats.entities += 1
            # tokens overlapping the entity: from the last token starting at or before its start
            first = max(0, bisect.bisect_right(token_starts, entity["start"]) - 1)
            if token_starts and token_ends[first] <= entity["start"]:
                first += 1
            covered = range(first, bisect.bisect_left(token_starts, entity["end"]))
            if (not covered or entity["start"] < start or entity["end"] > end
                    or tags[first_token + covered[0]:first_token + covered[-1] + 1].any()):
                stats.dropped.append(f"{record_id}:{entity['id']}")
                continue
            if token_starts[covered[0]] != entity["start"] or token_ends[covered[-1]] != entity["end"]:
                stats.widened += 1
            code = type_codes[entity["type"]]
            tags[first_token + covered[0]] = 1 + 2 * code
            tags[first_token + covered[0] + 1:first_token + covered[-1] + 1] = 2 + 2 * code
    return stats


def bio_sentences(record: dict) -> tuple[list[Sentence], BioStats]:
    """The record as sentences of tokens with BIO tags over its outermost entities (bio_batch)."""
    types = list(labels.entity_types().names)
    types += sorted({e["type"] for e in record["entities"]} - set(types))  # predictions may use others
    names = bio_tag_names(tuple(types))
    batch = bio_batch([record], {name: code for code, name in enumerate(types)})
    text, starts, ends, tags = record["text"], batch.starts.tolist(), batch.ends.tolist(), batch.tags.tolist()
    sentences = []
    offsets = batch.sentence_offsets.tolist()
    for number, (first, stop) in enumerate(zip(offsets, offsets[1:])):
        sentences.append(Sentence(f"{record['id']}/{number}", starts[first:stop], ends[first:stop],
                                  [text[s:e] for s, e in zip(starts[first:stop], ends[first:stop])],
                                  [names[t] for t in tags[first:stop]]))
    return sentences, batch.stats


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
