"""Training and test data of the baselines as tagged sentences, and predictions back as records.

A sentence here has its tokens, the character offsets of its tokens (for records) and one tag
column per nesting level, outermost first: for records the levels are peeled off one by one
(level 1 = the outermost entities, level 2 = the outermost of the rest, ...), each turned into
IOB2 tags over the tokens of `khabar.tokens` exactly as the `ner` config does for level 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.evaluation.inputs import Gold
from khabar.ner import bio_sentences, outermost, spans_from_bio
from khabar.tokens import Token


@dataclass
class Sentence:
    id: str
    tokens: list[str]
    layers: list[list[str]]
    offsets: list[Token] | None = None  # the tokens with their character offsets (records only)
    record_id: str | None = None


def nesting_layers(entities: list[dict]) -> list[list[dict]]:
    """Entities by nesting level: the outermost first, then the outermost of what is left, ..."""
    remaining = list(entities)
    layers = []
    while remaining:
        top = outermost(remaining)
        layers.append(top)
        taken = {id(entity) for entity in top}
        remaining = [entity for entity in remaining if id(entity) not in taken]
    return layers


def record_sentences(record: dict) -> list[Sentence]:
    """The record's sentences with one tag column per nesting level (at least one)."""
    layers = nesting_layers(record.get("entities", [])) or [[]]
    per_layer = [bio_sentences({"id": record["id"], "text": record["text"], "entities": layer})[0]
                 for layer in layers]
    out = []
    for position, sentence in enumerate(per_layer[0]):
        out.append(Sentence(sentence.id, [t.text for t in sentence.tokens],
                            [layer[position].tags for layer in per_layer], sentence.tokens, record["id"]))
    return out


def gold_sentences(gold: Gold) -> list[Sentence]:
    """Sentences of any gold: records (all nesting levels) or a column file (its columns)."""
    if gold.records is not None:
        return [s for record in gold.records for s in record_sentences(record)]
    return [Sentence(s.id, s.tokens, s.layers) for s in gold.sentences()]


def entities_from_layers(sentences: list[Sentence], predicted: list[list[list[str]]]) -> list[dict]:
    """Entities (character offsets) of one record from the predicted tag layers of its sentences."""
    found = set()
    for sentence, layers in zip(sentences, predicted):
        for tags in layers:
            found.update(spans_from_bio(sentence.offsets, tags))
    ordered = sorted(found, key=lambda span: (span[0], -span[1], span[2]))
    return [{"id": f"T{number}", "start": start, "end": end, "type": kind}
            for number, (start, end, kind) in enumerate(ordered, start=1)]
