"""`khabar diff` output: text (one line per change), JSON, or an HTML page with both readings."""

from __future__ import annotations

import json

from khabar.show import layout
from khabar.show.diff import CorpusDiff, describe
from khabar.show.page import TRIGGER_COLOUR, environment
from khabar.show.palette import entity_styles


def summary_line(summary: dict) -> str:
    """`articles: 1 changed, ...; entities: ...; events: ...` (kinds with a zero count left out)."""
    parts = []
    for group in ("articles", "entities", "events"):
        counts = ", ".join(f"{count} {kind}" for kind, count in summary[group].items() if count)
        parts.append(f"{group}: {counts or 'no change'}")
    return "; ".join(parts)


def as_text(diff: CorpusDiff, old_name: str, new_name: str) -> str:
    lines = [f"--- {old_name}", f"+++ {new_name}"]
    for article in diff.articles:
        if article.status == "added":
            record = article.new
            lines.append(f"+ {article.id}: added ({len(record['entities'])} entities, {len(record['events'])} events)")
        elif article.status == "removed":
            record = article.old
            lines.append(f"- {article.id}: removed ({len(record['entities'])} entities, {len(record['events'])} events)")
        elif article.status == "changed":
            lines.append(f"~ {article.id}: {len(article.changes)} annotation change(s)")
            lines += [f"    {line}" for line in article.fields]
            lines += [f"    {describe(change)}" for change in article.changes]
    lines.append(f"summary: {summary_line(diff.summary())}")
    return "\n".join(lines) + "\n"


def as_json(diff: CorpusDiff, old_name: str, new_name: str) -> str:
    return json.dumps({"old": old_name, "new": new_name, **diff.as_json()}, ensure_ascii=False, indent=2) + "\n"


def _reading(record: dict, changes: list, side: str, prefix: str) -> dict:
    """A record's paragraphs with each changed mark classed added/removed/changed."""
    marks, _ = layout.marks_of(record)
    trigger_key = {}
    for mark in marks:
        if mark.kind == layout.TRIGGER:
            for event in record["events"]:
                if (event["trigger"]["start"], event["trigger"]["end"]) == (mark.start, mark.end):
                    trigger_key[event["id"]] = mark.key
    classes = {}
    for change in changes:
        item = change.old if side == "old" else change.new
        if item is None:
            continue
        kind = "removed" if change.new is None else "added" if change.old is None else "changed"
        key = (layout.ENTITY, item["id"]) if change.kind == "entity" else (layout.TRIGGER, trigger_key.get(item["id"]))
        classes[key] = kind
    return {"paragraphs": layout.paragraphs(record["text"], marks), "changes": classes, "prefix": prefix}


def as_html(diff: CorpusDiff, old_name: str, new_name: str) -> str:
    articles = []
    for number, article in enumerate(a for a in diff.articles if a.status != "unchanged"):
        articles.append({
            "article": article,
            "lines": article.fields + [describe(change) for change in article.changes],
            "old": _reading(article.old, article.changes, "old", f"a{number}-old-") if article.old else None,
            "new": _reading(article.new, article.changes, "new", f"a{number}-new-") if article.new else None,
        })
    return environment().get_template("diff.html.j2").render(
        old_name=old_name, new_name=new_name, summary=summary_line(diff.summary()), articles=articles,
        unchanged=sum(a.status == "unchanged" for a in diff.articles), styles=entity_styles(),
        trigger_colour=TRIGGER_COLOUR)
