"""Corpus statistics (`khabar stats`): articles, sentences, tokens, entities, events.

Counted per record, then summed over all records, per split (when a folder holds splits.tsv)
and per source (`source.name`). Functions return plain data so that reports (Markdown, JSON,
charts) are drawn from one computation.

- sentences and tokens: khabar's own splitter and tokenizer (khabar.tokens), the units of the
  `ner` release config;
- words: white-space-separated words of the text; for a record imported from CoNLL these are
  the source tokens as kept (the importer joins tokens with single spaces);
- source sentences and source tokens: what the source file held for records imported from
  CoNLL, read from their interchange note (khabar.interchange.provenance), so that the size of
  an imported corpus can be compared with its published size even where the documented
  repairs dropped tokens (invisible marks) or lifted them out of the text (`$#$`);
- entities per type and per nesting depth (0 = not inside another entity); events per type,
  mode and context;
- for imported records, the source corpus's spans per source type, read from the interchange
  note: every entity under the type its source gave it, and the spans that have no khabar type
  (ANERcorp's MISC, AQMAR's MIS), which the note keeps outside the entities. Their sum is the
  source corpus's own entity count, to compare with its published one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from khabar import labels
from khabar.interchange.provenance import read_note
from khabar.tokens import sentence_spans, tokenize


@dataclass
class Tally:
    articles: int = 0
    paragraphs: int = 0
    sentences: int = 0
    tokens: int = 0
    words: int = 0
    imported_articles: int = 0  # records whose note gives the source counts below
    source_sentences: int = 0
    source_tokens: int = 0
    entities: Counter = field(default_factory=Counter)  # type -> count
    depths: Counter = field(default_factory=Counter)  # nesting depth -> count
    events: Counter = field(default_factory=Counter)  # type -> count
    modes: Counter = field(default_factory=Counter)
    contexts: Counter = field(default_factory=Counter)
    source_spans: Counter = field(default_factory=Counter)  # imported records: source type -> spans
    untyped_spans: Counter = field(default_factory=Counter)  # of those, spans without a khabar type

    def add(self, other: "Tally") -> None:
        for name in ("articles", "paragraphs", "sentences", "tokens", "words", "imported_articles",
                     "source_sentences", "source_tokens"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("entities", "depths", "events", "modes", "contexts", "source_spans", "untyped_spans"):
            getattr(self, name).update(getattr(other, name))


def entity_depths(entities: list[dict]) -> list[int]:
    """Nesting depth of each entity, in the given order: how many other entities contain it
    (an entity on exactly the span of another counts as inside it when it comes later)."""
    order = sorted(range(len(entities)), key=lambda i: (entities[i]["start"], -entities[i]["end"], i))
    depths = [0] * len(entities)
    open_ends: list[int] = []
    for i in order:
        while open_ends and open_ends[-1] <= entities[i]["start"]:
            open_ends.pop()
        depths[i] = len(open_ends)
        open_ends.append(entities[i]["end"])
    return depths


def record_tally(record: dict) -> Tally:
    text = record["text"]
    tally = Tally(articles=1, paragraphs=text.count("\n\n") + 1, words=len(text.split()))
    for start, end in sentence_spans(text):
        tally.sentences += 1
        tally.tokens += len(tokenize(text, start, end))
    note = read_note(record)
    if note and isinstance(note.get("tokens"), int):
        tally.imported_articles = 1
        tally.source_tokens = note["tokens"]
        tally.source_sentences = note.get("sentences", 0)
    if note:
        renamed = {(start, end, khabar_type): source for start, end, source, khabar_type in note.get("source_types", [])}
        tally.source_spans.update(renamed.get((e["start"], e["end"], e["type"]), e["type"]) for e in record["entities"])
        tally.untyped_spans.update(source for _, _, source in note.get("foreign", []))
        tally.source_spans.update(tally.untyped_spans)
    tally.entities.update(entity["type"] for entity in record["entities"])
    tally.depths.update(entity_depths(record["entities"]))
    for event in record["events"]:
        tally.events[event["type"]] += 1
        tally.modes.update(event["mode"])
        tally.contexts.update(event["context"])
    return tally


def split_registry(paths: list[Path]) -> dict[str, str]:
    """Record id -> split, from the splits.tsv of every folder in paths (empty when none)."""
    from khabar.splits import REGISTRY_NAME, read_registry

    splits: dict[str, str] = {}
    for path in paths:
        registry = path / REGISTRY_NAME
        if path.is_dir() and registry.is_file():
            splits.update((entry.id, entry.split) for entry in read_registry(registry).values())
    return splits


def _ordered(counts: Counter, order: tuple[str, ...]) -> dict[str, int]:
    known = {name: counts[name] for name in order if counts[name]}
    known.update((name, count) for name, count in sorted(counts.items()) if name not in known)
    return known


def tally_data(tally: Tally) -> dict:
    """A tally as plain JSON data, labels in their label-set order."""
    data = {
        "articles": tally.articles, "paragraphs": tally.paragraphs, "sentences": tally.sentences,
        "tokens": tally.tokens, "words": tally.words,
        "source": {"articles": tally.imported_articles, "sentences": tally.source_sentences,
                   "tokens": tally.source_tokens},
        "entities": {"total": sum(tally.entities.values()),
                     "by_type": _ordered(tally.entities, labels.entity_types().names),
                     "by_depth": {str(depth): tally.depths[depth] for depth in sorted(tally.depths)}},
        "events": {"total": sum(tally.events.values()),
                   "by_type": _ordered(tally.events, labels.event_type_names()),
                   "by_mode": _ordered(tally.modes, labels.all_mode_names()),
                   "by_context": _ordered(tally.contexts, labels.contexts().names)},
    }
    if tally.source_spans:
        data["source"]["spans"] = {
            "total": sum(tally.source_spans.values()),
            "by_source_type": dict(sorted(tally.source_spans.items())),
            "without_khabar_type": dict(sorted(tally.untyped_spans.items())),
        }
    return data


def collect(records: list[dict], splits: dict[str, str] | None = None) -> dict:
    """{"all": ..., "splits": {split: ...}, "sources": {source name: ...}, "source_files": {...}},
    each a tally_data.

    "splits" is present only when a split registry was given; records it does not list are
    counted under "unregistered". "source_files" groups imported records by source and file
    ("AQMAR: train.txt"), the unit in which imported corpora publish their sizes.
    """
    total, by_split, by_source, by_file = Tally(), {}, {}, {}
    for record in records:
        tally = record_tally(record)
        total.add(tally)
        by_source.setdefault(record["source"]["name"], Tally()).add(tally)
        note = read_note(record)
        if note and note.get("file"):
            by_file.setdefault(f"{record['source']['name']}: {note['file']}", Tally()).add(tally)
        if splits:
            by_split.setdefault(splits.get(record["id"], "unregistered"), Tally()).add(tally)
    result = {"all": tally_data(total), "sources": {name: tally_data(t) for name, t in sorted(by_source.items())},
              "source_files": {name: tally_data(t) for name, t in sorted(by_file.items())}}
    if splits:
        order = ("train", "validation", "test", "unregistered")
        result["splits"] = {name: tally_data(by_split[name]) for name in order if name in by_split}
    return result


# ---------------------------------------------------------------- reports

def render_json(stats: dict) -> str:
    return json.dumps(stats, ensure_ascii=False, indent=2) + "\n"


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join(f"{cell:,}" if isinstance(cell, int) else str(cell) for cell in row) + " |")
    return lines


def _size_rows(data: dict) -> list[tuple]:
    rows = [("articles", data["articles"]), ("paragraphs", data["paragraphs"]), ("sentences", data["sentences"]),
            ("tokens", data["tokens"]), ("words (white-space separated)", data["words"])]
    if data["source"]["articles"]:
        imported = data["source"]["articles"]
        rows += [(f"source sentences ({imported:,} imported articles)", data["source"]["sentences"]),
                 (f"source tokens ({imported:,} imported articles)", data["source"]["tokens"])]
    rows += [("entities", data["entities"]["total"]), ("events", data["events"]["total"])]
    return rows


def _group_rows(groups: dict[str, dict]) -> list[tuple]:
    return [(name, d["articles"], d["sentences"], d["tokens"], d["words"],
             d["source"]["tokens"] if d["source"]["articles"] else "–", d["entities"]["total"], d["events"]["total"])
            for name, d in groups.items()]


def render_markdown(stats: dict) -> str:
    everything = stats["all"]
    lines = ["# khabar statistics", "", "## All records", ""]
    lines += _table(("measure", "count"), _size_rows(everything))
    lines += ["", "### Entities by type", ""]
    lines += _table(("type", "entities"), list(everything["entities"]["by_type"].items()))
    lines += ["", "### Entity nesting depth (0 = not inside another entity)", ""]
    lines += _table(("depth", "entities"), list(everything["entities"]["by_depth"].items()))
    for key, title in (("by_type", "Events by type"), ("by_mode", "Events by mode"), ("by_context", "Events by context")):
        if everything["events"][key]:
            lines += ["", f"### {title}", ""]
            lines += _table((title.split()[-1], "events"), list(everything["events"][key].items()))
    spans = everything["source"].get("spans")
    if spans:
        lines += ["", "### Source spans by source type (imported records, from the interchange note)", ""]
        lines += _table(("source type", "spans", "without khabar type"),
                        [(name, number, spans["without_khabar_type"].get(name, 0))
                         for name, number in spans["by_source_type"].items()] + [("total", spans["total"],
                                                                                   sum(spans["without_khabar_type"].values()))])
    header = ("", "articles", "sentences", "tokens", "words", "source tokens", "entities", "events")
    if "splits" in stats:
        lines += ["", "## By split", ""]
        lines += _table(("split",) + header[1:], _group_rows(stats["splits"]))
    lines += ["", "## By source", ""]
    lines += _table(("source",) + header[1:], _group_rows(stats["sources"]))
    if stats["source_files"]:
        lines += ["", "## By source file (imported records)", ""]
        lines += _table(("source: file", "articles", "sentences", "tokens", "words", "source tokens", "entities",
                         "events"), _group_rows(stats["source_files"]))
    return "\n".join(lines) + "\n"
