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


# Head nouns that say what kind of place a name is: they belong to the GPE span, as in Wojood's
# data (guidelines 2.0, section 3.1); the validator warns when a GPE starts right after one.
# (Not the indefinite عاصمة: in عاصمة المغرب the GPE is Morocco, whose capital is meant.)
PLACE_HEAD_NOUNS = frozenset({"مدينة", "محافظة", "قرية", "بلدة", "ولاية", "مديرية", "مخيم", "قضاء", "منطقة",
                              "العاصمة"})


def is_place_head_noun(word: str) -> bool:
    """True when word, with or without the proclitics و ف then ب ل ك, is one of PLACE_HEAD_NOUNS
    (`بمدينة` is ب + مدينة; `للعاصمة` is ل + العاصمة, the article's alif not written)."""
    forms = {word}
    for form in (word, word[1:] if word[:1] in ("و", "ف") else word):
        forms.add(form)
        if form.startswith("لل"):
            forms.add("ال" + form[2:])
        elif form[:1] in ("ب", "ل", "ك"):
            forms.add(form[1:])
    return not PLACE_HEAD_NOUNS.isdisjoint(forms)
