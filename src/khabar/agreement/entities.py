"""Entity agreement: span F1 (exact and relaxed, micro and per type) and Cohen's kappa over tokens.

Spans. Exact: both sides annotate the same characters with the same type (nervaluate's
`strict` scheme in khabar.evaluation.spans). Relaxed: the spans overlap and have the same type
(nervaluate's `ent_type` scheme: one-to-one, greedy, a span of B matched to the overlapping span
of A with the closest boundaries). Both count every nesting level. Per type, only the spans of
that type are matched.

Tokens. khabar's tokenizer (khabar.tokens) and the BIO tags of the `ner` config (khabar.ner),
applied level by level: level 1 is the outermost entities, level 2 the outermost of the rest,
and so on (khabar.evaluation.baselines.data.nesting_layers); a record with fewer levels has O
at the deeper ones. Each token gets its BIO tag at each level, and kappa is computed per level
over the tokens of all articles, and over all levels together (each token counted once per
level). Levels are positions in each annotation's own nesting, so a span that one side nests
one level deeper than the other shifts the spans below it: the per-level figures show where.
"""

from __future__ import annotations

from collections import Counter

from khabar.agreement.figures import cohen_kappa, f1_figures, observed_agreement
from khabar.evaluation import spans


def _spans(record: dict) -> list[spans.Span]:
    return spans.ordered((e["type"], e["start"], e["end"] - 1) for e in record["entities"])


def span_agreement(pairs: list[tuple[dict, dict]]) -> dict:
    """{"exact": {...}, "relaxed": {...}}, each with the micro figures and "per_type"."""
    totals = {scheme: Counter() for scheme in ("strict", "type")}
    per_type = {scheme: {} for scheme in ("strict", "type")}
    count_a, count_b = Counter(), Counter()
    for record_a, record_b in pairs:
        spans_a, spans_b = _spans(record_a), _spans(record_b)
        count_a.update(span[0] for span in spans_a)
        count_b.update(span[0] for span in spans_b)
        types = spans.span_types([spans_a], [spans_b])
        for (scheme, kind), counts in spans.document_counts(spans_a, spans_b, types).items():
            if scheme not in totals:
                continue
            if kind == "*":
                totals[scheme]["correct"] += counts["correct"]
            else:
                per_type[scheme].setdefault(kind, Counter())["correct"] += counts["correct"]
    out = {}
    for scheme, name in (("strict", "exact"), ("type", "relaxed")):
        figures = f1_figures(totals[scheme]["correct"], sum(count_a.values()), sum(count_b.values()))
        figures["per_type"] = {kind: f1_figures(per_type[scheme].get(kind, Counter())["correct"], count_a[kind],
                                                count_b[kind])
                               for kind in sorted(set(count_a) | set(count_b))}
        out[name] = figures
    return out


def _token_levels(record: dict, depth: int) -> list[list[str]]:
    """The record's BIO tags at levels 1..depth, each a list over all its tokens."""
    from khabar.evaluation.baselines.data import record_sentences

    sentences = record_sentences(record)
    levels = []
    for level in range(depth):
        tags = []
        for sentence in sentences:
            tags += sentence.layers[level] if level < len(sentence.layers) else ["O"] * len(sentence.tokens)
        levels.append(tags)
    return levels


def _depth(record: dict) -> int:
    from khabar.evaluation.baselines.data import nesting_layers

    return len(nesting_layers(record["entities"]))


def token_agreement(pairs: list[tuple[dict, dict]]) -> dict:
    """{"levels": [{"level", "tokens", "kappa", "observed"}...], "all_levels": {...}}."""
    depth = max((max(_depth(a), _depth(b)) for a, b in pairs), default=0) or 1
    tags_a, tags_b = [[] for _ in range(depth)], [[] for _ in range(depth)]
    for record_a, record_b in pairs:
        for level, (level_a, level_b) in enumerate(zip(_token_levels(record_a, depth), _token_levels(record_b, depth))):
            tags_a[level] += level_a
            tags_b[level] += level_b
    levels = [{"level": level + 1, "tokens": len(a), "kappa": cohen_kappa(a, b), "observed": observed_agreement(a, b)}
              for level, (a, b) in enumerate(zip(tags_a, tags_b))]
    every_a = [tag for level in tags_a for tag in level]
    every_b = [tag for level in tags_b for tag in level]
    return {"unit": "token x nesting level, BIO tags", "levels": levels,
            "all_levels": {"tokens": len(every_a), "kappa": cohen_kappa(every_a, every_b),
                           "observed": observed_agreement(every_a, every_b)}}
