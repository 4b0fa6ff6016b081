"""khabar suggest's Python API: train the sources on gold records, propose, merge, write drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from khabar import __version__
from khabar.suggest import SOURCES, Candidate
from khabar.suggest.draft import suggested_record
from khabar.suggest.merge import merge


class SuggestError(Exception):
    """Cannot suggest: code 1 for unsuitable records, 2 for usage (a missing dependency, no gold)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@dataclass
class Suggester:
    """The trained sources, in order of precedence."""

    using: list[str]
    gold_records: list[dict]
    descriptions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        unknown = [name for name in self.using if name not in SOURCES]
        if unknown or not self.using:
            raise SuggestError(f"--using: unknown source(s) {', '.join(unknown) or '(none)'}; choose from "
                               f"{', '.join(SOURCES)}", 2)
        gold = len(self.gold_records)
        if "lexicon" in self.using:
            from khabar.suggest.lexicon import GoldLexicon

            self.entities = GoldLexicon("entity").fit(self.gold_records)
            self.triggers = GoldLexicon("trigger").fit(self.gold_records)
            self.descriptions.append(f"lexicon of {len(self.entities.entries)} entity strings and "
                                     f"{len(self.triggers.entries)} trigger words from {gold} gold record(s)")
        if "rules" in self.using:
            self.descriptions.append("rules for DATE, TIME, CARDINAL, ORDINAL, PERCENT, MONEY, QUANTITY "
                                     "(tables calendar.json, numbers.json)")
        if "crf" in self.using:
            if not gold:
                raise SuggestError("--using crf: no gold records to train the CRF on (see --gold)", 2)
            try:
                import pycrfsuite  # noqa: F401
            except ImportError:
                raise SuggestError("--using crf needs python-crfsuite: pip install 'khabar[suggest]'", 2) from None
            from khabar.suggest.crf import CrfProposer

            self.crf = CrfProposer().fit(self.gold_records)
            self.descriptions.append(f"CRF baseline trained on {gold} gold record(s)")

    @property
    def produced_by(self) -> str:
        return f"khabar suggest {__version__}: " + "; ".join(self.descriptions)

    def candidates(self, record: dict) -> list[Candidate]:
        from khabar.suggest import rules

        found: list[Candidate] = []
        if "lexicon" in self.using:
            found += self.entities.propose(record["text"]) + self.triggers.propose(record["text"])
        if "rules" in self.using:
            found += rules.propose(record["text"], record["source"].get("published"))
        if "crf" in self.using:
            found += self.crf.propose(record)
        return found

    def suggest(self, record: dict) -> dict:
        """The suggested draft of one record (khabar.suggest.draft)."""
        entities, triggers = merge(record, self.candidates(record), ["input", *self.using])
        return suggested_record(record, entities, triggers, self.produced_by, list(self.using))
