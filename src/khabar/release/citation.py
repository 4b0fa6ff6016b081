"""CITATION.cff for a release (type: dataset) and the BibTeX the card shows."""

from __future__ import annotations

from pathlib import Path

from khabar.release import licences
from khabar.release.context import PRETTY_NAME, ReleaseContext

AUTHORS = "khabar contributors"
ABSTRACT = ("An annotated corpus of Arabic news articles: each article carries its text, its source, "
            "its named entities (Wojood's 21 types, nested) and its events (PLOVER 2.0 types, modes, "
            "contexts and arguments).")



KEYWORDS = ("Arabic", "named entity recognition", "event extraction", "PLOVER", "news")  # every CITATION.cff

def cff_text(version: str, date: str, kind: str = "dataset") -> str:
    """CITATION.cff (CFF 1.2.0) of a release (kind "dataset") or of the package ("software")."""
    return "\n".join([
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite this exact version."' if kind == "dataset"
        else 'message: "If you use this software, please cite it as below; cite the corpus by its release."',
        f'title: "{PRETTY_NAME}"',
        f"type: {kind}",
        "authors:",
        f'  - name: "{AUTHORS}"',
        f'version: "{version}"',
        f'date-released: "{date}"',
        f'abstract: "{ABSTRACT}"',
        "keywords:",
        *(f"  - {keyword}" for keyword in KEYWORDS),
    ]) + "\n"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dataset_cff_text(context: ReleaseContext) -> str:
    """CITATION.cff of a release of format 2: the corpus's own name and authors, the licences
    computed from its records (SPDX ids in `license`; the whole statement, which no SPDX id can
    carry, in `message`) and its address when it has one."""
    lines = [
        "cff-version: 1.2.0",
        "message: " + _yaml_string("If you use this dataset, please cite this exact version. Licences "
                                   f"({licences.LICENSE_FILE} has the table per source): {licences.statement(context)}"),
        f"title: {_yaml_string(context.pretty_name)}",
        "type: dataset",
        "authors:",
        *(f"  - name: {_yaml_string(author)}" for author in context.authors),
        f'version: "{context.version}"',
        f'date-released: "{context.date}"',
        f"abstract: {_yaml_string(context.description)}",
        "license:",
        *(f"  - {spdx}" for spdx in licences.spdx_ids(context)),
        *([f"url: {_yaml_string(context.url)}"] if context.url else []),
        "keywords:",
        *(f"  - {keyword}" for keyword in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def bibtex(context: ReleaseContext) -> str:
    year = context.date[:4]
    if context.format > 1 and not context.from_project:  # a corpus described by its own dataset.toml
        key = "".join(ch for ch in context.name if ch.isalnum()) + context.version.replace(".", "_")
        title, author = context.pretty_name, " and ".join(context.authors)
        return "\n".join([f"@misc{{{key},", f"  title = {{{{{title}}}, version {context.version}}},",
                          f"  author = {{{{{author}}}}},", f"  year = {{{year}}},", f"  version = {{{context.version}}},",
                          f"  note = {{Dataset release of {context.date}}}", "}"])
    key = f"khabar{context.version.replace('.', '_')}"
    return "\n".join([
        f"@misc{{{key},",
        f"  title = {{{{khabar}}: Arabic news articles annotated with entities and {{PLOVER}} events, version {context.version}}},",
        f"  author = {{{{{AUTHORS}}}}},",
        f"  year = {{{year}}},",
        f"  version = {{{context.version}}},",
        f"  note = {{Dataset release of {context.date}}}",
        "}",
    ])


def write(release: Path, context: ReleaseContext) -> None:
    text = cff_text(context.version, context.date) if context.format == 1 else dataset_cff_text(context)
    (release / "CITATION.cff").write_text(text, encoding="utf-8")
