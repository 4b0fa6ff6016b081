"""Lexicon baseline: entity (and event trigger) strings seen in training, matched in new text.

Entities. Every annotated token sequence of the training data (all nesting levels) is an entry,
with the type it carries most often (ties: the first type in alphabetical order). An entry is
kept when the training data annotates it in at least `MIN_PRECISION` of the places where its
tokens occur, and when it is at most `MAX_TOKENS` tokens long. Prediction walks the tokens left
to right and takes the longest entry that starts at each token (level 1); inside every match of
two or more tokens it does the same for shorter entries (level 2, ...), down to the deepest
level seen in training.

Triggers (records only). Every gold trigger that is a whole token, or a whole token after a
one-letter proclitic (و or ف), is an entry with its most frequent event type, kept under the
same precision rule; every token (or token after the proclitic) equal to an entry becomes an
event of that type, with no arguments, modes or contexts. The document labels are those the
predicted events give (`khabar.rules.expected_event_labels`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from khabar.evaluation.baselines.data import Sentence
from khabar.ner import spans_from_bio
from khabar.tokens import Token, tokenize

MIN_PRECISION = 0.5
MAX_TOKENS = 10
PROCLITICS = "وف"


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans (start, end exclusive, type) of IOB2 tags."""
    return spans_from_bio([Token(i, i + 1, "") for i in range(len(tags))], tags)


def _best(counter: Counter) -> str:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]


class EntityLexicon:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], str] = {}
        self.depth = 1
        self.longest = 1

    def fit(self, sentences: list[Sentence]) -> "EntityLexicon":
        typed: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        labelled: dict[tuple[str, ...], set] = defaultdict(set)
        for number, sentence in enumerate(sentences):
            for level, tags in enumerate(sentence.layers):
                spans = _spans(tags)
                if spans:
                    self.depth = max(self.depth, level + 1)
                for start, end, kind in spans:
                    if end - start <= MAX_TOKENS:
                        key = tuple(sentence.tokens[start:end])
                        typed[key][kind] += 1
                        labelled[key].add((number, start))
        lengths = sorted({len(key) for key in typed})
        occurrences: Counter = Counter()
        for sentence in sentences:
            for start in range(len(sentence.tokens)):
                for length in lengths:
                    key = tuple(sentence.tokens[start:start + length])
                    if len(key) == length and key in typed:
                        occurrences[key] += 1
        for key in sorted(typed):
            if len(labelled[key]) >= MIN_PRECISION * occurrences[key]:
                self.entries[key] = _best(typed[key])
        self.longest = max((len(key) for key in self.entries), default=1)
        return self

    def _matches(self, tokens: list[str], start: int, end: int, limit: int) -> list[tuple[int, int, str]]:
        found, i = [], start
        while i < end:
            for length in range(min(limit, end - i), 0, -1):
                kind = self.entries.get(tuple(tokens[i:i + length]))
                if kind is not None:
                    found.append((i, i + length, kind))
                    i += length
                    break
            else:
                i += 1
        return found

    def predict(self, tokens: list[str]) -> list[list[str]]:
        """Tag layers (outermost first) for one sentence."""
        layers = []
        level = [(0, len(tokens), len(tokens) + 1)]  # regions to search, with the longest entry allowed
        for _ in range(self.depth):
            tags = ["O"] * len(tokens)
            inner = []
            for start, end, limit in level:
                for s, e, kind in self._matches(tokens, start, end, min(limit, self.longest)):
                    tags[s] = "B-" + kind
                    for k in range(s + 1, e):
                        tags[k] = "I-" + kind
                    if e - s > 1:
                        inner.append((s, e, e - s - 1))
            layers.append(tags)
            level = inner
        return layers


class TriggerLexicon:
    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    @staticmethod
    def _candidates(text: str):
        """(string, start, end) of every token and every token after a one-letter proclitic."""
        for token in tokenize(text):
            yield token.text, token.start, token.end
            if len(token.text) > 2 and token.text[0] in PROCLITICS:
                yield token.text[1:], token.start + 1, token.end

    def fit(self, records: list[dict]) -> "TriggerLexicon":
        typed: dict[str, Counter] = defaultdict(Counter)
        labelled: dict[str, set] = defaultdict(set)
        for number, record in enumerate(records):
            spans = {(c[1], c[2]) for c in self._candidates(record["text"])}
            for event in record.get("events", []):
                trigger = event["trigger"]
                if (trigger["start"], trigger["end"]) in spans:
                    key = record["text"][trigger["start"]:trigger["end"]]
                    typed[key][event["type"]] += 1
                    labelled[key].add((number, trigger["start"]))
        occurrences: Counter = Counter()
        for record in records:
            for string, _, _ in self._candidates(record["text"]):
                if string in typed:
                    occurrences[string] += 1
        for key in sorted(typed):
            if len(labelled[key]) >= MIN_PRECISION * occurrences[key]:
                self.entries[key] = _best(typed[key])
        return self

    def predict(self, text: str) -> list[dict]:
        events, taken = [], set()
        for string, start, end in self._candidates(text):
            kind = self.entries.get(string)
            if kind is not None and not any(s < end and start < e for s, e in taken):
                taken.add((start, end))
                events.append({"id": f"E{len(events) + 1}", "type": kind,
                               "trigger": {"start": start, "end": end, "text": string},
                               "arguments": [], "mode": [], "context": []})
        return events
