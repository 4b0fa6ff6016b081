"""The licence statement of a release, computed from its records' `source.name` and `source.license`.

One statement, written in four places (card, LICENSE.md, croissant.json, CITATION.cff): the
annotations are khabar's (CC BY-SA 4.0, because they adapt PLOVER's manual); each article text
keeps the terms its record states. Nothing about texts is typed here: a licence is recognised
only when the record's own wording names a Creative Commons licence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from khabar.release.context import ReleaseContext
from khabar.release.tables import widen_published

ANNOTATIONS_NAME = "CC BY-SA 4.0"
ANNOTATIONS_SPDX = "CC-BY-SA-4.0"
ANNOTATIONS_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
ANNOTATIONS_TERMS = ("Annotations (entity mentions, events, document labels), label definitions and guidelines: "
                     "CC BY-SA 4.0. The event labels, modes and contexts are PLOVER's (Open Event Data Alliance, "
                     "2021, CC BY-SA 4.0) and khabar's definitions adapt its manual, so the share-alike terms apply "
                     "to works derived from them.")
LICENSE_FILE = "LICENSE.md"

# "CC BY-NC-SA 4.0", "CC-BY-SA-4.0", "cc by 4.0"; CC0 separately
_CC = re.compile(r"\bCC[ -]BY((?:[ -](?:NC|ND|SA))*)[ -]([1-4]\.0)\b", re.I)
_CC0 = re.compile(r"\bCC0(?:[ -]1\.0)?\b", re.I)
_NONCOMMERCIAL = re.compile(r"\bnon-?commercial\b", re.I)


def spdx_of(licence: str) -> str | None:
    """The SPDX id of the Creative Commons licence a licence text names, or None."""
    found = _CC.search(licence)
    if found:
        parts = [part.upper() for part in re.split(r"[ -]", found.group(1)) if part]
        return "-".join(["CC", "BY", *parts, found.group(2)])
    return "CC0-1.0" if _CC0.search(licence) else None


def url_of(spdx: str | None) -> str | None:
    """The Creative Commons deed of an SPDX id (None for anything else)."""
    if spdx == "CC0-1.0":
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    found = re.fullmatch(r"CC-(BY(?:-NC|-ND|-SA)*)-([1-4]\.0)", spdx or "")
    return f"https://creativecommons.org/licenses/{found.group(1).lower()}/{found.group(2)}/" if found else None


def is_noncommercial(licence: str) -> bool:
    spdx = spdx_of(licence) or ""
    return "-NC" in spdx or bool(_NONCOMMERCIAL.search(licence))


@dataclass(frozen=True)
class SourceTerms:
    """The texts of one source under one licence text, as the records state them."""

    source: str
    licence: str
    articles: int
    first: str  # earliest source.published of the source (all its licences)
    last: str

    @property
    def spdx(self) -> str | None:
        return spdx_of(self.licence)


def source_terms(context: ReleaseContext) -> list[SourceTerms]:
    """One row per (source.name, source.license) in the release, sorted."""
    return terms_of(context.licences, context.published)


def terms_of(licence_counts: Counter, published: dict[str, list[str]]) -> list[SourceTerms]:
    """Rows from (source.name, source.license) -> articles and source.name -> [earliest, latest]."""
    return [SourceTerms(name, licence, count, *published.get(name, ["", ""]))
            for (name, licence), count in sorted(licence_counts.items())]


def records_terms(sources: list[dict]) -> list[SourceTerms]:
    """The rows for a list of records' `source` objects (how `khabar verify` recomputes them)."""
    counts: Counter = Counter()
    published: dict[str, list[str]] = {}
    for source in sources:
        counts[source["name"], source["license"]] += 1
        widen_published(published, source["name"], source["published"], source["published"])
    return terms_of(counts, published)


def text_licences(context: ReleaseContext) -> dict[str, int]:
    """Distinct licence texts of the article texts -> articles under it, sorted."""
    counts: dict[str, int] = {}
    for terms in source_terms(context):
        counts[terms.licence] = counts.get(terms.licence, 0) + terms.articles
    return dict(sorted(counts.items()))


def spdx_ids(context: ReleaseContext) -> list[str]:
    """The SPDX ids of the release: the annotations' and those recognised in the texts' licences."""
    found = {spdx_of(licence) for licence in text_licences(context)} - {None}
    return [ANNOTATIONS_SPDX, *sorted(found - {ANNOTATIONS_SPDX})]


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


def statement(context: ReleaseContext) -> str:
    """The release's licence statement in prose: what applies to what, the NonCommercial
    condition when any text carries it, texts without an open licence, attribution."""
    terms = source_terms(context)
    noncommercial = sum(t.articles for t in terms if is_noncommercial(t.licence))
    unlicensed = sum(t.articles for t in terms if t.spdx is None and not is_noncommercial(t.licence))
    sources = len({t.source for t in terms})
    parts = [ANNOTATIONS_TERMS,
             f"Article texts: each under the terms its record states in source.license; this release holds "
             f"{_articles(context.articles)} from {sources} source{'' if sources == 1 else 's'} under "
             f"{len(text_licences(context))} licence statement{'' if len(text_licences(context)) == 1 else 's'}."]
    if noncommercial:
        parts.append(f"NonCommercial: the texts of {_articles(noncommercial)} are licensed for non-commercial use "
                     f"only, so the release as a whole may be used for non-commercial purposes only; commercial use "
                     f"needs those articles left out or the rights holders' permission.")
    if unlicensed:
        parts.append(f"No open licence: the texts of {_articles(unlicensed)} carry no licence that allows reuse "
                     f"(their records say so); they are redistributed for research only, and reuse beyond research "
                     f"needs the rights holder's permission.")
    parts.append("Attribution: credit khabar and PLOVER for the annotations, and each source as its licence "
                 "statement names it.")
    return " ".join(parts)


def table(context: ReleaseContext) -> str:
    """The per-source, per-licence table (Markdown)."""
    return terms_table(source_terms(context))


def terms_table(rows: list[SourceTerms]) -> str:
    lines = ["| source | licence (source.license) | articles | published |", "|---|---|---:|---|"]
    for terms in rows:
        dates = terms.first if terms.first == terms.last else f"{terms.first} to {terms.last}"
        lines.append(f"| {_cell(terms.source)} | {_cell(terms.licence)} | {terms.articles:,} | {dates} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def license_file_text(context: ReleaseContext) -> str:
    """LICENSE.md of the release (the card's license_link)."""
    return (f"# Licences of {context.pretty_name} {context.version}\n\n"
            "Computed from the records of this release (`source.name`, `source.license`).\n\n"
            f"{statement(context)}\n\n{table(context)}\n")
