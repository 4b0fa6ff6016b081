"""CoNLL / BIO columns <-> khabar records.

File format read: one token per line, the token first, then one or more tag columns (Wojood's
nested files list one tag per enclosing entity, outermost first: `الأسد I-ORG B-PERS`); columns
are tab-separated when the line has a tab, else white-space-separated; a blank (or white-space
only) line ends a sentence; a `-DOCSTART-` line starts a document. UTF-8, with or without a
byte-order mark, LF or CRLF line ends.

Mapping to records (README, "Import and export"):

- documents: a -DOCSTART- document, or the whole file when it has none, cut into records of
  at most --sentences-per-record sentences (default 100; 0 = no cut); a last part of a single
  sentence joins the part before it, since a record needs a headline and a body;
- the record's text: its first sentence is the headline, every sentence one paragraph, tokens
  joined by one space (the joiner), so the tokens and sentences come back by splitting on
  blank lines and spaces;
- tokens: invisible marks removed and NFC (textclean); a token of invisible marks only is
  dropped; Wojood's `$#$` marks (tagged O) are lifted out of the text into the interchange note
  and written back on export;
- tags: read per column with the repairs of khabar.interchange.tags; types through the types map;
- spans that khabar's span rules refuse are repaired and reported: punctuation at an entity's
  edge is trimmed (an entity of punctuation only is dropped), the second of two entities on the
  same span is dropped, and so is an entity that crosses another.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from khabar.interchange.problems import BadInput, RepairLog
from khabar.interchange.provenance import NoteError, read_note, with_note
from khabar.interchange.records import IMPORTER, SourceInfo, file_slug, new_record, number_entities, record_id
from khabar.interchange.tags import SchemeError, TokenSpan, UnreadableTag, decode, encode, read_tag
from khabar.interchange.textclean import clean_token, describe_removed
from khabar.textrules import is_edge_punctuation
from khabar.interchange.typemap import TypesMap
from khabar.tokens import sentence_spans, tokenize

MARK_TOKENS = frozenset({"$#$"})  # Wojood's layout mark: not text, written back on export
DOCSTART = "-DOCSTART-"


@dataclass
class TokenLine:
    line: int
    text: str
    tags: list[str]


@dataclass
class Sentence:
    tokens: list[TokenLine] = field(default_factory=list)


@dataclass
class Document:
    docstart: str | None
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class ConllFile:
    path: Path
    shown: str
    separator: str
    documents: list[Document]
    bom: bool
    crlf: int


# ---------------------------------------------------------------- reading

def read_conll(path: Path, shown: str) -> ConllFile:
    """Parse a CoNLL file into documents, sentences and token lines (tags not yet read).

    Raises BadInput for a binary or non-UTF-8 file, a token line without a tag column, a token
    with white space inside, or a file without tokens; OSError when it cannot be read.
    """
    data = path.read_bytes()
    if b"\x00" in data:
        nul = data.index(b"\x00")
        raise BadInput(shown, data.count(b"\n", 0, nul) + 1, "binary file (NUL byte): a CoNLL file is UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(shown, data.count(b"\n", 0, error.start) + 1,
                       f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})") from None
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    documents = [Document(None)]
    current = Sentence()
    separator = None
    crlf = 0

    def end_sentence() -> None:
        nonlocal current
        if current.tokens:
            documents[-1].sentences.append(current)
        current = Sentence()

    for number, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            crlf += 1
            line = line[:-1]
        if "\r" in line:
            raise BadInput(shown, number, "carriage return inside a line")
        if not line.strip():
            end_sentence()
            continue
        tabbed = "\t" in line
        if tabbed:
            columns = line.split("\t")
            token, tags = columns[0], " ".join(columns[1:]).split()
        else:
            token, *tags = line.split()
        if token == DOCSTART:
            end_sentence()
            if documents[-1].sentences or documents[-1].docstart is not None:
                documents.append(Document(line.rstrip()))
            else:
                documents[-1].docstart = line.rstrip()
            continue
        if tabbed and (not token or token.split() != [token]):  # split columns: the token is one word
            raise BadInput(shown, number, f"token {token!r} is empty or holds white space")
        if not tags:
            raise BadInput(shown, number, f"no tag column after the token {token!r}")
        if separator is None:
            separator = "\t" if tabbed else " "
        current.tokens.append(TokenLine(number, token, tags))
    end_sentence()
    documents = [d for d in documents if d.sentences or d.docstart is not None]
    if not any(d.sentences for d in documents):
        raise BadInput(shown, 1, "no token lines: not a CoNLL file")
    return ConllFile(path, shown, separator or " ", documents, bom, crlf)


# ---------------------------------------------------------------- reading tags as written (scoring)

COLUMN_SUFFIXES = (".txt", ".conll", ".bio", ".iob", ".tsv")


@dataclass
class TaggedSentence:
    """One sentence as tokens and tag columns (layers[0] is the outermost level)."""

    id: str
    tokens: list[str]
    layers: list[list[str]]
    document: str  # what a bootstrap resamples: the article, or the sentence itself

    @property
    def tags(self) -> list[str]:
        return self.layers[0] if self.layers else ["O"] * len(self.tokens)


def is_column_file(path: Path) -> bool:
    """A file that `khabar evaluate` reads as CoNLL columns, by its suffix."""
    return path.is_file() and path.suffix.lower() in COLUMN_SUFFIXES


def read_tag_columns(path: Path, shown: str | None = None, id_prefix: str | None = None) -> list[TaggedSentence]:
    """The raw-tag reading of a CoNLL file, for scoring and the baselines: its sentences with
    every tag exactly as written (no scheme decoding, no repairs, no types map: the scorer and
    the reference tools it agrees with judge the tags themselves), ids `<prefix>/<n>` (n from 0
    over the whole file; prefix: the file's stem), each sentence its own bootstrap unit.

    The file is parsed by read_conll, as for import. Tokens keep their place, `$#$` marks and
    tokens of invisible marks only included, so the token count is the file's; their text goes
    through the import's clean-up (textclean: invisible marks removed, NFC). A token with fewer
    tag columns than the deepest one of its sentence has "O" in the missing ones.
    Raises BadInput (file:line: message) and OSError.
    """
    conll = read_conll(path, shown if shown is not None else str(path))
    prefix = id_prefix if id_prefix is not None else path.stem
    sentences: list[TaggedSentence] = []
    for document in conll.documents:
        for sentence in document.sentences:
            depth = max(len(token.tags) for token in sentence.tokens)
            layers = [[token.tags[k] if k < len(token.tags) else "O" for token in sentence.tokens]
                      for k in range(depth)]
            sentence_id = f"{prefix}/{len(sentences)}"
            sentences.append(TaggedSentence(sentence_id, [clean_token(token.text)[0] for token in sentence.tokens],
                                            layers, sentence_id))
    return sentences


# ---------------------------------------------------------------- importing

@dataclass(frozen=True)
class ImportOptions:
    source: SourceInfo
    id_prefix: str
    scheme: str = "BIO"
    types: TypesMap = TypesMap("khabar")
    sentences_per_record: int = 100


@dataclass
class _SourceSpan:
    start: int  # token indices in the sentence
    end: int
    source_type: str
    column: int
    line: int
    last_line: int


@dataclass
class _Candidate:
    start: int  # character offsets in the record's text
    end: int
    type: str
    source_type: str
    column: int
    line: int
    last_line: int


def import_conll(path: Path, shown: str, options: ImportOptions, log: RepairLog) -> list[dict]:
    """The records of one CoNLL file. Raises BadInput (nothing of the file is usable)."""
    conll = read_conll(path, shown)
    if conll.bom:
        log.summary(f"{shown}: byte-order mark removed")
    if conll.crlf:
        log.summary(f"{shown}: {conll.crlf:,} CRLF line ends read as LF")
    # every tag of the file is read before any record is built, so that a bad tag anywhere stops
    # the import before the structure is judged, and tag repairs come first, in line order
    decoded = {id(sentence): _decode_sentence(conll, sentence, options, log)
               for document in conll.documents for sentence in document.sentences}
    records: list[dict] = []
    removed: list[str] = []  # invisible characters removed from tokens, counted at the end
    for document in conll.documents:
        sentences = document.sentences
        if not sentences:
            raise BadInput(shown, None, f"{document.docstart!r} opens a document without sentences")
        if len(sentences) == 1:
            raise BadInput(shown, sentences[0].tokens[0].line,
                           "a document of one sentence cannot be a khabar record (a headline and at least one "
                           "body paragraph)")
        size = options.sentences_per_record or len(sentences)
        parts = [sentences[i:i + size] for i in range(0, len(sentences), size)]
        if len(parts) > 1 and len(parts[-1]) == 1:
            last = parts.pop()
            parts[-1] = parts[-1] + last
        for index, part in enumerate(parts):
            number = len(records) + 1
            records.append(_record(conll, part, decoded, document.docstart if index == 0 else None, number, options,
                                   log, removed))
    if removed:
        removed_chars = Counter("".join(removed))
        log.summary(f"{shown}: removed {sum(removed_chars.values()):,} invisible marks from {len(removed):,} tokens "
                    f"({describe_removed(removed_chars)})")
    return records


def _decode_sentence(conll: ConllFile, sentence: Sentence, options: ImportOptions, log: RepairLog) -> list[_SourceSpan]:
    width = max(len(token.tags) for token in sentence.tokens)
    spans: list[_SourceSpan] = []
    for column in range(width):
        tags = []
        for token in sentence.tokens:
            raw = token.tags[column] if column < len(token.tags) else "O"
            try:
                tag, reason = read_tag(raw)
            except UnreadableTag as error:
                raise BadInput(conll.shown, token.line, str(error)) from None
            if reason:
                log.repair(conll.shown, token.line, "tag-syntax", f"{raw!r} read as {tag!r} ({reason})")
            tags.append(tag)

        def repaired(index: int, kind: str, message: str) -> None:
            log.repair(conll.shown, sentence.tokens[index].line, kind, message)

        try:
            found: list[TokenSpan] = decode(tags, options.scheme, column, repaired)
        except SchemeError as error:
            line = sentence.tokens[min(error.index, len(sentence.tokens) - 1)].line
            raise BadInput(conll.shown, line, str(error)) from None
        for span in found:
            known, _ = options.types.khabar_type(span.type)
            line = sentence.tokens[span.start].line
            if not known:
                raise BadInput(conll.shown, line,
                               f"entity type {span.type!r} is not a khabar type and the types map "
                               f"({options.types.name}) does not list it; add it to a --types-map "
                               f"(null keeps such spans outside the entities)")
            spans.append(_SourceSpan(span.start, span.end, span.type, column, line, sentence.tokens[span.end - 1].line))
    return spans


def _record(conll: ConllFile, part: list[Sentence], decoded: dict[int, list[_SourceSpan]], docstart: str | None,
            number: int, options: ImportOptions, log: RepairLog, removed_in_file: list[str]) -> dict:
    shown = conll.shown
    paragraphs: list[str] = []
    marks: list[list] = []
    foreign: list[list] = []
    candidates: list[_Candidate] = []
    offset = 0  # of the paragraph being built, in the record's text
    for sentence in part:
        spans = decoded[id(sentence)]
        kept: list[str] = []
        index_map: list[int | None] = []
        sentence_marks: list[list] = []
        for token in sentence.tokens:
            if token.text in MARK_TOKENS and all(tag == "O" for tag in token.tags):
                sentence_marks.append([len(paragraphs), len(kept), token.text])
                index_map.append(None)
                continue
            cleaned, removed, normalized = clean_token(token.text)
            if removed:
                removed_in_file.append(removed)
            if normalized:
                log.repair(shown, token.line, "token-nfc", f"token {token.text!r} normalized to NFC "
                                                           f"({_code_points(token.text)} -> {_code_points(cleaned)})")
            if not cleaned:
                log.repair(shown, token.line, "token-dropped",
                           f"token of invisible marks only ({describe_removed(Counter(removed))}) dropped")
                index_map.append(None)
                continue
            index_map.append(len(kept))
            kept.append(cleaned)
        if not kept:
            log.repair(shown, sentence.tokens[0].line, "sentence-dropped",
                       f"sentence of lines {sentence.tokens[0].line}-{sentence.tokens[-1].line} holds no text: dropped")
            continue
        marks.extend(sentence_marks)
        token_starts, position = [], offset
        for token_text in kept:
            token_starts.append(position)
            position += len(token_text) + 1
        for span in spans:
            inside = [index_map[i] for i in range(span.start, span.end) if index_map[i] is not None]
            if not inside:
                log.repair(shown, span.line, "entity-dropped",
                           f"{span.source_type} on dropped tokens only (lines {span.line}-{span.last_line}): dropped")
                continue
            start = token_starts[inside[0]]
            end = token_starts[inside[-1]] + len(kept[inside[-1]])
            _, khabar_type = options.types.khabar_type(span.source_type)
            if khabar_type is None:
                foreign.append([start, end, span.source_type])
            else:
                candidates.append(_Candidate(start, end, khabar_type, span.source_type, span.column, span.line,
                                             span.last_line))
        paragraphs.append(" ".join(kept))
        offset += len(paragraphs[-1]) + 2
    text = "\n\n".join(paragraphs)
    if len(paragraphs) < 2:
        raise BadInput(shown, part[0].tokens[0].line, "fewer than two sentences left: not a khabar record")
    entities = _valid_spans(text, candidates, shown, log)
    # every renamed type is kept, with the khabar type it became, so that export gives the source
    # tag back without the map, and knows when a curator has retyped the entity since
    source_types = [[c.start, c.end, c.source_type, c.type] for c in entities if c.source_type != c.type]
    first_line, last_line = part[0].tokens[0].line, part[-1].tokens[-1].line
    token_count = sum(len(sentence.tokens) for sentence in part)
    note = {"format": "conll", "file": conll.path.name, "lines": [first_line, last_line], "sentences": len(part),
            "tokens": token_count, "separator": conll.separator}
    if docstart:
        note["docstart"] = docstart
    if marks:
        note["marks"] = marks
    if source_types:
        note["source_types"] = source_types
    if foreign:
        note["foreign"] = foreign
    repairs = Counter(r.kind for r in log.repairs
                      if r.file == shown and r.line is not None and first_line <= r.line <= last_line)
    if repairs:
        note["repairs"] = dict(sorted(repairs.items()))
    human = (f"Imported with `khabar import conll` from {conll.path.name}, lines {first_line}-{last_line} "
             f"({len(part)} sentences, {token_count} tokens): the first sentence stands as the headline, each sentence "
             f"is one paragraph, tokens are joined by single spaces. Spans and types are the source corpus's "
             f"(types map: {options.types.name}), not yet reviewed against khabar's guidelines.")
    if repairs:
        human += " Repairs: " + ", ".join(f"{kind} {count}" for kind, count in sorted(repairs.items())) + "."
    produced_by = [f"khabar import conll ({IMPORTER})",
                   f"{options.source.name}: annotation of {conll.path.name}, tags read as {options.scheme}"]
    return new_record(record_id(options.id_prefix, file_slug(conll.path.stem), f"{number:04d}"), text,
                      options.source.source_field(raw_file=conll.path.name), produced_by, with_note(human, note),
                      number_entities([(c.start, c.end, c.type) for c in entities], text))


def _code_points(value: str) -> str:
    return " ".join(f"{ord(char):04X}" for char in value)


def _valid_spans(text: str, candidates: list[_Candidate], shown: str, log: RepairLog) -> list[_Candidate]:
    """Candidates made valid khabar spans: edges trimmed, duplicates and crossings dropped (reported)."""
    trimmed: list[_Candidate] = []
    for c in candidates:
        start, end = c.start, c.end
        while start < end and (text[start].isspace() or is_edge_punctuation(text[start], at_end=False)):
            start += 1
        while end > start and (text[end - 1].isspace() or is_edge_punctuation(text[end - 1], at_end=True)):
            end -= 1
        where = f"lines {c.line}-{c.last_line}"
        if start == end:
            log.repair(shown, c.line, "entity-dropped", f"{c.source_type} {text[c.start:c.end]!r} is punctuation only ({where}): dropped")
            continue
        if (start, end) != (c.start, c.end):
            log.repair(shown, c.line, "span-trimmed",
                       f"{c.source_type} {text[c.start:c.end]!r} trimmed to {text[start:end]!r}: punctuation at the edge ({where})")
        trimmed.append(_Candidate(start, end, c.type, c.source_type, c.column, c.line, c.last_line))
    kept: list[_Candidate] = []
    open_spans: list[_Candidate] = []
    for c in sorted(trimmed, key=lambda c: (c.start, -c.end, c.column)):
        where = f"lines {c.line}-{c.last_line}"
        if kept and (kept[-1].start, kept[-1].end) == (c.start, c.end):
            log.repair(shown, c.line, "span-duplicate",
                       f"{c.source_type} {text[c.start:c.end]!r} (column {c.column + 1}) covers the same span as "
                       f"{kept[-1].source_type} (column {kept[-1].column + 1}): dropped, one span carries one entity ({where})")
            continue
        while open_spans and open_spans[-1].end <= c.start:
            open_spans.pop()
        if open_spans and c.end > open_spans[-1].end:
            outer = open_spans[-1]
            log.repair(shown, c.line, "span-crossing",
                       f"{c.source_type} {text[c.start:c.end]!r} crosses {outer.source_type} "
                       f"{text[outer.start:outer.end]!r}: dropped ({where})")
            continue
        open_spans.append(c)
        kept.append(c)
    return kept


# ---------------------------------------------------------------- exporting

@dataclass
class ExportCounts:
    files: int = 0
    sentences: int = 0
    tokens: int = 0
    widened: int = 0  # spans that start or end inside a token (records not imported from CoNLL)
    dropped: int = 0  # spans across a sentence boundary, which BIO cannot carry
    default_types: int = 0  # entities exported under the first source type of an ambiguous map


def export_conll(records: list[dict], scheme: str, types: TypesMap) -> tuple[dict[str, str], ExportCounts]:
    """(file name -> CoNLL text, counts). Records imported from CoNLL go back to their source file
    name, in line order, with their documents, sentences, marks and original tags; any other
    record becomes `<id>.conll`, sentences and tokens by khabar.tokens. Raises BadInput when two
    imported files of one name would meet in one export, and for a record whose interchange note
    is malformed (its file name, for one, must be a plain file name: khabar.interchange.provenance)."""
    counts = ExportCounts()
    grouped: dict[str, list[tuple[int, dict, dict]]] = defaultdict(list)
    loose: list[dict] = []
    for record in records:
        try:
            note = read_note(record)
        except NoteError as error:
            raise BadInput(f"record {record['id']}", None, f"interchange note in annotation.notes: {error}") from None
        if note and note.get("format") == "conll" and note.get("file"):
            grouped[note["file"]].append((note.get("lines", [0, 0])[0], record, note))
        else:
            loose.append(record)
    files: dict[str, str] = {}
    for name, members in grouped.items():
        members.sort(key=lambda member: member[0])
        separators = {note.get("separator", " ") for _, _, note in members}
        if len({(record["source"]["name"]) for _, record, _ in members}) > 1:
            raise BadInput(name, None, "records of two source corpora claim this file name; export them separately")
        separator = "\t" if separators == {"\t"} else " "
        lines: list[str] = []
        for _, record, note in members:
            lines.extend(_imported_lines(record, note, separator, scheme, types, counts))
        files[name] = "\n".join(lines) + "\n"
    for record in loose:
        name = f"{record['id']}.conll"
        if name in files:
            raise BadInput(name, None, "a record id and an imported file name collide")
        files[name] = "\n".join(_native_lines(record, scheme, types, counts)) + "\n"
    counts.files = len(files)
    return files, counts


def _export_type(entity: dict, kept: dict[tuple[int, int, str], str], types: TypesMap, counts: ExportCounts) -> str:
    """The entity's source type as the import kept it, unless retyped since; else the inverse map's."""
    original = kept.get((entity["start"], entity["end"], entity["type"]))
    if original is not None:
        return original
    if types.is_ambiguous(entity["type"]):
        counts.default_types += 1
    return types.source_type(entity["type"])


def _imported_lines(record: dict, note: dict, separator: str, scheme: str, types: TypesMap,
                    counts: ExportCounts) -> list[str]:
    text = record["text"]
    kept = {(start, end, khabar_type): source for start, end, source, khabar_type in note.get("source_types", [])}
    spans = [(e["start"], e["end"], _export_type(e, kept, types, counts)) for e in record["entities"]]
    spans += [(start, end, source) for start, end, source in note.get("foreign", [])]
    marks: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for paragraph, token, mark in note.get("marks", []):
        marks[paragraph].append((token, mark))
    lines: list[str] = []
    if note.get("docstart"):
        lines += [note["docstart"], ""]
    offset = 0
    for index, paragraph in enumerate(text.split("\n\n")):
        tokens, position = [], offset
        for token_text in paragraph.split(" "):
            tokens.append((position, position + len(token_text), token_text))
            position += len(token_text) + 1
        token_spans = _token_spans(tokens, spans, offset, offset + len(paragraph), counts)
        marks_before: dict[int, list[str]] = defaultdict(list)
        for token_index, mark in marks.get(index, []):
            marks_before[token_index].append(mark)
        rows: list[tuple[str, list[str]]] = []
        for token_index, ((_, _, token_text), tags) in enumerate(zip(tokens, encode(len(tokens), token_spans, scheme))):
            rows += [(mark, ["O"]) for mark in marks_before.get(token_index, [])]
            rows.append((token_text, tags))
        rows += [(mark, ["O"]) for mark in marks_before.get(len(tokens), [])]
        lines += [token_text + separator + separator.join(tags) for token_text, tags in rows]
        lines.append("")
        counts.sentences += 1
        counts.tokens += len(rows)
        offset += len(paragraph) + 2
    return lines


def _token_spans(tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]], begin: int, end: int,
                 counts: ExportCounts) -> list[tuple[int, int, str]]:
    """Character spans inside [begin, end) as token index spans (a token counts when it overlaps)."""
    found = []
    for start, stop, span_type in spans:
        if stop <= begin or start >= end:
            continue
        if start < begin or stop > end:
            counts.dropped += 1
            continue
        covered = [i for i, (t_start, t_end, _) in enumerate(tokens) if t_start < stop and t_end > start]
        if not covered:  # a span on white space only (a hand-edited note's foreign span): no token to tag
            counts.dropped += 1
            continue
        if tokens[covered[0]][0] != start or tokens[covered[-1]][1] != stop:
            counts.widened += 1
        found.append((covered[0], covered[-1] + 1, span_type))
    return found


def _native_lines(record: dict, scheme: str, types: TypesMap, counts: ExportCounts) -> list[str]:
    text = record["text"]
    spans = [(e["start"], e["end"], types.source_type(e["type"])) for e in record["entities"]]
    lines: list[str] = []
    for begin, end in sentence_spans(text):
        tokens = [(t.start, t.end, t.text) for t in tokenize(text, begin, end)]
        if not tokens:
            continue
        tags = encode(len(tokens), _token_spans(tokens, spans, begin, end, counts), scheme)
        lines += [token_text + " " + " ".join(row) for (_, _, token_text), row in zip(tokens, tags)]
        lines.append("")
        counts.sentences += 1
        counts.tokens += len(tokens)
    return lines
