"""`khabar import news`: crawled news articles -> draft records in JSONL shards.

Per article, in reading order: the map names the fields and the outlet; the title, body and
author get the crawl repairs and the invisible-mark policy (textclean.repair_crawled); the body
keeps the crawl's paragraphs (every non-blank line, stripped) less the lines the map's
boilerplate rules remove (interchange.paragraphs, shared with `khabar ingest`); the map's date
rule gives `published` and `published_basis`. The record is then checked by the validator's
levels 1-3.

An article that cannot become a valid record is skipped with one line `file:index: skipped
(reason): detail` and counted: empty title, empty body, duplicate URL (after the map's URL
normalization), duplicate text (same body, white space aside), already in the corpus given with
--corpus (same URL or text), unknown outlet, not an article object, refused by the validator.
With strict, the first skip stops the import and nothing is written. A duplicate text from
another outlet is syndication: the kept record lists the copy in `source.also_published_by`.

Shards (`<input stem>.jsonl`, one per input file or ZIP member) are written under temporary
names in the output folder while the input streams, completed with the syndication found
later, then linked into place: an import writes every shard or none, and never overwrites a file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, NamedTuple
from urllib.parse import quote

import orjson

from khabar import __version__
from khabar.ingest import derive_id, unannotated_record
from khabar.interchange.newsmap import NewsMap, Outlet
from khabar.interchange.newsreader import InputArticle, read_articles, shard_stems
from khabar.interchange.paragraphs import apply_line_rules, paragraph_lines
from khabar.interchange.problems import BadInput, UsageProblem
from khabar.interchange.textclean import repair_crawled
from khabar.pipeline import batched, ordered_map
from khabar.interchange.shardset import RecordFileSet, ShardSet
from khabar.textrules import is_invisible
from khabar.validate.level1 import RawRecord
from khabar.validate.runner import check_serialized

PRODUCED_BY = f"khabar import news {__version__}"

# skip reasons, in the order the summary lists them
SKIP_REASONS = ("not an article object", "unknown outlet", "empty title", "empty body", "duplicate URL",
                "duplicate text", "already in the corpus", "validator refuses")


class Skipped(NamedTuple):
    reason: str  # one of SKIP_REASONS
    detail: str
    twin: str | None = None  # id of the record whose text this article repeats (syndication)


class StrictStop(Exception):
    """--strict: an article would have been skipped (exit code 1, nothing written)."""


@dataclass
class ImportSummary:
    """What an import did, counted (README and docs/import-news.md show these numbers)."""

    articles_read: int = 0
    records_written: int = 0
    shards: list[Path] = field(default_factory=list)
    skips: Counter = field(default_factory=Counter)  # reason -> articles
    removed_lines: Counter = field(default_factory=Counter)  # boilerplate rule -> lines
    changed_characters: Counter = field(default_factory=Counter)  # (kind, detail) -> characters
    articles_changed: Counter = field(default_factory=Counter)  # kind -> articles with such a change
    date_rules: Counter = field(default_factory=Counter)  # published_basis rule -> records
    single_paragraph: int = 0  # records whose body has no line break (one paragraph)
    syndicated: int = 0  # records that list copies in source.also_published_by
    not_found: list[str] = field(default_factory=list)  # selected origins that no input holds


def body_digest(paragraphs: Iterable[str]) -> bytes:
    """16 bytes standing for a body, white space aside (the duplicate-text key)."""
    joined = " ".join(paragraphs)
    # every white space character but the space is unprintable: a printable text without a double
    # space and without a space at either end is already its words joined by single spaces
    if not (joined.isprintable() and "  " not in joined and joined[:1] != " " and joined[-1:] != " "):
        joined = " ".join(joined.split())
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).digest()


@dataclass
class KnownArticles:
    """URLs, body digests and ids already taken: by the corpus given with --corpus, then by
    the records of this import (id of the record that holds each)."""

    urls: dict[str, str] = field(default_factory=dict)  # normalized URL -> record id
    digests: dict[bytes, str] = field(default_factory=dict)  # body digest -> record id
    ids: set[str] = field(default_factory=set)
    corpus_ids: set[str] = field(default_factory=set)  # ids from --corpus (not this import's)


def corpus_articles(corpus: Path, news_map: NewsMap) -> KnownArticles:
    """What an existing corpus (article .json files and .jsonl shards under it) already holds.
    Raises BadInput for a file that is not JSON."""
    known = KnownArticles()
    outlet_of = {outlet.name: outlet.id for outlet in news_map.outlets.values()}
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file()) \
        if corpus.is_dir() else []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            lines = handle if path.suffix == ".jsonl" else [handle.read()]
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    record_id, text, source = record["id"], record["text"], record.get("source") or {}
                except (ValueError, KeyError, TypeError):
                    raise BadInput(str(path), number, "not a khabar record; run `khabar validate`") from None
                known.ids.add(record_id)
                known.digests.setdefault(body_digest(text.split("\n\n")[1:]), record_id)
                if source.get("url"):
                    outlet_id = outlet_of.get(source.get("name"), "")
                    known.urls.setdefault(news_map.normalized_url(outlet_id, source["url"]), record_id)
    known.corpus_ids = set(known.ids)
    return known


@dataclass
class _Kept:
    """Where a written record is, for syndication found later."""

    stem: str
    line: int
    outlet: str


def _text_field(value: object) -> str:
    return value if isinstance(value, str) else ""


def import_news(paths: list[Path], out_dir: Path, news_map: NewsMap, *, corpus: Path | None = None,
                strict: bool = False, report: Callable[[str], None] = print,
                progress: Callable[[Iterable], Iterable] = lambda items: items, workers: int = 1,
                select: set[str] | None = None, layout: str = "shards") -> ImportSummary:
    """Import the articles of paths as draft records under out_dir: JSONL shards, one per input
    (layout "shards"), or one pretty-printed file per record, `<year>/<id>.json`, as corpus/ keeps
    them (layout "files"). select, when given, is the set of origins (`file:index`) to import;
    every other article is passed over before any check.

    report hears every skip and removed line (one line each); progress wraps the article stream
    (a progress bar). Articles are prepared (repaired, split, dated, validated) in `workers`
    processes, batch by batch, and settled here in reading order (duplicates, ids, writing), so
    the output does not depend on the number of workers. Raises UsageProblem (missing input, a
    shard that exists, two inputs with one shard name), BadInput (input that is not JSON or
    ZIP), StrictStop (strict and a skip), OSError. Nothing is written unless the import completes.
    """
    for path in paths:
        if not path.is_file():
            raise UsageProblem(f"{path}: no such file")
    stems = shard_stems(paths)
    repeated = sorted({stem for stem in stems if stems.count(stem) > 1})
    if repeated:
        raise UsageProblem(f"two inputs would write the same shard {repeated[0]}.jsonl; import them separately")
    shards = ShardSet(out_dir, stems) if layout == "shards" else RecordFileSet(out_dir, stems)
    existing = [target for target in shards.targets.values() if target.exists()]
    if existing:
        raise UsageProblem(f"{existing[0]} exists; import never overwrites a file")
    known = corpus_articles(corpus, news_map) if corpus else KnownArticles()
    summary = ImportSummary()
    kept: dict[str, _Kept] = {}  # record id -> where it is written
    syndication: dict[str, list[dict]] = {}  # kept record id -> [{name, url}] of copies in other outlets

    def stream() -> Iterable[InputArticle]:
        for path in paths:
            for article in read_articles(path):
                # a selection (e.g. an annotation batch) is applied before any check across articles,
                # so a selected article is never skipped as a copy of one that was not selected
                if select is None or article.origin in select:
                    found.add(article.origin)
                    yield article

    found: set[str] = set()

    batches = ordered_map(prepare_batch, batched(progress(stream())), workers, _set_map, (news_map,))
    try:
        for articles, prepared_batch in batches:
            for article, prepared in zip(articles, prepared_batch):
                summary.articles_read += 1
                outcome = _settle(article, prepared, known, summary, report)
                if isinstance(outcome, Skipped):
                    reason, detail, twin = outcome
                    summary.skips[reason] += 1
                    report(f"{article.origin}: skipped ({reason}): {detail}")
                    if strict:
                        raise StrictStop(f"{article.origin}: {reason} ({detail}); stopped by --strict, nothing written")
                    if twin is not None and kept[twin].outlet != prepared.outlet_id:
                        copies = syndication.setdefault(twin, [])
                        copy = {"name": news_map.outlets[prepared.outlet_id].name, "url": prepared.url}
                        if copy not in copies:
                            copies.append(copy)
                    continue
                line, record_id = outcome
                kept[record_id] = _Kept(article.shard, shards.write(article.shard, line), prepared.outlet_id)
                known.ids.add(record_id)
                if prepared.url_key:
                    known.urls[prepared.url_key] = record_id
                known.digests[prepared.digest] = record_id
                summary.records_written += 1
        patches: dict[str, dict[int, Callable[[dict], dict]]] = {}
        for record_id, copies in syndication.items():
            where = kept[record_id]
            patches.setdefault(where.stem, {})[where.line] = _adding_copies(copies)
        summary.syndicated = len(syndication)
        summary.not_found = sorted(select - found) if select is not None else []
        summary.shards = shards.finish(patches)
    except BaseException:
        close = getattr(batches, "close", None)
        if close:
            close()
        shards.discard()
        raise
    return summary


def _adding_copies(copies: list[dict]) -> Callable[[dict], dict]:
    def update(record: dict) -> dict:
        record["source"]["also_published_by"] = copies
        return record
    return update


@dataclass
class Prepared:
    """An article made into a record, before the checks across articles (a worker's answer)."""

    outlet_id: str
    url: str | None
    url_key: str | None  # normalized for the duplicate check
    digest: bytes  # body_digest
    record_id: str  # the id its headline gives when no other record has it
    line: bytes  # the record as a shard line (the record itself does not travel back from a worker)
    errors: str | None  # the validator's error incidents, when it refuses the record
    removed: list[tuple[int, str, str]]  # boilerplate lines (line number, line, rule)
    changes: Counter  # crawl repairs, (kind, detail) -> characters
    date_rule: str
    single_paragraph: bool  # the body has no line break


_MAP: NewsMap | None = None  # set in each worker by _set_map


def _set_map(news_map: NewsMap) -> None:
    global _MAP
    _MAP = news_map


def prepare_batch(articles: list[InputArticle]) -> list[Prepared | Skipped]:
    """prepare() of every article of a batch, with the map set by _set_map (runs in a worker)."""
    return [prepare(article, _MAP) for article in articles]


@lru_cache(maxsize=64)
def _input_path(file: str) -> Path:  # one Path per input file, not one per article
    return Path(file)


def prepare(article: InputArticle, news_map: NewsMap) -> Prepared | Skipped:
    """The article as a record (or the reason it cannot be one on its own: not an object, unknown
    outlet, empty title or body). Depends on nothing but the article and the map."""
    data = article.data
    if not isinstance(data, dict):
        return Skipped("not an article object", f"a JSON {type(data).__name__}", None)
    fields = news_map.fields
    outlet_id = _text_field(data.get(fields["outlet"])).strip()
    outlet: Outlet | None = news_map.outlets.get(outlet_id)
    if outlet is None:
        return Skipped("unknown outlet", f"{outlet_id!r} is not in the map {news_map.name}", None)
    changes: Counter = Counter()
    title, counted = repair_crawled(_text_field(data.get(fields["title"])), news_map.repairs)
    changes.update(counted)
    title = " ".join(title.split())  # a headline is one line; line breaks inside it become spaces
    if not title:
        return Skipped("empty title", "the headline is empty; a body paragraph is never made the headline", None)
    body, counted = repair_crawled(_text_field(data.get(fields["body"])), news_map.repairs)
    changes.update(counted)
    author, counted = repair_crawled(_text_field(data.get(fields["author"])), news_map.repairs)
    changes.update(counted)
    author = " ".join(author.split())
    lines = paragraph_lines(body)
    if len(lines) == 1 and lines[0][1] in news_map.placeholders:
        return Skipped("empty body", f"the body is the crawler's placeholder {lines[0][1]!r}", None)
    body_lines = apply_line_rules(lines, news_map.line_rules(outlet_id), {"author": author})
    paragraphs = [line for _, line in body_lines.kept]
    if not paragraphs:
        detail = "no text" if not lines else f"only boilerplate ({len(lines)} line(s) removed by rules)"
        return Skipped("empty body", detail, None)
    url = _text_field(data.get(fields["url"])).strip() or None
    if url and not url.isprintable():
        # the crawl kept white space or invisible marks (bidi embeddings, LRM) that a browser sends
        # percent-encoded; the schema and the validator refuse them raw. Encoded, nothing is lost.
        spaces = sum(char.isspace() for char in url)
        marks = sum(is_invisible(char) and not char.isspace() for char in url)
        if spaces:
            changes["url-space", "white space in the URL percent-encoded"] += spaces
        if marks:
            changes["url-invisible", "invisible marks in the URL percent-encoded"] += marks
        url = "".join(quote(char) if char.isspace() or is_invisible(char) else char for char in url)
    retrieved = _text_field(data.get(fields["retrieved"])).strip()[:10]
    date = news_map.publication_date(outlet, url or "", retrieved)
    # built in the schema's key order, so that orjson writes the canonical line (record_io) directly
    source = {"name": outlet.name, "url": url, "published": date.published, "published_basis": date.basis,
              "license": news_map.license(outlet), "collection": news_map.collection, "retrieved": retrieved}
    if outlet.country:
        source["country"] = outlet.country
    if author:
        source["author"] = author
    source["raw_file"] = article.origin
    record = unannotated_record(derive_id(outlet.name, date.published, title, ()), title, paragraphs, source,
                                PRODUCED_BY)
    line = orjson.dumps(record) + b"\n"
    raw = RawRecord(article.origin, _input_path(article.file), 1, line, single_line=True)
    incidents = check_serialized(raw, record)
    errors = "; ".join(f"[L{i.level} {i.check}] {i.message}" for i in incidents if i.severity == "error") or None
    return Prepared(outlet_id, url, news_map.normalized_url(outlet_id, url) if url else None, body_digest(paragraphs),
                    record["id"], line, errors, body_lines.removed, changes, date.rule, len(paragraphs) == 1)


def _settle(article: InputArticle, prepared: Prepared | Skipped, known: KnownArticles, summary: ImportSummary,
            report: Callable[[str], None]) -> tuple[bytes, str] | Skipped:
    """(shard line, record id) of a prepared article, or why it is skipped: a duplicate of an
    earlier article or of the corpus, or refused by the validator. Counts what it keeps."""
    if isinstance(prepared, Skipped):
        return prepared
    if prepared.url_key and prepared.url_key in known.urls:
        twin = known.urls[prepared.url_key]
        reason = "already in the corpus" if twin in known.corpus_ids else "duplicate URL"
        return Skipped(reason, f"same URL as {twin} ({prepared.url})", None)
    if prepared.digest in known.digests:
        twin = known.digests[prepared.digest]
        if twin in known.corpus_ids:
            return Skipped("already in the corpus", f"same text as {twin}", None)
        return Skipped("duplicate text", f"same text as {twin}", twin)
    if prepared.errors:
        return Skipped("validator refuses", prepared.errors, None)
    record_id, line = prepared.record_id, prepared.line
    if record_id in known.ids:  # another headline of the outlet and day hashes alike: -2, -3 ...
        record = orjson.loads(line)
        source = record["source"]
        record["id"] = record_id = derive_id(source["name"], source["published"], record["title"], known.ids)
        line = orjson.dumps(record) + b"\n"
    for _, text, why in prepared.removed:
        summary.removed_lines[why] += 1
        report(f"{article.origin}: removed ({why}): {text}")
    for (kind, detail), count in prepared.changes.items():
        summary.changed_characters[kind, detail] += count
    for kind in {kind for kind, _ in prepared.changes}:
        summary.articles_changed[kind] += 1
    summary.date_rules[prepared.date_rule] += 1
    summary.single_paragraph += prepared.single_paragraph
    return line, record_id
