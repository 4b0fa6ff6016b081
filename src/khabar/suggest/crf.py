"""Proposals from the CRF baseline (khabar.evaluation.baselines.crf) trained on the gold records.

The CRF tags whole tokens, and khabar's tokens keep their proclitics (والمغرب), so a predicted
span is brought to the guidelines' extent before it is proposed: proclitics before the article
go outside (والمغرب -> المغرب, للجيش -> لجيش); a span whose extent the validator would still
refuse is dropped. Needs python-crfsuite (pip install 'khabar[suggest]').
"""

from __future__ import annotations

import re

from khabar.suggest import Candidate
from khabar.suggest.words import is_mention

# proclitics before the article (وال, بال, فبال, ...) and before the lam that is left of it (لل, ولل)
_BEFORE_ARTICLE = re.compile(r"[وف]?[بك]?(?=ال)|[وف]?ل(?=ل)")  # used with .match(text, start)


def trim(text: str, start: int, end: int) -> int:
    """The start of the span text[start:end] with the proclitics before its article left out."""
    found = _BEFORE_ARTICLE.match(text, start, end)
    return found.end() if found and found.end() < end else start


class CrfProposer:
    def __init__(self) -> None:
        self.tagger = None
        self.trained_on = 0

    def fit(self, gold_records: list[dict]) -> "CrfProposer":
        from khabar.evaluation.baselines.crf import CrfTagger
        from khabar.evaluation.baselines.data import record_sentences

        self.tagger = CrfTagger().fit([s for record in gold_records for s in record_sentences(record)])
        self.trained_on = len(gold_records)
        return self

    def propose(self, record: dict) -> list[Candidate]:
        from khabar.evaluation.baselines.data import entities_from_layers, record_sentences

        sentences = record_sentences({"id": record["id"], "text": record["text"], "entities": []})
        text = record["text"]
        out = []
        detail = f"CRF baseline trained on {self.trained_on} gold record(s)"
        for entity in entities_from_layers(sentences, self.tagger.predict(sentences)):
            start = trim(text, entity["start"], entity["end"])
            if is_mention(text, start, entity["end"]):
                out.append(Candidate(start, entity["end"], entity["type"], "crf", detail))
        return out
