"""Event scores on synthetic articles, against counts worked out by hand (event mentions) and
against scikit-learn (document labels, multi-label micro/macro F1 and subset accuracy)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from khabar.evaluation.inputs import DataError, Gold, load_predictions
from khabar.evaluation.scoring import evaluate

TEXT = "Alpha met Beta in Gamma. Delta attacked Epsilon."


def span(text_piece: str) -> dict:
    start = TEXT.index(text_piece)
    return {"start": start, "end": start + len(text_piece)}


def entity(entity_id, piece, kind):
    return {"id": entity_id, **span(piece), "type": kind, "text": piece}


ENTITIES = [entity("T1", "Alpha", "PERS"), entity("T2", "Beta", "PERS"), entity("T3", "Gamma", "GPE"),
            entity("T4", "Delta", "ORG"), entity("T5", "Epsilon", "GPE")]
GOLD_EVENTS = [
    {"id": "E1", "type": "CONSULT", "trigger": span("met"), "mode": ["meet"], "context": ["executive"],
     "arguments": [{"role": "actor", "entity": "T1"}, {"role": "recipient", "entity": "T2"},
                   {"role": "location", "entity": "T3"}]},
    {"id": "E2", "type": "ASSAULT", "trigger": span("attacked"), "mode": ["future"], "context": ["military"],
     "arguments": [{"role": "actor", "entity": "T4"}, {"role": "location", "entity": "T5"}]},
]
PRED_EVENTS = [
    {"type": "CONSULT", "trigger": span("met"), "mode": ["meet"], "context": ["economic"],  # trigger right
     "arguments": [{"role": "actor", "entity": "T1"},  # right
                   {"role": "recipient", "entity": "T3"}]},  # Gamma was the location: identified, not classified
    {"type": "PROTEST", "trigger": span("attacked"), "mode": ["future"], "context": ["military"],  # wrong type
     "arguments": [{"role": "actor", "entity": "T4"}]},  # identified; classification needs the event type
    {"type": "CONSULT", "trigger": span("in"), "arguments": []},  # spurious
]


def synthetic_gold(records):
    return Gold("synthetic", records=records)


def record(number, events=(), labels=(), entities=ENTITIES):
    return {"id": f"synthetic-events-{number:04d}", "text": TEXT, "entities": list(entities), "events": list(events),
            "event_labels": list(labels)}


def score(tmp_path, gold_records, rows, **options):
    path = tmp_path / "predictions.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    gold = synthetic_gold(gold_records)
    return evaluate(gold, load_predictions(path, gold, allow_missing=options.get("allow_missing", False)),
                    resamples=options.get("resamples", 0))


def test_event_mentions_follow_the_written_definitions(tmp_path):
    gold = [record(1, GOLD_EVENTS, ["CONSULT", "ASSAULT"])]
    report = score(tmp_path, gold, [{"id": gold[0]["id"], "entities": ENTITIES, "events": PRED_EVENTS}])
    expected = {  # task: (correct, predicted, gold)
        "trigger_identification": (2, 3, 2),
        "trigger_classification": (1, 3, 2),
        "argument_identification": (3, 3, 5),
        "argument_classification": (1, 3, 5),
        "mode": (1, 2, 2),  # (met, CONSULT, meet) right; (attacked, PROTEST, future) has the wrong type
        "context": (0, 2, 2),
    }
    for task, (correct, predicted, gold_count) in expected.items():
        micro = report["events"][task]["micro"]
        assert (micro["correct"], micro["predicted"], micro["gold"]) == (correct, predicted, gold_count), task
        precision = correct / predicted
        recall = correct / gold_count
        f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
        assert (micro["precision"], micro["recall"], micro["f1"]) == (precision, recall, f1), task
    by_type = report["events"]["trigger_classification"]["per_type"]
    assert {name: (f["correct"], f["predicted"], f["gold"]) for name, f in by_type.items()} == {
        "ASSAULT": (0, 0, 1), "CONSULT": (1, 2, 1), "PROTEST": (0, 1, 0)}
    roles = report["events"]["argument_classification"]["per_type"]
    assert {name: (f["correct"], f["predicted"], f["gold"]) for name, f in roles.items()} == {
        "actor": (1, 2, 2), "location": (0, 0, 2), "recipient": (0, 1, 1)}


def test_a_trigger_predicted_twice_counts_once(tmp_path):
    gold = [record(1, GOLD_EVENTS[:1], ["CONSULT"])]
    twice = [dict(PRED_EVENTS[0], arguments=[]), dict(PRED_EVENTS[0], arguments=[])]
    report = score(tmp_path, gold, [{"id": gold[0]["id"], "entities": [], "events": twice}])
    micro = report["events"]["trigger_classification"]["micro"]
    assert (micro["correct"], micro["predicted"], micro["gold"]) == (1, 2, 1)


def test_document_labels_agree_with_scikit_learn(tmp_path):
    import sklearn.metrics as sklearn_metrics
    from sklearn.preprocessing import MultiLabelBinarizer

    gold_labels = [["CONSULT", "ASSAULT"], ["AGREE"], [], ["PROTEST", "ASSAULT"], ["AID"]]
    pred_labels = [["CONSULT"], ["AGREE"], ["COERCE"], ["PROTEST", "ASSAULT"], []]
    gold = [record(n, labels=labels) for n, labels in enumerate(gold_labels, start=1)]
    rows = [{"id": r["id"], "event_labels": labels} for r, labels in zip(gold, pred_labels)]
    report = score(tmp_path, gold, rows)
    classes = sorted({label for labels in gold_labels + pred_labels for label in labels})
    binarizer = MultiLabelBinarizer(classes=classes)
    y_true, y_pred = binarizer.fit_transform(gold_labels), binarizer.transform(pred_labels)
    labels = report["events"]["document_labels"]
    for average in ("micro", "macro"):
        p, r, f, _ = sklearn_metrics.precision_recall_fscore_support(y_true, y_pred, average=average,
                                                                     zero_division=0)
        assert (labels[average]["precision"], labels[average]["recall"], labels[average]["f1"]) == \
            pytest.approx((p, r, f), abs=1e-15)
    assert labels["macro"]["f1"] == float(np.mean(sklearn_metrics.f1_score(y_true, y_pred, average=None,
                                                                            zero_division=0)))
    assert report["events"]["subset_accuracy"]["value"] == sklearn_metrics.accuracy_score(y_true, y_pred) == 0.4


def test_a_missing_field_is_an_error_not_a_zero(tmp_path):
    gold = [record(1, labels=["AGREE"]), record(2, labels=["AID"])]
    rows = [{"id": gold[0]["id"], "event_labels": ["AGREE"]}, {"id": gold[1]["id"], "entities": []}]
    with pytest.raises(DataError) as caught:
        score(tmp_path, gold, rows)
    assert caught.value.problems == [
        f"{tmp_path / 'predictions.jsonl'}:1: synthetic-events-0001: no entities (other lines carry them): "
        f"predict [] for none",
        f"{tmp_path / 'predictions.jsonl'}:2: synthetic-events-0002: no event_labels (other lines carry them): "
        f"predict [] for none"]


def test_missing_documents_with_allow_missing_score_as_empty(tmp_path):
    gold = [record(1, labels=["AGREE"]), record(2, labels=["AID"])]
    report = score(tmp_path, gold, [{"id": gold[0]["id"], "event_labels": ["AGREE"]}], allow_missing=True,
                   resamples=100)
    labels = report["events"]["document_labels"]["micro"]
    assert (labels["correct"], labels["predicted"], labels["gold"]) == (1, 1, 2)
    assert report["counts"]["missing_scored_as_empty"] == 1
    assert report["events"]["subset_accuracy"]["value"] == 0.5
    assert report["events"]["subset_accuracy"]["ci"] == [0.0, 1.0]
