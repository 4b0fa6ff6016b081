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
from pathlib import Path

from khabar import __version__
from khabar.guidelines import guidelines_version

SOURCE_LINE = re.compile(r"^(?:Source|المصدر)\s*:\s*(?P<name>\S.*)$", re.IGNORECASE)

# Lines that websites append after an article (comment forms, share buttons, related links).
BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in (
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
        return "\n\n".join([self.title] + self.paragraphs)


def _is_boilerplate(line: str) -> bool:
    return any(pattern.match(line) for pattern in BOILERPLATE)


def parse_raw(raw_text: str) -> RawArticle:
    """Split a raw article into headline, body paragraphs, source name and trailer.

    The first non-empty line is the headline; every other non-empty line up to the
    `Source:` line is a paragraph. After the `Source:` line (or, without one, in the run of
    boilerplate lines that ends the file) known boilerplate is removed; any other line is
    listed in `unrecognised`.
    """
    normalized = unicodedata.normalize("NFC", raw_text)
    # NFC never adds or removes line breaks, so lines correspond one to one
    nfc_changes = sum(1 for a, b in zip(raw_text.split("\n"), normalized.split("\n")) if a != b)
    lines = [(number, line.strip()) for number, line in raw_lines(normalized.lstrip("\ufeff"))]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise IngestError("the raw file holds no text")
    source_at = next((i for i, (_, line) in enumerate(lines) if SOURCE_LINE.match(line)), None)
    if source_at is None:
        body_end = len(lines)
        while body_end > 1 and _is_boilerplate(lines[body_end - 1][1]):
            body_end -= 1
        trailer, source_name = lines[body_end:], None
    else:
        body_end = source_at
        source_name = SOURCE_LINE.match(lines[source_at][1]).group("name").strip()
        trailer = lines[source_at + 1:]
    article = RawArticle(lines[0][1], [line for _, line in lines[1:body_end]], source_name,
                         nfc_changes=nfc_changes)
    if source_at is not None:
        article.removed.append((lines[source_at][0], lines[source_at][1], "source line (becomes source.name)"))
    in_related = False
    for number, line in trailer:
        if RELATED_HEADER.match(line):
            in_related = True
            article.removed.append((number, line, "related-links header"))
        elif in_related:
            article.removed.append((number, line, "related link"))
        elif _is_boilerplate(line):
            article.removed.append((number, line, "website boilerplate"))
        else:
            article.unrecognised.append((number, line))
    if not article.paragraphs:
        raise IngestError("the raw file has a headline but no body")
    return article


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
    return {
        "id": record_id, "title": article.title, "text": article.text, "language": "ar", "source": source,
        "entities": [], "events": [], "event_labels": [],
        "annotation": {"status": "draft", "guidelines": guidelines_version(),
                       "produced_by": [f"khabar ingest {__version__}"], "reviewed_by": []},
    }


def existing_ids(corpus_dir: Path) -> set[str]:
    """Ids already used in the corpus: article file names (each file is <id>.json)."""
    return {path.stem for path in corpus_dir.rglob("*.json")} if corpus_dir.is_dir() else set()


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
