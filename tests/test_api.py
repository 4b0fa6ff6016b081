"""The Python API (khabar.validate, read_records, load, evaluate): the same results as the command
line, which calls it, and the documented contracts."""

import json
import subprocess
import sys

import pytest

import khabar
from conftest import REPO, TEST_CASES, write_published_corpus

ARTICLE = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"
ARTICLE_ID = "quds-press-international-2021-11-24-aed626f9"
RELEASE = REPO / "releases" / "v0.1.0"
SHARD = TEST_CASES / "valid" / "shard" / "synthetic-valid-shard.jsonl"


def test_importing_khabar_loads_neither_datasets_nor_pyarrow():
    code = "import sys, khabar; print(sorted(m for m in ('datasets', 'pyarrow', 'khabar.validate') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_validate_reports_what_the_command_prints(run_cli):
    folder = TEST_CASES / "invalid-L3"
    report = khabar.validate(folder)
    code, out, _ = run_cli("validate", folder)
    assert code == 1 and not report.ok
    assert [incident.as_text() for incident in report.incidents] == out.splitlines()
    # 30 one-defect records in 28 folders: 26 level-3 errors and 4 warnings, and one level-4 error, as the two
    # warning-only fixtures span-proclitic and argument-recipient-missing are valid records with the same text
    assert (len(report.errors), len(report.warnings), report.records) == (27, 4, 30)
    assert (out.count("[L3 "), out.count("[L4 duplicate-text]")) == (30, 1)
    assert {incident.check for incident in report.errors} >= {"span-text-mismatch", "argument-unresolved"}


def published_project(folder):
    """`folder` laid out as the documentation's examples expect: `corpus` is the first article as published in
    v0.1.0 (a fixed annotation: 78 entities) with its registry, `releases/v0.1.0` the published release."""
    write_published_corpus(folder / "corpus")
    (folder / "releases").mkdir()
    (folder / "releases" / "v0.1.0").symlink_to(RELEASE, target_is_directory=True)
    return folder


def test_validate_takes_a_path_a_string_or_a_list_and_counts_progress(tmp_path):
    ticks = []
    report = khabar.validate(str(write_published_corpus(tmp_path / "corpus")), progress=ticks.append)
    assert (report.ok, report.records, report.valid_records, report.files, ticks) == (True, 1, 1, 1, [1])
    both = khabar.validate([ARTICLE, SHARD])
    assert (both.ok, both.records, both.files) == (True, 3, 2)


def test_validate_stays_callable_once_the_validator_package_is_imported(tmp_path):
    code = ("import khabar, khabar.validate.runner, types; assert isinstance(khabar.validate, types.ModuleType); "
            "print(khabar.validate('corpus').records)")
    write_published_corpus(tmp_path / "corpus")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout == "1\n"


def test_validate_raises_for_a_missing_path(tmp_path):
    from khabar.validate.runner import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        khabar.validate(tmp_path / "nowhere")


def test_read_records_from_a_file_a_shard_and_a_folder(tmp_path):
    assert [r["id"] for r in khabar.read_records(ARTICLE)] == [ARTICLE_ID]
    assert [r["id"] for r in khabar.read_records(SHARD)] == ["synthetic-valid-shard-1", "synthetic-valid-shard-2"]
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "b.jsonl").write_bytes(SHARD.read_bytes())
    (folder / "2021").mkdir()
    (folder / "2021" / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    records = list(khabar.read_records(folder))
    assert [r["id"] for r in records] == [ARTICLE_ID, "synthetic-valid-shard-1", "synthetic-valid-shard-2"]
    assert records[0] == json.loads(ARTICLE.read_text(encoding="utf-8"))


def test_read_records_stops_at_the_first_invalid_record(tmp_path):
    case = TEST_CASES / "invalid-L3" / "span-text-mismatch"
    with pytest.raises(khabar.InvalidRecord) as raised:
        list(khabar.read_records(case))
    assert str(raised.value) == khabar.validate(case).errors[0].as_text()
    assert str(raised.value).endswith(": [L3 span-text-mismatch] entities[6] (T7): \"حداد\" != text[113:117] \"داد \"")
    assert [i.check for i in raised.value.incidents] == ["span-text-mismatch"]
    # without validation the record is only parsed
    [record] = khabar.read_records(case, validate=False)
    assert record["id"] == "synthetic-span-text-mismatch"
    broken = tmp_path / "broken.jsonl"
    broken.write_text(SHARD.read_text(encoding="utf-8").splitlines()[0] + "\n{]\n", encoding="utf-8")
    found = []
    with pytest.raises(khabar.InvalidRecord) as raised:
        for record in khabar.read_records(broken, validate=False):
            found.append(record["id"])
    assert found == ["synthetic-valid-shard-1"] and "broken.jsonl:2: [L1 json-syntax]" in str(raised.value)


def test_load_is_datasets_load_dataset():
    datasets = pytest.importorskip("datasets")
    ner = khabar.load(RELEASE, "ner")
    reference = datasets.load_dataset(str(RELEASE), "ner")
    assert ner["train"].to_list() == reference["train"].to_list() and ner["train"].num_rows == 14
    assert khabar.load(RELEASE, split="train")[0]["id"] == ARTICLE_ID  # keyword arguments pass through


def test_evaluate_equals_the_command_s_json_report(run_cli, tmp_path):
    record = json.loads(ARTICLE.read_text(encoding="utf-8"))
    prediction = {"id": record["id"], "entities": record["entities"][:40], "event_labels": record["event_labels"][:1]}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(prediction, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--gold", ARTICLE, "--predictions", path, "--format", "json",
                             "--resamples", "20")
    assert (code, err) == (0, "")
    from_file = khabar.evaluate(ARTICLE, path, resamples=20)
    assert json.loads(json.dumps(from_file)) == json.loads(out)
    before = json.dumps(prediction)
    from_objects = khabar.evaluate(str(ARTICLE), [prediction], resamples=20)
    assert json.dumps(prediction) == before  # the caller's objects are not modified
    assert from_objects["predictions"] == "<predictions>"
    assert dict(from_objects, predictions=str(path)) == from_file
    assert from_file["entities"]["outermost"]["strict"]["micro"]["f1"] < 1


def test_evaluate_names_the_bad_prediction_by_its_position():
    from khabar.evaluation.inputs import DataError

    with pytest.raises(DataError) as raised:
        khabar.evaluate(ARTICLE, [{"id": ARTICLE_ID, "entities": []}, {"id": "synthetic-x", "entities": []}])
    assert raised.value.problems == [f"<predictions>:2: id 'synthetic-x' is not a gold article of {ARTICLE}"]


def test_evaluate_ner_rows_against_the_release():
    ner = khabar.load(RELEASE, "ner", split="train")
    rows = [{"id": row["id"], "ner_tags": row["ner_tags"]} for row in ner]  # ClassLabel indices
    report = khabar.evaluate(f"{RELEASE}:train", rows, resamples=0)
    assert report["input"] == "ner" and report["counts"]["gold"] == 14
    assert report["bio"]["strict"]["micro"]["f1"] == 1.0
    assert rows[0]["ner_tags"] == ner[0]["ner_tags"]


def test_the_docstring_examples_run(monkeypatch, tmp_path):
    import doctest

    import khabar.api

    pytest.importorskip("datasets")
    monkeypatch.chdir(published_project(tmp_path))
    failed, attempted = doctest.testmod(khabar.api, optionflags=doctest.ELLIPSIS)
    assert (failed, attempted) == (0, 14)


def test_the_readme_example_runs(monkeypatch, capsys, tmp_path):
    import re

    pytest.importorskip("datasets")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### The Python API")
    [block] = re.findall(r"```python\n(.+?)```", readme[start:readme.index("\n#", start + 1)], flags=re.S)
    monkeypatch.chdir(published_project(tmp_path))
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert capsys.readouterr().out == f"True []\n{ARTICLE_ID} 78\n1.0\n"
    assert namespace["ner"]["train"].num_rows == 14
