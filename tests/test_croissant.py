"""croissant.json of a release: Croissant 1.0 that mlcroissant validates and loads row for row,
with a checksum per data file, built deterministically from features.py and the DATASHEET."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from conftest import REPO, write_published_corpus
from khabar.release import build as build_module
from khabar.release.build import build_release, sha256_file
from khabar.release.card import datasheet_sections
from khabar.release.croissant import CONFORMS_TO
from khabar.release.features import CONFIGS, ClassLabel, ListOf, Struct, config_features
from khabar.release.formats import recorded_format
from khabar.release.verify import verify_release
from khabar.release.version import project_version, release_date

VERSION = project_version(REPO)
DATE = release_date(VERSION, REPO / "CHANGELOG.md")
NER_TRAIN = "data/ner/train-00000-of-00001.parquet"
# What documents cannot carry in Croissant (a list of structs inside a list of structs) and which
# struct it flattens into dotted sub-fields; everything else must load exactly.
OMITTED = {"documents": {"source": {"also_published_by"}, "events": {"arguments"}}}
FLATTENED = {"documents": {"events": {"trigger"}}}


def build(corpus: Path, target: Path) -> Path:
    return build_release(corpus, target, REPO, VERSION, DATE).release_dir


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A fixed one-article corpus (the first article as published in v0.1.0), so the exact statements and
    row counts below stay true whatever the living corpus becomes."""
    return write_published_corpus(tmp_path_factory.mktemp("fixed") / "corpus")


@pytest.fixture(scope="module")
def release(tmp_path_factory, corpus) -> Path:
    return build(corpus, tmp_path_factory.mktemp("croissant") / f"v{VERSION}")


@pytest.fixture(scope="module")
def metadata(release) -> dict:
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def copy_release(release: Path, tmp_path: Path) -> Path:
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    return copy


def plain(value):
    """An mlcroissant record in the shape pyarrow gives a row: text decoded from bytes, field ids reduced
    to column names, dotted sub-fields (`trigger.start`) nested again."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        row = {}
        for key, item in value.items():
            *parents, name = key.rsplit("/", 1)[-1].split(".")
            target = row
            for parent in parents:
                target = target.setdefault(parent, {})
            target[name] = plain(item)
        return row
    return value


def without_omitted(config: str, row: dict) -> dict:
    row = dict(row)
    for column, members in OMITTED.get(config, {}).items():
        if isinstance(row[column], dict):  # a struct column (source)
            row[column] = {k: v for k, v in row[column].items() if k not in members}
        else:  # a list of structs (events)
            row[column] = [{k: v for k, v in item.items() if k not in members} for item in row[column]]
    return row


def load(path: Path, record_set: str) -> list[dict]:
    return list(mlc.Dataset(jsonld=path).records(record_set=record_set))


def data_record_sets(metadata: dict) -> list[dict]:
    return [rs for rs in metadata["recordSet"] if not rs["@id"].startswith("labels/")]


def file_of(record_set: dict) -> str:
    return record_set["field"][0]["source"]["fileObject"]["@id"]


# --- the document -----------------------------------------------------------------------------


def test_required_dataset_fields(metadata):
    assert metadata["@type"] == "sc:Dataset"
    assert metadata["conformsTo"] == CONFORMS_TO == "http://mlcommons.org/croissant/1.0"
    assert metadata["@context"]["cr"] == "http://mlcommons.org/croissant/"
    assert metadata["@context"]["rai"] == "http://mlcommons.org/croissant/RAI/"
    assert metadata["name"] == "khabar"
    assert metadata["version"] == VERSION
    assert metadata["datePublished"] == DATE
    assert metadata["creator"] == {"@type": "sc:Organization", "name": "khabar contributors"}
    assert metadata["citeAs"].startswith(f"@misc{{khabar{VERSION.replace('.', '_')},")
    assert f"Release {VERSION}: 1 article;" in metadata["description"]
    assert "the validation and test splits are empty and have no file" in metadata["description"]
    # no public address yet, and mlcroissant does not need one: no invented url
    assert "url" not in metadata


def test_license_states_both_parts(release, metadata):
    annotations, texts = metadata["license"]
    assert annotations["url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "CC BY-SA 4.0" in annotations["name"] and "PLOVER" in annotations["description"]
    # format 2 states the texts' terms as the records give them (source.license), per publisher
    assert texts["name"] == "All rights reserved by the publisher (Quds Press International News Agency); no licence stated"
    assert texts["description"] == ("Article texts of 1 article (Quds Press International News Agency), "
                                    "as their records' source.license states.")
    loaded = mlc.Dataset(jsonld=release / "croissant.json").metadata
    assert [work.url for work in loaded.license] == ["https://creativecommons.org/licenses/by-sa/4.0/", None]


def test_rai_fields_agree_with_the_datasheet(metadata):
    # this release is format 2 (current): its statements summarize DATASHEET.md as it stands
    # (tests/test_release_format2.py checks the annotation claims in full)
    datasheet = {heading: " ".join(text.split()) for heading, text in datasheet_sections(REPO / "DATASHEET.md").items()}
    labeling = datasheet["Preprocessing, Cleaning and Labeling"]
    for key in ("rai:dataCollection", "rai:dataAnnotationProtocol", "rai:dataAnnotationPlatform",
                "rai:dataBiases", "rai:dataLimitations", "rai:personalSensitiveInformation", "rai:dataUseCases"):
        assert metadata[key], key
    protocol = " ".join(metadata["rai:dataAnnotationProtocol"])
    # the claims the statements make, checked against the datasheet they summarize
    assert "Claude, Anthropic" in labeling and "Claude, Anthropic" in protocol
    assert "independently, from the guidelines and the plain text only, by a model of the same family" in labeling
    assert "independently, from the guidelines and the plain text only, by a model of the same family" in protocol
    assert ("No native Arabic speaker has" in labeling) == ("No native Arabic speaker has" in protocol)
    assert "not human-verified" in labeling and "not human-verified" in protocol
    assert "scraped from the web" in datasheet["Collection Process"]
    assert "scraped from the web" in metadata["rai:dataCollection"]
    assert "no private personal data beyond what the publisher printed" in datasheet["Composition"]
    assert "no private personal data beyond what the publisher printed" in metadata["rai:personalSensitiveInformation"][0]
    assert "copyright belongs to their publishers" in datasheet["Distribution"]
    assert "CC BY-SA 4.0" in datasheet["Distribution"]
    assert metadata["rai:dataLimitations"][0].startswith(
        f"Release {VERSION} holds 1 article from 1 publisher (Quds Press International News Agency).")


def test_one_file_object_per_parquet_file_with_its_sha256(release, metadata):
    parquet = sorted(p.relative_to(release).as_posix() for p in release.rglob("*.parquet"))
    objects = metadata["distribution"]
    assert sorted(o["contentUrl"] for o in objects) == parquet == [
        "data/documents/train-00000-of-00001.parquet", "data/events/train-00000-of-00001.parquet", NER_TRAIN]
    for item in objects:
        assert item["@type"] == "cr:FileObject"
        assert item["@id"] == item["contentUrl"]
        assert item["encodingFormat"] == "application/x-parquet"
        assert item["sha256"] == sha256_file(release / item["contentUrl"])
        assert item["contentSize"] == f"{(release / item['contentUrl']).stat().st_size} B"


def test_record_sets_one_per_config_and_split_with_rows(metadata):
    ids = [rs["@id"] for rs in metadata["recordSet"]]
    assert ids == ["documents/train", "ner/train", "events/train",
                   "labels/entities.type", "labels/events.type", "labels/events.arguments.role",
                   "labels/events.mode", "labels/events.context", "labels/annotation.status", "labels/ner_tags"]
    for record_set in data_record_sets(metadata):
        config, split = record_set["@id"].split("/")
        assert file_of(record_set) == f"data/{config}/{split}-00000-of-00001.parquet"
        assert record_set["key"] == {"@id": f"{config}/{split}/id"}


def expected_fields(feature, field_id: str, omitted: set[str] = frozenset(), flattened: set[str] = frozenset()):
    """(id, dataType, repeated) of the leaves, and (id, repeated, sub-field ids) of the structs, that a
    column must become; computed here independently of croissant.py."""
    def data_type(item):
        return "sc:Text" if item == "string" else "sc:Integer"

    if isinstance(feature, ListOf) and not isinstance(feature.item, Struct):
        return {field_id: (data_type(feature.item), True)}
    if not isinstance(feature, (Struct, ListOf)):
        return {field_id: (data_type(feature), False)}
    struct = feature.item if isinstance(feature, ListOf) else feature
    leaves = {}
    for name, member in struct.fields:
        if name in omitted:
            continue
        if name in flattened:
            for inner, item in member.fields:
                leaves[f"{field_id}/{name}.{inner}"] = (data_type(item), False)
        else:
            leaves.update(expected_fields(member, f"{field_id}/{name}"))
    return {field_id: ("struct", isinstance(feature, ListOf), tuple(leaves))} | leaves


def actual_fields(field: dict) -> dict:
    if "subField" in field:
        leaves = {}
        for sub in field["subField"]:
            leaves.update(actual_fields(sub))
        return {field["@id"]: ("struct", field.get("repeated", False), tuple(leaves))} | leaves
    return {field["@id"]: (field["dataType"], field.get("repeated", False))}


def test_fields_and_data_types_follow_features(release, metadata):
    release_format = recorded_format(release)  # the columns of the format the release was written in
    for record_set in data_record_sets(metadata):
        config = record_set["@id"].split("/")[0]
        features = config_features(config, release_format).fields
        assert [f["name"] for f in record_set["field"]] == [name for name, _ in features]
        for field, (column, feature) in zip(record_set["field"], features):
            expected = expected_fields(feature, f"{record_set['@id']}/{column}",
                                       OMITTED.get(config, {}).get(column, set()),
                                       FLATTENED.get(config, {}).get(column, set()))
            assert actual_fields(field) == expected, column
            for leaf in field.get("subField", [field]):
                assert leaf["source"]["fileObject"] == {"@id": file_of(record_set)}
                assert leaf["source"]["extract"] == {"column": column}
                if leaf is not field:  # a member of the struct in the column
                    assert leaf["source"]["transform"] == {"jsonPath": "$." + leaf["@id"].rsplit("/", 1)[1]}
    ner = data_record_sets(metadata)[1]
    assert actual_fields(ner["field"][1]) == {"ner/train/tokens": ("sc:Text", True)}
    assert actual_fields(ner["field"][2]) == {"ner/train/ner_tags": ("sc:Integer", True)}
    assert ner["field"][2]["description"] == "ClassLabel index (int64); the names are the record set labels/ner_tags."


def test_documents_says_what_it_leaves_out(release, metadata):
    description = data_record_sets(metadata)[0]["description"]
    trigger = "The struct events.trigger is given as the sub-fields trigger.start, trigger.end, trigger.text of events. "
    why = ("(a list of structs nested in a column of structs, which mlcroissant 1.1.1 cannot read from Parquet: its "
           "jsonPath transform keeps only the first match)")
    if recorded_format(release) == 1:  # written before source.also_published_by existed
        assert description.endswith(f"{trigger}Left out: events.arguments {why}; the Parquet file has it.")
    else:
        assert description.endswith(
            f"{trigger}Left out: source.also_published_by, events.arguments {why}; the Parquet file has them.")
    for record_set in data_record_sets(metadata)[1:]:
        assert "Left out" not in record_set["description"]


def test_why_events_arguments_is_left_out(release, metadata, tmp_path):
    """The canary for the omission: mlcroissant reads `$.arguments[*].role` of each event as its first
    match only. When a new mlcroissant reads the whole list, events.arguments can join the record set."""
    variant = json.loads(json.dumps(metadata))
    events = next(f for f in variant["recordSet"][0]["field"] if f["name"] == "events")
    source = {**events["subField"][0]["source"], "transform": {"jsonPath": "$.arguments[*].role"}}
    events["subField"].append({"@type": "cr:Field", "@id": "documents/train/events/arguments.role",
                               "name": "arguments.role", "dataType": "sc:Integer", "repeated": True, "source": source})
    copy = copy_release(release, tmp_path)
    (copy / "croissant.json").write_text(json.dumps(variant), encoding="utf-8")
    record = load(copy / "croissant.json", "documents/train")[0]
    loaded = [event["documents/train/events/arguments.role"] for event in record["documents/train/events"]]
    roles = [[argument["role"] for argument in event["arguments"]]
             for event in pq.read_table(release / file_of(metadata["recordSet"][0])).to_pylist()[0]["events"]]
    assert any(len(r) > 1 for r in roles)
    assert loaded == [r[0] if r else None for r in roles] != roles


def test_output_is_deterministic(release, corpus, tmp_path):
    text = (release / "croissant.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    # Arabic reaches croissant.json unescaped: the publisher's name, here given in Arabic (a test copy only)
    arabic = tmp_path / "arabic" / "corpus"
    shutil.copytree(corpus, arabic)
    (path,) = arabic.rglob("*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    record["source"]["name"] = "وكالة قدس برس"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    arabic_release = build(arabic, tmp_path / "arabic" / "out")
    assert "Article texts of 1 article (وكالة قدس برس)" in (arabic_release / "croissant.json").read_text(encoding="utf-8")
    again = build(corpus, tmp_path / f"v{VERSION}")
    assert (again / "croissant.json").read_bytes() == (release / "croissant.json").read_bytes()
    assert build_release(corpus, again, REPO, VERSION, DATE).identical


# --- mlcroissant --------------------------------------------------------------------------------


def test_mlcroissant_validate_command_passes_without_warnings(release):
    command = [str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(release / "croissant.json")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^[WEF]\d{4} ", result.stderr, flags=re.M), result.stderr
    assert re.search(r"^I\d{4} .*Done\.$", result.stderr, flags=re.M)
    issues = mlc.Dataset(jsonld=release / "croissant.json").metadata.ctx.issues
    assert (issues.errors, issues.warnings) == (set(), set())


def test_every_record_set_loads_exactly_the_parquet_rows(release, metadata):
    for record_set in data_record_sets(metadata):
        config = record_set["@id"].split("/")[0]
        rows = pq.read_table(release / file_of(record_set)).to_pylist()
        records = load(release / "croissant.json", record_set["@id"])
        assert [plain(r) for r in records] == [without_omitted(config, row) for row in rows], record_set["@id"]
    # spot checks in the raw form mlcroissant gives (sc:Text as UTF-8 bytes, labels as ints)
    table = pq.read_table(release / NER_TRAIN)
    records = load(release / "croissant.json", "ner/train")
    assert [r["ner/train/id"].decode() for r in records] == table.column("id").to_pylist()
    assert [[t.decode() for t in r["ner/train/tokens"]] for r in records] == table.column("tokens").to_pylist()
    assert [r["ner/train/ner_tags"] for r in records] == table.column("ner_tags").to_pylist()
    assert len(records) == 14


def test_label_record_sets_hold_the_class_label_names(release, metadata):
    names = {}

    def walk(feature):
        if isinstance(feature, ClassLabel):
            names.setdefault(feature.names, None)
        elif isinstance(feature, ListOf):
            walk(feature.item)
        elif isinstance(feature, Struct):
            for _, item in feature.fields:
                walk(item)

    for config in CONFIGS:
        walk(config_features(config))
    label_sets = [rs for rs in metadata["recordSet"] if rs["@id"].startswith("labels/")]
    loaded = []
    for record_set in label_sets:
        assert record_set["dataType"] == "sc:Enumeration"
        rows = load(release / "croissant.json", record_set["@id"])
        loaded.append(tuple(r[f"{record_set['@id']}/name"] for r in rows))
        assert [r[f"{record_set['@id']}/index"] for r in rows] == list(range(len(rows)))
    assert loaded == list(names)
    # every label column points at the record set holding its names
    ner_tags = config_features("ner").fields[2][1].item.names
    assert loaded[[rs["@id"] for rs in label_sets].index("labels/ner_tags")] == ner_tags


def test_sharded_split_gets_one_record_set_per_file(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "MAX_ROWS_PER_SHARD", 5)
    release = build(corpus, tmp_path / f"v{VERSION}")
    metadata = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    ner_sets = [rs["@id"] for rs in metadata["recordSet"] if rs["@id"].startswith("ner/")]
    assert ner_sets == ["ner/train/00000-of-00003", "ner/train/00001-of-00003", "ner/train/00002-of-00003"]
    records = []
    for record_set in ner_sets:
        records += [plain(r) for r in load(release / "croissant.json", record_set)]
    expected = []
    for path in sorted(release.glob("data/ner/train-*.parquet")):
        expected += pq.read_table(path).to_pylist()
    assert [len(pq.read_table(p)) for p in sorted(release.glob("data/ner/train-*.parquet"))] == [5, 5, 4]
    assert records == expected and len(records) == 14
    assert verify_release(release) == []


# --- tampering ----------------------------------------------------------------------------------


def test_intact_release_verifies(release):
    assert verify_release(release) == []


def test_wrong_sha256_in_croissant_is_caught(release, tmp_path):
    copy = copy_release(release, tmp_path)
    path = copy / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    item = next(o for o in metadata["distribution"] if o["contentUrl"] == NER_TRAIN)
    item["sha256"] = "0" * 64
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(mlc.GenerationError) as caught:
        load(path, "ner/train")
    assert isinstance(caught.value.__cause__, ValueError)
    assert "Hash of downloaded file" in str(caught.value.__cause__)
    assert "Expected: " + "0" * 64 in str(caught.value.__cause__)
    assert len(load(path, "events/train")) == 1  # the other files still load
    problems = [p.split(": ", 1)[1] if p.startswith("SHA256SUMS:") else p for p in verify_release(copy)]
    assert problems == ["croissant.json does not match its checksum",
                        f"croissant.json: sha256 of {NER_TRAIN} does not match"]


def test_changed_data_file_is_caught(release, tmp_path):
    copy = copy_release(release, tmp_path)
    target = copy / NER_TRAIN
    # the same rows in a valid Parquet file with other bytes (another compression)
    pq.write_table(pq.read_table(target), target, compression="snappy")
    assert sha256_file(target) != sha256_file(release / NER_TRAIN)
    with pytest.raises(mlc.GenerationError) as caught:
        load(copy / "croissant.json", "ner/train")
    assert "Hash of downloaded file" in str(caught.value.__cause__)
    problems = [p.split(": ", 1)[1] if p.startswith("SHA256SUMS:") else p for p in verify_release(copy)]
    assert problems == [f"{NER_TRAIN} does not match its checksum",
                        f"croissant.json: sha256 of {NER_TRAIN} does not match"]


def test_missing_data_file_is_caught(release, tmp_path):
    copy = copy_release(release, tmp_path)
    (copy / NER_TRAIN).unlink()
    with pytest.raises(mlc.GenerationError) as caught:
        load(copy / "croissant.json", "ner/train")
    assert isinstance(caught.value.__cause__, AssertionError)
    assert f'file "{NER_TRAIN}" is either an invalid URL or an invalid path' in str(caught.value.__cause__)
    assert f"croissant.json: {NER_TRAIN} is missing" in verify_release(copy)


def test_missing_croissant_is_caught(release, tmp_path):
    copy = copy_release(release, tmp_path)
    (copy / "croissant.json").unlink()
    assert "croissant.json is missing" in verify_release(copy)
