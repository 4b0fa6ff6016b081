"""Counts to figures: F1 of two annotations, and Cohen's kappa through scikit-learn."""

from __future__ import annotations

import warnings


def f1_figures(matched: int, count_a: int, count_b: int) -> dict:
    """Agreement F1 of two sets of items with `matched` items in common (A taken as the
    reference for precision and recall: P = matched / B, R = matched / A; F1 is symmetric).
    None where a denominator is 0 (two empty annotations agree on nothing measurable)."""
    def ratio(numerator: int, denominator: int) -> float | None:
        return numerator / denominator if denominator else None

    return {"a": count_a, "b": count_b, "matched": matched,
            "precision": ratio(matched, count_b), "recall": ratio(matched, count_a),
            "f1": ratio(2 * matched, count_a + count_b)}


def cohen_kappa(labels_a: list[str], labels_b: list[str]) -> float | None:
    """Cohen's kappa of two label sequences (scikit-learn's cohen_kappa_score); None when it is
    undefined: no items, or both sides use one and the same label throughout (chance agreement
    is then 1 and kappa is 0/0)."""
    from sklearn.metrics import cohen_kappa_score

    if not labels_a or len(set(labels_a) | set(labels_b)) == 1:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(labels_a, labels_b))


def observed_agreement(labels_a: list[str], labels_b: list[str]) -> float | None:
    """The share of items with the same label on both sides."""
    if not labels_a:
        return None
    return sum(a == b for a, b in zip(labels_a, labels_b)) / len(labels_a)
