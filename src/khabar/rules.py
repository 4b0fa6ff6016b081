"""Annotation rules that more than one part of khabar applies (validator, builder, docs)."""

from __future__ import annotations

from typing import Iterable

from khabar import labels

# Auxiliary modes that mark an event as not reported as news by the article: background
# (historical), or something that did not or may not happen (negation, hypothetical).
# Guidelines, section "Document labels".
NOT_NEWS_MODES = frozenset({"historical", "hypothetical", "negation"})


def expected_event_labels(events: Iterable[dict]) -> list[str]:
    """The article's document labels: the types of its events reported as news, in label-set order."""
    news_types = {event["type"] for event in events if NOT_NEWS_MODES.isdisjoint(event["mode"])}
    order = labels.event_type_order()
    return sorted((name for name in news_types if name in order), key=order.__getitem__)  # unknown types: none


# Words that make a date approximate ("about a year"). Wojood leaves them outside the DATE span
# (guidelines 2.0, section "Dates"); the validator warns when a DATE starts with one.
DATE_APPROXIMATORS = frozenset({"نحو", "حوالي", "حوالى", "قرابة", "زهاء"})


def starts_with_approximator(span_text: str) -> bool:
    """True when the span's first word is an approximator of DATE_APPROXIMATORS."""
    return span_text.split(" ", 1)[0] in DATE_APPROXIMATORS
