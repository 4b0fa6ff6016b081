"""Hostile and careless input (issue 11): each case is refused in one line, never a traceback,
and nothing is read silently wrong or written outside its target."""

import json

import pytest

from conftest import SHARED
from khabar.validate import level2, validate_paths
from make_test_cases import pretty, visit

SEED = SHARED / "seeds" / "000_d6810fb7780e295a.txt"


def _write(path, record):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pretty(record))
    return path


# ---------------------------------------------------------------- schema: the fast verdict stands

class _FindsNothing:
    def iter_errors(self, record):
        return iter(())


def test_a_record_the_explainer_accepts_is_still_rejected_by_the_fast_verdict(tmp_path, monkeypatch):
    record = visit("synthetic-engines-disagree")
    record["language"] = "ar\n"
    path = _write(tmp_path / "synthetic-engines-disagree.json", record)
    monkeypatch.setattr(level2, "explaining_validator", lambda: _FindsNothing())
    report = validate_paths([path])
    [incident] = report.incidents
    assert not report.ok
    assert (incident.check, incident.line, incident.record_id) == ("schema", 5, "synthetic-engines-disagree")
    assert incident.message == '/language: "ar\\n" does not match "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$(?!\\n)"'


@pytest.mark.parametrize("field, value", [
    (["id"], "synthetic-line-break\n"), (["language"], "ar\n"), (["source", "country"], "EG\n"),
    (["source", "published"], "2020-01-06\n"), (["annotation", "guidelines"], "1.0\n"),
    (["entities", 5, "normalized"], "2020-01-06\n"), (["events", 0, "id"], "E1\n"),
])
def test_no_pattern_lets_a_value_end_with_a_line_break(field, value, tmp_path):
    record = visit("synthetic-line-break")
    target = record
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    report = validate_paths([_write(tmp_path / "synthetic-line-break.json", record)])
    assert [i.check for i in report.incidents] == ["schema-pattern"]


@pytest.mark.parametrize("field, char, label", [
    (["source", "license"], "\u200f", "source.license"), (["source", "published_basis"], "\x1b", "source.published_basis"),
    (["source", "raw_file"], "\n", "source.raw_file"), (["annotation", "produced_by", 0], "\u2066", "annotation.produced_by[0]"),
    (["annotation", "notes"], "\u202e", "annotation.notes"),
])
def test_every_metadata_string_is_checked_for_invisible_characters(field, char, label, tmp_path):
    record = visit("synthetic-invisible")
    record["source"]["published_basis"] = "stated"
    record["source"]["raw_file"] = "raw.txt"
    record["annotation"]["notes"] = "first line\nsecond line"
    assert validate_paths([_write(tmp_path / "synthetic-invisible.json", record)]).ok  # line breaks in notes
    target = record
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = target[field[-1]][:3] + char + target[field[-1]][3:]
    report = validate_paths([_write(tmp_path / "synthetic-invisible.json", record)])
    [incident] = report.incidents
    assert incident.check == "text-invisible-control"
    assert incident.message.startswith(f"{label}[3] is U+{ord(char):04X}")


def test_ingest_refuses_a_url_ending_with_a_line_break(run_cli, tmp_path):
    code, out, err = run_cli("ingest", SEED, "--published", "2021-11-24", "--published-basis", "stated",
                             "--corpus", tmp_path / "corpus", "--url", "https://example.com/a\n")
    assert code == 1
    assert "[L2 schema-pattern] /source/url" in out
    assert err.endswith("the draft record would not validate; nothing written\n")
    assert not (tmp_path / "corpus").exists() or not any((tmp_path / "corpus").rglob("*.json"))
