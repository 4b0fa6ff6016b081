"""Hostile and careless input to the command line (issue 11, part B): every case ends in
one-line messages and an exit code, never a traceback, and nothing is written where it
may not be."""

import json
import shutil

import pytest

from conftest import REPO, write_published_corpus
from khabar.release.build import build_release
from khabar.release.version import project_version, release_date

RAW_SEED = REPO / "tests" / "data" / "000_d6810fb7780e295a.txt"  # the first article's raw file
VERSION = project_version(REPO)
DATE = release_date(VERSION, REPO / "CHANGELOG.md")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """Version VERSION (format 2) of a fixed one-article corpus, the first article as published in v0.1.0: the
    line numbers and row counts below are those of its files."""
    corpus = write_published_corpus(tmp_path_factory.mktemp("fixed") / "corpus")
    out = tmp_path_factory.mktemp("release") / f"v{VERSION}"
    build_release(corpus, out, REPO, VERSION, DATE)
    return out


def _no_traceback(out: str, err: str) -> None:
    assert "Traceback" not in out + err


# ---------------------------------------------------------------- verify (item 3)

def _replace_card_header(release, header):
    card = release / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text("---\n" + header + text[text.index("\n---\n", 4):], encoding="utf-8")


def _drop_content_url(release):
    path = release / "croissant.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    del metadata["distribution"][1]["contentUrl"]
    path.write_text(json.dumps(metadata), encoding="utf-8")


def _append_checksum(release, name):
    import hashlib

    digest = hashlib.sha256((release / "manifest.json").read_bytes()).hexdigest()
    with open(release / "SHA256SUMS", "a", encoding="utf-8") as sums:
        sums.write(f"{digest}  {name}\n")


VERIFY_DAMAGE = {
    "croissant-not-json": (lambda r: (r / "croissant.json").write_text("croissant\n"),
                           "croissant.json:1: not JSON (Expecting value)"),
    "croissant-a-list": (lambda r: (r / "croissant.json").write_text("[]\n"),
                         "croissant.json: no distribution list (a Croissant file is a JSON-LD object with one)"),
    "croissant-item-without-contentUrl": (
        _drop_content_url, "croissant.json: distribution[1] ('data/ner/train-00000-of-00001.parquet') has no contentUrl"),
    "manifest-without-counts": (lambda r: (r / "manifest.json").write_text("{}\n"),
                                "manifest.json: no counts of rows per config and split "
                                "(documents, ner, events x train, validation, test)"),
    "manifest-a-list": (lambda r: (r / "manifest.json").write_text("[1]\n"),
                        "manifest.json: no counts of rows per config and split "
                        "(documents, ner, events x train, validation, test)"),
    "checksums-not-utf8": (lambda r: open(r / "SHA256SUMS", "ab").write(b"\xff\xfe  x\n"),
                           "SHA256SUMS:12: not UTF-8 (byte offset 984)"),
    "card-yaml-a-list": (lambda r: _replace_card_header(r, "- a\n- b"),
                         "README.md:2: the YAML header is a list, not a mapping"),
    "card-dataset-info-a-number": (lambda r: _replace_card_header(r, "dataset_info: 5"),
                                   "README.md: dataset_info is not a list of mappings"),
    "card-split-name-a-list": (lambda r: (r / "README.md").write_text(
        (r / "README.md").read_text(encoding="utf-8").replace("- name: train", "- name: [train]", 1), encoding="utf-8"),
        "README.md: documents/train num_examples None != 1 rows"),
    "manifest-nested-100k-deep": (lambda r: (r / "manifest.json").write_text("[" * 100_000 + "]" * 100_000),
                                  "manifest.json:1: not JSON (nested too deeply)"),
    "checksum-of-an-absolute-path": (lambda r: _append_checksum(r, str((r / "manifest.json").resolve())),
                                     "SHA256SUMS:12: {absolute} is an absolute path; a release names its files "
                                     "relative to its folder"),
    "checksum-leaving-the-release": (lambda r: _append_checksum(r, f"../{r.name}/manifest.json"),
                                     "SHA256SUMS:12: ../{name}/manifest.json leaves the release folder or is not "
                                     "a plain relative path"),
}


@pytest.mark.parametrize("case", sorted(VERIFY_DAMAGE))
def test_verify_reports_a_malformed_release_in_one_line(case, release, tmp_path, run_cli):
    damage, expected = VERIFY_DAMAGE[case]
    damaged = tmp_path / "damaged"
    shutil.copytree(release, damaged)
    damage(damaged)
    expected = expected.format(absolute=(damaged / "manifest.json").resolve(), name=damaged.name)
    code, out, err = run_cli("verify", damaged)
    _no_traceback(out, err)
    assert code == 1
    assert f"{damaged / expected}\n" in out or f"{damaged}/{expected}\n" in out
    assert all(line.startswith(str(damaged)) for line in out.splitlines())


def test_verify_exits_2_on_an_unreadable_file(release, tmp_path, run_cli, monkeypatch):
    from pathlib import Path

    damaged = tmp_path / "damaged"
    shutil.copytree(release, damaged)
    real_read_bytes = Path.read_bytes

    def refuse_manifest(path):
        if path.name == "manifest.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)
    monkeypatch.setattr(Path, "read_bytes", refuse_manifest)
    code, out, err = run_cli("verify", damaged)
    assert (code, out) == (2, "")
    assert err == f"khabar: error: {damaged / 'manifest.json'}: Permission denied\n"


# ---------------------------------------------------------------- modes from the umask (item 14)

GOLD = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"


@pytest.fixture
def umask_027():
    import os

    previous = os.umask(0o027)
    yield 0o640
    os.umask(previous)


def _modes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()}


def test_every_writer_gives_files_the_mode_of_the_umask(umask_027, tmp_path, run_cli):
    seed = RAW_SEED
    assert run_cli("ingest", seed, "--published", "2021-11-24", "--corpus", tmp_path / "corpus")[0] == 0
    assert run_cli("splits", "--corpus", tmp_path / "corpus")[0] == 0
    for exported in ("brat", "conll", "labelstudio"):
        assert run_cli("export", exported, GOLD, "--out", tmp_path / exported)[0] == 0
    assert run_cli("import", "brat", tmp_path / "brat", "--out", tmp_path / "imported")[0] == 0
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps({"id": GOLD.stem, "entities": []}) + "\n", encoding="utf-8")
    assert run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--resamples", "0",
                   "--out", tmp_path / "report.txt")[0] == 0
    predictions.unlink()
    modes = _modes(tmp_path)
    assert {"corpus/splits.tsv", "corpus/2021/quds-press-international-2021-11-24-aed626f9.json",
            "brat/annotation.conf", "labelstudio/tasks.json", "report.txt",
            "imported/quds-press-international-2021-11-24-aed626f9.json"} <= set(modes)
    assert len([name for name in modes if name.startswith("conll/")]) == 1
    assert {name: mode for name, mode in modes.items() if mode != umask_027} == {}


# ---------------------------------------------------------------- evaluate --out (item 13)

def test_evaluate_refuses_to_overwrite_its_out_file(tmp_path, run_cli):
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps({"id": GOLD.stem, "entities": []}) + "\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("keep me\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--resamples", "0",
                             "--out", report)
    assert (code, out) == (2, "")
    assert err == f"khabar: error: {report} exists; evaluate never overwrites a file\n"
    assert report.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.jsonl", "report.txt"]


# ---------------------------------------------------------------- import labelstudio (item 4)

SYNTHETIC_SOURCE = ["--source-name", "Synthetic", "--license", "synthetic test data", "--published", "2020-01-01"]
STUDIO_META = {"id": "synthetic-task", "title": "x", "language": "ar", "source": {},
               "annotation": {"status": "draft", "produced_by": []}}


def _studio_task(change):
    import copy

    task = {"id": 1, "data": {"text": "محمد في القدس"}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 4, "text": "محمد", "labels": ["PERS"]}}]}]}
    task = copy.deepcopy(task)
    change(task)
    return task


def _region(task):
    return task["annotations"][0]["result"][0]


def _with_meta(**fields):
    def change(task):
        task["data"]["khabar"] = {**STUDIO_META, **fields}
    return change


def _start_without_text(task):
    _region(task)["value"]["start"] = 0.9
    del _region(task)["value"]["text"]


def _textarea(task):
    task["annotations"][0]["result"].append({"id": "a", "from_name": "normalized", "to_name": "text",
                                             "type": "textarea", "value": {"start": 0, "end": 4, "text": [2021]}})


STUDIO_DAMAGE = {
    "value-a-list": (lambda t: _region(t).__setitem__("value", [1]), "task 1: the value of region a is not an object"),
    "value-a-string": (lambda t: _region(t).__setitem__("value", "x"), "task 1: the value of region a is not an object"),
    "start-infinity": (lambda t: _region(t)["value"].__setitem__("start", float("inf")),
                       "task 1: value.start and value.end must be whole numbers (got inf, 4; only Text regions "
                       "are read)"),
    "start-a-fraction-without-text": (_start_without_text,
                                      "task 1: value.start and value.end must be whole numbers (got 0.9, 4; only "
                                      "Text regions are read)"),
    "meta-annotation-empty": (_with_meta(annotation={}), "task 1: data.khabar.annotation.produced_by is not a list"),
    "meta-annotation-a-string": (_with_meta(annotation="x"), "task 1: data.khabar.annotation is not an object"),
    "meta-id-a-number": (_with_meta(id=5), "task 1: data.khabar.id is not a string"),
    "textarea-text-a-number": (_textarea, "task 1: value.text of the textarea on region a is not a list of strings"),
    "labels-nested": (lambda t: _region(t)["value"].__setitem__("labels", [[1]]),
                      "task 1: value.labels of region a is not a list of strings"),
}


@pytest.mark.parametrize("case", sorted(STUDIO_DAMAGE))
def test_import_labelstudio_refuses_malformed_tasks_in_one_line(case, tmp_path, run_cli):
    change, message = STUDIO_DAMAGE[case]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([_studio_task(change)], ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("import", "labelstudio", export, "--out", tmp_path / "out", *SYNTHETIC_SOURCE)
    _no_traceback(out, err)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {export}: {message}; nothing written\n"
    assert not (tmp_path / "out").exists()


def test_import_labelstudio_refuses_100k_nested_arrays(tmp_path, run_cli):
    export = tmp_path / "export.json"
    export.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, out, err = run_cli("import", "labelstudio", export, "--out", tmp_path / "out", *SYNTHETIC_SOURCE)
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {export}:1: not JSON khabar can read: arrays or objects nested too deeply; "
                   "nothing written\n")


# ---------------------------------------------------------------- import brat (item 5)

BRAT_DAMAGE = {
    "event-without-type": ("E500\t", "a.ann:1: event E500 has no TYPE:TRIGGER"),
    "arabic-indic-offsets": ("T1\tPERS ٠ ٤\tمحمد", "a.ann:1: offsets '٠ ٤' are not two integers"),
    "underscored-offsets": ("T1\tPERS 0_0 4\tمحمد", "a.ann:1: offsets '0_0 4' are not two integers"),
    "5000-digit-offset": ("T1\tPERS 0 " + "9" * 5000 + "\tمحمد",
                          "a.ann:1: T1 offsets '0 " + "9" * 38 + "'... point past the end of a.txt (14 characters)"),
}


@pytest.mark.parametrize("case", sorted(BRAT_DAMAGE))
def test_import_brat_refuses_malformed_lines_in_one_line(case, tmp_path, run_cli):
    ann_line, message = BRAT_DAMAGE[case]
    (tmp_path / "a.txt").write_text("محمد في القدس\n", encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann_line + "\n", encoding="utf-8")
    code, out, err = run_cli("import", "brat", tmp_path / "a.ann", "--out", tmp_path / "out", *SYNTHETIC_SOURCE)
    _no_traceback(out, err)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {tmp_path}/{message}; nothing written\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("field, value, message", [("id", ["a"], "id is not a string"),
                                                    ("annotation", "x", "annotation is not an object")])
def test_import_brat_refuses_malformed_metadata(field, value, message, tmp_path, run_cli):
    (tmp_path / "a.txt").write_text("محمد في القدس\n", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERS 0 4\tمحمد\n", encoding="utf-8")
    (tmp_path / "a.khabar").write_text(json.dumps({**STUDIO_META, field: value}), encoding="utf-8")
    code, out, err = run_cli("import", "brat", tmp_path / "a.ann", "--out", tmp_path / "out")
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {tmp_path / 'a.khabar'}: khabar metadata: {message}; nothing written\n"


# ---------------------------------------------------------------- evaluate (item 7)

@pytest.mark.parametrize("line, message", [
    ('{"id": "x", "n": ' + "1" * 5000 + "}", "not JSON khabar reads (an integer of more than 4300 digits)"),
    ("[" * 100_000 + "]" * 100_000, "not JSON khabar reads (arrays or objects nested too deeply)"),
], ids=["5000-digit-integer", "100k-nested-arrays"])
def test_evaluate_reports_unreadable_prediction_lines_in_one_line(line, message, tmp_path, run_cli):
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(line + "\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {predictions}:1: {message}\n"


DOCUMENTS_TRAIN = "data/documents/train-00000-of-00001.parquet"


@pytest.mark.parametrize("damage", ["corrupt", "deleted"])
def test_evaluate_refuses_a_damaged_gold_release(damage, release, tmp_path, run_cli):
    damaged = tmp_path / "damaged"
    shutil.copytree(release, damaged)
    if damage == "corrupt":
        (damaged / DOCUMENTS_TRAIN).write_bytes(b"junk\n")
        # the middle is pyarrow's own message
        expected = (f"{damaged / DOCUMENTS_TRAIN}: not readable as Parquet (", f"); run `khabar verify {damaged}`")
    else:
        (damaged / DOCUMENTS_TRAIN).unlink()
        expected = (f"{damaged}: data/documents/train-*.parquet hold 0 rows in 0 files, manifest.json says 1; "
                    f"the release is damaged: run `khabar verify {damaged}`", "")
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps({"id": GOLD.stem, "entities": []}) + "\n", encoding="utf-8")
    code, out, err = run_cli("evaluate", "--gold", f"{damaged}:train", "--predictions", predictions)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"khabar: error: {expected[0]}") and err.endswith(f"{expected[1]}\n")


# ---------------------------------------------------------------- empty release (item 10)

DATASET_TOML = ('name = "synthetic"\ntitle = "synthetic test corpus"\nversion = "0.0.0"\ndate = "2000-01-01"\n'
                'description = "Synthetic test data."\n')


def test_build_refuses_a_corpus_without_articles(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "splits.tsv").write_text("id\tsplit\tstory\n", encoding="utf-8")
    (corpus / "dataset.toml").write_text(DATASET_TOML, encoding="utf-8")
    code, out, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "release")
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {corpus} holds no article: a release holds at least one; nothing written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


# ---------------------------------------------------------------- ingest of a text already in the corpus (item 11)

SEED_RECORD = "2021/quds-press-international-2021-11-24-aed626f9.json"


@pytest.mark.parametrize("how", ["other-published", "other-source-name", "held-in-a-shard"])
def test_ingest_refuses_a_text_already_in_the_corpus(how, tmp_path, run_cli):
    seed = RAW_SEED
    corpus = tmp_path / "corpus"
    options = ["--published", "2021-11-24", "--corpus", corpus]
    assert run_cli("ingest", seed, *options)[0] == 0
    where = f"{corpus / SEED_RECORD}:1"
    if how == "held-in-a-shard":
        record = json.loads((corpus / SEED_RECORD).read_text(encoding="utf-8"))
        (corpus / SEED_RECORD).unlink()
        (corpus / "shard.jsonl").write_text('{"id": "other", "text": "x"}\n' + json.dumps(record) + "\n",
                                            encoding="utf-8")
        where = f"{corpus / 'shard.jsonl'}:2"
    again = {"other-published": ["--published", "2021-11-25", "--corpus", corpus],
             "other-source-name": ["--source-name", "Another Agency", *options],
             "held-in-a-shard": options}[how]
    before = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*"))
    code, out, err = run_cli("ingest", seed, *again)
    assert code == 1
    assert err == f"khabar: error: {seed}: already ingested as {where} (same text: [L4 duplicate-text])\n"
    assert sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*")) == before


# ---------------------------------------------------------------- ingest line numbers (item 16)

@pytest.mark.parametrize("char, name", [("\u2028", "LINE SEPARATOR"), ("\x0c", "FORM FEED"),
                                        ("\u2029", "PARAGRAPH SEPARATOR"), ("\x85", "NEXT LINE")],
                         ids=["U+2028", "U+000C", "U+2029", "U+0085"])
def test_ingest_refuses_other_line_breaks_at_their_line(char, name, tmp_path, run_cli):
    raw = tmp_path / "raw.txt"
    # synthetic: a headline, a paragraph holding the character, a paragraph, a source line, boilerplate
    raw.write_text(f"عنوان الخبر\n\nفقرة أولى{char}تكملة الفقرة\n\nفقرة ثانية\nSource: Synthetic\nLeave a Reply\n",
                   encoding="utf-8")
    code, out, err = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "corpus")
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {raw}:3: U+{ord(char):04X} {name} at column 10: khabar reads one paragraph "
                   "per line, and a line ends at a line feed only\n")
    assert not (tmp_path / "corpus").exists()


def test_ingest_counts_lines_of_a_crlf_file_as_of_its_lf_twin(tmp_path, run_cli):
    text = "عنوان الخبر\n\nفقرة أولى\n\nفقرة ثانية\nSource: Synthetic\nLeave a Reply\n"
    outputs = []
    for name, data in (("lf.txt", text), ("crlf.txt", text.replace("\n", "\r\n"))):
        (tmp_path / name).write_bytes(data.encode("utf-8"))
        code, out, err = run_cli("ingest", tmp_path / name, "--published", "2020-01-01", "--corpus", tmp_path / name[:-4])
        assert code == 0, err
        outputs.append(out.splitlines()[:2])
    assert outputs[0] == [f"{tmp_path / 'lf.txt'}:6: removed (source line (becomes source.name)): Source: Synthetic",
                          f"{tmp_path / 'lf.txt'}:7: removed (website boilerplate): Leave a Reply"]
    assert outputs[1] == [line.replace("lf.txt", "crlf.txt") for line in outputs[0]]


def test_a_registry_that_is_not_utf8_is_an_incident_not_a_traceback(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "splits.tsv").write_bytes(b"id\tsplit\tstory\n\xff\n")
    (corpus / "dataset.toml").write_text(DATASET_TOML, encoding="utf-8")
    incident = f"{corpus / 'splits.tsv'}:2: [L4 split-registry-invalid] not UTF-8 (byte 0xff)\n"
    code, out, err = run_cli("build", "--corpus", corpus, "--out", tmp_path / "release")
    assert (code, out) == (1, incident) and err == "khabar: error: 1 validation error; nothing written\n"
    code, out, err = run_cli("splits", "--corpus", corpus)
    assert (code, out) == (1, "") and err == f"khabar: error: {corpus / 'splits.tsv'}:2: not UTF-8 (byte 0xff)\n"
