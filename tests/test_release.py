"""khabar build / verify: complete, deterministic, immutable releases."""

import json
import shutil

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import REPO, write_published_corpus
from khabar import labels
from khabar.ner import bio_sentences, outermost, spans_from_bio
from khabar.release import manifest
from khabar.release.formats import recorded_format
from khabar.release.build import BuildRefused, build_release, differing_files
from khabar.release.features import CONFIGS, arrow_schema, yaml_features
from khabar.release.verify import verify_release
from khabar.release.version import project_version, release_date
from khabar.tokens import tokenize

VERSION = project_version(REPO)
DATE = release_date(VERSION, REPO / "CHANGELOG.md")


def build(corpus, out):
    return build_release(corpus, out, REPO, VERSION, DATE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A fixed one-article corpus (the first article as published in v0.1.0, its own registry line: train), so
    the exact numbers below stay true whatever the living corpus becomes."""
    return write_published_corpus(tmp_path_factory.mktemp("fixed") / "corpus")


@pytest.fixture(scope="module")
def GOLD(corpus):
    (path,) = corpus.rglob("*.json")
    return path


@pytest.fixture(scope="module")
def release(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("release") / f"v{VERSION}"
    build(corpus, out)
    return out


PROJECT_FILES = ["CHANGELOG.md", "DATASHEET.md", "pyproject.toml"]


@pytest.fixture
def corpus_copy(tmp_path, corpus):
    """A copy of the fixed corpus inside a copy of the project files (its metadata: khabar.release.metadata)."""
    shutil.copytree(corpus, tmp_path / "corpus")
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path / "corpus"


def test_release_holds_every_file(release):
    files = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert files == sorted([
        "CITATION.cff", "LICENSE.md", "README.md", "SHA256SUMS", "croissant.json", "manifest.json",
        "loading_script/khabar.py", "images/entity_types.png", "images/event_types.png",
        "data/documents/train-00000-of-00001.parquet", "data/ner/train-00000-of-00001.parquet",
        "data/events/train-00000-of-00001.parquet",
    ])


def test_two_builds_are_byte_identical(release, corpus, tmp_path):
    again = tmp_path / f"v{VERSION}"
    build(corpus, again)
    assert differing_files(release, again) == []


PUBLISHED = REPO / "releases" / "v0.1.0"


def test_published_release_still_verifies():
    assert verify_release(PUBLISHED) == []


def test_published_release_is_never_rebuilt_from_changed_inputs(tmp_path):
    """Guidelines 2.0 changed the corpus and the label files after v0.1.0 was published: building
    version 0.1.0 again must refuse, and leave the published files as they are."""
    copy = tmp_path / "v0.1.0"
    shutil.copytree(PUBLISHED, copy)
    before = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    with pytest.raises(BuildRefused, match="bump the version") as refusal:
        build_release(REPO / "corpus", copy, REPO, "0.1.0", release_date("0.1.0", REPO / "CHANGELOG.md"))
    assert "manifest.json" in refusal.value.differing
    assert {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before


def test_rebuild_into_an_existing_identical_release_reports_identical(release, corpus, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    assert build(corpus, copy).identical is True
    assert differing_files(release, copy) == []


def test_rebuild_refuses_a_differing_release_and_leaves_it_alone(release, corpus_copy, tmp_path, run_cli):
    published = tmp_path / "published"
    shutil.copytree(release, published)
    before = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    record = json.loads(next(corpus_copy.rglob("*.json")).read_text(encoding="utf-8"))
    path = next(corpus_copy.rglob("*.json"))
    record["annotation"]["notes"] += " Changed."
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(BuildRefused) as refusal:
        build(corpus_copy, published)
    assert "bump the version" in str(refusal.value)
    assert "data/documents/train-00000-of-00001.parquet" in refusal.value.differing
    assert "manifest.json" in refusal.value.differing and "CITATION.cff" not in refusal.value.differing
    assert {p: p.read_bytes() for p in published.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["corpus", "published", *PROJECT_FILES])
    code, out, err = run_cli("build", "--corpus", corpus_copy, "--out", published)
    assert code == 2 and "differs: manifest.json" in out and "bump the version" in err


def test_invalid_corpus_is_refused_and_nothing_written(corpus_copy, tmp_path, run_cli):
    path = next(corpus_copy.rglob("*.json"))
    path.write_text(path.read_text(encoding="utf-8").replace('"type": "GPE"', '"type": "CITY"', 1), encoding="utf-8")
    code, out, err = run_cli("build", "--corpus", corpus_copy, "--out", tmp_path / "out")
    assert code == 1 and "[L2 schema-enum]" in out and "nothing written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["corpus", *PROJECT_FILES])


def test_missing_registry_is_refused(corpus_copy, tmp_path):
    (corpus_copy / "splits.tsv").unlink()
    with pytest.raises(BuildRefused, match="run `khabar splits`"):
        build(corpus_copy, tmp_path / "out")


def test_failure_mid_write_leaves_nothing_behind(corpus, tmp_path, monkeypatch):
    def explode(release, context):
        raise OSError("disk full")
    monkeypatch.setattr(manifest, "write", explode)
    with pytest.raises(OSError):
        build(corpus, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_build_command_prints_progress_and_result(corpus_copy, tmp_path, run_cli):
    code, out, err = run_cli("build", "--out", tmp_path / "v", "--corpus", corpus_copy)
    assert code == 0 and "khabar: validated 1 article" in err.splitlines()
    assert "khabar: built ner/train (staging): 14 rows in 1 file" in err.splitlines()
    assert out.endswith(f"version {VERSION}, 1 article; empty splits: validation, test\n")
    code, out, _ = run_cli("build", "--out", tmp_path / "v", "--corpus", corpus_copy)
    assert code == 0 and out.startswith("identical: ")


def test_parquet_files_have_the_config_schemas_and_zstd(release):
    for config in CONFIGS:
        parquet = pq.ParquetFile(release / "data" / config / "train-00000-of-00001.parquet")
        assert parquet.schema_arrow.remove_metadata() == arrow_schema(config, release_format=recorded_format(release))
        assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"


def test_documents_config_holds_every_field_of_the_record(release, GOLD):
    [row] = pq.read_table(release / "data" / "documents" / "train-00000-of-00001.parquet").to_pylist()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    entity_names = labels.entity_types().names
    assert row["text"] == gold["text"] and row["source"]["published_basis"] == gold["source"]["published_basis"]
    assert [(e["id"], e["start"], e["end"], entity_names[e["type"]], e["text"], e["normalized"]) for e in row["entities"]] \
        == [(e["id"], e["start"], e["end"], e["type"], e["text"], e.get("normalized")) for e in gold["entities"]]
    modes = labels.all_mode_names()
    assert [[modes[m] for m in e["mode"]] for e in row["events"]] == [e["mode"] for e in gold["events"]]
    assert [labels.event_type_names()[i] for i in row["event_labels"]] == gold["event_labels"]
    assert row["annotation"]["notes"] == gold["annotation"]["notes"]


def test_ner_tags_give_back_every_token_aligned_outermost_entity(release, GOLD):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    table = pq.read_table(release / "data" / "ner" / "train-00000-of-00001.parquet").to_pylist()
    names = ["O"] + [f"{p}-{t}" for t in labels.entity_types().names for p in ("B", "I")]
    sentences, stats = bio_sentences(gold)
    recovered = set()
    for row, sentence in zip(table, sentences):
        assert row["tokens"] == [t.text for t in sentence.tokens]
        recovered |= set(spans_from_bio(sentence.tokens, [names[i] for i in row["ner_tags"]]))
    starts = {t.start for t in tokenize(gold["text"])}
    ends = {t.end for t in tokenize(gold["text"])}
    top = outermost(gold["entities"])
    aligned = {(e["start"], e["end"], e["type"]) for e in top if e["start"] in starts and e["end"] in ends}
    assert aligned and aligned <= recovered
    # the 10 others start or end inside a token (mostly after a proclitic: و, ل)
    assert len(top) - len(aligned) == stats.widened == 10 and stats.dropped == []
    assert len(recovered) == len(top) == 60


def test_manifest_counts_ids_and_inputs(release, corpus, GOLD):
    data = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert data["counts"] == {"documents": {"train": 1, "validation": 0, "test": 0},
                              "ner": {"train": 14, "validation": 0, "test": 0},
                              "events": {"train": 1, "validation": 0, "test": 0}}
    assert data["ids"] == {"train": [GOLD.stem], "validation": [], "test": []}
    assert data["empty_splits"] == ["validation", "test"]
    assert data["labels"]["event_labels"]["train"] == {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1}
    assert sum(data["labels"]["entity_types"]["train"].values()) == 78
    import hashlib

    line = f"{hashlib.sha256(GOLD.read_bytes()).hexdigest()}  2021/{GOLD.name}\n"
    assert data["inputs"]["corpus (sha256 of the sha256sum lines of its record files)"] == \
        hashlib.sha256(line.encode()).hexdigest()
    assert data["inputs"]["corpus/splits.tsv"] == hashlib.sha256((corpus / "splits.tsv").read_bytes()).hexdigest()
    assert "schema/GUIDELINES.md" in data["inputs"] and "schema/labels/event_types.json" in data["inputs"]
    assert data["version"] == VERSION and data["date"] == DATE and data["guidelines_version"] == "2.1"


def _card(release):
    text = (release / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)]), text


def test_card_yaml_passes_the_parsers_of_datasets(release):
    from datasets import ClassLabel, Features
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    metadata, _ = _card(release)
    card_data = DatasetCardData(**metadata)
    configs = MetadataConfigs.from_dataset_card_data(card_data)
    assert sorted(configs) == sorted(CONFIGS) and configs["documents"]["default"] is True
    assert configs["ner"]["data_files"] == [{"split": "train", "path": "data/ner/train-*"}]
    infos = DatasetInfosDict.from_dataset_card_data(card_data)
    assert infos["ner"].splits["train"].num_examples == 14
    features = infos["ner"].features
    assert isinstance(features["ner_tags"].feature, ClassLabel)
    assert features["ner_tags"].feature.names[:3] == ["O", "B-PERS", "I-PERS"]
    for config in CONFIGS:
        assert Features._from_yaml_list(yaml_features(config)).arrow_schema.remove_metadata() == arrow_schema(config)


def test_card_states_counts_empty_splits_and_licences(release):
    metadata, text = _card(release)
    assert metadata["license"] == "other" and metadata["size_categories"] == ["n<1K"]
    assert metadata["annotations_creators"] == ["machine-generated"]
    for heading in ("## Dataset Details", "## Uses", "## Dataset Structure", "## Dataset Creation",
                    "## Bias, Risks, and Limitations", "## Citation"):
        assert heading in text
    assert "**Empty splits in this release: validation, test.**" in text
    assert "| `ner` | 14 | 0 | 0 | 14 |" in text
    assert "60 outermost entities; 10 start or end inside a token" in text
    assert f"@misc{{khabar{VERSION.replace('.', '_')}," in text and "CC BY-SA 4.0" in text
    assert "No native Arabic speaker has" in text or "No native Arabic speaker" in text


def test_verify_accepts_the_release_and_catches_damage(release, tmp_path, run_cli):
    assert verify_release(release) == []
    assert run_cli("verify", release)[0] == 0
    damaged = tmp_path / "damaged"
    shutil.copytree(release, damaged)
    with open(damaged / "data" / "events" / "train-00000-of-00001.parquet", "ab") as handle:
        handle.write(b"\0")
    (damaged / "extra.txt").write_text("x")
    problems = verify_release(damaged)
    assert "SHA256SUMS:6: data/events/train-00000-of-00001.parquet does not match its checksum" in problems
    assert "extra.txt is not listed in SHA256SUMS" in problems
    assert any(p.startswith("data/events/train-00000-of-00001.parquet: not readable as Parquet") for p in problems)
    code, out, _ = run_cli("verify", damaged)
    assert code == 1 and "does not match its checksum" in out
    assert run_cli("verify", tmp_path / "absent")[0] == 2


def test_verify_catches_a_card_that_disagrees_with_the_data(release, tmp_path):
    damaged = tmp_path / "card"
    shutil.copytree(release, damaged)
    card = damaged / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("num_examples: 14", "num_examples: 15"), encoding="utf-8")
    problems = verify_release(damaged)
    assert "README.md: ner/train num_examples 15 != 14 rows" in problems


def test_release_citation_matches_the_repository_citation(release):
    release_cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    root_cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert release_cff["type"] == "dataset" and root_cff["type"] == "software"
    for key in ("cff-version", "title", "authors", "version", "date-released", "abstract"):
        assert release_cff[key] == root_cff[key], key
    assert release_cff["version"] == VERSION and release_cff["date-released"] == DATE


def test_repository_citation_is_generated_for_this_version():
    from khabar.release.citation import cff_text

    assert (REPO / "CITATION.cff").read_text(encoding="utf-8") == cff_text(VERSION, DATE, "software"), \
        "run scripts/write_citation.py"


@pytest.mark.registry
def test_citation_files_are_valid_cff_1_2(release, tmp_path):
    """Validates against the CFF 1.2.0 JSON schema shipped in the cffconvert wheel (from the registry)."""
    import subprocess
    import sys
    import zipfile

    import jsonschema

    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp_path),
                    "cffconvert==2.0.0"], check=True, capture_output=True)
    [wheel] = tmp_path.glob("cffconvert-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        schema = json.loads(archive.read("cffconvert/schemas/1.2.0/schema.json"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in (release / "CITATION.cff", REPO / "CITATION.cff"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], path
    broken = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    broken["type"] = "corpus"
    assert list(validator.iter_errors(broken)) != []


def test_readme_loading_snippets_run_on_the_committed_release(monkeypatch):
    """The README's Python examples, executed as written from the repository root."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Loading a release")
    section = readme[start:readme.index("\n#", start + 1)]  # up to the next heading
    blocks = re.findall(r"```python\n(.+?)```", section, flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["names"][:3] == ["O", "B-PERS", "I-PERS"]
    release = REPO / "releases" / "v0.2.0"
    counts = json.loads((release / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert namespace["docs"]["train"].num_rows == counts["documents"]["train"]
    assert namespace["ner"].shape == (sum(counts["ner"].values()), 3)  # pandas read every split's file
    (events,) = sorted((release / "data" / "events").glob("train-*.parquet"))
    assert next(iter(namespace["events"]["train"]))["labels"] == pq.read_table(events).column("labels")[0].as_py()
