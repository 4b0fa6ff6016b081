"""A minimal reader of CoNLL-style token/tag columns, for scoring and the baselines only.

This is not khabar's CoNLL importer (that is `khabar.interchange`, which turns such files into
records); it reads just enough for `khabar evaluate`, the agreement tests and the baselines to
use third-party corpora as token and tag sequences, and is to be replaced by the importer.

The format it reads: one token per line, the token first and then one or more tag columns,
separated by white space (tabs or spaces); a line that is empty once white space is stripped
ends a sentence (NewsFANE marks sentence ends with a lone tab). A byte order mark at the start,
carriage returns and the bidirectional marks U+200E and U+200F in tokens are removed (NewsFANE
carries them). Lines starting with ``-DOCSTART-`` are skipped. Tag columns are nesting levels,
outermost first (Wojood's layout: a token inside two entities has two tags); a token with fewer
tags than the deepest one in its sentence has ``O`` in the missing columns. Tokens are kept as
they are, ``$#$`` paragraph marks included, so the token count matches the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".conll", ".bio", ".iob", ".tsv")
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")


class ColumnsError(ValueError):
    """A line the reader cannot use: (line number, message)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class TaggedSentence:
    """One sentence: its tokens and its tag columns (layers[0] is the outermost level)."""

    id: str
    tokens: list[str]
    layers: list[list[str]]
    document: str  # what the bootstrap resamples: the article, or the sentence itself

    @property
    def tags(self) -> list[str]:
        return self.layers[0] if self.layers else ["O"] * len(self.tokens)


def read_columns(path: Path, id_prefix: str | None = None) -> list[TaggedSentence]:
    """The sentences of a column file, with ids ``<prefix>/<n>`` (n from 0; prefix: the file's stem).

    Raises ColumnsError for a token line without a tag, OSError and UnicodeDecodeError for
    files that cannot be read as UTF-8.
    """
    prefix = id_prefix if id_prefix is not None else path.stem
    text = path.read_bytes().decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    sentences: list[TaggedSentence] = []
    rows: list[tuple[str, list[str]]] = []

    def close() -> None:
        if rows:
            depth = max(len(tags) for _, tags in rows)
            layers = [[tags[k] if k < len(tags) else "O" for _, tags in rows] for k in range(depth)]
            sentence_id = f"{prefix}/{len(sentences)}"
            sentences.append(TaggedSentence(sentence_id, [token for token, _ in rows], layers, sentence_id))
            rows.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            close()
            continue
        if line.startswith("-DOCSTART-"):
            close()
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ColumnsError(number, f"token {parts[0]!r} has no tag column")
        rows.append((parts[0].translate(_BIDI_MARKS), parts[1:]))
    close()
    return sentences


def is_columns_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES
