"""Hostile and careless input (issue 11): each case is refused in one line, never a traceback,
and nothing is read silently wrong or written outside its target."""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, TEST_CASES
from khabar.validate import level2, validate_paths
from make_test_cases import pretty, visit

SEED = REPO / "tests" / "data" / "000_d6810fb7780e295a.txt"  # the first article's raw file, committed


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


# ---------------------------------------------------------------- exports write inside --out only

def _imported(record_id, note):
    """A valid record carrying an interchange note (as `khabar import conll` writes one)."""
    record = visit(record_id)
    record["annotation"]["notes"] = "Imported from a CoNLL file.\nkhabar-interchange: " + json.dumps(note)
    return record


GOOD_NOTE = {"format": "conll", "file": "source.conll", "lines": [1, 9]}
BAD_NOTES = {
    "file-parent": {"file": "../../escaped.conll"}, "file-absolute": {"file": "/tmp/escaped.conll"},
    "file-dot": {"file": "."}, "file-dotdot": {"file": ".."}, "file-separator": {"file": "a/b.conll"},
    "file-line-break": {"file": "a\nb.conll"}, "file-number": {"file": 5}, "docstart-number": {"docstart": 7},
    "foreign-short": {"foreign": [[0]]}, "foreign-beyond": {"foreign": [[0, 100000, "MISC"]]},
    "lines-empty": {"lines": []}, "marks-string": {"marks": "x"}, "marks-short": {"marks": [[0, 1]]},
    "separator": {"separator": ","}, "source-types-tab": {"source_types": [[0, 4, "A\tB", "PERS"]]},
    "source-types-space": {"source_types": [[0, 4, "A B", "PERS"]]},
    "repairs": {"repairs": {"x": -1}}, "format-missing": {"format": None},
}


@pytest.mark.parametrize("case", sorted(BAD_NOTES))
def test_validator_refuses_a_malformed_interchange_note(case, tmp_path):
    note = {key: value for key, value in {**GOOD_NOTE, **BAD_NOTES[case]}.items() if value is not None}
    path = _write(tmp_path / "synthetic-note.json", _imported("synthetic-note", note))
    report = validate_paths([path])
    assert [i.check for i in report.incidents] == ["interchange-note-invalid"]


def test_a_well_formed_note_is_valid(tmp_path):
    assert validate_paths([_write(tmp_path / "synthetic-note.json", _imported("synthetic-note", GOOD_NOTE))]).ok


@pytest.mark.parametrize("case", sorted(BAD_NOTES))
def test_conll_exporter_checks_the_note_it_reads(case):
    from khabar.interchange.conll import export_conll
    from khabar.interchange.problems import BadInput
    from khabar.interchange.typemap import load_types_map

    note = {key: value for key, value in {**GOOD_NOTE, **BAD_NOTES[case]}.items() if value is not None}
    with pytest.raises(BadInput) as refused:
        export_conll([_imported("synthetic-note", note)], "BIO", load_types_map(None))
    assert str(refused.value).startswith("record synthetic-note: interchange note in annotation.notes: ")
    assert "\n" not in str(refused.value)


def test_export_conll_of_a_hostile_note_writes_nothing_anywhere(run_cli, tmp_path):
    corpus, out = tmp_path / "deep" / "corpus", tmp_path / "deep" / "out"
    _write(corpus / "synthetic-note.json", _imported("synthetic-note", {**GOOD_NOTE, "file": "../../escaped.conll"}))
    code, stdout, err = run_cli("export", "conll", corpus, "--out", out)
    assert code == 1
    assert "[L3 interchange-note-invalid]" in stdout and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["synthetic-note.json"]


@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/escaped.txt", ".", "..", "a/b.txt", "", "a\nb.txt"])
def test_no_exported_file_name_leaves_the_target_folder(name, tmp_path):
    from khabar.interchange.problems import BadInput
    from khabar.interchange.records import files_inside

    with pytest.raises(BadInput):
        files_inside(tmp_path / "out", {"fine.txt": "x", name: "y"})


def test_a_symlink_inside_the_target_folder_does_not_lead_out(tmp_path):
    from khabar.interchange.problems import BadInput
    from khabar.interchange.records import files_inside

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert list(files_inside(tmp_path / "out", {"fine.txt": "x"})) == [tmp_path / "out" / "fine.txt"]
    with pytest.raises(BadInput):
        files_inside(tmp_path / "out", {"link.txt": "y"})


@pytest.mark.parametrize("exporter", ["brat", "labelstudio"])
def test_other_exporters_write_through_the_same_guard(exporter, run_cli, tmp_path, monkeypatch):
    from khabar.interchange import brat, labelstudio

    module = {"brat": brat, "labelstudio": labelstudio}[exporter]
    real = getattr(module, f"export_{exporter}")
    monkeypatch.setattr(module, f"export_{exporter}", lambda *a: {**real(*a), "../escaped.txt": "x"})
    _write(tmp_path / "corpus" / "synthetic-export.json", visit("synthetic-export"))
    code, _, err = run_cli("export", exporter, tmp_path / "corpus", "--out", tmp_path / "out")
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("khabar: error: ../escaped.txt: not a plain file name inside ")
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- line numbers of shard lines

def test_a_truncated_shard_line_is_reported_on_its_own_line(run_cli, tmp_path):
    (tmp_path / "one.jsonl").write_bytes(b'{"id":"abc",\n')
    code, out, _ = run_cli("validate", tmp_path / "one.jsonl")
    assert code == 1
    assert out == (f"{tmp_path / 'one.jsonl'}:1: [L1 json-syntax] Expecting property name enclosed in double "
                   "quotes at column 14\n")  # the line's end


# ---------------------------------------------------------------- names from data never add lines

def test_a_file_name_with_a_line_break_cannot_inject_report_lines(run_cli, tmp_path):
    record = visit("synthetic-injected")
    record["language"] = "xx-"
    _write(tmp_path / "corpus" / "x.json:1: [L1 fake] PASSED\nsynthetic-injected.json", record)
    (tmp_path / "corpus" / "\x1b[2Jclear.jsonl").write_bytes(b"{\n")
    code, out, err = run_cli("validate", tmp_path / "corpus")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("\\x1b[2Jclear.jsonl:1: [L1 json-syntax] Expecting property name enclosed in double "
                             "quotes at column 3")
    assert "/x.json:1: [L1 fake] PASSED\\nsynthetic-injected.json:" in lines[1] and "[L2 schema-pattern]" in lines[1]
    assert "\x1b" not in out + err


def test_ingest_escapes_the_raw_file_name_it_prints(run_cli, tmp_path):
    raw = tmp_path / "raw\n.txt"
    raw.write_bytes(SEED.read_bytes())
    code, out, err = run_cli("ingest", raw, "--corpus", tmp_path / "corpus")
    assert code == 2
    assert err == f"khabar: error: {tmp_path}/raw\\n.txt: the raw file carries no publication date; pass --published " \
                  "YYYY-MM-DD and say how it was established with --published-basis\n"
    assert all(line.startswith(f"{tmp_path}/raw\\n.txt:") for line in out.splitlines())


def test_an_error_message_is_one_line_whatever_the_path(run_cli, tmp_path):
    code, _, err = run_cli("validate", tmp_path / "missing\rfolder\u202e")
    assert code == 2
    assert err == f"khabar: error: {tmp_path}/missing\\rfolder\\u202e: no such file or folder\n"


# ---------------------------------------------------------------- reports whatever the locale

@pytest.mark.parametrize("environment", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}])
@pytest.mark.parametrize("output", ["text", "json"])
def test_reports_are_written_whatever_the_output_encoding(environment, output):
    case = TEST_CASES / "invalid-L3" / "span-text-mismatch"
    result = subprocess.run([sys.executable, "-m", "khabar", "validate", "--format", output, str(case)],
                            capture_output=True, cwd=REPO, env={**os.environ, **environment})
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    stdout = result.stdout.decode("ascii")  # nothing the encoding cannot hold
    message = r'entities[6] (T7): "\u062d\u062f\u0627\u062f" != text[113:117] "\u062f\u0627\u062f "'
    if output == "json":
        assert json.loads(stdout)["incidents"][0]["message"] == 'entities[6] (T7): "حداد" != text[113:117] "داد "'
    else:
        assert stdout.endswith(f"[L3 span-text-mismatch] {message}\n")


# ---------------------------------------------------------------- nothing under a folder goes unread

def _corpus_with_invalid_record_elsewhere(tmp_path):
    record = visit("synthetic-elsewhere")
    record["language"] = "xx-"
    _write(tmp_path / "elsewhere" / "synthetic-elsewhere.json", record)
    (tmp_path / "corpus").mkdir()
    # a corpus outside a khabar project describes itself (khabar build requires it)
    (tmp_path / "corpus" / "dataset.toml").write_text(
        'name = "synthetic"\nversion = "0.0.1"\ndate = "2026-01-01"\ndescription = "synthetic test corpus"\n',
        encoding="utf-8")
    return tmp_path / "corpus"


@pytest.mark.parametrize("entry", ["folder-link", "file-link", "dangling-link", "upper-case-suffix", "fifo"])
def test_validate_refuses_what_it_would_not_read(entry, run_cli, tmp_path):
    corpus = _corpus_with_invalid_record_elsewhere(tmp_path)
    name = {"folder-link": "linked", "file-link": "synthetic-elsewhere.json", "dangling-link": "x.json",
            "upper-case-suffix": "synthetic-elsewhere.JSON", "fifo": "synthetic-fifo.json"}[entry]
    if entry == "folder-link":
        (corpus / name).symlink_to(tmp_path / "elsewhere")
    elif entry == "file-link":
        (corpus / name).symlink_to(tmp_path / "elsewhere" / name)
    elif entry == "dangling-link":
        (corpus / name).symlink_to(tmp_path / "nowhere.json")
    elif entry == "fifo":
        os.mkfifo(corpus / name)
    else:
        (corpus / name).write_bytes((tmp_path / "elsewhere" / "synthetic-elsewhere.json").read_bytes())
    code, out, err = run_cli("validate", corpus)
    assert (code, out) == (2, "")
    assert err.startswith(f"khabar: error: {corpus / name}: ") and len(err.splitlines()) == 1


def test_an_unreadable_subfolder_is_an_error(run_cli, tmp_path, monkeypatch):
    corpus = _corpus_with_invalid_record_elsewhere(tmp_path)
    (corpus / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run_cli("validate", corpus)
    assert (code, out, err) == (2, "", f"khabar: error: {corpus / 'locked'}: Permission denied\n")


def test_a_folder_named_on_the_command_line_may_be_a_link(run_cli, tmp_path):
    corpus = _corpus_with_invalid_record_elsewhere(tmp_path)
    (corpus / "dataset.toml").unlink()
    corpus.rmdir()
    corpus.symlink_to(tmp_path / "elsewhere")
    code, out, _ = run_cli("validate", corpus)
    assert code == 1 and "[L2 schema-pattern]" in out


# ---------------------------------------------------------------- a duplicate id is an error, not a repair

SYNTHETIC_SOURCE = ["--source-name", "khabar synthetic test", "--license", "CC0-1.0", "--published", "2020-01-01"]


@pytest.mark.parametrize("ann, line, repeated, first", [
    (["T1\tPERS 0 4\tسمير", "T1\tGPE 0 4\tسمير"], 2, "T1", 1),
    (["T1\tPERS 0 4\tسمير", "T2\tCONSULT 11 14\tوصل", "E1\tCONSULT:T2", "E1\tCONSULT:T2"], 4, "E1", 3),
    (["T2\tCONSULT 11 14\tوصل", "E1\tCONSULT:T2", "A1\tmode-visit E1", "A1\tmode-meet E1"], 4, "A1", 3),
])
@pytest.mark.parametrize("strict", [False, True])
def test_brat_refuses_a_repeated_annotation_id(ann, line, repeated, first, strict, run_cli, tmp_path):
    (tmp_path / "doc.txt").write_text("سمير حداد\n\nوصل إلى القاهرة.", encoding="utf-8")
    (tmp_path / "doc.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    code, out, err = run_cli("import", "brat", tmp_path / "doc.ann", "--out", tmp_path / "out", *SYNTHETIC_SOURCE,
                             *(["--strict"] if strict else []))
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {tmp_path / 'doc.ann'}:{line}: id {repeated} is used again (first on line "
                   f"{first}): ids are unique in a brat document; nothing written\n")
    assert not (tmp_path / "out").exists()


def test_label_studio_refuses_two_regions_with_one_id(run_cli, tmp_path):
    text = "سمير حداد\n\nوصل إلى القاهرة."
    regions = [{"id": "T1", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 4, "text": "سمير", "labels": [label]}} for label in ("PERS", "GPE")]
    (tmp_path / "tasks.json").write_text(json.dumps([{"id": 1, "data": {"text": text},
                                                      "annotations": [{"result": regions}]}]), encoding="utf-8")
    code, out, err = run_cli("import", "labelstudio", tmp_path / "tasks.json", "--out", tmp_path / "out",
                             *SYNTHETIC_SOURCE)
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {tmp_path / 'tasks.json'}: task 1: two regions have the id 'T1'; region ids are "
                   "unique in a task; nothing written\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["build", "--corpus"], ["splits", "--corpus"], ["export", "brat"], ["stats"]])
def test_every_reader_of_a_corpus_refuses_a_link_inside_it(command, run_cli, tmp_path):
    corpus = _corpus_with_invalid_record_elsewhere(tmp_path)
    (corpus / "linked").symlink_to(tmp_path / "elsewhere")
    (corpus / "splits.tsv").write_text("id\tsplit\tstory\n", encoding="utf-8")
    extra = ["--out", tmp_path / "out"] if command[0] in ("build", "export") else []
    code, out, err = run_cli(*command, corpus, *extra)
    assert (code, err) == (2, f"khabar: error: {corpus / 'linked'}: a symbolic link inside a folder of records; "
                              "khabar does not follow links there: put the file or folder itself in place\n")
    assert not (tmp_path / "out").exists()


def test_what_the_output_encoding_cannot_hold_is_written_as_json_escapes(monkeypatch):
    import io

    from khabar.cliutil import unicode_safe_output

    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    unicode_safe_output()
    value = {"message": "\U0001f600 \xa0حداد \\u0627"}
    print(json.dumps(value, ensure_ascii=False), file=stream)
    stream.flush()
    written = buffer.getvalue().decode("ascii")
    assert written == '{"message": "\\ud83d\\ude00 \\u00a0\\u062d\\u062f\\u0627\\u062f \\\\u0627"}\n'
    assert json.loads(written) == value


@pytest.mark.parametrize("command", [
    ["validate", "{p}"], ["verify", "{p}"], ["stats", "{p}"], ["export", "conll", "{p}", "--out", "{o}"],
    ["export", "brat", "{p}", "--out", "{o}"], ["export", "labelstudio", "{p}", "--out", "{o}"],
    ["import", "brat", "{p}", "--out", "{o}"], ["import", "labelstudio", "{p}", "--out", "{o}"],
    ["import", "conll", "{p}", "--out", "{o}", *SYNTHETIC_SOURCE], ["splits", "--corpus", "{p}"],
    ["build", "--corpus", "{p}", "--out", "{o}"], ["ingest", "{p}"], ["evaluate", "--gold", "{p}", "--predictions", "{p}"],
])
def test_every_command_names_a_hostile_path_on_one_line(command, run_cli, tmp_path):
    hostile = tmp_path / "nope\n\x1b[1m\u202e.json"
    code, out, err = run_cli(*[part.format(p=hostile, o=tmp_path / "out") for part in command])
    assert code in (1, 2) and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("khabar: error: ")
    assert "nope\\n\\x1b[1m\\u202e.json" in err
