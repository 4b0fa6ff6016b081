"""How messages say a number of things: "1 article", "2 articles", "0 entities"."""

from __future__ import annotations

_IRREGULAR = {"entity": "entities", "repair": "repairs", "summary": "summaries", "entry": "entries",
              "sentence boundary": "sentence boundaries", "property": "properties"}


def plural(noun: str) -> str:
    """The plural of a noun used in khabar's messages."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    last = noun.rsplit(" ", 1)[-1]
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if last.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(number: int, noun: str) -> str:
    """'1 article', '2 articles', '12,000 records': the number (thousands separated) and the noun."""
    return f"{number:,} {noun if number == 1 else plural(noun)}"
