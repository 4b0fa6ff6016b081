"""croissant.json: the release described in Croissant 1.0 (JSON-LD), with its RAI fields.

Layout
- `distribution`: one `cr:FileObject` per Parquet file, `contentUrl` relative to the release
  folder (Croissant resolves it against the folder of croissant.json) and the file's `sha256`.
- `recordSet`: one per config and split that has rows (`ner/train`, ...), its fields read from
  that split's file. Should a split ever be sharded into several files, each file gets its own
  record set (`ner/train/00000-of-00002`, ...): a Croissant field reads from one FileObject, and
  a FileSet cannot carry a checksum per file.
- Label columns hold ClassLabel indices (int64, as `datasets` stores them); their names are the
  inline `sc:Enumeration` record sets `labels/<column>`, row `index` = the stored value.

Every field list and label list comes from features.py and schema/labels/, nothing is written
twice. Nested columns are described as far as Croissant loaders can read them from Parquet: a
struct, or a list of structs, becomes a field with `subField`s, one per member that is a scalar
or a list of scalars; a struct inside it is flattened into dotted sub-fields (documents'
`events.trigger` -> `trigger.start`, `trigger.end`, `trigger.text`), because mlcroissant (1.1.1)
places a sub-sub-field beside its parent instead of inside each list item. A list of structs
inside a list of structs (documents' `events.arguments`) cannot be read at all (mlcroissant's
jsonPath transform keeps only the first match), so it is left out and its record set says so.

The output is deterministic: no clock, only the release date; keys in a fixed order.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from khabar.release import licences
from khabar.release.citation import ABSTRACT, AUTHORS, bibtex
from khabar.release.context import NAME, PRETTY_NAME, ReleaseContext
from khabar.release.features import CONFIGS, SPLITS, ClassLabel, ListOf, Struct, config_features

FILENAME = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET = "application/x-parquet"

# The @context of Croissant 1.0 as mlcroissant writes it (the specification's examples, plus
# equivalentProperty and samplingRate, without which mlcroissant warns that the context is not standard).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

ANNOTATIONS_LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
ANNOTATIONS_TERMS = ("The annotations, label definitions and guidelines are CC BY-SA 4.0. The event labels, modes "
                     "and contexts are PLOVER's (Open Event Data Alliance, 2021, CC BY-SA 4.0) and khabar's "
                     "definitions adapt its manual, so the share-alike terms apply to works derived from them.")
TEXT_TERMS = ("The copyright of each article text belongs to its publisher; khabar has no licence from the "
              "publishers and redistributes the texts for research only. Reuse beyond research needs the "
              "publisher's permission. Each record's source.license states what is known of its rights.")

CONFIG_DESCRIPTIONS = {
    "documents": "One row per article: text, source, nested entity mentions, events, document-level event "
                 "labels and the annotation record.",
    "ner": "One row per sentence: tokens and BIO tags over the outermost entity mentions (nesting flattened, "
           "spans that start after a proclitic widened to whole tokens).",
    "events": "One row per article: text and its document-level PLOVER event labels (multi-label).",
}

# Responsible-AI statements, each a short summary of the DATASHEET.md section named beside it
# (tests/test_croissant.py checks the key claims against DATASHEET.md).
RAI_DATA_COLLECTION = (  # Collection Process
    "Articles are published news reports scraped from the web. `khabar ingest` turns a raw article into a "
    "draft record: headline and paragraphs kept character for character (only Unicode NFC and white space at "
    "line edges are normalized), the credit line moved to source.name and site boilerplate removed. A "
    "publication date missing from the raw file is established from the text and source.published_basis says "
    "how; an unknown URL stays empty.")
FORMAT1_RAI_ANNOTATION_PROTOCOL = [  # format 1 (v0.1.0): its DATASHEET.md's wording, as published
    "Annotated by an AI model (Claude, Anthropic), span by span against the guidelines, and reviewed in full by "
    "a second, independent session of the same model; review points were adjudicated and the decisions written "
    "into the guidelines and the record's annotation.notes. No native Arabic speaker has reviewed the annotation "
    "yet: 'gold' means reviewed and adjudicated under the guidelines, not human-verified.",
    "Entities (Wojood's types, nested) and events (PLOVER 2.0 types, modes, contexts and arguments) are "
    "annotated span by span following schema/GUIDELINES.md, whose version every record names; offsets count "
    "Unicode code points of the NFC text. No text was rewritten, corrected or translated.",
    "Every record passes `khabar validate` (file, schema, article and corpus levels) before a release is built.",
]
RAI_ANNOTATION_PLATFORM = [  # Preprocessing, Cleaning and Labeling
    "No annotation platform or crowdsourcing service: each article is one JSON record written against "
    "schema/article.schema.json and checked by `khabar validate`.",
]
FORMAT1_RAI_MACHINE_ANNOTATION = [  # format 1 (v0.1.0), as published
    "Claude (Anthropic), an AI model: annotator, and in a second, independent session, reviewer.",
]
RAI_ANNOTATION_PROTOCOL = [  # Preprocessing, Cleaning and Labeling
    "A large language model (Claude, Anthropic) annotates each article span by span against the guidelines. "
    "Under guidelines 2.0 a second annotation of the same article is made independently, from the guidelines and "
    "the plain text only, by a model of the same family; the two are compared with `khabar agree`, every disagreement is adjudicated "
    "against the guidelines and the decisions are written into the record's annotation.notes. 'gold' means two "
    "independent annotations and a recorded adjudication. No native Arabic speaker has reviewed the annotation "
    "yet: every status, gold included, is not human-verified.",
    "Entities (Wojood's types, nested) and events (PLOVER 2.0 types, modes, contexts and arguments) are "
    "annotated span by span following schema/GUIDELINES.md, whose version every record names; offsets count "
    "Unicode code points of the NFC text. No text was rewritten, corrected or translated.",
    "Every record passes `khabar validate` (file, schema, article and corpus levels) before a release is built.",
]
RAI_MACHINE_ANNOTATION = [  # Preprocessing, Cleaning and Labeling
    "A large language model (Claude, Anthropic): first annotator; a model of the same family: independent second "
    "annotator and adjudicator.",
]
FORMAT1_RAI_DATA_BIASES = [  # format 1 (v0.1.0): its one outlet as the example, as published
    "Outlets' political perspectives and vocabulary are kept as published, not neutralized (for instance a "
    "Palestinian outlet's 'the Israeli occupation', الاحتلال الإسرائيلي, for Israel); models trained on the "
    "corpus will learn them.",
    "Annotator and reviewer are the same model family, so systematic errors they share can survive review.",
    "Nested nationality adjectives are NORP and metonymic capitals stay GPE: khabar's documented choices, which "
    "differ in places from other Arabic NER corpora.",
]
RAI_DATA_BIASES = [  # Composition; Bias, Risks and Limitations (true of any corpus; the card lists the sources)
    "Outlets' political perspectives and vocabulary are kept as published, not neutralized; models trained on "
    "the corpus will learn them.",
    "Both annotators and the adjudicator are models of the same family, so systematic errors they share can "
    "survive adjudication.",
    "Metonymic capitals stay GPE and spans are character spans with proclitics outside (Wojood tags whole "
    "tokens): khabar's documented choices, listed with their reasons in the guidelines.",
]
RAI_DATA_LIMITATIONS = [  # Uses; Bias, Risks and Limitations
    "The ner config flattens nesting to the outermost layer and widens spans that start after a proclitic "
    "to whole tokens; the card counts both.",
    "Known annotation gaps are listed in the guidelines: events implied without a word that names them are "
    "not annotated, coreferent mentions are not linked.",
]
RAI_PERSONAL_INFORMATION = [  # Composition
    "The texts name real people, mostly politicians and officials acting in public roles, and states; they "
    "contain no private personal data beyond what the publisher printed.",
]
RAI_USE_CASES = [  # Uses
    "Intended: training and evaluating Arabic named-entity recognition, event extraction with PLOVER types, "
    "modes, contexts and arguments, and document-level event classification; studying the annotation of "
    "Arabic news. Cite the exact version and compare models only on the same version and split.",
    "Not intended: profiling or making decisions about the people named, training systems that attribute "
    "political positions to individuals, or using the corpus as a source of fact about the events reported.",
]
RAI_MAINTENANCE = (  # Maintenance
    "A published release is never changed; corrections and removals (for instance at a publisher's request) "
    "come as new versions, documented in the changelog.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _class_label_uses() -> dict[tuple[str, ...], list[str]]:
    """Each distinct label list -> the columns that store it (`documents events.type`), in config order."""
    uses: dict[tuple[str, ...], list[str]] = {}

    def walk(feature, config: str, path: tuple[str, ...]) -> None:
        if isinstance(feature, ClassLabel):
            uses.setdefault(feature.names, []).append(f"{config} {'.'.join(path)}")
        elif isinstance(feature, ListOf):
            walk(feature.item, config, path)
        elif isinstance(feature, Struct):
            for name, item in feature.fields:
                walk(item, config, (*path, name))

    for config in CONFIGS:
        walk(config_features(config), config, ())
    return uses


def _class_labels() -> dict[tuple[str, ...], str]:
    """Each distinct label list -> the id of its enumeration record set, named after the first column
    that stores it (`labels/entities.type`)."""
    return {names: "labels/" + uses[0].split(" ", 1)[1] for names, uses in _class_label_uses().items()}


def _label_record_set(record_set_id: str, names: tuple[str, ...]) -> dict:
    index, name = f"{record_set_id}/index", f"{record_set_id}/name"
    columns = "; ".join(_class_label_uses()[names])
    return {
        "@type": "cr:RecordSet",
        "@id": record_set_id,
        "name": record_set_id,
        "description": f"The label names of the ClassLabel indices stored in: {columns}.",
        "dataType": "sc:Enumeration",
        "key": {"@id": index},
        "field": [
            {"@type": "cr:Field", "@id": index, "name": index, "dataType": "sc:Integer"},
            {"@type": "cr:Field", "@id": name, "name": name, "dataType": "sc:Text"},
        ],
        "data": [{index: i, name: label} for i, label in enumerate(names)],
    }


def _scalar(feature) -> bool:
    return feature in ("string", "int32") or isinstance(feature, ClassLabel)


def _data_type(feature) -> str:
    return "sc:Text" if feature == "string" else "sc:Integer"


def _source(file_id: str, column: str, json_path: str | None) -> dict:
    source = {"fileObject": {"@id": file_id}, "extract": {"column": column}}
    if json_path is not None:
        source["transform"] = {"jsonPath": json_path}
    return source


def _leaf(field_id: str, feature, source: dict, labels: dict) -> dict:
    """A scalar or a list of scalars."""
    repeated = isinstance(feature, ListOf)
    item = feature.item if repeated else feature
    field = {"@type": "cr:Field", "@id": field_id, "name": field_id.rsplit("/", 1)[1],
             "dataType": _data_type(item)}
    if isinstance(item, ClassLabel):
        field["description"] = f"ClassLabel index (int64); the names are the record set {labels[item.names]}."
    if repeated:
        field["repeated"] = True
    field["source"] = source
    return field


def _leafy(feature) -> bool:
    return _scalar(feature) or (isinstance(feature, ListOf) and _scalar(feature.item))


def _members(struct: Struct, prefix: str = ""):
    """(dotted path, feature) of a struct's members: scalars and lists of scalars as they are, structs
    flattened into their members (`trigger.start`), anything else (a list of structs) as None."""
    for name, member in struct.fields:
        if isinstance(member, Struct):
            yield from _members(member, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", member if _leafy(member) else None


def _field(field_id: str, column: str, feature, file_id: str, labels: dict, notes: dict) -> dict:
    """The field of one top-level column. Members it cannot express go to notes["omitted"], structs
    flattened into dotted sub-fields to notes["flattened"]."""
    if _leafy(feature):
        return _leaf(field_id, feature, _source(file_id, column, None), labels)
    repeated = isinstance(feature, ListOf)
    struct = feature.item if repeated else feature
    if not isinstance(struct, Struct):
        raise TypeError(f"{column}: no Croissant form for {feature!r}")
    sub_fields = []
    for path, member in _members(struct):
        if member is None:
            notes["omitted"].append(f"{column}.{path}")
            continue
        if "." in path:
            notes["flattened"].setdefault(f"{column}.{path.rsplit('.', 1)[0]}", []).append(path)
        sub_fields.append(_leaf(f"{field_id}/{path}", member, _source(file_id, column, f"$.{path}"), labels))
    field = {"@type": "cr:Field", "@id": field_id, "name": column}
    if repeated:
        field["repeated"] = True
    field["subField"] = sub_fields
    return field


def _record_set(config: str, record_set_id: str, file_id: str, description: str, labels: dict,
                release_format: int | None = None) -> dict:
    notes: dict = {"omitted": [], "flattened": {}}
    fields = [_field(f"{record_set_id}/{column}", column, feature, file_id, labels, notes)
              for column, feature in config_features(config, release_format).fields]
    for struct, paths in notes["flattened"].items():
        description += (f" The struct {struct} is given as the sub-fields {', '.join(paths)} of "
                        f"{struct.split('.', 1)[0]}.")
    if notes["omitted"]:
        many = len(notes["omitted"]) > 1
        description += (f" Left out: {', '.join(notes['omitted'])} (a list of structs nested in a column of structs, "
                        f"which mlcroissant 1.1.1 cannot read from Parquet: its jsonPath transform keeps only the "
                        f"first match); the Parquet file has {'them' if many else 'it'}.")
    return {
        "@type": "cr:RecordSet",
        "@id": record_set_id,
        "name": record_set_id,
        "description": description,
        "key": {"@id": f"{record_set_id}/id"},
        "field": fields,
    }


def _parts(context: ReleaseContext) -> list[tuple[str, str, str, str]]:
    """(config, split, record set id, path) for every Parquet file, in config and split order. The
    path relative to the release is also the FileObject's @id."""
    parts = []
    for config in CONFIGS:
        for split in SPLITS:
            paths = context.data_files.get(config, {}).get(split, [])
            for path in paths:
                record_set_id = f"{config}/{split}"
                if len(paths) > 1:  # train-00000-of-00002.parquet -> ner/train/00000-of-00002
                    record_set_id += "/" + Path(path).stem.split("-", 1)[1]
                parts.append((config, split, record_set_id, path))
    return parts


def _publishers(context: ReleaseContext, shown: int = 5) -> str:
    names = [name for name, _ in sorted(context.sources.items(), key=lambda item: (-item[1], item[0]))]
    listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
    return f"{_count(len(names), 'publisher')} ({listed})"


def croissant_data(release: Path, context: ReleaseContext) -> dict:
    """The JSON-LD document of the release in `release` (its Parquet files must be written)."""
    labels = _class_labels()
    parts = _parts(context)
    distribution = [{
        "@type": "cr:FileObject",
        "@id": path,
        "name": path,
        "description": f"{config} config, {split} split, Parquet.",
        "contentUrl": path,
        "contentSize": f"{(release / path).stat().st_size} B",
        "encodingFormat": PARQUET,
        "sha256": _sha256(release / path),
    } for config, split, _, path in parts]
    record_sets = []
    for config, split, record_set_id, path in parts:
        rows = context.counts[config][split]
        description = f"{config} config, {split} split ({_count(rows, 'row')}). {CONFIG_DESCRIPTIONS[config]}"
        if record_set_id != f"{config}/{split}":
            description = f"{config} config, {split} split, file {path}. {CONFIG_DESCRIPTIONS[config]}"
        record_sets.append(_record_set(config, record_set_id, path, description, labels, context.format))
    record_sets += [_label_record_set(record_set_id, names) for names, record_set_id in labels.items()]
    empty = context.empty_splits
    description = (f"{ABSTRACT if context.format == 1 else context.description} Release {context.version}: "
                   f"{_count(context.articles, 'article')}"
                   + (f"; the {' and '.join(empty)} split{'s are' if len(empty) > 1 else ' is'} empty and "
                      f"{'have' if len(empty) > 1 else 'has'} no file" if empty else "")
                   + ". One record set per config and split (documents/train, ...); label columns hold "
                     "ClassLabel indices whose names are the labels/... record sets.")
    limitations = [
        f"Release {context.version} holds {_count(context.articles, 'article')} from {_publishers(context)}. "
        f"It is not a representative sample of Arabic news: claims about Arabic news in general, about an "
        f"outlet or about the events reported cannot rest on it.",
        *RAI_DATA_LIMITATIONS,
    ]
    if context.format == 1:
        return {
            "@context": CONTEXT,
            "@type": "sc:Dataset",
            "name": NAME,
            "alternateName": PRETTY_NAME,
            "description": description,
            "conformsTo": CONFORMS_TO,
            # No `url`: the release has no public address yet, and mlcroissant (1.1.1) neither requires nor
            # uses one; a placeholder would be a false statement. Add it when the release is published.
            # Two parts, as DATASHEET.md "Distribution" states them; the card's license_details says the same.
            "license": [
                {"@type": "sc:CreativeWork", "name": "CC BY-SA 4.0 (annotations, label definitions and guidelines)",
                 "description": ANNOTATIONS_TERMS, "url": ANNOTATIONS_LICENSE},
                {"@type": "sc:CreativeWork", "name": "Article texts: copyright of their publishers, no licence",
                 "description": TEXT_TERMS},
            ],
            "creator": {"@type": "sc:Organization", "name": AUTHORS},
            "datePublished": context.date,
            "version": context.version,
            "citeAs": bibtex(context),
            "inLanguage": "ar",
            "keywords": ["Arabic", "news", "named entity recognition", "nested NER", "event extraction", "PLOVER"],
            "rai:dataCollection": RAI_DATA_COLLECTION,
            "rai:dataCollectionType": ["Web scraping"],
            "rai:dataAnnotationProtocol": FORMAT1_RAI_ANNOTATION_PROTOCOL,
            "rai:dataAnnotationPlatform": RAI_ANNOTATION_PLATFORM,
            "rai:machineAnnotationTools": FORMAT1_RAI_MACHINE_ANNOTATION,
            "rai:dataBiases": FORMAT1_RAI_DATA_BIASES,
            "rai:dataLimitations": limitations,
            "rai:personalSensitiveInformation": RAI_PERSONAL_INFORMATION,
            "rai:dataUseCases": RAI_USE_CASES,
            "rai:dataReleaseMaintenancePlan": RAI_MAINTENANCE,
            "distribution": distribution,
            "recordSet": record_sets,
        }
    # format 2: the licence per licence text of the records (the card's table has it per source)
    text_terms = []
    for licence, articles in licences.text_licences(context).items():
        sources = sorted({t.source for t in licences.source_terms(context) if t.licence == licence})
        text_terms.append({"@type": "sc:CreativeWork", "name": licence,
                           "description": f"Article texts of {_count(articles, 'article')} ({', '.join(sources)}), "
                                          f"as their records' source.license states.",
                           **({"url": url} if (url := licences.url_of(licences.spdx_of(licence))) else {})})
    # khabar's process statements hold for a corpus built in a khabar project only; a corpus described
    # by its own dataset.toml gets the computed ones
    process = {
        "rai:dataCollection": RAI_DATA_COLLECTION,
        "rai:dataCollectionType": ["Web scraping"],
        "rai:dataAnnotationProtocol": RAI_ANNOTATION_PROTOCOL,
        "rai:dataAnnotationPlatform": RAI_ANNOTATION_PLATFORM,
        "rai:machineAnnotationTools": RAI_MACHINE_ANNOTATION,
        "rai:dataBiases": RAI_DATA_BIASES,
    } if context.from_project else {}
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": context.name,
        "alternateName": context.pretty_name,
        "description": description,
        "conformsTo": CONFORMS_TO,
        # `url` only once the release has a public address (dataset.toml `url`); never a placeholder
        **({"url": context.url} if context.url else {}),
        "license": [
            {"@type": "sc:CreativeWork", "name": "CC BY-SA 4.0 (annotations, label definitions and guidelines)",
             "description": licences.ANNOTATIONS_TERMS, "url": licences.ANNOTATIONS_URL},
            *text_terms,
        ],
        "creator": [{"@type": "sc:Organization", "name": author} for author in context.authors]
        if len(context.authors) > 1 else {"@type": "sc:Organization", "name": context.authors[0]},
        "datePublished": context.date,
        "version": context.version,
        "citeAs": bibtex(context),
        "inLanguage": "ar",
        "keywords": ["Arabic", "news", "named entity recognition", "nested NER", "event extraction", "PLOVER"],
        **process,
        "rai:dataLimitations": limitations,
        **({"rai:personalSensitiveInformation": RAI_PERSONAL_INFORMATION} if context.from_project else {}),
        "rai:dataUseCases": RAI_USE_CASES,
        **({"rai:dataReleaseMaintenancePlan": RAI_MAINTENANCE} if context.from_project else {}),
        "distribution": distribution,
        "recordSet": record_sets,
    }


def write(release: Path, context: ReleaseContext) -> None:
    text = json.dumps(croissant_data(release, context), ensure_ascii=False, indent=2) + "\n"
    (release / FILENAME).write_text(text, encoding="utf-8")
