"""The baselines: one command each, end to end on khabar's release, deterministic, and on small
slices of the third-party corpora (the full runs are scripts/run_baselines.py)."""

from __future__ import annotations

import json

import pytest
from conftest import EXTERNAL, REPO

from khabar.evaluation.baselines.data import Sentence, nesting_layers, record_sentences
from khabar.evaluation.baselines.lexicon import EntityLexicon

RELEASE = REPO / "releases" / "v0.1.0"
TRAIN = f"{RELEASE}:train"


def first_sentences(source, target, count):
    blocks = source.read_text(encoding="utf-8").split("\n\n")[:count]
    target.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return target


def run_baseline(run_cli, tmp_path, baseline, train, test, name="p.jsonl"):
    predictions = tmp_path / name
    code, out, err = run_cli("baseline", baseline, "--train", train, "--test", test, "--predictions", predictions,
                             "--format", "json", "--resamples", "20")
    assert code == 0, err
    return json.loads(out), predictions.read_bytes()


def test_lexicon_learns_nested_entries_and_drops_unreliable_ones():
    sentences = [
        Sentence("synthetic/0", ["bank", "of", "Rome", "opened"], [["B-ORG", "I-ORG", "I-ORG", "O"],
                                                                   ["O", "O", "B-GPE", "O"]]),
        Sentence("synthetic/1", ["Rome", "and", "Paris"], [["B-GPE", "O", "B-GPE"]]),
        Sentence("synthetic/2", ["opened", "Paris", "Paris", "Paris"], [["O", "O", "O", "O"]]),  # Paris: 1 of 4
    ]
    lexicon = EntityLexicon().fit(sentences)
    assert lexicon.entries == {("bank", "of", "Rome"): "ORG", ("Rome",): "GPE"}
    assert lexicon.predict(["the", "bank", "of", "Rome", "in", "Rome", "Paris"]) == [
        ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "O"],
        ["O", "O", "O", "B-GPE", "O", "O", "O"]]


def test_records_peel_into_nesting_levels():
    record = json.loads((REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json")
                        .read_text(encoding="utf-8"))
    layers = nesting_layers(record["entities"])
    assert sum(len(layer) for layer in layers) == len(record["entities"])
    sentences = record_sentences(record)
    # المغرب والاحتلال الإسرائيلي: the ORG starts after the proclitic و, inside its token (widened)
    assert sentences[0].tokens[:3] == ["المغرب", "والاحتلال", "الإسرائيلي"]
    assert sentences[0].layers[0][:3] == ["B-GPE", "B-ORG", "I-ORG"]
    assert sentences[0].layers[1][:3] == ["O", "O", "O"]  # guidelines 2.0: no NORP inside a name
    # وزير الجيش بيني غانتس: OCC with the ORG الجيش nested one level down
    tokens = sentences[1].tokens
    at = tokens.index("وزير")
    assert tokens[at:at + 4] == ["وزير", "الجيش", "بيني", "غانتس"]
    assert sentences[1].layers[0][at:at + 4] == ["B-OCC", "I-OCC", "B-PERS", "I-PERS"]
    assert sentences[1].layers[1][at:at + 4] == ["O", "B-ORG", "O", "O"]


@pytest.mark.parametrize("baseline", ["lexicon", "crf", "tfidf"])
def test_baselines_run_end_to_end_on_the_release_and_are_deterministic(run_cli, tmp_path, baseline):
    # 0.1.0's test split is empty, so the command is pointed at train (resubstitution): it must run end to end
    report, first = run_baseline(run_cli, tmp_path, baseline, TRAIN, TRAIN, "first.jsonl")
    _, second = run_baseline(run_cli, tmp_path, baseline, TRAIN, TRAIN, "second.jsonl")
    assert first == second
    assert report["baseline"] == {"name": baseline, "train": TRAIN, "test": TRAIN}
    if baseline == "tfidf":
        assert set(report["events"]) == {"document_labels", "subset_accuracy"}
    else:
        assert 0.5 < report["entities"]["outermost"]["strict"]["micro"]["f1"] <= 1.0
    if baseline == "lexicon":
        assert report["events"]["trigger_classification"]["micro"]["f1"] > 0.5


def test_baseline_refuses_the_empty_test_split(run_cli, tmp_path):
    code, out, err = run_cli("baseline", "lexicon", "--train", TRAIN, "--test", f"{RELEASE}:test",
                             "--predictions", tmp_path / "p.jsonl")
    assert (code, out) == (2, "")
    assert err == (f"khabar: error: --test: {RELEASE}:test: the test split of {RELEASE} is empty (0 articles, "
                   f"as its card says); nothing to evaluate against\n")
    assert not (tmp_path / "p.jsonl").exists()


@pytest.mark.external
@pytest.mark.parametrize("baseline", ["lexicon", "crf"])
def test_ner_baselines_on_an_aqmar_slice_are_deterministic(run_cli, tmp_path, baseline):
    train = first_sentences(EXTERNAL / "aqmar-liu2019" / "train.txt", tmp_path / "train.txt", 200)
    test = first_sentences(EXTERNAL / "aqmar-liu2019" / "test.txt", tmp_path / "test.txt", 60)
    report, first = run_baseline(run_cli, tmp_path, baseline, train, test, "first.jsonl")
    _, second = run_baseline(run_cli, tmp_path, baseline, train, test, "second.jsonl")
    assert first == second
    assert report["counts"]["gold"] == 60 and report["bootstrap"]["unit"] == "sentence"
    assert 0.0 < report["entities"]["outermost"]["strict"]["micro"]["f1"] < 1.0


@pytest.mark.external
def test_crf_predicts_nested_levels_on_a_wojood_slice(run_cli, tmp_path):
    train = first_sentences(EXTERNAL / "wojood-sample" / "train.txt", tmp_path / "train.txt", 250)
    test = first_sentences(EXTERNAL / "wojood-sample" / "test.txt", tmp_path / "test.txt", 60)
    report, predictions = run_baseline(run_cli, tmp_path, "crf", train, test)
    rows = [json.loads(line) for line in predictions.decode("utf-8").splitlines()]
    assert all(isinstance(tag, list) for row in rows for tag in row["ner_tags"])  # one tag per level and token
    levels = report["entities"]["all_levels"]["strict"]["micro"]
    assert levels["gold"] > report["entities"]["outermost"]["strict"]["micro"]["gold"]
    assert levels["correct"] > 0


def test_run_baselines_without_third_party_corpora_says_how_to_get_them(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(REPO / "scripts" / "run_baselines.py"), "--external", tmp_path / "none",
                             "--resamples", "0", "--out-dir", tmp_path / "out"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (f"run_baselines: the third-party corpora are not in {tmp_path / 'none'} (missing aqmar-liu2019/train.txt "
            f"and 10 more): their table is left out; run `python scripts/fetch_external.py` or pass --external DIR"
            ) in result.stderr.splitlines()
    assert "| lexicon | **train** (1 article; test split empty: resubstitution) |" in result.stdout
    assert "Third-party" not in result.stdout


def test_the_evaluation_doc_s_runnable_baseline_example_runs(run_cli, tmp_path, monkeypatch):
    import re
    import shlex

    doc = (REPO / "docs" / "evaluation.md").read_text(encoding="utf-8")  # moved there from the README
    section = doc[doc.index("### Baselines"):]
    commands = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)[1].splitlines()
    assert commands == ["khabar baseline lexicon --train releases/v0.1.0:train --test releases/v0.1.0:train "
                        "--predictions lexicon.jsonl"]
    monkeypatch.chdir(REPO)
    argv = shlex.split(commands[0])[1:]
    argv[argv.index("--predictions") + 1] = str(tmp_path / "lexicon.jsonl")
    code, out, err = run_cli(*argv, "--resamples", "0")
    assert code == 0 and "strict" in out, err
    argv[argv.index("--test") + 1] = "releases/v0.1.0:test"  # the empty split: refused, with the reason
    code, _, err = run_cli(*argv)
    assert code == 2 and "the test split of releases/v0.1.0 is empty" in err


def test_the_baseline_table_of_readme_and_datasheet_is_computed_from_the_release(tmp_path):
    """run_baselines.py --check recomputes khabar's table on releases/v0.2.0 (seeded bootstrap)
    and fails if README.md or DATASHEET.md shows anything else."""
    import subprocess
    import sys

    pytest.importorskip("pycrfsuite")
    pytest.importorskip("sklearn")
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "run_baselines.py"), "--release",
                             str(REPO / "releases" / "v0.2.0"), "--check", "--external", str(tmp_path / "none"),
                             "--out-dir", str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_release_card_carries_the_baseline_table_of_its_own_version_only():
    datasheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    table = datasheet[datasheet.index("<!-- baselines:start -->"):datasheet.index("<!-- baselines:end -->")]
    assert "**khabar 0.2.0** — trained on train" in table
    card = (REPO / "releases" / "v0.2.0" / "README.md").read_text(encoding="utf-8")
    assert table.split("\n", 1)[1].strip() in card
    from khabar.release.card import _this_release_only

    assert "trained on train" not in _this_release_only(table + "<!-- baselines:end -->\n", "0.3.0")
