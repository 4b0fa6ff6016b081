"""Entity spans scored under the four schemes of SemEval-2013 task 9.1, as nervaluate 1.2.1 defines them.

(nervaluate 1.0 and 1.1 matched differently -- the first overlapping gold span won even when an
exact match came later -- and 1.0 to 1.2.0 computed the partial and type figures of more than
one document without the half credit; 1.2.1 is the reference.)

A span is (type, start, end) with an inclusive end, in whatever unit the caller counts (tokens
for tag sequences, characters for records). Every document is scored on its own; within a
document each scheme walks the predicted spans in order and, for each, the gold spans not yet
matched, in order (nervaluate's greedy matching; khabar sorts both lists by start, end, type
first, so the order of a predictions file never changes a score):

- strict: correct when boundaries and type are equal; otherwise incorrect when it overlaps a gold
  span (the first one found), otherwise spurious;
- exact: correct when boundaries are equal, whatever the type; incorrect when it only overlaps;
- partial: correct when boundaries are equal (type ignored); partial when it only overlaps;
- type: correct when it overlaps a gold span of the same type (the one with the closest boundaries);
  incorrect when it overlaps only spans of other types.

"Overlaps" means the overlap covers at least 1 % of the gold span (nervaluate's
``min_overlap_percentage=1.0``; for spans shorter than 101 units, any overlap). Gold spans left
unmatched are missed. With POS = correct + incorrect + partial + missed and
ACT = correct + incorrect + partial + spurious: strict and exact P = COR / ACT, R = COR / POS;
partial and type P = (COR + 0.5 PAR) / ACT, R = (COR + 0.5 PAR) / POS; F1 = 2PR / (P + R); 0 when
a denominator is 0. The overall ("micro") figures match spans of all types together; per type,
only the spans of that type are matched.
"""

from __future__ import annotations

from collections import Counter

SCHEMES = ("strict", "exact", "partial", "type")
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENTAGE = 1.0

Span = tuple[str, int, int]  # (type, start, end), end inclusive


def _overlaps(pred: Span, gold: Span) -> bool:
    # nervaluate EvaluationStrategy._calculate_overlap_percentage, with its float arithmetic
    if pred[1] > gold[2] or pred[2] < gold[1]:
        return False
    overlap = min(pred[2], gold[2]) - max(pred[1], gold[1]) + 1
    return (overlap / (gold[2] - gold[1] + 1)) * 100.0 >= MIN_OVERLAP_PERCENTAGE


def _strict_or_exact(gold: list[Span], pred: list[Span], check_type: bool) -> Counter:
    counts: Counter = Counter()
    matched: set[int] = set()
    for p in pred:
        candidate = None
        for index, g in enumerate(gold):
            if index in matched:
                continue
            if p[1] == g[1] and p[2] == g[2] and (not check_type or p[0] == g[0]):
                counts["correct"] += 1
                matched.add(index)
                break
            if candidate is None and _overlaps(p, g):
                candidate = index
        else:
            if candidate is not None:
                counts["incorrect"] += 1
                matched.add(candidate)
            else:
                counts["spurious"] += 1
    counts["missed"] += len(gold) - len(matched)
    return counts


def _partial(gold: list[Span], pred: list[Span]) -> Counter:
    counts: Counter = Counter()
    matched: set[int] = set()
    for p in pred:
        candidate = None
        for index, g in enumerate(gold):
            if index in matched or not _overlaps(p, g):
                continue
            if p[1] == g[1] and p[2] == g[2]:
                counts["correct"] += 1
                matched.add(index)
                break
            if candidate is None:
                candidate = index
        else:
            if candidate is not None:
                counts["partial"] += 1
                matched.add(candidate)
            else:
                counts["spurious"] += 1
    counts["missed"] += len(gold) - len(matched)
    return counts


def _type(gold: list[Span], pred: list[Span]) -> Counter:
    counts: Counter = Counter()
    matched: set[int] = set()
    for p in pred:
        best = best_distance = wrong_type = None
        for index, g in enumerate(gold):
            if index in matched or not _overlaps(p, g):
                continue
            if p[0] == g[0]:
                distance = abs(p[1] - g[1]) + abs(p[2] - g[2])
                if best_distance is None or distance < best_distance:
                    best, best_distance = index, distance
            elif wrong_type is None:
                wrong_type = index
        if best is not None:
            counts["correct"] += 1
            matched.add(best)
        elif wrong_type is not None:
            counts["incorrect"] += 1
            matched.add(wrong_type)
        else:
            counts["spurious"] += 1
    counts["missed"] += len(gold) - len(matched)
    return counts


def score_document(gold: list[Span], pred: list[Span], scheme: str) -> Counter:
    """Counts (correct, incorrect, partial, missed, spurious) of one document under one scheme."""
    if scheme == "strict":
        return _strict_or_exact(gold, pred, check_type=True)
    if scheme == "exact":
        return _strict_or_exact(gold, pred, check_type=False)
    if scheme == "partial":
        return _partial(gold, pred)
    if scheme == "type":
        return _type(gold, pred)
    raise ValueError(f"unknown scheme {scheme!r}")


def ordered(spans) -> list[Span]:
    """Spans without repeats, sorted by start, end, type: the order khabar matches them in."""
    return sorted(set(spans), key=lambda span: (span[1], span[2], span[0]))


def span_types(gold_docs: list[list[Span]], pred_docs: list[list[Span]]) -> list[str]:
    """The types scored one by one: those in the gold or the predictions (nervaluate's used tags), sorted."""
    return sorted({span[0] for doc in gold_docs + pred_docs for span in doc})


def document_counts(gold: list[Span], pred: list[Span], types: list[str]) -> dict[tuple[str, str], Counter]:
    """(scheme, type or "*") -> counts for one document; "*" matches all types together."""
    out: dict[tuple[str, str], Counter] = {}
    by_type_gold = {t: [s for s in gold if s[0] == t] for t in types}
    by_type_pred = {t: [s for s in pred if s[0] == t] for t in types}
    for scheme in SCHEMES:
        out[scheme, "*"] = score_document(gold, pred, scheme)
        for t in types:
            if by_type_gold[t] or by_type_pred[t]:
                out[scheme, t] = score_document(by_type_gold[t], by_type_pred[t], scheme)
    return out


def spans_from_tags(tags: list[str]) -> list[Span]:
    """Spans that nervaluate's list loader reads from one tag sequence.

    A span starts at any tag other than O when none is open, and at B- or a change of type when
    one is; the type is the tag after its first two characters. Raises TagError (from bio) for
    a tag that starts a span without B- or I-, as nervaluate raises.
    """
    from khabar.evaluation.bio import TagError

    spans: list[Span] = []
    start = None
    kind = None
    for offset, tag in enumerate(tags):
        if tag == "O":
            if kind is not None:
                spans.append((kind, start, offset - 1))
                start = kind = None
        elif kind is None or kind != tag[2:] or tag[:1] == "B":
            if kind is not None:
                spans.append((kind, start, offset - 1))
            if not (tag.startswith("B-") or tag.startswith("I-")):
                raise TagError(f"tag {tag!r} is not a BIO tag (it must be O or start with B- or I-)")
            kind, start = tag[2:], offset
    if kind is not None:
        spans.append((kind, start, len(tags) - 1))
    return spans
