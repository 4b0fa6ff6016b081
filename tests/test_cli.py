"""The command line: exit codes, one-line errors, and no traceback whatever the input."""

import json
import re
import random
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, TEST_CASES, write_published_corpus

VALID = TEST_CASES / "valid" / "article" / "synthetic-valid-article.json"


def test_valid_input_exits_0(run_cli):
    code, out, err = run_cli("validate", VALID)
    assert (code, out) == (0, "")
    assert err == "*** PASSED *** 1 record in 1 file: 1 valid, 0 errors, 0 warnings\n"


def test_invalid_input_exits_1(run_cli):
    code, out, err = run_cli("validate", TEST_CASES / "invalid-L3" / "span-crossing")
    assert code == 1 and out.count("\n") == 1 and "[L3 span-crossing]" in out
    assert err.startswith("*** FAILED ***")


def test_warning_alone_exits_0(run_cli):
    code, out, _ = run_cli("validate", TEST_CASES / "invalid-L3" / "span-proclitic")
    assert code == 0 and "[L3 span-proclitic] warning:" in out


def test_missing_path_is_a_usage_error(run_cli, tmp_path):
    code, out, err = run_cli("validate", tmp_path / "nowhere")
    assert (code, out) == (2, "") and err == f"khabar: error: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_non_record_file_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run_cli("validate", tmp_path / "notes.txt")
    assert code == 2 and "not an article file" in err


def test_unknown_option_is_a_usage_error(run_cli):
    assert run_cli("validate", "--frobnicate")[0] == 2


def test_empty_folder_is_valid(run_cli, tmp_path):
    code, out, err = run_cli("validate", tmp_path)
    assert (code, out) == (0, "") and "0 records in 0 files" in err


def _valid_record():
    return json.loads(VALID.read_text(encoding="utf-8"))


def _with(path, value):
    record = _valid_record()
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return record


NASTY = {
    "utf16.json": (json.dumps(_valid_record(), ensure_ascii=False).encode("utf-16"), "utf8-invalid"),
    "latin1.json": (json.dumps(_valid_record(), ensure_ascii=False).encode("utf-8").replace(
        "سمير".encode(), b"\xe9t\xe9", 1), "utf8-invalid"),
    "null-entity.json": (json.dumps(_with(["entities", 0], None)).encode(), "schema-type"),
    "null-entities.json": (json.dumps(_with(["entities"], None)).encode(), "schema-type"),
    "float-offset.json": (json.dumps(_with(["entities", 0, "end"], 9.5)).encode(), "schema-type"),
    "inf-offset.json": (json.dumps(_valid_record()).replace('"end": 9,', '"end": 1e400,', 1).encode(), "schema-type"),
    "nan-offset.json": (json.dumps(_valid_record()).replace('"end": 9,', '"end": NaN,', 1).encode(), "json-syntax"),
    "bool-offset.json": (json.dumps(_with(["entities", 0, "end"], True)).encode(), "schema-type"),
    "enormous-offset.json": (json.dumps(_with(["entities", 0, "end"], 10**30)).encode(), "offset-out-of-range"),
    "string-record.json": (b'"an article"', "record-not-object"),
    "deep-object.json": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "json-too-deep"),
    "whitespace-only.json": (b"  \n\t\n", "empty-file"),
    "truncated.json": (VALID.read_text(encoding="utf-8")[:300].encode(), "json-syntax"),
    "surrogate-in-text.jsonl": (json.dumps(_valid_record()).replace("\\u0633", "\\udc00", 1).encode() + b"\n",
                                "lone-surrogate"),
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_input_gets_one_check_and_exit_1(name, tmp_path, run_cli):
    content, check = NASTY[name]
    (tmp_path / name).write_bytes(content)
    code, out, err = run_cli("validate", "--format", "json", tmp_path / name)
    assert code == 1, out
    assert {incident["check"] for incident in json.loads(out)["incidents"]} == {check}


def test_random_byte_damage_never_raises(tmp_path, run_cli):
    original = VALID.read_bytes()
    rng = random.Random(20211124)
    codes = set()
    for attempt in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(damaged))
            choice = rng.random()
            if choice < 0.4:
                damaged[position] = rng.randrange(256)
            elif choice < 0.7:
                del damaged[position]
            else:
                damaged.insert(position, rng.choice(b'{}[]",:0\\ \n'))
        path = tmp_path / f"damaged-{attempt}.json"
        path.write_bytes(bytes(damaged))
        code, _, _ = run_cli("validate", path)  # an exception here fails the test
        codes.add(code)
    assert codes <= {0, 1} and 1 in codes


def test_module_entry_point_prints_no_traceback(tmp_path):
    (tmp_path / "broken.json").write_bytes(b"\xff\xfe{")
    result = subprocess.run([sys.executable, "-m", "khabar", "validate", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "[L1 utf8-invalid]" in result.stdout


def test_validator_never_modifies_files(tmp_path, run_cli):
    import shutil

    shutil.copytree(TEST_CASES / "invalid-L3", tmp_path / "cases")
    before = {p: p.read_bytes() for p in (tmp_path / "cases").rglob("*") if p.is_file()}
    run_cli("validate", tmp_path / "cases")
    assert {p: p.read_bytes() for p in (tmp_path / "cases").rglob("*") if p.is_file()} == before


def test_long_validation_reports_progress_on_stderr(run_cli, monkeypatch):
    # stderr is not a terminal here: tqdm's plain lines, one per refresh (every PLAIN_EVERY s; 0 here)
    from khabar import cliutil

    monkeypatch.setattr(cliutil, "PLAIN_EVERY", 0)
    code, out, err = run_cli("validate", TEST_CASES / "valid" / "shard")
    assert (code, out) == (0, "")
    lines = err.splitlines()
    assert "\r" not in err and lines[-1] == "*** PASSED *** 2 records in 1 file: 2 valid, 0 errors, 0 warnings"
    assert [re.match(r"khabar: validate: (\d+) records \[", line).group(1) for line in lines[:-1]][-1] == "2"


def test_short_validation_shows_no_progress(run_cli):
    code, _, err = run_cli("validate", TEST_CASES / "valid" / "shard")
    assert (code, err) == (0, "*** PASSED *** 2 records in 1 file: 2 valid, 0 errors, 0 warnings\n")


def test_repeated_key_is_found_whatever_the_spacing(tmp_path, run_cli):
    """The fast parser's key count must not hide a repeated key written with spaces or newlines."""
    text = json.dumps(_valid_record(), ensure_ascii=False)
    for name, repeated in (("spaced", '"language" : "ar", "language" : "en",'),
                           ("two-spaces", '"language"  : "ar", "language": "en",'),
                           ("newline", '"language"\n: "ar", "language"\n:"en",')):
        (tmp_path / f"{name}.json").write_text(text.replace('"language": "ar",', repeated, 1), encoding="utf-8")
        code, out, _ = run_cli("validate", tmp_path / f"{name}.json")
        assert code == 1 and "[L1 duplicate-key]" in out, name


def test_integer_beyond_64_bits_is_read_as_json_reads_it(tmp_path, run_cli):
    """orjson reads such an integer as a float; the report must show the integer itself."""
    record = _valid_record()
    record["entities"][0]["start"] = 2 ** 70
    path = tmp_path / f"{record['id']}.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1 and str(2 ** 70) in out and "e+21" not in out, out


def test_quote_colon_inside_a_string_is_not_taken_for_a_key(tmp_path, run_cli):
    record = _with(["source", "name"], 'a source named "x": with a quote and a colon')
    path = tmp_path / f"{record['id']}.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert run_cli("validate", path)[:2] == (0, "")


def test_invalid_utf8_in_a_shard_line_is_reported_in_place(tmp_path, run_cli):
    """Shard lines are checked for UTF-8 in the worker processes: same report, same order."""
    lines = [json.dumps(dict(_valid_record(), id=f"synthetic-utf8-{n}"), ensure_ascii=False).encode("utf-8")
             for n in range(3)]
    lines[1] = lines[1].replace("ar".encode(), b"a\xff", 1)
    lines[2] = lines[2].replace(b'"language"', b'"language":"ar","language"', 1)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "shard.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    column = lines[1].index(b"\xff") + 1
    for workers in ("1", "2"):
        code, out, _ = run_cli("validate", tmp_path / "c", "--workers", workers)
        assert code == 1 and [line.split(": ", 1)[1] for line in out.splitlines()] == [
            f"[L1 utf8-invalid] byte 0xff at column {column} is not valid UTF-8",
            '[L1 duplicate-key] key "language" repeated in object /',
        ], out


def _subparsers(parser, name="khabar"):
    import argparse

    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _subparsers(sub, f"{name} {sub_name}")


def test_every_argument_of_every_command_is_described_and_required_means_required():
    import argparse

    from khabar.cli import build_parser

    commands = dict(_subparsers(build_parser()))
    assert {"khabar validate", "khabar verify", "khabar ingest", "khabar import conll", "khabar stats"} <= set(commands)
    for name, parser in commands.items():
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)):
                continue
            shown = f"{name} {'/'.join(action.option_strings) or action.metavar}"
            assert action.help, f"{shown} has no description in --help"
            assert "required" not in action.help or action.required, f"{shown}: says required, usage says optional"
    conll = commands["khabar import conll"]
    assert {a.dest for a in conll._actions if a.required} == {"files", "out", "source_name", "license", "published"}
    usage = " ".join(conll.format_usage().split())
    assert "--source-name NAME --license TEXT --published YYYY-MM-DD" in usage and "[--source-name" not in usage


def test_import_conll_without_its_metadata_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "a.conll").write_text("a O\n\nb O\n", encoding="utf-8")
    code, out, err = run_cli("import", "conll", tmp_path / "a.conll", "--out", tmp_path / "out", "--license", "x")
    assert code == 2 and out == "" and err.splitlines()[-1] == (
        "khabar import conll: error: the following arguments are required: --source-name, --published")


def test_counted_nouns():
    from khabar.wording import count

    assert [count(1, "article"), count(2, "article"), count(0, "entity"), count(12000, "row"), count(1, "gold sentence"),
            count(3, "match")] == ["1 article", "2 articles", "0 entities", "12,000 rows", "1 gold sentence", "3 matches"]


@pytest.mark.parametrize("command, bar", [
    (["stats", TEST_CASES / "valid" / "shard"], "stats"),
    (["build", "--corpus", "{tmp}/corpus", "--out", "{tmp}/release"], "build"),
    (["import", "conll", "{tmp}/a.conll", "--out", "{tmp}/out", "--source-name", "synthetic", "--license", "none",
      "--published", "2020-01-01"], "import: check"),
])
def test_long_jobs_show_a_progress_bar(run_cli, monkeypatch, tmp_path, command, bar):
    from khabar import cliutil

    (tmp_path / "a.conll").write_text("a B-PERS\nb O\n\nc O\n", encoding="utf-8")  # synthetic
    # a fixed one-article corpus inside a copy of the project files (its release metadata)
    write_published_corpus(tmp_path / "corpus")
    for name in ("CHANGELOG.md", "DATASHEET.md", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    monkeypatch.setattr(cliutil, "PLAIN_EVERY", 0)
    code, _, err = run_cli(*[str(part).replace("{tmp}", str(tmp_path)) for part in command])
    assert code == 0, err
    counted = [int(m.group(1)) for m in re.finditer(rf"^khabar: {bar}: (?:\d+%\|[^|]*\| )?(\d+)", err, flags=re.M)]
    assert counted and counted[-1] == (1 if bar == "import: check" else 2 if bar == "stats" else 1), err
