"""`khabar evaluate` from the command line: formats, exit codes, exact one-line errors for bad
predictions, --allow-missing as a counted penalty, bootstrap intervals. Predictions are
synthetic, written by the tests; ids that are not the real article's are marked synthetic."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

RELEASE = REPO / "releases" / "v0.1.0"
GOLD = f"{RELEASE}:train"
ARTICLE = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"
ARTICLE_ID = "quds-press-international-2021-11-24-aed626f9"


@pytest.fixture(scope="module")
def article():
    """The article as v0.1.0 published it (the corpus record has since moved to guidelines 2.0)."""
    from khabar.evaluation.inputs import load_gold

    [record] = load_gold(GOLD).records
    return record


def write_lines(path, *rows):
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n"
                            for row in rows), encoding="utf-8")
    return path


def gold_prediction(article):
    return {key: article[key] for key in ("id", "entities", "events", "event_labels")}


def test_gold_as_predictions_scores_one_everywhere(run_cli, tmp_path, article):
    predictions = write_lines(tmp_path / "p.jsonl", gold_prediction(article))
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--format", "json",
                             "--resamples", "50")
    assert (code, err) == (0, "")
    report = json.loads(out)
    for layer in ("outermost", "all_levels"):
        for scheme in ("strict", "exact", "partial", "type"):
            assert report["entities"][layer][scheme]["micro"]["f1"] == 1.0
            assert report["entities"][layer][scheme]["micro"]["ci"]["f1"] == [1.0, 1.0]
    assert report["entities"]["all_levels"]["strict"]["micro"]["gold"] == len(article["entities"])
    for mode in ("default", "strict"):
        assert report["bio"][mode]["micro"]["f1"] == 1.0
    for task in ("trigger_identification", "trigger_classification", "argument_identification",
                 "argument_classification", "mode", "context", "document_labels"):
        assert report["events"][task]["micro"]["f1"] == 1.0
    assert report["events"]["subset_accuracy"]["value"] == 1.0
    assert report["bootstrap"] == {"resamples": 50, "seed": 20240521, "confidence": 0.95, "unit": "article",
                                   "units": 1, "method": "percentile"}


def test_text_and_markdown_reports(run_cli, tmp_path, article):
    predictions = write_lines(tmp_path / "p.jsonl", {"id": ARTICLE_ID, "entities": article["entities"][:10]})
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--resamples", "0")
    assert code == 0
    assert "Entities, outermost layer" in out and "seqeval strict IOB2" in out and "Events" not in out
    code, markdown, _ = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--format", "markdown",
                                "--resamples", "0")
    assert code == 0
    assert "| scheme | P | R | F1 | macro F1 | COR | INC | PAR | MIS | SPU |" in markdown


def test_tag_predictions_against_the_release_ner_config(run_cli, tmp_path):
    import pandas as pd

    rows = pd.read_parquet(RELEASE / "data" / "ner").to_dict("records")
    predictions = write_lines(tmp_path / "p.jsonl", *({"id": r["id"], "ner_tags": [int(t) for t in r["ner_tags"]]}
                                                      for r in rows))
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--format", "json",
                             "--resamples", "0")
    assert code == 0, err
    report = json.loads(out)
    assert report["input"] == "ner" and report["counts"]["gold"] == len(rows)
    assert report["bio"]["strict"]["micro"]["f1"] == 1.0
    assert "all_levels" not in report["entities"]


def test_allow_missing_is_a_counted_penalty(run_cli, tmp_path):
    import pandas as pd

    rows = pd.read_parquet(RELEASE / "data" / "ner").to_dict("records")
    predictions = write_lines(tmp_path / "p.jsonl", {"id": rows[0]["id"], "ner_tags": [int(t) for t in rows[0]["ner_tags"]]})
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {predictions}: {len(rows) - 1} gold sentences of {GOLD} have no prediction "
                   f"(first: {rows[1]['id']}); pass --allow-missing to score them as empty predictions\n")
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions, "--allow-missing",
                             "--format", "json", "--resamples", "0")
    assert code == 0
    report = json.loads(out)
    assert report["counts"] == {"gold": len(rows), "predicted": 1, "missing_scored_as_empty": len(rows) - 1,
                                "unit": "sentence"}
    strict = report["entities"]["outermost"]["strict"]["micro"]
    assert strict["precision"] == 1.0 and strict["recall"] < 0.2 and strict["missed"] > 0
    assert any("scored as empty predictions" in note for note in report["notes"])


BAD_RECORDS = [
    ("unknown-id", [{"id": "synthetic-unknown-0001", "entities": []}],
     "p.jsonl:1: id 'synthetic-unknown-0001' is not a gold article of {gold}"),
    ("duplicate-id", [{"id": ARTICLE_ID, "entities": []}, {"id": ARTICLE_ID, "entities": []}],
     "p.jsonl:2: id '{id}' already predicted on line 1"),
    ("outside-text", [{"id": ARTICLE_ID, "entities": [{"start": 2300, "end": 2400, "type": "GPE"}]}],
     "p.jsonl:1: {id}: entities[0]: offsets 2300..2400 are outside the text (length 2313)"),
    ("empty-span", [{"id": ARTICLE_ID, "entities": [{"id": "T1", "start": 6, "end": 6, "type": "GPE"}]}],
     "p.jsonl:1: {id}: entities[0] (T1): empty span 6..6 (end must be greater than start)"),
    ("text-mismatch", [{"id": ARTICLE_ID, "entities": [{"start": 0, "end": 6, "type": "GPE", "text": "الرباط"}]}],
     "p.jsonl:1: {id}: entities[0]: text 'الرباط' != text[0:6] 'المغرب'"),
    ("duplicate-entity", [{"id": ARTICLE_ID, "entities": [{"start": 0, "end": 6, "type": "GPE"},
                                                          {"id": "T2", "start": 0, "end": 6, "type": "GPE"}]}],
     "p.jsonl:1: {id}: entities[1] (T2): same span and type as entities[0]"),
    ("unknown-entity-type", [{"id": ARTICLE_ID, "entities": [{"start": 0, "end": 6, "type": "COUNTRY"}]}],
     "p.jsonl:1: {id}: entities[0]: unknown entity type 'COUNTRY'"),
    ("unknown-event-type", [{"id": ARTICLE_ID, "events": [{"type": "MEET", "trigger": {"start": 28, "end": 34}}]}],
     "p.jsonl:1: {id}: events[0]: unknown event type 'MEET'"),
    ("unknown-argument-entity", [{"id": ARTICLE_ID, "entities": [], "events": [
        {"id": "E1", "type": "SUPPORT", "trigger": {"start": 28, "end": 34},
         "arguments": [{"role": "actor", "entity": "T9"}]}]}],
     "p.jsonl:1: {id}: events[0] (E1).arguments[0]: entity 'T9' is not the id of a predicted entity"),
    ("unknown-label", [{"id": ARTICLE_ID, "event_labels": ["SUPPORT", "PEACE"]}],
     "p.jsonl:1: {id}: event_labels: unknown event type 'PEACE'"),
    ("not-json", ["{\"id\": "], "p.jsonl:1: not JSON (Expecting value, column 8)"),
    ("no-id", [{"entities": []}], "p.jsonl:1: no string id"),
    ("no-task", [{"id": ARTICLE_ID, "title": "x"}],
     "p.jsonl: the predictions carry none of entities, events, event_labels, ner_tags"),
    ("wrong-tag-count", [{"id": f"{ARTICLE_ID}/0", "ner_tags": ["O"]}],
     "p.jsonl:1: {id}/0: ner_tags: 1 tags for the 8 tokens of the gold sentence"),
    ("unknown-tag", [{"id": f"{ARTICLE_ID}/0", "ner_tags": ["B-COUNTRY"] + ["O"] * 7}],
     "p.jsonl:1: {id}/0: ner_tags[0]: unknown tag 'B-COUNTRY'"),
    ("tag-index", [{"id": f"{ARTICLE_ID}/0", "ner_tags": [43] + [0] * 7}],
     "p.jsonl:1: {id}/0: ner_tags[0]: 43 is not a ner_tags ClassLabel index (0..42)"),
]


@pytest.mark.parametrize("rows, expected", [case[1:] for case in BAD_RECORDS], ids=[case[0] for case in BAD_RECORDS])
def test_bad_predictions_get_one_line_errors(run_cli, tmp_path, rows, expected):
    predictions = write_lines(tmp_path / "p.jsonl", *rows)
    code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {tmp_path}/" + expected.format(gold=GOLD, id=ARTICLE_ID) + "\n"


def test_several_problems_are_listed_in_line_order(run_cli, tmp_path):
    predictions = write_lines(tmp_path / "p.jsonl", "[1]",
                              {"id": ARTICLE_ID, "entities": [{"start": 0, "end": 6, "type": "X"}]},
                              {"id": "synthetic-unknown-0002", "entities": []})
    code, _, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
    assert code == 1
    assert err.splitlines() == [f"khabar: error: {predictions}:1: not a JSON object",
                                f"khabar: error: {predictions}:2: {ARTICLE_ID}: entities[0]: unknown entity type 'X'",
                                f"khabar: error: {predictions}:3: id 'synthetic-unknown-0002' is not a gold article "
                                f"of {GOLD}"]


def test_usage_errors_exit_2(run_cli, tmp_path):
    predictions = write_lines(tmp_path / "p.jsonl", {"id": ARTICLE_ID, "entities": []})
    cases = [
        (("--gold", f"{RELEASE}:test", "--predictions", predictions),
         f"{RELEASE}:test: the test split of {RELEASE} is empty (0 articles, as its card says); "
         f"nothing to evaluate against"),
        (("--gold", str(RELEASE), "--predictions", predictions),
         f"{RELEASE}: a release folder: name the split to score against, e.g. {RELEASE}:test"),
        (("--gold", GOLD, "--predictions", tmp_path / "absent.jsonl"),
         f"{tmp_path}/absent.jsonl: No such file or directory"),
        (("--gold", str(tmp_path / "absent"), "--predictions", predictions),
         f"{tmp_path}/absent: no such file or folder"),
    ]
    for arguments, message in cases:
        code, out, err = run_cli("evaluate", *arguments)
        assert (code, out, err) == (2, "", f"khabar: error: {message}\n")


def test_the_gold_must_be_valid(run_cli, tmp_path):
    article = json.loads(ARTICLE.read_text(encoding="utf-8"))  # a whole record, as a gold file holds
    broken = dict(article, entities=[dict(article["entities"][0], end=7)] + article["entities"][1:])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(broken, ensure_ascii=False) + "\n", encoding="utf-8")
    predictions = write_lines(tmp_path / "p.jsonl", {"id": ARTICLE_ID, "entities": []})
    code, out, err = run_cli("evaluate", "--gold", gold, "--predictions", predictions)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (f"khabar: error: {gold}: the gold data has 1 validation error; "
                                    f"run `khabar validate {gold}`")
    assert "Traceback" not in err


def columns_file(path, sentences):
    path.write_text("\n\n".join("\n".join(f"{token} {tag}" for token, tag in sentence) for sentence in sentences)
                    + "\n", encoding="utf-8")
    return path


SYNTHETIC_SENTENCES = [  # a small synthetic column file: ten sentences
    [("w1", "B-PER"), ("w2", "I-PER"), ("w3", "O"), ("w4", "B-LOC")],
    [("w5", "O"), ("w6", "B-ORG"), ("w7", "I-ORG"), ("w8", "I-ORG")],
    [("w9", "B-LOC"), ("w10", "O")],
    [("w11", "B-PER"), ("w12", "B-PER")],
    [("w13", "O"), ("w14", "O"), ("w15", "B-ORG")],
    [("w16", "B-LOC"), ("w17", "I-LOC")],
    [("w18", "B-PER"), ("w19", "O"), ("w20", "B-LOC")],
    [("w21", "O")],
    [("w22", "B-ORG"), ("w23", "O"), ("w24", "B-PER"), ("w25", "I-PER")],
    [("w26", "B-LOC"), ("w27", "B-ORG")],
]


def test_bootstrap_is_deterministic_and_brackets_the_point(run_cli, tmp_path):
    gold = columns_file(tmp_path / "synthetic-gold.txt", SYNTHETIC_SENTENCES)
    predicted = []
    for number, sentence in enumerate(SYNTHETIC_SENTENCES):
        tags = [tag for _, tag in sentence]
        if number % 3 == 0:
            tags = ["O"] * len(tags)  # a third of the sentences predicted empty
        predicted.append({"id": f"synthetic-gold/{number}", "ner_tags": tags})
    predictions = write_lines(tmp_path / "p.jsonl", *predicted)
    arguments = ("evaluate", "--gold", gold, "--predictions", predictions, "--format", "json")
    first, second = run_cli(*arguments), run_cli(*arguments)
    assert first[0] == 0 and first == second
    other_seed = run_cli(*arguments, "--seed", "7")
    report, other = json.loads(first[1]), json.loads(other_seed[1])
    assert report["bootstrap"]["unit"] == "sentence" and report["bootstrap"]["units"] == 10
    micro = report["entities"]["outermost"]["strict"]["micro"]
    low, high = micro["ci"]["f1"]
    assert low < micro["f1"] < high < 1.0 + 1e-12
    assert other["entities"]["outermost"]["strict"]["micro"]["ci"] != micro["ci"]
    assert other["entities"]["outermost"]["strict"]["micro"]["f1"] == micro["f1"]
    assert "ci" in report["bio"]["default"]["macro"] and "ci" in report["bio"]["token_accuracy"]


def test_column_gold_refuses_unknown_types_and_record_predictions(run_cli, tmp_path):
    gold = columns_file(tmp_path / "synthetic-gold.txt", SYNTHETIC_SENTENCES[:2])
    predictions = write_lines(tmp_path / "p.jsonl", {"id": "synthetic-gold/0", "ner_tags": ["B-PERS", "O", "O", "O"]},
                              {"id": "synthetic-gold/1", "ner_tags": ["O", "X", "O", "O"]})
    code, _, err = run_cli("evaluate", "--gold", gold, "--predictions", predictions)
    assert code == 1
    assert err.splitlines() == [
        f"khabar: error: {predictions}:1: synthetic-gold/0: ner_tags[0]: unknown tag 'B-PERS' "
        f"(no entity of that type in the gold file)",
        f"khabar: error: {predictions}:2: synthetic-gold/1: ner_tags[1]: 'X' is not a BIO tag"]
    predictions = write_lines(tmp_path / "p.jsonl", {"id": "synthetic-gold/0", "entities": []})
    code, _, err = run_cli("evaluate", "--gold", gold, "--predictions", predictions)
    assert (code, err) == (1, f"khabar: error: {predictions}: record predictions need records as gold; "
                              f"{gold} is a column file: predict ner_tags\n")


def test_garbage_in_any_field_is_an_error_never_a_traceback(run_cli, tmp_path):
    garbage = [None, 1.5, True, [], {}, [["x"]], {"a": [1]}, "text", -1]
    rows = []
    for number, value in enumerate(garbage):
        rows.append({"id": ARTICLE_ID if number == 0 else f"synthetic-garbage-{number:04d}", "entities": value})
    fields = ({"entities": [{"start": value, "end": 6, "type": value, "id": value}]} for value in garbage)
    events = ({"entities": [], "events": [{"type": value, "trigger": value, "arguments": [value, {"role": value,
               "entity": value}], "mode": [value], "context": value}], "event_labels": [value]} for value in garbage)
    tags = ({"ner_tags": value} for value in garbage)
    for variant, group in enumerate((fields, events, tags)):
        for number, extra in enumerate(group):
            predictions = write_lines(tmp_path / f"p{variant}-{number}.jsonl", {"id": ARTICLE_ID, **extra}
                                      if variant < 2 else {"id": f"{ARTICLE_ID}/0", **extra})
            code, out, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
            assert code == 1 and out == "", (variant, number, err)
            assert err.startswith("khabar: error: ") and "Traceback" not in err
    predictions = write_lines(tmp_path / "p.jsonl", *rows)
    code, _, err = run_cli("evaluate", "--gold", GOLD, "--predictions", predictions)
    assert code == 1 and all(line.startswith("khabar: error: ") for line in err.splitlines())


def test_column_gold_is_read_by_the_importer_s_parser_with_tags_as_written(tmp_path):
    # synthetic: byte-order mark, CRLF, a -DOCSTART- line, a tab-separated line, a left-to-right
    # mark in a token, a malformed tag kept as written, nested columns of different depths
    from khabar.interchange.conll import read_tag_columns

    path = tmp_path / "synthetic-columns.conll"
    path.write_bytes("\ufeff-DOCSTART- O\r\n\r\nw1\u200e B-ORG B-PERS\r\nw2 I--ORG\r\n \r\nw3\tO\r\n".encode("utf-8"))
    sentences = read_tag_columns(path)
    assert [(s.id, s.tokens, s.layers, s.document) for s in sentences] == [
        ("synthetic-columns/0", ["w1", "w2"], [["B-ORG", "I--ORG"], ["B-PERS", "O"]], "synthetic-columns/0"),
        ("synthetic-columns/1", ["w3"], [["O"]], "synthetic-columns/1")]


def test_column_gold_problems_are_one_line_with_file_and_line(run_cli, tmp_path):
    gold = tmp_path / "synthetic-gold.txt"
    gold.write_text("w1 B-PER\nw2\n", encoding="utf-8")
    predictions = write_lines(tmp_path / "p.jsonl", {"id": "synthetic-gold/0", "ner_tags": ["O", "O"]})
    code, out, err = run_cli("evaluate", "--gold", gold, "--predictions", predictions)
    assert (code, out, err) == (1, "", f"khabar: error: {gold}:2: no tag column after the token 'w2'\n")
    gold.write_bytes(b"w1 B-PER\n\xff O\n")
    code, _, err = run_cli("evaluate", "--gold", gold, "--predictions", predictions)
    assert (code, err) == (1, f"khabar: error: {gold}:2: not UTF-8 text (byte 0xff at offset 9)\n")
