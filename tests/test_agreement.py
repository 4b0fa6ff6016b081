"""khabar agree: exact figures on a synthetic pair (marked synthetic), on the real seed record
against itself (1.0 everywhere) and against a perturbed copy (values worked out by hand below)."""

from __future__ import annotations

import copy
import json
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import REPO
from make_test_cases import build
from sklearn.metrics import cohen_kappa_score

from khabar.agreement.report import measure, render_text
from khabar.ner import bio_sentences
from khabar.record_io import dumps_record, dumps_record_line, read_record



def _published_seed() -> "Path":
    """The first article as published in releases/v0.1.0 (guidelines 1.0), written to a scratch file:
    a fixed annotation, whatever the corpus's record becomes, so the figures below stay exact."""
    from khabar.release.reader import release_records

    (record,) = [record for _, record in release_records(REPO / "releases" / "v0.1.0")]
    path = Path(tempfile.mkdtemp(prefix="khabar-seed-")) / f"{record['id']}.json"
    path.write_text(dumps_record(record), encoding="utf-8")
    return path


SEED = _published_seed()


def synthetic_pair():
    """Invented sentence; A: PERS, GPE, DATE; B: PERS, and LOC where A has GPE."""
    title = "زيد في عمان اليوم"
    a = build("synthetic-agree", title, ["نص اصطناعي للاختبار."],
              [("T1", "زيد", 0, "PERS"), ("T2", "عمان", 0, "GPE"), ("T3", "اليوم", 0, "DATE", "2020-01-06")], [])
    b = build("synthetic-agree", title, ["نص اصطناعي للاختبار."],
              [("T1", "زيد", 0, "PERS"), ("T2", "عمان", 0, "LOC")], [])
    return a, b


def test_synthetic_pair_exact_figures():
    a, b = synthetic_pair()
    report = measure([(a, b)])
    spans = report["entities"]["spans"]
    assert spans["exact"]["f1"] == pytest.approx(2 / 5) and spans["relaxed"]["f1"] == pytest.approx(2 / 5)
    assert spans["exact"]["per_type"]["PERS"]["f1"] == 1.0
    assert spans["exact"]["per_type"]["GPE"] == {"a": 1, "b": 0, "matched": 0, "precision": None, "recall": 0.0,
                                                 "f1": 0.0}
    level1 = report["entities"]["tokens"]["levels"][0]
    # 4 + 4 tokens (headline, then "نص اصطناعي للاختبار ."): A = [B-PERS O B-GPE B-DATE] + 4 O,
    # B = [B-PERS O B-LOC O] + 4 O; observed 6/8; chance: O (5/8)(6/8) + B-PERS (1/8)(1/8) = 31/64
    assert level1["tokens"] == 8
    assert level1["observed"] == pytest.approx(6 / 8)
    assert level1["kappa"] == pytest.approx(float((Fraction(6, 8) - Fraction(31, 64)) / (1 - Fraction(31, 64))))
    assert [(d["kind"], d["start"], d["a"], d["b"]) for d in report["disagreements"]] == [
        ("entity-type", 7, "GPE", "LOC"), ("entity-only-a", 12, "DATE", "(none)")]


def test_kappa_is_undefined_not_perfect_when_both_sides_tag_nothing():
    a, _ = synthetic_pair()
    a["entities"] = []
    tokens = measure([(a, copy.deepcopy(a))])["entities"]["tokens"]
    assert tokens["levels"] == [{"level": 1, "tokens": 8, "kappa": None, "observed": 1.0}]
    assert "kappa n/a" in render_text(measure([(a, copy.deepcopy(a))]))


def test_the_seed_record_agrees_with_itself_everywhere():
    record = read_record(SEED)
    report = measure([(record, copy.deepcopy(record))])
    figures = [report["entities"]["spans"][s]["f1"] for s in ("exact", "relaxed")]
    figures += [t[k] for t in report["entities"]["tokens"]["levels"] for k in ("kappa", "observed")]
    figures += [report["events"][name]["f1"] for name in ("trigger", "type_trigger", "argument", "mode", "context")]
    figures += [report["events"]["same_mode_set"], report["events"]["same_context_set"]]
    figures += [report["document_labels"][k] for k in ("f1", "same_label_set", "kappa")]
    assert len(report["entities"]["tokens"]["levels"]) == 3
    assert figures == [1.0] * len(figures)
    assert report["disagreements"] == []


def perturbed_seed() -> dict:
    """The seed with ten known differences (see test_the_seed_record_against_a_perturbed_copy)."""
    record = read_record(SEED)
    entities = {e["id"]: e for e in record["entities"]}
    events = {e["id"]: e for e in record["events"]}
    entities["T12"]["type"] = "LANGUAGE"  # عبرية
    record["entities"].remove(entities["T16"])  # أول
    entities["T20"].update(start=404, text="عام")  # نحو عام -> عام
    events["E12"]["type"] = "AGREE"  # was COOPERATE
    events["E24"]["mode"] = ["historical"]  # was discontinue, historical
    events["E5"]["mode"] = ["visit", "historical"]
    events["E6"]["mode"] = ["visit", "historical"]
    events["E9"]["arguments"] = [a for a in events["E9"]["arguments"] if a["role"] != "recipient"]
    record["events"].remove(events["E10"])
    record["event_labels"] = ["AGREE", "SUPPORT"]  # both CONSULT events are now historical
    return record


def test_the_perturbed_copy_is_a_valid_record(tmp_path, run_cli):
    path = tmp_path / SEED.name
    path.write_text(dumps_record(perturbed_seed()), encoding="utf-8")
    code, _, err = run_cli("validate", path)
    assert code == 0, err


def test_the_seed_record_against_a_perturbed_copy():
    a = read_record(SEED)
    report = measure([(a, perturbed_seed())])
    spans = report["entities"]["spans"]
    # 78 entities in A, 77 in B; exact: all but the retyped, removed and shortened one (75); relaxed adds the
    # shortened DATE (76)
    assert (spans["exact"]["a"], spans["exact"]["b"], spans["exact"]["matched"]) == (78, 77, 75)
    assert spans["exact"]["f1"] == pytest.approx(150 / 155)
    assert spans["relaxed"]["f1"] == pytest.approx(152 / 155)
    assert spans["exact"]["per_type"]["NORP"]["f1"] == pytest.approx(26 / 27)
    assert spans["exact"]["per_type"]["DATE"]["f1"] == pytest.approx(16 / 18)
    assert spans["relaxed"]["per_type"]["DATE"]["f1"] == 1.0
    assert spans["exact"]["per_type"]["LANGUAGE"]["f1"] == 0.0
    levels = report["entities"]["tokens"]["levels"]
    # level 1: عبرية, أول, نحو and عام change tag; levels 2 and 3 are untouched
    assert levels[0]["observed"] == pytest.approx(425 / 429)
    assert [level["kappa"] for level in levels[1:]] == [1.0, 1.0]
    tags_a = [t for s in bio_sentences(a)[0] for t in s.tags]
    tags_b = [t for s in bio_sentences(perturbed_seed())[0] for t in s.tags]
    assert levels[0]["kappa"] == pytest.approx(cohen_kappa_score(tags_a, tags_b))
    events = report["events"]
    assert events["type_trigger"]["f1"] == pytest.approx(52 / 55)  # 28 vs 27, E10 gone and E12 retyped
    assert events["trigger"]["f1"] == pytest.approx(54 / 55)
    assert events["argument"]["f1"] == pytest.approx(84 / 89)  # 45 vs 44; E12's two and E9's recipient differ
    assert events["argument_unlabelled"]["f1"] == pytest.approx(88 / 89)
    assert events["mode"]["f1"] == pytest.approx(20 / 25)  # 12 vs 13 modes, 10 shared
    assert events["context"]["f1"] == pytest.approx(76 / 79)
    assert events["matched_events"] == 26
    assert events["same_mode_set"] == pytest.approx(23 / 26) and events["same_context_set"] == 1.0
    labels = report["document_labels"]
    assert labels["f1"] == pytest.approx(4 / 5) and labels["same_label_set"] == 0.0
    # 16 article x type decisions, 15 alike; chance (3*2 + 13*14) / 256
    assert labels["kappa"] == pytest.approx(13 / 17)
    lines = render_text(report).split("disagreements: 10\n")[1].splitlines()
    article = a["id"]
    assert lines == [
        f"{article}  event-mode  [173:180] «الزيارة»  A: visit  |  B: historical, visit",
        f"{article}  entity-type  [260:265] «عبرية»  A: NORP  |  B: LANGUAGE",
        f"{article}  entity-only-a  [305:308] «أول»  A: ORDINAL  |  B: (none)",
        f"{article}  event-mode  [309:314] «زيارة»  A: visit  |  B: historical, visit",
        f"{article}  entity-extent  [400:407] «نحو عام»  A: DATE [400:407] «نحو عام»  |  B: DATE [404:407] «عام»",
        f"{article}  event-arguments  [506:509] «وقع»  A: actor «غانتس» [499:504], recipient «عبد اللطيف لوديي» "
        f"[576:592]  |  B: actor «غانتس» [499:504]",
        f"{article}  event-only-a  [754:759] «تعاون»  A: AGREE [754:759] «تعاون»  |  B: (none)",
        f"{article}  event-type  [1048:1055] «التعاون»  A: COOPERATE  |  B: AGREE",
        f"{article}  event-mode  [1921:1927] «تقطعها»  A: discontinue, historical  |  B: historical",
        f"{article}  labels  A: AGREE, CONSULT, SUPPORT  |  B: AGREE, SUPPORT",
    ]


def test_cli_pairs_by_url_reports_json_and_refuses_different_texts(tmp_path, run_cli):
    # the seed has no URL: both copies get the same (synthetic) one, and B another id
    original, renamed = read_record(SEED), perturbed_seed()
    original["source"]["url"] = renamed["source"]["url"] = "https://example.org/synthetic-url"
    renamed["id"] = "renamed-copy-of-the-seed"
    for side, record in (("a", original), ("b", renamed)):
        (tmp_path / side).mkdir()
        (tmp_path / side / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    code, out, err = run_cli("agree", tmp_path / "a", tmp_path / "b", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["inputs"]["matched_by_url"] == 1 and report["inputs"]["articles"] == 1
    assert len(report["disagreements"]) == 10
    changed = read_record(SEED)
    changed["text"] = changed["text"].replace("المغرب", "المغرب ", 1)
    changed["title"] = changed["text"].split("\n\n")[0]
    changed["entities"], changed["events"], changed["event_labels"] = [], [], []
    other = tmp_path / "c" / SEED.name
    other.parent.mkdir()
    other.write_text(dumps_record(changed), encoding="utf-8")
    code, out, err = run_cli("agree", SEED, other)
    assert code == 1 and "the texts differ" in err and "Traceback" not in err
    code, _, err = run_cli("agree", SEED, tmp_path / "missing")
    assert code == 2 and err.startswith("khabar: error: ")


def test_records_on_one_side_are_listed_not_compared_and_shards_are_read(tmp_path, run_cli):
    a, b = synthetic_pair()
    extra = build("synthetic-agree-extra", "عنوان اصطناعي آخر", ["نص اصطناعي."], [], [])
    (tmp_path / "a.jsonl").write_text(dumps_record_line(a) + dumps_record_line(extra), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(dumps_record_line(b), encoding="utf-8")
    code, out, err = run_cli("agree", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["inputs"]["only_a"] == ["synthetic-agree-extra"] and report["inputs"]["only_b"] == []
    assert report["inputs"]["articles"] == 1 and report["entities"]["spans"]["exact"]["f1"] == pytest.approx(2 / 5)
    code, out, _ = run_cli("agree", tmp_path / "a.jsonl", tmp_path / "b.jsonl")
    assert "only in A (not compared): synthetic-agree-extra" in out
