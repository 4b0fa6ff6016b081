"""A corpus folder read once: its record files in order with their sizes, its split registry
parsed, and the splits its published releases fixed. Validation, level 4 and a build's input
hashes all work from this value instead of walking the folder and parsing the registry again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from khabar.splits import REGISTRY_NAME, RegistryError, RegistryIndex, read_registry_index, released_splits


@dataclass(frozen=True)
class CorpusFile:
    """One record file: where it is, how reports name it, and its size in bytes when listed."""

    path: Path
    shown: str
    size: int


@dataclass
class Corpus:
    """What a corpus folder holds, as read once by read_corpus (see module doc).

    registry is None when the folder has no registry (registry_error None) or an invalid one
    (registry_error says why, reported as validation reports it). released maps an id to the
    (split, release) a published release put it in, read only when the registry is valid.
    """

    folder: Path
    shown: str
    files: tuple[CorpusFile, ...]
    has_registry: bool = False
    registry: RegistryIndex | None = None
    registry_error: RegistryError | None = None
    released: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def registry_path(self) -> Path:
        return self.folder / REGISTRY_NAME

    @property
    def size(self) -> int:
        """The record files' bytes, summed."""
        return sum(file.size for file in self.files)


def read_corpus(folder: Path) -> Corpus:
    """The Corpus of folder. Raises InputError (khabar.validate.runner) for what
    folder_record_files refuses and for a file that cannot be listed."""
    # runner builds on this module, so its walk is imported when a corpus is read
    from khabar.validate.runner import InputError, folder_record_files, shown_path

    files = []
    for path in folder_record_files(folder):
        try:
            size = path.stat().st_size
        except OSError as error:
            raise InputError(f"{shown_path(path)}: {error.strerror or error}") from error
        files.append(CorpusFile(path, shown_path(path), size))
    corpus = Corpus(folder, shown_path(folder), tuple(files))
    if (folder / REGISTRY_NAME).is_file():
        corpus.has_registry = True
        try:
            corpus.registry = read_registry_index(folder / REGISTRY_NAME)
        except RegistryError as error:
            corpus.registry_error = error
        else:
            corpus.released = released_splits(folder.parent / "releases")
    return corpus
