"""The card's "Changes since" section: `khabar diff` between the previous release and this one.

The previous release is the highest version below this one among the release folders beside
it (`releases/v<X.Y.Z>/`). The first release has none, and its card has no such section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from khabar.release.features import yaml_features

_RELEASE_NAME = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")
CHANGES_LISTED = 50  # changed articles named one by one in the card; more are only counted


@dataclass(frozen=True)
class ReleaseChanges:
    previous: str  # version, e.g. "0.1.0"
    summary: dict  # CorpusDiff.summary()
    articles: list[tuple[str, str, int]]  # (id, added/removed/changed, annotation changes) of the first CHANGES_LISTED
    more: int  # changed articles beyond those listed


def _version_key(name: str) -> tuple[int, int, int] | None:
    match = _RELEASE_NAME.match(name)
    return tuple(int(part) for part in match.groups()) if match else None


def previous_release(releases: Path, version: str) -> Path | None:
    """The folder of the highest release below version in releases/, or None."""
    current = _version_key(f"v{version}")
    if current is None or not releases.is_dir():
        return None
    older = [(key, path) for path in releases.iterdir()
             if path.is_dir() and (key := _version_key(path.name)) is not None and key < current]
    return max(older)[1] if older else None


def release_changes(releases: Path, version: str, staging: Path) -> ReleaseChanges | None:
    """The diff of the previous release against the documents written to staging (a release
    being built: its card is not written yet, so its rows decode with this schema's features).

    Streams: the new release row group by row group, the previous one found by id (see
    ReleaseIndex), so neither is held whole. None for a first release. Raises ReleaseError when
    the previous release cannot be read.
    """
    from khabar.show.diff import ArticleDiff, Tally, diff_records
    from khabar.show.records import ReleaseIndex, release_rows

    previous = previous_release(releases, version)
    if previous is None:
        return None
    old = ReleaseIndex(previous)
    tally, listed, seen = Tally(), [], set()

    def count(article: ArticleDiff) -> None:
        tally.add(article)
        if article.status != "unchanged" and len(listed) < CHANGES_LISTED:
            listed.append((article.id, article.status, len(article.changes)))

    for _, record in release_rows(staging, yaml_features("documents")):
        seen.add(record["id"])
        count(diff_records(old.get(record["id"]), record))
    for record_id in old.order:
        if record_id not in seen:
            count(ArticleDiff(record_id, "removed", None, None))
    summary = tally.summary()
    touched = summary["articles"]["added"] + summary["articles"]["removed"] + summary["articles"]["changed"]
    return ReleaseChanges(previous.name[1:], summary, listed, touched - len(listed))


def card_section(changes: ReleaseChanges, version: str) -> str:
    """Markdown for the card: a table of counts and the changed articles."""
    summary = changes.summary
    kinds = ("added", "removed", "type", "boundary", "type+boundary", "arguments/mode/context")
    rows = ["| | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for group in ("entities", "events"):
        rows.append(f"| {group} | " + " | ".join(str(summary[group].get(kind, "–")) for kind in kinds) + " |")
    articles = summary["articles"]
    lines = [
        f"Compared with v{changes.previous} by `khabar diff releases/v{changes.previous} releases/v{version}`: "
        f"articles matched by id, entities and event triggers by character offsets; a change of type or "
        f"boundaries counts once, not as a removal and an addition.",
        f"Articles: {articles['added']} added, {articles['removed']} removed, {articles['changed']} with changed "
        f"annotations or metadata, {articles['unchanged']} unchanged.",
        "\n".join(rows),
    ]
    if changes.articles or changes.more:
        listed = [f"- `{article_id}`: {status}" + (f", {count} annotation change(s)" if status == "changed" else "")
                  for article_id, status, count in changes.articles]
        if changes.more:
            listed.append(f"- and {changes.more} more")
        lines.append("\n".join(listed))
    return "\n\n".join(lines)
