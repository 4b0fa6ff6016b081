"""The one-defect fixtures in tests/test-cases/: exact check ids, lines and messages."""

import json

import jsonschema_rs
import pytest

from conftest import TEST_CASES
from khabar.schema import article_schema
from khabar.validate import level1, level2, validate_paths
from khabar.validate.checks import CHECKS
from make_test_cases import expected_output, fixtures, write

CASES = sorted(fixtures())
INVALID = [case for case in CASES if case.startswith("invalid-")]


def test_generator_reproduces_committed_fixtures(tmp_path):
    write(tmp_path)
    for case, files in fixtures().items():
        for name, content in files.items():
            assert (TEST_CASES / case / name).read_bytes() == content, f"{case}/{name}: rerun tests/make_test_cases.py"


# Checks no record can trigger while the schema means the same in both engines: `schema` reports
# a record that jsonschema-rs rejects and the explainer accepts (tests/test_input_hardening.py
# makes them disagree on purpose).
WITHOUT_FIXTURE = {"schema"}


def test_every_check_has_a_failing_fixture():
    missing = [f"invalid-L{check.level}/{check.id}" for check in CHECKS.values()
               if f"invalid-L{check.level}/{check.id}" not in CASES and check.id not in WITHOUT_FIXTURE]
    assert missing == []


def test_no_fixture_without_a_check():
    assert [case for case in INVALID if case.split("/")[1] not in CHECKS] == []


@pytest.mark.parametrize("case", CASES)
def test_output_equals_expected(case):
    expected = (TEST_CASES / case / "expected.txt").read_text(encoding="utf-8")
    assert expected_output(TEST_CASES / case, TEST_CASES) == expected


@pytest.mark.parametrize("case", INVALID)
def test_invalid_fixture_reports_exactly_its_check(case, monkeypatch):
    level, check_id = case.split("/")
    monkeypatch.chdir(TEST_CASES)
    target = TEST_CASES / case / "corpus" if (TEST_CASES / case / "corpus").is_dir() else TEST_CASES / case
    report = validate_paths([target])
    assert report.incidents, case
    assert {incident.check for incident in report.incidents} == {check_id}
    assert all(incident.line is None or incident.line >= 1 for incident in report.incidents)
    if not check_id.startswith("split-") or check_id == "split-registry-invalid":
        assert all(incident.line is not None for incident in report.incidents)
    assert level == f"invalid-L{CHECKS[check_id].level}"
    assert report.ok == (CHECKS[check_id].severity == "warning")


@pytest.mark.parametrize("case", [case for case in CASES if case.startswith("valid/")])
def test_valid_fixture_has_no_incident(case):
    target = TEST_CASES / case / "corpus" if (TEST_CASES / case / "corpus").is_dir() else TEST_CASES / case
    report = validate_paths([target])
    assert report.incidents == [] and report.records == report.valid_records >= 1


def _parsed_fixture_records():
    for case in CASES:
        for path in sorted((TEST_CASES / case).rglob("*.json*")):
            if path.name == "manifest.json":
                continue
            for item in level1.read_records(path, path.name):
                if isinstance(item, level1.RawRecord):
                    record, incidents = level1.parse(item)
                    if record is not None:
                        yield f"{case}/{path.name}:{item.first_line}", record


def test_fast_and_explaining_validators_agree_on_every_fixture():
    fast = jsonschema_rs.Draft202012Validator(article_schema())
    verdicts = []
    for where, record in _parsed_fixture_records():
        explained_valid = not level2.schema_errors(record)
        assert fast.is_valid(record) == explained_valid, where
        verdicts.append(explained_valid)
    # both verdicts occur, so the comparison is not vacuous
    assert verdicts.count(False) == 11 and verdicts.count(True) >= 20


def test_expected_files_name_their_check_in_every_line():
    for case in INVALID:
        check_id = case.split("/")[1]
        lines = (TEST_CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines and all(f" {check_id}]" in line for line in lines), case


def test_json_format_carries_the_same_incidents(run_cli, monkeypatch):
    monkeypatch.chdir(TEST_CASES)
    code, out, _ = run_cli("validate", "--format", "json", "invalid-L3/span-crossing")
    assert code == 1
    report = json.loads(out)
    assert report["summary"] == {"files": 1, "records": 1, "valid_records": 0, "errors": 1, "warnings": 0}
    [incident] = report["incidents"]
    assert incident == {
        "file": "invalid-L3/span-crossing/synthetic-span-crossing.json", "line": 63, "level": 3,
        "check": "span-crossing", "severity": "error", "record": "synthetic-span-crossing",
        "message": "entities[7] (T8) [120:142] crosses entities[12] (T13) [117:125]",
    }
