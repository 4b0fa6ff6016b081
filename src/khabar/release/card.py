"""README.md of a release: the Hugging Face dataset card.

The YAML header (configs, features, exact example counts) and every number in the body are
computed from the release; the prose comes from the datasheet, section by section, so the card
and the datasheet cannot disagree. From release format 2 on (khabar.release.formats), every
statement about size, sources, dates, statuses and licences is computed from the records, and
the datasheet's passages about one particular corpus (marked `<!-- corpus-specific:start -->` ...
`<!-- corpus-specific:end -->`) stay out of the card: what is kept must be true of any corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from khabar import labels
from khabar.release import licences
from khabar.release.changes import card_section
from khabar.release.citation import bibtex
from khabar.release.context import PRETTY_NAME, ReleaseContext, size_category
from khabar.release.features import CONFIGS, DEFAULT_CONFIG, SPLITS, yaml_features

LICENSE_NAME = "khabar-mixed"
CORPUS_SPECIFIC = re.compile(r"<!-- corpus-specific:start -->.*?<!-- corpus-specific:end -->\n?", re.S)
# format 1 (v0.1.0): a fixed licence text, not computed from the records
LICENSE_SUMMARY = ("Annotations and label definitions: CC BY-SA 4.0 (they adapt PLOVER's manual, CC BY-SA 4.0). "
                   "Article texts: copyright of their publishers, redistributed for research; see each record's "
                   "source.license and the Distribution section.")


def card_metadata(context: ReleaseContext) -> dict:
    """The card's YAML header."""
    if context.format == 1:
        licence = {"license": "other", "license_name": LICENSE_NAME, "license_details": LICENSE_SUMMARY}
    else:  # the Hub card spec: `other` with a name and a link to the licence text
        licence = {"license": "other", "license_name": f"{context.name}-per-source",
                   "license_link": licences.LICENSE_FILE}
    return {
        "pretty_name": PRETTY_NAME if context.format == 1 else context.pretty_name,
        "language": ["ar"],
        **licence,
        "multilinguality": ["monolingual"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "multi-label-classification"],
        "size_categories": [size_category(context.articles)],
        # khabar's own process (its datasheet says how); a corpus described by dataset.toml says nothing of it
        **({"annotations_creators": ["machine-generated"]} if context.from_project else {}),
        "language_creators": ["found"],
        "source_datasets": ["original"],
        "tags": ["arabic", "news", "event-extraction", "plover", "nested-ner"],
        "configs": [
            {"config_name": config, **({"default": True} if config == DEFAULT_CONFIG else {}),
             "data_files": [{"split": split, "path": f"data/{config}/{split}-*"}
                            for split in SPLITS if context.counts[config][split]]}
            for config in CONFIGS
        ],
        "dataset_info": [
            {"config_name": config, "features": yaml_features(config, context.format),
             "splits": [{"name": split, "num_bytes": context.num_bytes[config][split],
                         "num_examples": context.counts[config][split]}
                        for split in SPLITS if context.counts[config][split]],
             "download_size": context.download_size.get(config, 0),
             "dataset_size": sum(context.num_bytes.get(config, {}).values())}
            for config in CONFIGS
        ],
    }


def datasheet_sections(path: Path, corpus_specific: bool = True) -> dict[str, str]:
    """DATASHEET.md's `## ` sections by heading; corpus_specific=False leaves out the marked passages."""
    text = path.read_text(encoding="utf-8")
    if not corpus_specific:
        text = CORPUS_SPECIFIC.sub("", text)
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {heading.strip(): body.strip() for heading, body in zip(parts[1::2], parts[2::2])}


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _structure(context: ReleaseContext) -> str:
    counts = _table(["config", *SPLITS, "total"],
                    [[f"`{config}`", *(context.counts[config][s] for s in SPLITS), context.total(config)]
                     for config in CONFIGS])
    entity_rows = [[t, *(context.entity_types[s][t] for s in SPLITS)] for t in labels.entity_types().names
                   if any(context.entity_types[s][t] for s in SPLITS)]
    event_rows = [[t, *(context.event_types[s][t] for s in SPLITS), *(context.document_labels[s][t] for s in SPLITS)]
                  for t in labels.event_type_names()
                  if any(context.event_types[s][t] or context.document_labels[s][t] for s in SPLITS)]
    widened = sum(context.bio[s].widened for s in SPLITS)
    outer = sum(context.bio[s].entities for s in SPLITS)
    dropped = sum(len(context.bio[s].dropped) for s in SPLITS)
    empty = context.empty_splits
    articles = (f"The corpus has {context.articles} article(s)" if context.format == 1  # v0.1.0's wording, kept
                else f"The release has {context.articles:,} article{'' if context.articles == 1 else 's'}")
    empty_note = (f"**Empty splits in this release: {', '.join(empty)}.** {articles}"
                  f"; an empty split has no data file and is not declared in the configs above, so "
                  f"`load_dataset` returns only the other splits. The splits fill as articles are added, and a "
                  f"released article never changes split." if empty else "No split is empty.")
    return "\n\n".join([
        "Three configs, each with the splits train / validation / test:",
        "- `documents` (default): one row per article with every field of the record: `id`, `title`, "
        "`text`, `language`, `source`, `entities` (nested; offsets in code points of `text`, end exclusive), "
        "`events` (trigger, arguments, mode, context), `event_labels`, `annotation`. Closed label sets are "
        "`ClassLabel`s.",
        "- `ner`: `id` (`<article id>/<sentence number>`), `tokens`, `ner_tags` (IOB2 over the outermost "
        "entity layer). Sentences are the headline and each paragraph cut after `.`, `!`, `?`, `؟` or `…` "
        "followed by white space. Tokens are runs of letters, digits, combining marks and tatweel, or single "
        "punctuation characters; the tokenizer never looks at the annotations, so proclitics stay attached "
        "(`والمغرب` is one token).",
        f"- `events`: `id`, `text`, `labels` (the article's document labels, multi-label over PLOVER's "
        f"{len(labels.event_type_names())} types).",
        counts,
        empty_note,
        f"Token alignment: {outer} outermost entities; {widened} start or end inside a token (mostly after a "
        f"proclitic such as و or ل) and are widened to whole tokens in `ner`; {dropped} could not be tagged.",
        "Entity mentions per type (all nesting levels):",
        _table(["type", *SPLITS], entity_rows) if entity_rows else "(none)",
        "![Entity mentions per type](images/entity_types.png)",
        "Events per type, and articles per document label:",
        _table(["type", *(f"events {s}" for s in SPLITS), *(f"documents {s}" for s in SPLITS)], event_rows)
        if event_rows else "(none)",
        "![Events per type](images/event_types.png)",
    ])


def card_text(context: ReleaseContext) -> str:
    """The card of the context's release format."""
    return _card_text_format1(context) if context.format == 1 else _card_text_format2(context)


def _citation(context: ReleaseContext) -> list[str]:
    """The card's closing section, the same in every format."""
    return ["## Citation", "Cite the exact version you used (also in `CITATION.cff`):",
            "```bibtex\n" + bibtex(context) + "\n```",
            "Entity types follow Wojood (Jarrar et al., 2022). Event types, modes and contexts are those of "
            "PLOVER (Open Event Data Alliance, 2021, https://github.com/openeventdata/PLOVER), CC BY-SA 4.0."]


def _card_text_format1(context: ReleaseContext) -> str:
    datasheet = context.datasheet
    header = yaml.safe_dump(card_metadata(context), sort_keys=False, allow_unicode=True, width=1000)
    sources = ", ".join(f"{name} ({count})" for name, count in sorted(context.sources.items()))
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(context.statuses.items()))
    body = [
        f"# {PRETTY_NAME}",
        f"Version {context.version}, released {context.date}. Annotation guidelines {context.guidelines_version}.",
        "## Dataset Details",
        datasheet["Motivation"],
        f"- Articles: {context.articles}; sources: {sources}; annotation status: {statuses}.",
        "- Language: Arabic (Modern Standard Arabic news).",
        f"- License: {LICENSE_SUMMARY}",
        "## Uses",
        datasheet["Uses"],
        "## Dataset Structure",
        _structure(context),
        "## Dataset Creation",
        "### Source Data",
        datasheet["Collection Process"],
        "### Annotations",
        datasheet["Preprocessing, Cleaning and Labeling"],
        "## Bias, Risks, and Limitations",
        datasheet["Bias, Risks and Limitations"],
        "## Distribution and Licensing",
        datasheet["Distribution"],
        "## Maintenance",
        datasheet["Maintenance"],
        *_citation(context),
    ]
    return "---\n" + header + "---\n\n" + "\n\n".join(body) + "\n"


def _counts(counter) -> str:
    return ", ".join(f"{key}: {count:,}" for key, count in sorted(counter.items()))


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def composition(context: ReleaseContext) -> str:
    """What the release holds, computed: articles, sources, dates, statuses, what was left out."""
    sources = len(context.sources)
    dates = [span for spans in context.published.values() for span in spans]
    published = "" if not dates else (f", published {min(dates)}" if min(dates) == max(dates)
                                       else f", published {min(dates)} to {max(dates)}")
    lines = [f"- Articles: {context.articles:,}, from {_plural(sources, 'source')}{published} (per source under "
             "Distribution and Licensing).",
             f"- Annotation status of the articles released: {_counts(context.statuses)}. This release holds "
             f"the statuses {', '.join(context.included_statuses)}"
             + (" (gold: as the annotation guidelines define it; see Annotations)."
                if context.included_statuses == ("gold",) else
                "; articles that are not gold are released on request of the builder and say so in "
                "annotation.status: filter on it to keep gold only.")]
    left = sum(context.left_out.values())
    lines.append(f"- Left out: {_plural(left, 'valid article')} of the corpus"
                 + (f" ({_counts(context.left_out)}), because their annotation status is not one this release "
                    f"holds." if left else "."))
    return "\n".join(lines)


# The baseline table that scripts/run_baselines.py --write keeps in the datasheet: it belongs to the
# release it was computed on, so another version's card (or another corpus's) leaves it out.
BASELINES = re.compile(r"<!-- baselines:start -->\n?(.*?)<!-- baselines:end -->\n?", re.S)


def _this_release_only(text: str, version: str) -> str:
    return BASELINES.sub(lambda found: found.group(0) if f"**khabar {version}**" in found.group(1) else "", text)


def _card_text_format2(context: ReleaseContext) -> str:
    datasheet = (datasheet_sections(context.datasheet_path, corpus_specific=False)
                 if context.datasheet_path is not None else {})
    datasheet = {heading: _this_release_only(body, context.version) for heading, body in datasheet.items()}
    header = yaml.safe_dump(card_metadata(context), sort_keys=False, allow_unicode=True, width=1000)

    def prose(heading: str) -> list[str]:
        return [datasheet[heading]] if datasheet.get(heading) else []

    body = [
        f"# {context.pretty_name}",
        f"Version {context.version}, released {context.date}. Annotation guidelines {context.guidelines_version}.",
        context.description,
        *([] if datasheet else ["This card states only what was computed from the records: the corpus names "
                                "no datasheet."]),
        "## Dataset Details",
        *prose("Motivation"),
        "\n".join([composition(context), "- Language: Arabic.",
                   "- Licence: per source, computed from the records; see Distribution and Licensing and "
                   f"[{licences.LICENSE_FILE}]({licences.LICENSE_FILE})."]),
        "## Uses",
        *prose("Uses"),
        f"- This release holds {_plural(context.articles, 'article')} from {_plural(len(context.sources), 'source')}: "
        "claims about Arabic news in general, about an outlet or about the events reported cannot rest on more "
        "than what these sources published.",
        "## Dataset Structure",
        _structure(context),
        *([f"## Changes since v{context.changes.previous}", card_section(context.changes, context.version)]
          if context.changes else []),
        "## Dataset Creation",
        "### Source Data",
        licences.table(context),
        *prose("Collection Process"),
        "### Annotations",
        *prose("Preprocessing, Cleaning and Labeling"),
        "## Bias, Risks, and Limitations",
        *prose("Bias, Risks and Limitations"),
        "## Distribution and Licensing",
        licences.statement(context),
        licences.table(context),
        *prose("Distribution"),
        *(["## Maintenance", *prose("Maintenance")] if prose("Maintenance") else []),
        *_citation(context),
    ]
    return "---\n" + header + "---\n\n" + "\n\n".join(body) + "\n"


def write(release: Path, context: ReleaseContext) -> None:
    (release / "README.md").write_text(card_text(context), encoding="utf-8")
    if context.format >= 2:
        (release / licences.LICENSE_FILE).write_text(licences.license_file_text(context), encoding="utf-8")
