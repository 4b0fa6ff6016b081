"""`khabar suggest`: pre-annotation of draft records, as INCEpTION's recommenders do (docs/suggest.md).

Sources, each proposing spans with their provenance:
- lexicon: entity strings and event trigger words annotated in gold records, with their types;
- rules: DATE, TIME, CARDINAL, ORDINAL, PERCENT, MONEY, QUANTITY from the tables in tables/;
- crf: the CRF baseline (khabar.evaluation.baselines.crf) trained on the gold records.

merge turns the proposals into non-crossing entities and events, draft writes the draft record
(never gold: status draft, produced_by naming khabar suggest and its sources, each span's
provenance in annotation.notes).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("lexicon", "rules", "crf")


@dataclass(frozen=True)
class Candidate:
    """A proposed entity (kind "entity") or event trigger (kind "trigger")."""

    start: int
    end: int
    type: str
    source: str  # "input", "lexicon", "rules" or "crf"
    detail: str  # why, for the annotator: the gold string and its counts, the rule, the model
    kind: str = "entity"
    normalized: str | None = None
    parent: tuple[int, int] | None = None  # a rule's nested span (CURR, UNIT) names its outer span
    nests_in: frozenset[str] | None = None  # lexicon: the entity types the gold nests this string in (None: any)
