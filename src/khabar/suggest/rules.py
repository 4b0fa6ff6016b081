"""Proposals from rules: dates, times, numbers, percentages, money and quantities.

The words come from the tables in tables/ (calendar.json, numbers.json); this module only
composes them into patterns, tried in a fixed order (the first pattern wins where two overlap;
a number inside a date belongs to the date, guidelines 3.5):

numeric-date (24/11/2021, 2021-11-24), weekday (اليوم الأربعاء, يوم الاثنين المقبل, with a date
after it), date (13 ايلول/سبتمبر لعام 1993, شهر رمضان, 5 محرم 1442 هـ; a month name counts only
with a day, a year or شهر), year (عام 2000, سنة 1442 هـ), era-year (1442هـ, 2015م), year-after-في
(في 2020), relative-date (اليوم, أمس, العام الماضي), clock (الساعة 10 صباحا, 10:30), duration
(30 ثانية: TIME, as Wojood), time-expression, percent, money (MONEY with the currency nested as
CURR), quantity (QUANTITY with the unit nested as UNIT), cardinal, ordinal.

Digits are ASCII, Arabic-Indic or Eastern Arabic-Indic. DATEs get `normalized` where the text
fixes a Gregorian date: a Gregorian or Levantine month with its year, a year of four digits
between 1600 and 2199 or marked م, a numeric date, and relative dates and "today + weekday"
resolved against source.published (the weekday must be the publication's). Hijri dates are not
converted.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import lru_cache
from pathlib import Path

from khabar.suggest import Candidate
from khabar.suggest.words import is_mention

TABLES = Path(__file__).parent / "tables"
_S = r"[^\S\n]+"  # white space inside a line
_S0 = r"[^\S\n]*"


def _alt(words) -> str:
    """An alternation of words, longest first. A word with the article ال is also matched in its
    ل + ال form after a lam (للعام الماضي -> لعام الماضي, guidelines 2.2)."""
    words = set(words)
    forms = [(w, re.escape(w)) for w in words]
    forms += [(w, "(?<=ل)" + re.escape("ل" + w[2:])) for w in words if w.startswith("ال") and len(w) > 2]
    return "(?:" + "|".join(pattern for _, pattern in sorted(forms, key=lambda f: (-len(f[0]), f[1]))) + ")"


@lru_cache(maxsize=None)
def tables() -> tuple[dict, dict]:
    """(calendar, numbers): the rule tables."""
    return tuple(json.loads((TABLES / name).read_text(encoding="utf-8")) for name in ("calendar.json", "numbers.json"))


@lru_cache(maxsize=None)
def _patterns() -> list[tuple[str, str, re.Pattern]]:
    calendar, numbers = tables()
    digit = "[" + numbers["digits"] + "]"
    number = f"{digit}+(?:[{re.escape(numbers['separators'])}]{digit}+)*"
    word_number = _alt(numbers["cardinal_words"])
    spoken = f"{word_number}(?:{_S}و{word_number})*"
    amount = f"(?:{number}|{spoken})(?:{_S}{_alt(numbers['multipliers'])})?"
    month = _alt(name for entry in calendar["months"] for name in entry["names"])
    months = f"(?P<month>{month})(?:{_S0}/{_S0}(?P<month2>{month}))?"
    era = f"(?:{_S0}(?P<era>{_alt(calendar['era_markers'])}))?"
    year_word = f"(?:من{_S})?[لب]?{_alt(calendar['year_words'])}"
    full_date = (f"(?:(?P<day>{digit}{{1,2}}){_S})?(?P<month_word>{_alt(calendar['month_word'])}{_S})?{months}"
                 f"(?:{_S}(?:{year_word}{_S})?(?P<year>{digit}{{4}}|{digit}{{2,4}}(?={_S0}(?:هـ|ه)))" + era + ")?")
    weekday = _alt(name for entry in calendar["weekdays"] for name in entry["names"])
    tail = (f"(?:[،,]?{_S}(?P<tail_day>{digit}{{1,2}}){_S}(?P<tail_month>{month})"
            f"(?:{_S0}/{_S0}{month})?(?:{_S}(?P<tail_year>{digit}{{4}}))?)?")
    found = [
        ("DATE", "numeric-date", f"(?P<d1>{digit}{{1,2}})[/.-](?P<m1>{digit}{{1,2}})[/.-](?P<y1>{digit}{{4}})"
                                 f"|(?P<y2>{digit}{{4}})-(?P<m2>{digit}{{1,2}})-(?P<d2>{digit}{{1,2}})"),
        ("DATE", "weekday", f"(?:(?P<day_word>{_alt(calendar['day_words'])}){_S})?(?P<weekday>{weekday})"
                            f"(?:{_S}{_alt(calendar['weekday_after'])})?" + tail),
        ("DATE", "date", full_date),
        ("DATE", "year", f"{_alt(calendar['year_words'])}{_S}(?P<year>{digit}{{1,4}})" + era),
        ("DATE", "era-year", f"(?P<year>{digit}{{1,4}}){_S0}(?P<era>{_alt(calendar['era_markers'])})"),
        ("DATE", "year-after-في", f"في{_S}(?P<span>(?P<year>{digit}{{4}}))"),
        ("DATE", "relative-date", f"(?P<relative>{_alt(r['words'] for r in calendar['relative_dates'])})"),
        ("TIME", "clock", f"(?:{_alt(numbers['clock_word'])}{_S}{digit}{{1,2}}(?::{digit}{{2}})?|{digit}{{1,2}}:{digit}{{2}})"
                          f"(?:{_S}{_alt(numbers['day_parts'])})?"),
        ("TIME", "duration", f"{amount}{_S}{_alt(numbers['time_units'])}"),
        ("TIME", "time-expression", _alt(numbers["time_expressions"])),
        ("PERCENT", "percent", f"{number}{_S0}{_alt(numbers['percent_after'])}"),
        ("MONEY", "money", f"(?P<currency_first>[$€£]){number}(?:{_S}{_alt(numbers['multipliers'])})?"
                           f"|{amount}{_S0}(?P<currency>{_alt(numbers['currencies'])}"
                           f"(?:{_S}{_alt(numbers['currency_adjectives'])})?)"),
        ("QUANTITY", "quantity", f"{amount}{_S}(?P<unit>{_alt(numbers['units'])}(?:{_S}{_alt(numbers['unit_suffixes'])})?)"),
        ("CARDINAL", "cardinal", amount),
        ("ORDINAL", "ordinal", _alt(numbers["ordinal_words"])),
    ]
    return [(kind, name, re.compile(pattern)) for kind, name, pattern in found]


def value_types() -> frozenset[str]:
    """The entity types the rules propose (dates, times, numbers): the outer type of each rule."""
    return frozenset(kind for kind, _, _ in _patterns())


def _as_listed(word: str) -> str:
    """A matched word as the tables list it (the ل + ال form back to ال)."""
    return "ا" + word if word.startswith("ل") and not word.startswith("ال") else word


def _month_number(name: str | None) -> tuple[str, int] | None:
    if name is None:
        return None
    for entry in tables()[0]["months"]:
        if name in entry["names"] or _as_listed(name) in entry["names"]:
            return entry["calendar"], entry["month"]
    return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day and month else "")


def _gregorian_year(text: str | None, era: str | None) -> int | None:
    if text is None or len(text) != 4:
        return None
    year = int(text)  # int() reads Arabic-Indic digits too
    marker = tables()[0]["era_markers"].get(era) if era else None
    if marker == "hijri":
        return None
    return year if marker == "gregorian" or 1600 <= year <= 2199 else None


def _shift_months(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _normalized(name: str, match: re.Match, published: datetime.date | None) -> str | None:
    group = match.groupdict()
    if name == "numeric-date":
        if group["y1"]:
            return _iso(int(group["y1"]), int(group["m1"]), int(group["d1"]))
        return _iso(int(group["y2"]), int(group["m2"]), int(group["d2"]))
    if name == "date":
        first, second = _month_number(group["month"]), _month_number(group.get("month2"))
        year = _gregorian_year(group.get("year"), group.get("era"))
        if first is None or first[0] != "gregorian" or (second and second != first) or year is None:
            return None
        return _iso(year, first[1], int(group["day"]) if group.get("day") else None)
    if name in ("year", "era-year", "year-after-في"):
        year = _gregorian_year(group.get("year"), group.get("era"))
        return None if year is None else _iso(year)
    if name == "weekday":
        if group.get("tail_day"):
            month = _month_number(group["tail_month"])
            year = _gregorian_year(group.get("tail_year"), None)
            if month and month[0] == "gregorian" and year:
                return _iso(year, month[1], int(group["tail_day"]))
            return None
        weekday = next(entry["weekday"] for entry in tables()[0]["weekdays"]
                       if group["weekday"] in entry["names"] or _as_listed(group["weekday"]) in entry["names"])
        if group.get("day_word") == "اليوم" and published and published.weekday() == weekday \
                and match.group(0).endswith(group["weekday"]):
            return published.isoformat()
        return None
    if name == "relative-date" and published:
        entry = next(r for r in tables()[0]["relative_dates"] if r["words"] in (group["relative"],
                                                                                 _as_listed(group["relative"])))
        if "days" in entry:
            return (published + datetime.timedelta(days=entry["days"])).isoformat()
        if "years" in entry:
            return f"{published.year + entry['years']:04d}"
        if "months" in entry:
            return "%04d-%02d" % _shift_months(published, entry["months"])
    return None


def _nested(name: str, match: re.Match) -> tuple[str, int, int] | None:
    if name == "money":
        for group in ("currency", "currency_first"):
            if match.group(group):
                return "CURR", match.start(group), match.end(group)
    if name == "quantity":
        return "UNIT", match.start("unit"), match.end("unit")
    return None


def propose(text: str, published: str | None = None) -> list[Candidate]:
    """Rule proposals for text, outer spans with their nested CURR/UNIT; none overlapping another
    outer span. published (YYYY-MM-DD) anchors relative dates."""
    day = datetime.date.fromisoformat(published) if published else None
    taken: list[tuple[int, int]] = []
    out: list[Candidate] = []
    for kind, name, pattern in _patterns():
        for match in pattern.finditer(text):
            group = "span" if "span" in pattern.groupindex else 0
            start, end = match.start(group), match.end(group)
            if name == "date" and not (match.group("day") or match.group("year") or match.group("month_word")):
                continue  # a month name alone is too often something else (صفر, رجب, آب)
            if not is_mention(text, start, end) or any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            detail = f"rule {name} ({kind})"
            out.append(Candidate(start, end, kind, "rules", detail,
                                 normalized=_normalized(name, match, day) if kind == "DATE" else None))
            nested = _nested(name, match)
            if nested and is_mention(text, nested[1], nested[2]) and (nested[1], nested[2]) != (start, end):
                out.append(Candidate(nested[1], nested[2], nested[0], "rules", f"rule {name} ({nested[0]} inside "
                                     f"{kind})", parent=(start, end)))
    return out
