"""The summary lines of `khabar import news` (stderr), from an ImportSummary."""

from __future__ import annotations

from collections import Counter

from khabar.interchange.news import SKIP_REASONS, ImportSummary
from khabar.wording import count


def _listed(counts: Counter, order: tuple[str, ...] = ()) -> str:
    keys = [key for key in order if counts.get(key)] + sorted(key for key in counts if key not in order)
    return ", ".join(f"{key} {counts[key]:,}" for key in keys) or "none"


def summary_lines(summary: ImportSummary, out: str, inputs: int) -> list[str]:
    """One line per kind of count: read and written, skips by reason, boilerplate lines by rule,
    characters changed by kind, date rules, one-paragraph bodies, syndication."""
    kinds: Counter = Counter()
    for (kind, _), characters in summary.changed_characters.items():
        kinds[kind] += characters
    details = ", ".join(f"{detail} {characters:,}" for (kind, detail), characters in sorted(summary.changed_characters.items())
                        if kind == "invisible")
    return [
        f"read {count(summary.articles_read, 'article')} from {count(inputs, 'file')}; wrote "
        f"{count(summary.records_written, 'draft record')} in {count(len(summary.shards), 'file')} under {out}",
        f"skipped {sum(summary.skips.values()):,}: {_listed(summary.skips, SKIP_REASONS)}",
        f"boilerplate lines removed: {_listed(summary.removed_lines)}",
        "characters changed (kind: characters, in articles): "
        + (", ".join(f"{kind} {characters:,} in {summary.articles_changed[kind]:,}" for kind, characters in sorted(kinds.items()))
           or "none"),
        f"invisible marks removed: {details or 'none'}",
        f"published from: {_listed(summary.date_rules)}",
        f"bodies without a line break (one paragraph; no paragraphs invented): {summary.single_paragraph:,}",
        f"records naming syndicated copies in source.also_published_by: {summary.syndicated:,}",
    ] + [f"selected but in no input: {origin}" for origin in summary.not_found]
