"""`khabar ingest`: a raw scraped article -> a draft record under corpus/.

The article's words are kept exactly as published (diacritics, tatweel, quotation marks,
missing spaces); only Unicode normalization (NFC) and white space at line edges and
between paragraphs change. Website boilerplate after the article is removed and reported.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from khabar import __version__
from khabar.guidelines import guidelines_version
from khabar.interchange.paragraphs import classify_trailer, join_text, paragraph_lines, trailing_boilerplate_start

SOURCE_LINE = re.compile(r"^(?:Source|المصدر)\s*:\s*(?P<name>\S.*)$", re.IGNORECASE)


class IngestError(Exception):
    """The raw file cannot become a record as it stands (exit code 1); line, when known, is
    the raw file's line (counted as every reader counts them: one per \\n)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# Characters that str.splitlines() also takes for line breaks. A raw file's lines end at \n
# only (as editors and `grep -n` count them); one of these inside a line would either split a
# paragraph silently or shift every reported line number, so it is refused with its line.
OTHER_LINE_BREAKS = {"\r": "CARRIAGE RETURN (not before a line feed)", "\x0b": "LINE TABULATION",
                     "\x0c": "FORM FEED", "\x1c": "FILE SEPARATOR", "\x1d": "GROUP SEPARATOR",
                     "\x1e": "RECORD SEPARATOR", "\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR",
                     "\u2029": "PARAGRAPH SEPARATOR"}
_OTHER_LINE_BREAK = re.compile("[" + "".join(OTHER_LINE_BREAKS) + "]")


def raw_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line without its \\n or \\r\\n) of every line of text. Raises IngestError
    at the first line holding another line-break character."""
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line[:-1] if line.endswith("\r") else line
        found = _OTHER_LINE_BREAK.search(line)
        if found:
            char = found.group()
            raise IngestError(f"U+{ord(char):04X} {OTHER_LINE_BREAKS[char]} at column {found.start() + 1}: khabar "
                              "reads one paragraph per line, and a line ends at a line feed only", number)
        lines.append((number, line))
    return lines


@dataclass
class RawArticle:
    title: str
    paragraphs: list[str]
    source_name: str | None
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why)
    unrecognised: list[tuple[int, str]] = field(default_factory=list)  # trailing lines we do not know
    nfc_changes: int = 0  # lines that NFC normalization changed

    @property
    def text(self) -> str:
        return join_text(self.title, self.paragraphs)


def parse_raw(raw_text: str) -> RawArticle:
    """Split a raw article into headline, body paragraphs, source name and trailer.

    The first line is the headline (an empty first line is refused: a body paragraph is never
    promoted to headline); every other non-empty line up to the `Source:` line is a paragraph.
    After the `Source:` line (or, without one, in the run of boilerplate lines that ends the
    file) known boilerplate is removed; any other line is listed in `unrecognised`.
    """
    normalized = unicodedata.normalize("NFC", raw_text)
    # NFC never adds or removes line breaks, so lines correspond one to one
    nfc_changes = sum(1 for a, b in zip(raw_text.split("\n"), normalized.split("\n")) if a != b)
    # lines end at \n only (raw_lines refuses any other line-break character, with its line)
    lines = paragraph_lines("\n".join(line for _, line in raw_lines(normalized.lstrip("\ufeff"))))
    if not lines:
        raise IngestError("the raw file holds no text")
    if lines[0][0] != 1:
        raise IngestError("the first line (the headline) is empty; a body paragraph is never made the headline")
    source_at = next((i for i, (_, line) in enumerate(lines) if SOURCE_LINE.match(line)), None)
    if source_at is None:
        body_end = trailing_boilerplate_start(lines)
        trailer, source_name = lines[body_end:], None
    else:
        body_end = source_at
        source_name = SOURCE_LINE.match(lines[source_at][1]).group("name").strip()
        trailer = lines[source_at + 1:]
    article = RawArticle(lines[0][1], [line for _, line in lines[1:body_end]], source_name,
                         nfc_changes=nfc_changes)
    if source_at is not None:
        article.removed.append((lines[source_at][0], lines[source_at][1], "source line (becomes source.name)"))
    removed, article.unrecognised = classify_trailer(trailer)
    article.removed.extend(removed)
    if not article.paragraphs:
        raise IngestError("the raw file has a headline but no body")
    return article


@lru_cache(maxsize=1024)
def slug(name: str, words: int = 3) -> str:
    """ASCII slug of the first words of a (Latin-script) name: 'Quds Press International ...' -> 'quds-press-international'."""
    parts = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower())
    return "-".join(parts[:words]) or "source"


def derive_id(source_name: str, published: str, title: str, taken: set[str]) -> str:
    """<source slug>-<date>-<8 hex digits of the headline's SHA-256>, with -2, -3 ... if taken."""
    base = f"{slug(source_name)}-{published}-{hashlib.sha256(title.encode('utf-8')).hexdigest()[:8]}"
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def draft_record(article: RawArticle, record_id: str, *, source_name: str, url: str | None, published: str,
                 published_basis: str | None, license: str, retrieved: str | None, raw_file: str) -> dict:
    """The draft record: text and source filled in, no annotation yet."""
    source = {"name": source_name, "url": url, "published": published}
    if published_basis:
        source["published_basis"] = published_basis
    source["license"] = license
    if retrieved:
        source["retrieved"] = retrieved
    source["raw_file"] = raw_file
    return unannotated_record(record_id, article.title, article.paragraphs, source, f"khabar ingest {__version__}")


def unannotated_record(record_id: str, title: str, paragraphs: list[str], source: dict, produced_by: str) -> dict:
    """A draft record of an article (`ingest`, `import news`): headline and paragraphs as the
    text, the given source, no annotation yet."""
    return {
        "id": record_id, "title": title, "text": join_text(title, paragraphs), "language": "ar", "source": source,
        "entities": [], "events": [], "event_labels": [],
        "annotation": {"status": "draft", "guidelines": guidelines_version(),
                       "produced_by": [produced_by], "reviewed_by": []},
    }


def record_files(corpus_dir: Path) -> list[Path]:
    """The corpus's article files, sorted (each is <id>.json, so their stems are the ids in use)."""
    return sorted(corpus_dir.rglob("*.json")) if corpus_dir.is_dir() else []


@dataclass
class CorpusTexts:
    """What ingest must not repeat: the ids in use and, by text digest (level 4's
    duplicate-text rule), where each text already is (`file:line`)."""

    ids: set[str] = field(default_factory=set)
    where_text: dict[bytes, str] = field(default_factory=dict)


def corpus_texts(corpus_dir: Path) -> CorpusTexts:
    """The ids and text digests of every record under corpus_dir, in article files and shards
    alike. A record that cannot be parsed is left out (validation reports it). Raises
    khabar.validate.runner.InputError when a file cannot be read."""
    import json

    from khabar.validate.level1 import RawRecord, read_records
    from khabar.validate.level4 import text_digest
    from khabar.validate.runner import InputError, record_files, shown_path

    known = CorpusTexts()
    if not corpus_dir.is_dir():
        return known
    for path in record_files([corpus_dir]):
        try:
            for raw in read_records(path, shown_path(path)):
                try:
                    record = json.loads(raw.data) if isinstance(raw, RawRecord) else None
                except (ValueError, RecursionError):
                    continue
                if not isinstance(record, dict):
                    continue
                if isinstance(record.get("id"), str):
                    known.ids.add(record["id"])
                if isinstance(record.get("text"), str):
                    known.where_text.setdefault(text_digest(record["text"]), f"{raw.file}:{raw.first_line}")
        except OSError as error:
            raise InputError(f"{path}: {error.strerror or error}") from error
    return known


def record_path(corpus_dir: Path, record: dict) -> Path:
    return corpus_dir / record["source"]["published"][:4] / f"{record['id']}.json"
