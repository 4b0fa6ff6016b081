"""Release format 2: statements computed from the records (size, sources, dates, statuses, licences
per source), gold records by default, dataset.toml for corpora outside a khabar project, and
v0.1.0 still rebuilt in its recorded format 1."""

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, write_published_corpus
from khabar.release import licences
from khabar.release.build import BuildRefused, build_release, release_format_for
from khabar.release.card import datasheet_sections
from khabar.release.formats import CURRENT_FORMAT, recorded_format
from khabar.release.metadata import MetadataError, corpus_metadata, project_metadata, read_dataset_toml
from khabar.release.verify import verify_release
from khabar.release.version import release_date

NEW_VERSION, NEW_DATE = "9.9.9", "2026-12-01"  # a version never published: written in the current format
NC = "CC BY-NC-SA 4.0 (SaudiNewsNet, Alhagri 2015); article text © Al-Riyadh"
QUDS_LICENCE = "All rights reserved by the publisher (Quds Press International News Agency); no licence stated"
# what the datasheet says of the first article only; never in the card of another corpus
FIRST_ARTICLE_ONLY = ("one article", "Quds Press", "Rabat", "Gantz", "000_d6810fb7780e295a", "20 points", "seed",
                      "اعلام", "الاحتلال", "the occupation",
                      "Palestinian outlet's perspective")


def card(release):
    text = (release / "README.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5:].lstrip("\n")


def synthetic(tmp_path, count, edit=None, name="c"):
    """A synthetic JSONL corpus (scripts/make_synthetic.py) whose records `edit(number, record)` may change."""
    folder = tmp_path / name
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), str(count), str(folder),
                    "--layout", "jsonl"], check=True, capture_output=True)
    if edit:
        shard = folder / "shard-00000.jsonl"
        records = [json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines()]
        for number, record in enumerate(records):
            edit(number, record)
        shard.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records),
                         encoding="utf-8")
    return folder


def status(number, record, value):
    record["annotation"]["status"] = value
    if value != "draft":
        record["annotation"]["reviewed_by"] = ["a synthetic reviewer"]


def gold_with_two_licences(number, record):
    """Every record gold; the even ones an NC licence from another source."""
    status(number, record, "gold")
    if number % 2 == 0:
        record["source"].update(name="Al-Riyadh", license=NC, published="2015-08-10")


@pytest.fixture(scope="module")
def gold_corpus(tmp_path_factory):
    """khabar's first article as published in v0.1.0 (gold), as a one-article corpus: the corpus record
    itself is `reviewed` under guidelines 2.0, so a plain build of corpus/ has nothing to release."""
    return write_published_corpus(tmp_path_factory.mktemp("gold-corpus") / "corpus")


@pytest.fixture(scope="module")
def repository_release(tmp_path_factory, gold_corpus):
    """The release khabar's project metadata writes for its gold first article."""
    out = tmp_path_factory.mktemp("format2") / f"v{NEW_VERSION}"
    build_release(gold_corpus, out, metadata=project_metadata(REPO, NEW_VERSION, NEW_DATE))
    return out


@pytest.fixture(scope="module")
def mixed_release(tmp_path_factory):
    """20 synthetic gold articles, 10 of them NC-licensed, built with khabar's datasheet."""
    tmp_path = tmp_path_factory.mktemp("mixed")
    corpus = synthetic(tmp_path, 20, gold_with_two_licences)
    out = tmp_path / "release"
    build_release(corpus, out, metadata=project_metadata(REPO, NEW_VERSION, NEW_DATE))
    return out


# ------------------------------------------------------------------------------- formats


def test_new_version_is_written_in_the_current_format_and_verifies(repository_release):
    manifest = json.loads((repository_release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == CURRENT_FORMAT == 2 and recorded_format(repository_release) == 2
    assert manifest["statuses"] == {"included": ["gold"], "released": {"gold": 1}, "left_out": {}}
    assert verify_release(repository_release) == []


def test_published_version_keeps_its_format_wherever_it_is_rebuilt(tmp_path):
    metadata = project_metadata(REPO, "0.1.0", release_date("0.1.0", REPO / "CHANGELOG.md"))  # published
    assert recorded_format(REPO / "releases" / "v0.1.0") == 1
    assert release_format_for(tmp_path / "anywhere", metadata) == 1
    assert release_format_for(tmp_path / "anywhere", project_metadata(REPO, NEW_VERSION, NEW_DATE)) == 2


def test_existing_format_2_release_rebuilds_identical(repository_release, gold_corpus, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(repository_release, copy)
    result = build_release(gold_corpus, copy, metadata=project_metadata(REPO, NEW_VERSION, NEW_DATE))
    assert result.identical and result.context.format == 2


def test_unknown_recorded_format_stops_the_build(repository_release, gold_corpus, tmp_path, run_cli):
    copy = tmp_path / "corpus"
    shutil.copytree(gold_corpus, copy)
    for name in ("CHANGELOG.md", "DATASHEET.md", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    release = tmp_path / "release"
    shutil.copytree(repository_release, release)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    (release / "manifest.json").write_text(json.dumps({**manifest, "format": 99}), encoding="utf-8")
    code, _, err = run_cli("build", "--corpus", copy, "--out", release)
    assert code == 2 and "release format 99 is not one this khabar writes" in err and "Traceback" not in err


# ------------------------------------------------------------------------------- licences


def test_licence_recognition():
    assert licences.spdx_of(NC) == "CC-BY-NC-SA-4.0" and licences.is_noncommercial(NC)
    assert licences.spdx_of("CC-BY-SA-4.0") == "CC-BY-SA-4.0" and not licences.is_noncommercial("CC BY-SA 4.0")
    assert licences.spdx_of("cc by 4.0, credit X") == "CC-BY-4.0"
    assert licences.spdx_of("CC0-1.0 (synthetic benchmark data)") == "CC0-1.0"
    assert licences.spdx_of(QUDS_LICENCE) is None and not licences.is_noncommercial(QUDS_LICENCE)
    assert licences.is_noncommercial("free for non-commercial research")
    assert licences.url_of("CC-BY-NC-SA-4.0") == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert licences.url_of("CC0-1.0") == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert licences.url_of(None) is None


def test_card_yaml_names_and_links_the_licence(repository_release):
    metadata, _ = card(repository_release)
    assert (metadata["license"], metadata["license_name"], metadata["license_link"]) == (
        "other", "khabar-per-source", "LICENSE.md")
    assert "license_details" not in metadata and (repository_release / "LICENSE.md").is_file()


def test_repository_release_states_its_one_source_and_its_terms(repository_release):
    _, text = card(repository_release)
    row = f"| Quds Press International News Agency | {QUDS_LICENCE} | 1 | 2021-11-24 |"
    assert row in text and row in (repository_release / "LICENSE.md").read_text(encoding="utf-8")
    assert "No open licence: the texts of 1 article carry no licence that allows reuse" in text
    assert "NonCommercial:" not in text
    assert "- Articles: 1, from 1 source, published 2021-11-24 (per source under" in text
    assert "- Left out: 0 valid articles of the corpus." in text
    cff = yaml.safe_load((repository_release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == ["CC-BY-SA-4.0"] and "url" not in cff  # no public address yet: no invented url
    assert "No open licence: the texts of 1 article" in cff["message"]
    croissant = json.loads((repository_release / "croissant.json").read_text(encoding="utf-8"))
    assert [work["name"] for work in croissant["license"]] == [
        "CC BY-SA 4.0 (annotations, label definitions and guidelines)", QUDS_LICENCE]
    assert "url" not in croissant["license"][1] and "url" not in croissant


def test_noncommercial_texts_are_stated_everywhere(mixed_release):
    _, text = card(mixed_release)
    assert ("NonCommercial: the texts of 10 articles are licensed for non-commercial use only, so the release "
            "as a whole may be used for non-commercial purposes only") in text
    assert f"| Al-Riyadh | {NC} | 10 | 2015-08-10 |" in text
    assert "| khabar synthetic benchmark data | CC0-1.0 (synthetic benchmark data) | 10 |" in text
    assert "No open licence" not in text
    cff = yaml.safe_load((mixed_release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == ["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0"]
    assert "NonCommercial: the texts of 10 articles" in cff["message"]
    croissant = json.loads((mixed_release / "croissant.json").read_text(encoding="utf-8"))
    assert [(work["name"], work.get("url")) for work in croissant["license"][1:]] == [
        (NC, "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
        ("CC0-1.0 (synthetic benchmark data)", "https://creativecommons.org/publicdomain/zero/1.0/")]
    assert "Article texts of 10 articles (Al-Riyadh)" in croissant["license"][1]["description"]
    assert verify_release(mixed_release) == []


# ------------------------------------------------------------------------------- computed card prose


def test_card_of_another_corpus_keeps_only_prose_true_of_any_corpus(mixed_release, repository_release):
    _, text = card(mixed_release)
    for phrase in FIRST_ARTICLE_ONLY:
        assert phrase not in text, phrase
    assert "- Articles: 20, from 2 sources, published 2015-08-10 to" in text
    # the datasheet's general prose is there, the same in both cards
    motivation = datasheet_sections(REPO / "DATASHEET.md", corpus_specific=False)["Motivation"]
    assert motivation in text and motivation in card(repository_release)[1]
    flat = " ".join(text.split())  # the datasheet's prose is wrapped; a claim may cross a line break
    assert "large language model" in flat and "No native Arabic speaker has" in flat


def test_every_corpus_specific_passage_stays_out_of_the_card(repository_release):
    _, text = card(repository_release)
    datasheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    passages = [part.split("<!-- corpus-specific:end -->")[0] for part in datasheet.split("<!-- corpus-specific:start -->")[1:]]
    assert len(passages) >= 5
    for passage in passages:
        for line in passage.strip().splitlines():
            if len(line.strip()) > 30 and "summary:" not in line:
                assert line.strip() not in text, line


def test_croissant_annotation_statements_agree_with_the_datasheet(repository_release):
    croissant = json.loads((repository_release / "croissant.json").read_text(encoding="utf-8"))
    labeling = " ".join(datasheet_sections(REPO / "DATASHEET.md")["Preprocessing, Cleaning and Labeling"].split())
    protocol = " ".join(croissant["rai:dataAnnotationProtocol"])
    for claim in ("large language model (Claude, Anthropic)",
                  "independently, from the guidelines and the plain text only, by a model of the same family",
                  "every disagreement is adjudicated against the guidelines",
                  "No native Arabic speaker has reviewed the annotation yet", "not human-verified"):
        assert claim in labeling and claim in protocol, claim
    assert "session" not in labeling and "session" not in protocol


# ------------------------------------------------------------------------------- statuses


def test_pure_drafts_are_refused_with_the_count_left_out(tmp_path, run_cli):
    corpus = synthetic(tmp_path, 12)
    code, out, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "out", "--workers", "1")
    assert code == 1 and out == ""
    assert ("left out 12 valid article(s) whose annotation status is not gold: draft 12 "
            "(--include-status draft releases them)") in err
    assert "no article to release: none of the 12 valid article(s) has the annotation status gold" in err
    assert not (tmp_path / "out").exists()


def test_include_status_widens_the_release_and_the_card_counts_each(tmp_path, run_cli):
    corpus = synthetic(tmp_path, 30, lambda n, r: status(n, r, ("gold", "reviewed", "draft")[n % 3]))
    code, _, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "gold", "--workers", "1")
    assert code == 0 and "left out 20 valid article(s) whose annotation status is not gold: draft 10, reviewed 10" in err
    code, _, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "two", "--workers", "1",
                           "--include-status", "reviewed")
    assert code == 0 and "left out 10 valid article(s) whose annotation status is not gold or reviewed: draft 10" in err
    _, text = card(tmp_path / "two")
    assert "- Annotation status of the articles released: gold: 10, reviewed: 10. This release holds the statuses " \
           "gold, reviewed;" in text
    assert "- Left out: 10 valid articles of the corpus (draft: 10), because their annotation status" in text
    manifest = json.loads((tmp_path / "two" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == 20 and manifest["statuses"] == {
        "included": ["gold", "reviewed"], "released": {"gold": 10, "reviewed": 10}, "left_out": {"draft": 10}}
    code, _, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "all", "--workers", "1",
                           "--include-status", "reviewed,draft")
    assert code == 0 and "left out" not in err
    assert json.loads((tmp_path / "all" / "manifest.json").read_text(encoding="utf-8"))["articles"] == 30
    code, _, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "bad", "--include-status", "final")
    assert code == 2 and "unknown annotation status final" in err and not (tmp_path / "bad").exists()


# ------------------------------------------------------------------------------- dataset.toml


def test_corpus_outside_a_project_without_dataset_toml_is_refused(tmp_path, run_cli):
    corpus = synthetic(tmp_path, 3, lambda n, r: status(n, r, "gold"))
    (corpus / "dataset.toml").unlink()
    code, out, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "out")
    assert code == 2 and out == "" and "no dataset.toml in the corpus folder and no khabar project" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "releases").exists()


def test_dataset_toml_names_the_release_and_nothing_of_khabar_is_borrowed(tmp_path, run_cli):
    corpus = synthetic(tmp_path, 6, lambda n, r: status(n, r, "gold"))
    code, out, err = run_cli("build", "--corpus", corpus, "--workers", "1")
    release = tmp_path / "releases" / "v0.0.0"  # default: releases/v<version>/ beside the corpus
    assert code == 0 and "version 0.0.0, 6 articles" in out and release.is_dir()
    metadata, text = card(release)
    assert metadata["pretty_name"] == "khabar synthetic benchmark data (6 articles, seed 0)"
    assert "annotations_creators" not in metadata and metadata["license_name"] == "khabar-synthetic-per-source"
    assert text.startswith("# khabar synthetic benchmark data (6 articles, seed 0)\n\nVersion 0.0.0, released 2000-01-01.")
    assert "This card states only what was computed from the records: the corpus names no datasheet." in text
    khabar_prose = datasheet_sections(REPO / "DATASHEET.md", corpus_specific=False)
    assert all(body[:60] not in text for body in khabar_prose.values())
    assert "large language model" not in text and "Quds" not in text
    croissant = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["name"] == "khabar-synthetic" and croissant["creator"]["name"] == "khabar-synthetic contributors"
    assert "rai:dataAnnotationProtocol" not in croissant and "rai:machineAnnotationTools" not in croissant
    assert croissant["description"].startswith("Synthetic articles written by scripts/make_synthetic.py")
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["title"], cff["version"], cff["date-released"]) == (metadata["pretty_name"], "0.0.0", "2000-01-01")
    assert cff["authors"] == [{"name": "khabar-synthetic contributors"}] and cff["license"] == ["CC-BY-SA-4.0", "CC0-1.0"]
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"], manifest["format"]) == ("khabar-synthetic", "0.0.0", 2)
    assert verify_release(release) == []


def test_dataset_toml_datasheet_and_url_reach_the_release(tmp_path):
    corpus = synthetic(tmp_path, 4, lambda n, r: status(n, r, "gold"))
    (tmp_path / "sheet.md").write_text("# Sheet\n\n## Motivation\n\nMade to test dataset.toml.\n\n## Uses\n\n"
                                       "Tests only.\n", encoding="utf-8")
    with open(corpus / "dataset.toml", "a", encoding="utf-8") as handle:
        handle.write('datasheet = "../sheet.md"\nurl = "https://example.org/synthetic"\nauthors = ["A", "B"]\n')
    result = build_release(corpus, tmp_path / "out", metadata=corpus_metadata(corpus))
    _, text = card(tmp_path / "out")
    assert "Made to test dataset.toml." in text and "Tests only." in text and "the corpus names no datasheet" not in text
    cff = yaml.safe_load((tmp_path / "out" / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["url"] == "https://example.org/synthetic" and cff["authors"] == [{"name": "A"}, {"name": "B"}]
    croissant = json.loads((tmp_path / "out" / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["url"] == "https://example.org/synthetic" and len(croissant["creator"]) == 2
    assert result.context.format == 2


@pytest.mark.parametrize("content, problem", [
    ('name = "x"\ndate = "2020-01-01"\ndescription = "d"\n', "`version` is required"),
    ('name = "x"\nversion = "1"\ndate = "2020-01-01"\ndescription = "d"\n', "`version` '1' is not X.Y.Z"),
    ('name = "X Y"\nversion = "1.0.0"\ndate = "2020-01-01"\ndescription = "d"\n', "`name` 'X Y' is not"),
    ('name = "x"\nversion = "1.0.0"\ndate = "2020-01-01"\ndescription = "d"\nlicence = "y"\n', "unknown key(s) licence"),
    ('name = "x"\nversion = "1.0.0"\ndate = "2020-01-01"\ndescription = "d"\ndatasheet = "no.md"\n', "datasheet 'no.md' not found"),
    ('name = "x\n', "not valid TOML"),
])
def test_invalid_dataset_toml_is_named(tmp_path, content, problem):
    (tmp_path / "dataset.toml").write_text(content, encoding="utf-8")
    with pytest.raises(MetadataError, match="dataset.toml: ") as error:
        read_dataset_toml(tmp_path / "dataset.toml")
    assert problem in str(error.value)


def test_build_refuses_when_nothing_is_released_even_through_the_api(tmp_path):
    corpus = synthetic(tmp_path, 3)
    with pytest.raises(BuildRefused, match="no article to release"):
        build_release(corpus, tmp_path / "out", metadata=corpus_metadata(corpus))
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- the tools users load it with


def test_format_2_card_passes_the_hub_parsers_and_loads(repository_release, mixed_release):
    from datasets import load_dataset
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    for release in (repository_release, mixed_release):
        metadata, _ = card(release)
        card_data = DatasetCardData(**metadata)
        assert card_data.license == "other" and card_data.license_link == "LICENSE.md"
        assert sorted(MetadataConfigs.from_dataset_card_data(card_data)) == ["documents", "events", "ner"]
    ner = load_dataset(str(mixed_release), "ner")
    documents = load_dataset(str(mixed_release))
    assert sum(split.num_rows for split in documents.values()) == 20
    counts = json.loads((mixed_release / "manifest.json").read_text(encoding="utf-8"))["counts"]["ner"]
    assert sum(split.num_rows for split in ner.values()) == sum(counts.values()) > 0


def test_format_2_croissant_validates_without_warnings(mixed_release):
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=mixed_release / "croissant.json")
    issues = dataset.metadata.ctx.issues
    assert (issues.errors, issues.warnings) == (set(), set())
    assert [work.url for work in dataset.metadata.license] == [
        "https://creativecommons.org/licenses/by-sa/4.0/", "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "https://creativecommons.org/publicdomain/zero/1.0/"]
    rows = list(dataset.records("documents/train"))
    assert len(rows) == json.loads((mixed_release / "manifest.json").read_text(encoding="utf-8"))["counts"]["documents"]["train"]


@pytest.mark.registry
def test_format_2_citation_is_valid_cff_1_2(mixed_release, repository_release, tmp_path):
    """Validates against the CFF 1.2.0 JSON schema shipped in the cffconvert wheel (from the registry)."""
    import zipfile

    import jsonschema

    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp_path),
                    "cffconvert==2.0.0"], check=True, capture_output=True)
    [wheel] = tmp_path.glob("cffconvert-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        schema = json.loads(archive.read("cffconvert/schemas/1.2.0/schema.json"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for release in (mixed_release, repository_release):
        document = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], release
    document["license"] = ["CC-BY-SA-4.0", "all rights reserved"]
    assert list(validator.iter_errors(document)) != []


def test_a_project_url_reaches_croissant_and_citation(tmp_path, gold_corpus):
    for name in ("CHANGELOG.md", "DATASHEET.md"):
        shutil.copy(REPO / name, tmp_path / name)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "[project.urls]" not in pyproject  # no public address yet: releases carry no url
    (tmp_path / "pyproject.toml").write_text(pyproject.replace(
        "[project.scripts]", '[project.urls]\nDataset = "https://example.org/khabar"\n\n[project.scripts]'), encoding="utf-8")
    metadata = project_metadata(tmp_path, NEW_VERSION, NEW_DATE)
    assert metadata.url == "https://example.org/khabar" and project_metadata(REPO).url is None
    build_release(gold_corpus, tmp_path / "out", metadata=metadata)
    assert yaml.safe_load((tmp_path / "out" / "CITATION.cff").read_text(encoding="utf-8"))["url"] == metadata.url
    assert json.loads((tmp_path / "out" / "croissant.json").read_text(encoding="utf-8"))["url"] == metadata.url


def test_verify_recomputes_the_licence_table_from_the_records(mixed_release, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(mixed_release, damaged)
    licence_file = damaged / "LICENSE.md"
    licence_file.write_text(licence_file.read_text(encoding="utf-8").replace("| 10 | 2015-08-10 |", "| 9 | 2015-08-10 |"),
                            encoding="utf-8")
    problems = verify_release(damaged)
    assert "LICENSE.md: the licence table differs from the records' source.name and source.license" in problems
    assert "README.md: the licence table differs from the records' source.name and source.license" not in problems
    (damaged / "LICENSE.md").unlink()
    assert "LICENSE.md: the licence table differs from the records' source.name and source.license" in verify_release(damaged)
