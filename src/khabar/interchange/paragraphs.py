"""Paragraphs and boilerplate: the one logic that `khabar ingest` and `khabar import news` share.

A body is kept as the source split it: every non-blank line is a paragraph, stripped of white
space at its edges; paragraphs are never invented or merged. Boilerplate is a whole line that a
website or agency adds around an article (comment forms, share buttons, related links, an
agency's end mark and time stamp); it is removed only by a named rule, and every removed line is
reported with that rule's name, never silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

# Lines that websites append after an article (comment forms, share buttons, related links).
WEBSITE_BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^leave a (?:reply|comment)(?: cancel reply)?$",
    r"^your email address will not be published\.?(?: required fields are marked \*)?$",
    r"^required fields are marked \*$",
    r"^(?:comment|name|email|website)\s*\*?$",
    r"^post comment$",
    r"^save my name, email, and website in this browser.*$",
    r"^share(?: this(?: article)?| on \w+)?\s*:?$",
    r"^(?:facebook|twitter|x|whatsapp|telegram|linkedin|email|print)$",
    r"^like this:?$",
    r"^شارك(?:ها| الخبر)?(?: على \S+)?\s*:?$",
)]
# A header after which every line is a related-article link.
RELATED_HEADER = re.compile(r"^(?:related(?: posts| articles| news)?|اقرأ أيضا|اقرأ أيضاً|أخبار ذات صلة|مواضيع ذات صلة)\s*:?$",
                            re.IGNORECASE)

Line = tuple[int, str]  # (line number in the source text, 1-based; the stripped line)
Removed = tuple[int, str, str]  # (line number, line, why)


def paragraph_lines(text: str) -> list[Line]:
    """Every non-blank line of text, stripped, with its 1-based line number."""
    stripped = ((number, line.strip()) for number, line in enumerate(text.split("\n"), 1))
    return [(number, line) for number, line in stripped if line]


def join_text(title: str, paragraphs: Iterable[str]) -> str:
    """A record's text: the headline, then the paragraphs, one blank line between each."""
    return "\n\n".join([title, *paragraphs])


def is_website_boilerplate(line: str) -> bool:
    return any(pattern.match(line) for pattern in WEBSITE_BOILERPLATE)


def trailing_boilerplate_start(lines: list[Line], keep_first: int = 1) -> int:
    """Index where the run of website boilerplate lines that ends `lines` starts (len(lines)
    when there is none); the first keep_first lines are never part of it."""
    end = len(lines)
    while end > keep_first and is_website_boilerplate(lines[end - 1][1]):
        end -= 1
    return end


def classify_trailer(trailer: list[Line]) -> tuple[list[Removed], list[Line]]:
    """(removed lines, unrecognised lines) of the lines after an article: a related-links header
    and every line after it, website boilerplate; anything else is unrecognised."""
    removed: list[Removed] = []
    unrecognised: list[Line] = []
    in_related = False
    for number, line in trailer:
        if RELATED_HEADER.match(line):
            in_related = True
            removed.append((number, line, "related-links header"))
        elif in_related:
            removed.append((number, line, "related link"))
        elif is_website_boilerplate(line):
            removed.append((number, line, "website boilerplate"))
        else:
            unrecognised.append((number, line))
    return removed, unrecognised


@dataclass(frozen=True)
class LineRule:
    """A named boilerplate rule for one source: whole lines matching `pattern` are removed.

    where: "first" (only among the leading lines: each line from the top that matches),
    "last" (only the run of matching lines that ends the body), "any" (anywhere), or
    "end-mark" (the matching line and every line after it that matches `after`).
    """

    name: str
    pattern: re.Pattern
    where: str = "any"
    after: re.Pattern | None = None
    equals_field: str | None = None  # "author": the line is the article's author field (a byline)


@dataclass
class BodyLines:
    kept: list[Line]
    removed: list[Removed] = field(default_factory=list)


def apply_line_rules(lines: list[Line], rules: Iterable[LineRule], fields: dict[str, str] | None = None) -> BodyLines:
    """Remove the lines that the rules name, in order of the rules; report each with its rule.

    fields: the article's other fields, for rules that compare a line with one (a byline equal
    to the author field). Lines not named by a rule are kept, in order.
    """
    fields = fields or {}
    drop: dict[int, str] = {}  # index into lines -> rule name
    for rule in rules:
        live = [i for i in range(len(lines)) if i not in drop]

        def hit(i: int) -> bool:
            line = lines[i][1]
            if rule.equals_field:
                value = (fields.get(rule.equals_field) or "").strip()
                return bool(value) and line == value
            return bool(rule.pattern.match(line))

        if rule.where == "first":
            for i in live:
                if not hit(i):
                    break
                drop[i] = rule.name
        elif rule.where == "last":
            for i in reversed(live):
                if not hit(i):
                    break
                drop[i] = rule.name
        elif rule.where == "end-mark":
            mark = next((i for i in live if hit(i)), None)
            if mark is not None:
                drop[mark] = rule.name
                for i in (i for i in live if i > mark):
                    if rule.after is None or not rule.after.match(lines[i][1]):
                        break
                    drop[i] = f"{rule.name} (after it)"
        else:
            for i in live:
                if hit(i):
                    drop[i] = rule.name
    return BodyLines([line for i, line in enumerate(lines) if i not in drop],
                     [(lines[i][0], lines[i][1], why) for i, why in sorted(drop.items())])
