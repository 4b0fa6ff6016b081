"""CITATION.cff for a release (type: dataset) and the BibTeX the card shows."""

from __future__ import annotations

from pathlib import Path

from khabar.release.context import PRETTY_NAME, ReleaseContext

AUTHORS = "khabar contributors"
ABSTRACT = ("An annotated corpus of Arabic news articles: each article carries its text, its source, "
            "its named entities (Wojood's 21 types, nested) and its events (PLOVER 2.0 types, modes, "
            "contexts and arguments).")


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
        "  - Arabic",
        "  - named entity recognition",
        "  - event extraction",
        "  - PLOVER",
        "  - news",
    ]) + "\n"


def bibtex(context: ReleaseContext) -> str:
    year = context.date[:4]
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
    (release / "CITATION.cff").write_text(cff_text(context.version, context.date), encoding="utf-8")
