"""Counts per document, the figures computed from them, and bootstrap confidence intervals.

Every figure khabar reports is a function of counts that add up over documents (correct,
partial, predicted and gold numbers, per type). The evaluation stores them per document in a
`Tally`; a figure is computed from the totals. The point estimate uses Python floats and, for
macro averages, numpy's mean over the types in sorted order (seqeval's own arithmetic, so the
digits agree); the bootstrap recomputes every figure on resampled totals.

Bootstrap: documents are drawn with replacement, as many as there are, `RESAMPLES` times, with
Python's `random.Random(SEED)`; the interval is the 2.5th and 97.5th percentile of the resampled
figure (numpy's linear interpolation). With one document every resample is that document and the
interval collapses to the point.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

RESAMPLES = 1000
SEED = 20240521
CONFIDENCE = 0.95


def prf(correct: float, actual: int, possible: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from a (possibly half-weighted) number correct; 0 where undefined."""
    precision = correct / actual if actual > 0 else 0.0
    recall = correct / possible if possible > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def _prf_arrays(correct, actual, possible):
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(actual > 0, correct / np.where(actual > 0, actual, 1), 0.0)
        recall = np.where(possible > 0, correct / np.where(possible > 0, possible, 1), 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)
    return precision, recall, f1


@dataclass
class Block:
    """One precision/recall/F1 family: an overall count and, optionally, counts per type.

    Keys in the tally: (name, type, field) with type "*" for the overall figures and fields
    "correct", "partial" (weighted 0.5), "actual" (predicted) and "possible" (gold).
    """

    name: tuple[str, ...]
    types: list[str] = field(default_factory=list)
    extra: tuple[str, ...] = ()  # further counts reported with the figures (incorrect, missed, spurious)


@dataclass
class Ratio:
    """A plain proportion: `hits` / `total` (subset accuracy, token accuracy)."""

    name: tuple[str, ...]


class Tally:
    """Counts per document: key -> list of one integer per document."""

    def __init__(self, documents: int):
        self.documents = documents
        self.counts: dict[tuple, list[int]] = {}
        self.blocks: list[Block] = []
        self.ratios: list[Ratio] = []

    def add(self, document: int, key: tuple, value: int) -> None:
        if value:
            column = self.counts.setdefault(key, [0] * self.documents)
            column[document] += value

    def total(self, key: tuple) -> int:
        return sum(self.counts.get(key, ()))

    def add_prf(self, document: int, name: tuple, type_: str, correct: int, actual: int, possible: int,
                **extra: int) -> None:
        """Add one document's counts of a block; extra holds partial (weighted 0.5) and reported counts."""
        for field_name, value in (("correct", correct), ("actual", actual), ("possible", possible), *extra.items()):
            self.add(document, (name, type_, field_name), value)

    # point estimates ---------------------------------------------------------------------------

    def _numbers(self, block: Block, type_: str) -> tuple[float, int, int, dict]:
        correct = self.total((block.name, type_, "correct"))
        partial = self.total((block.name, type_, "partial"))
        actual = self.total((block.name, type_, "actual"))
        possible = self.total((block.name, type_, "possible"))
        raw = {"correct": correct, "partial": partial, "predicted": actual, "gold": possible}
        raw.update((extra, self.total((block.name, type_, extra))) for extra in block.extra)
        return correct + 0.5 * partial, actual, possible, raw

    def block_figures(self, block: Block) -> dict:
        """{"micro": {...}, "macro": {...}, "per_type": {type: {...}}} for one block.

        micro: from the overall counts (type "*"); macro: the unweighted mean of the per-type
        figures over the block's types (those in the gold or the predictions).
        """
        import numpy as np  # numpy's mean, as seqeval averages: the same digits

        out: dict = {}
        correct, actual, possible, raw = self._numbers(block, "*")
        precision, recall, f1 = prf(correct, actual, possible)
        out["micro"] = {"precision": precision, "recall": recall, "f1": f1, **raw}
        if block.types:
            per_type = {}
            for t in block.types:
                c, a, p, raw_t = self._numbers(block, t)
                tp, tr, tf = prf(c, a, p)
                per_type[t] = {"precision": tp, "recall": tr, "f1": tf, **raw_t}
            present = [t for t in block.types if per_type[t]["predicted"] or per_type[t]["gold"]]
            out["macro"] = {
                "precision": float(np.mean(np.array([per_type[t]["precision"] for t in present], dtype=np.float64)))
                if present else 0.0,
                "recall": float(np.mean(np.array([per_type[t]["recall"] for t in present], dtype=np.float64)))
                if present else 0.0,
                "f1": float(np.mean(np.array([per_type[t]["f1"] for t in present], dtype=np.float64)))
                if present else 0.0,
                "types": len(present),
            }
            out["per_type"] = per_type
        return out

    def ratio_figure(self, ratio: Ratio) -> dict:
        hits, total = self.total((ratio.name, "hits")), self.total((ratio.name, "total"))
        return {"value": hits / total if total else 0.0, "hits": hits, "total": total}

    # bootstrap ---------------------------------------------------------------------------------

    def bootstrap(self, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
        """(block or ratio name, average, measure) -> (low, high) percentile interval."""
        import numpy as np

        if self.documents == 0:
            return {}
        keys = sorted(self.counts, key=repr)
        index = {key: i for i, key in enumerate(keys)}
        matrix = np.array([self.counts[key] for key in keys], dtype=np.float64).T if keys else \
            np.zeros((self.documents, 0))
        rng = random.Random(seed)
        population = range(self.documents)
        weights = np.zeros((resamples, self.documents), dtype=np.float64)
        for row in range(resamples):
            weights[row] = np.bincount(rng.choices(population, k=self.documents), minlength=self.documents)
        totals = weights @ matrix  # integer sums, exact in float64

        def column(key):
            return totals[:, index[key]] if key in index else np.zeros(resamples)

        low, high = 100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2
        intervals: dict = {}

        def keep(name, values):
            a, b = np.percentile(values, [low, high])
            intervals[name] = (float(a), float(b))

        for block in self.blocks:
            def numbers(t):
                correct = column((block.name, t, "correct")) + 0.5 * column((block.name, t, "partial"))
                return correct, column((block.name, t, "actual")), column((block.name, t, "possible"))

            micro = numbers("*")
            for measure, values in zip(("precision", "recall", "f1"), _prf_arrays(*micro)):
                keep((block.name, "micro", measure), values)
            if block.types:
                per_type = [numbers(t) for t in block.types]
                present = np.array([(a + p) > 0 for _, a, p in per_type], dtype=np.float64)
                count = present.sum(axis=0)
                measures = [_prf_arrays(*n) for n in per_type]
                for position, measure in enumerate(("precision", "recall", "f1")):
                    stacked = np.array([m[position] for m in measures]) * present
                    values = np.where(count > 0, stacked.sum(axis=0) / np.where(count > 0, count, 1), 0.0)
                    keep((block.name, "macro", measure), values)
        for ratio in self.ratios:
            hits, total = column((ratio.name, "hits")), column((ratio.name, "total"))
            keep((ratio.name, "value", "value"), np.where(total > 0, hits / np.where(total > 0, total, 1), 0.0))
        return intervals
