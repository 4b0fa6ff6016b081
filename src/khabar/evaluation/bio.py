"""Chunks of BIO tag sequences, and their per-type counts, exactly as seqeval 1.2 finds them.

Two modes, as in seqeval (the reference the agreement tests compare against; khabar does not
call it at run time):

- ``default`` -- seqeval's default (``mode=None``), compatible with conlleval: the sentences are
  joined with an ``O`` after each, a chunk starts at ``B-``, at ``I-`` after ``O`` or after a chunk
  of another type, and ends before ``O``, ``B-`` or a change of type. The type of a tag is what
  follows the first ``-`` after its first character (``I--ORG`` has type ``-ORG``).
- ``strict`` -- seqeval's ``mode="strict", scheme=IOB2``: a chunk starts only at ``B-`` and goes on
  over ``I-`` of the same type; an ``I-`` that continues nothing is not a chunk. The type is the tag
  after its first character with ``-`` stripped at both ends (``I--ORG`` has type ``ORG``). A tag
  whose first character is not I, O or B is an error (seqeval raises too).

A chunk is counted once per type; a predicted chunk is correct when the gold has a chunk of the
same type at the same tokens.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MODES = ("default", "strict")


class TagError(ValueError):
    """A tag that the chosen chunking cannot read (strict IOB2: first character not I, O or B)."""


def _default_parts(tag: str) -> tuple[str, str]:
    return tag[0], tag[1:].split("-", maxsplit=1)[-1] or "_"


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    # seqeval.metrics.sequence_labeling.end_of_chunk, condition for condition
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag != "O" and prev_tag != "." and prev_type != type_


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    # seqeval.metrics.sequence_labeling.start_of_chunk, condition for condition
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag != "O" and tag != "." and prev_type != type_


def default_chunks(sentences: list[list[str]]) -> list[tuple[int, str, int, int]]:
    """Chunks of the default mode: (sentence index, type, start, end) with inclusive token offsets.

    Offsets count in the sequence seqeval builds (every sentence followed by one ``O``); the
    sentence is the one the chunk starts in.
    """
    flat: list[str] = []
    owner: list[int] = []
    for index, tags in enumerate(sentences):
        flat.extend(tags)
        flat.append("O")
        owner.extend([index] * (len(tags) + 1))
    chunks = []
    prev_tag, prev_type, begin = "O", "", 0
    for i, chunk in enumerate(flat + ["O"]):
        tag, type_ = _default_parts(chunk)
        if _end_of_chunk(prev_tag, tag, prev_type, type_):
            chunks.append((owner[begin] if begin < len(owner) else len(sentences) - 1, prev_type, begin, i - 1))
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            begin = i
        prev_tag, prev_type = tag, type_
    return chunks


def _strict_parts(tag: str) -> tuple[str, str]:
    if not tag or tag[0] not in "IOB":
        raise TagError(f"tag {tag!r} is not an IOB2 tag (it must be O or start with B or I)")
    return tag[0], tag[1:].strip("-") or "_"


def strict_chunks(tags: list[str]) -> list[tuple[str, int, int]]:
    """Chunks of one sentence in strict IOB2 mode: (type, start, end) with an exclusive end.

    Raises TagError for a tag that is not I, O or B (seqeval raises a ValueError or KeyError).
    """
    tokens = [_strict_parts(tag) for tag in tags] + [("O", "_")]
    chunks = []
    i = 0
    while i < len(tokens):
        prefix, type_ = tokens[i]
        if prefix != "B":
            i += 1
            continue
        end = i + 1
        previous = tokens[i]
        while tokens[end][0] == "I" and previous[0] in "BI" and tokens[end][1] == previous[1]:
            previous = tokens[end]
            end += 1
        # every I/O/B tag that stops a chunk is one of IOB2's end patterns, so the chunk stands
        chunks.append((type_, i, end))
        i = end
    return chunks


@dataclass
class ChunkCounts:
    """Per-document counts of chunks by type: true positives, predicted, gold."""

    tp: list[Counter] = field(default_factory=list)
    pred: list[Counter] = field(default_factory=list)
    gold: list[Counter] = field(default_factory=list)

    def types(self) -> list[str]:
        """The types seqeval reports: those with a chunk in the gold or the predictions, sorted."""
        names: set[str] = set()
        for counter in self.pred + self.gold:
            names.update(name for name, count in counter.items() if count)
        return sorted(names)


def chunk_counts(gold: list[list[str]], pred: list[list[str]], document_of: list[int], documents: int,
                 mode: str) -> ChunkCounts:
    """Count chunks per document and type.

    gold, pred: tag sequences, sentence by sentence (equal lengths; the caller checks);
    document_of[i]: the document (0 .. documents-1) sentence i belongs to.
    """
    counts = ChunkCounts([Counter() for _ in range(documents)], [Counter() for _ in range(documents)],
                         [Counter() for _ in range(documents)])
    if mode == "default":
        # seqeval keeps chunks in a set per type: a chunk is (type, start, end) in the joined sequence
        gold_chunks = {(type_, start, end): sentence for sentence, type_, start, end in default_chunks(gold)}
        pred_chunks = {(type_, start, end): sentence for sentence, type_, start, end in default_chunks(pred)}
        for (type_, _, _), sentence in gold_chunks.items():
            counts.gold[document_of[sentence]][type_] += 1
        for chunk, sentence in pred_chunks.items():
            doc = document_of[sentence]
            counts.pred[doc][chunk[0]] += 1
            if chunk in gold_chunks:
                counts.tp[doc][chunk[0]] += 1
        return counts
    if mode != "strict":
        raise ValueError(f"unknown mode {mode!r}")
    for sentence, (gold_tags, pred_tags) in enumerate(zip(gold, pred)):
        doc = document_of[sentence]
        gold_set = set(strict_chunks(gold_tags))
        for type_, _, _ in gold_set:
            counts.gold[doc][type_] += 1
        for chunk in set(strict_chunks(pred_tags)):
            counts.pred[doc][chunk[0]] += 1
            if chunk in gold_set:
                counts.tp[doc][chunk[0]] += 1
    return counts


def token_accuracy(gold: list[list[str]], pred: list[list[str]]) -> tuple[int, int]:
    """(tokens whose tag is right, tokens) -- seqeval's accuracy_score is their ratio."""
    right = total = 0
    for gold_tags, pred_tags in zip(gold, pred):
        right += sum(g == p for g, p in zip(gold_tags, pred_tags))
        total += len(gold_tags)
    return right, total
