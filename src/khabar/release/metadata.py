"""What a release says about itself that its records cannot: name, version, date, description, datasheet.

Two homes, never mixed:
- a corpus folder may carry `dataset.toml` (see docs/releases.md), which describes that corpus alone;
- otherwise the corpus must sit in a khabar project (its parent folder holds pyproject.toml,
  CHANGELOG.md and DATASHEET.md, as this repository does): version from pyproject.toml, date from
  the changelog, prose from the datasheet.
A corpus with neither is refused: the build never borrows another project's metadata (it once took
khabar's own when pointed at a corpus elsewhere).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from khabar.release.citation import ABSTRACT, AUTHORS
from khabar.release.context import NAME, PRETTY_NAME
from khabar.release.version import PROJECT_FILES, project_version, release_date
from khabar.textrules import escaped

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DATASET_TOML = "dataset.toml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+([.+-][0-9A-Za-z.+-]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class MetadataError(Exception):
    """The corpus has no metadata of its own, or its dataset.toml is invalid (exit code 2)."""


@dataclass(frozen=True)
class DatasetMetadata:
    name: str  # short machine name: Croissant `name`, manifest `name`
    pretty_name: str  # the card's title
    version: str
    date: str  # YYYY-MM-DD
    description: str
    datasheet: Path | None  # Datasheets-for-Datasets prose, `## ` sections; None: the card says only what it computed
    url: str | None  # where the release is published; None until it is
    authors: tuple[str, ...]
    home: Path  # the folder whose releases/ is the default destination
    from_project: bool  # True: a khabar project (its process statements apply); False: dataset.toml

    @property
    def default_release_dir(self) -> Path:
        return self.home / "releases" / f"v{self.version}"


def project_url(project: Path) -> str | None:
    """The release's public address: `Dataset` (else `Homepage`) of pyproject.toml's [project.urls]."""
    with open(project / "pyproject.toml", "rb") as handle:
        urls = tomllib.load(handle).get("project", {}).get("urls", {})
    return urls.get("Dataset") or urls.get("Homepage")


def project_metadata(project: Path, version: str | None = None, date: str | None = None) -> DatasetMetadata:
    """The metadata of a khabar project folder (pyproject.toml, CHANGELOG.md, DATASHEET.md).

    Raises FileNotFoundError, KeyError or ValueError when the project files do not give them.
    """
    version = version or project_version(project)
    date = date or release_date(version, project / "CHANGELOG.md")
    return DatasetMetadata(name=NAME, pretty_name=PRETTY_NAME, version=version, date=date,
                           description=ABSTRACT, datasheet=project / "DATASHEET.md", url=project_url(project),
                           authors=(AUTHORS,), home=project, from_project=True)


def read_dataset_toml(path: Path) -> DatasetMetadata:
    """A corpus folder's dataset.toml. Raises MetadataError naming the file and the problem."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(f"{escaped(str(path))}: not valid TOML ({error})") from None
    known = {"name", "title", "version", "date", "description", "datasheet", "url", "authors"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise MetadataError(f"{escaped(str(path))}: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}")
    for key in ("name", "version", "date", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise MetadataError(f"{escaped(str(path))}: `{key}` is required (a non-empty string)")
    for key in ("title", "datasheet", "url"):
        if key in data and not isinstance(data[key], str):
            raise MetadataError(f"{escaped(str(path))}: `{key}` must be a string")
    for key, pattern, shape in (("name", _NAME, "lower-case letters, digits, '.', '_' or '-'"),
                                ("version", _VERSION, "X.Y.Z"), ("date", _DATE, "YYYY-MM-DD")):
        if not pattern.match(data[key]):
            raise MetadataError(f"{escaped(str(path))}: `{key}` {data[key]!r} is not {shape}")
    authors = data.get("authors", [f"{data['name']} contributors"])
    if not (isinstance(authors, list) and authors and all(isinstance(a, str) and a.strip() for a in authors)):
        raise MetadataError(f"{escaped(str(path))}: `authors` must be a list of names")
    datasheet = None
    if "datasheet" in data:
        datasheet = (path.parent / data["datasheet"]).resolve()
        if not datasheet.is_file():
            raise MetadataError(f"{escaped(str(path))}: datasheet {data['datasheet']!r} not found")
    return DatasetMetadata(name=data["name"], pretty_name=data.get("title", data["name"]), version=data["version"],
                           date=data["date"], description=" ".join(data["description"].split()), datasheet=datasheet,
                           url=data.get("url"), authors=tuple(authors), home=path.parent.parent, from_project=False)


def corpus_metadata(corpus_dir: Path) -> DatasetMetadata:
    """The metadata of the corpus at corpus_dir: its own dataset.toml, else the khabar project it
    sits in (its parent folder). Raises MetadataError when it has neither, and FileNotFoundError,
    KeyError or ValueError when the project's files do not give a version and date.
    """
    own = corpus_dir / DATASET_TOML
    if own.is_file():
        return read_dataset_toml(own)
    parent = corpus_dir.resolve().parent
    if all((parent / name).is_file() for name in PROJECT_FILES):
        return project_metadata(parent)
    raise MetadataError(f"{escaped(str(corpus_dir))}: no {DATASET_TOML} in the corpus folder and no khabar project "
                        f"({', '.join(PROJECT_FILES)}) around it; write a {DATASET_TOML} with name, version, date "
                        f"and description (see docs/releases.md)")
