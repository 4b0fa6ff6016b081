"""The committed corpus: every record valid, the record format's example true, the guidelines cover it."""

import json
import re

from conftest import REPO
from khabar.validate import validate_paths

GOLD = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"


# The one warning a gold record may keep: the guidelines (Arguments) accept an event of a type PLOVER expects a
# recipient for whose text names none, which is why the check is a warning and not an error.
ACCEPTED_WARNINGS = {"argument-recipient-missing"}


def test_corpus_validates_without_errors_or_unaccepted_warnings():
    report = validate_paths([REPO / "corpus"])
    assert report.errors == [] and report.records == report.valid_records >= 1
    assert [w.as_text() for w in report.warnings if w.check not in ACCEPTED_WARNINGS] == []


def test_record_format_example_is_an_excerpt_of_the_gold_record():
    readme = (REPO / "docs" / "record-format.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.+?)\n```", readme, flags=re.S).group(1))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert all(entity in gold["entities"] for entity in example["entities"])
    assert all(event in gold["events"] for event in example["events"])
    assert example["event_labels"] == gold["event_labels"]
    counts = re.search(r"annotated to (\w+) under guidelines ([0-9.]+) \((\d+) entities, (\d+) events\)", readme)
    assert counts and (counts[1], counts[2]) == (gold["annotation"]["status"], gold["annotation"]["guidelines"])
    assert (int(counts[3]), int(counts[4])) == (len(gold["entities"]), len(gold["events"]))


def test_guidelines_discuss_every_label_the_gold_record_uses():
    guidelines = (REPO / "schema" / "GUIDELINES.md").read_text(encoding="utf-8")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    used = {e["type"] for e in gold["entities"]} | {e["type"] for e in gold["events"]}
    used |= {m for e in gold["events"] for m in e["mode"]} | {c for e in gold["events"] for c in e["context"]}
    assert {label for label in used if label not in guidelines} == set()
    # every event trigger of the record appears in the guidelines' examples
    assert {e["trigger"]["text"] for e in gold["events"] if e["trigger"]["text"] not in guidelines} == set()


def test_gold_annotation_is_honest_about_its_provenance():
    annotation = json.loads(GOLD.read_text(encoding="utf-8"))["annotation"]
    # gold (guidelines 2.0, section 7): two independent annotations and a recorded adjudication
    assert annotation["status"] == "gold" and annotation["guidelines"] == "2.1"
    assert [who.split(" — ")[0] for who in annotation["produced_by"][1:]] == ["Annotation A", "Annotation B"]
    assert any(who.startswith("Adjudication of annotations A and B") for who in annotation["reviewed_by"])
    assert "Adjudication of the 3 disagreements" in annotation["notes"]
    # guidelines 2.1 settled the adjudicators' open questions; a consistency review applied them
    assert annotation["reviewed_by"][-1].startswith("Consistency review under guidelines 2.1")
    assert "Guidelines 2.1 review: " in annotation["notes"]
    # the second annotation was guided by guidelines that quote this article: the record says so
    assert "This is not an independent measure" in annotation["notes"]
    assert any("AI model" in who for who in annotation["produced_by"] + annotation["reviewed_by"])
    assert "No native Arabic speaker has reviewed" in annotation["notes"]


def test_every_corpus_record_is_gold_with_its_adjudication_and_the_2_1_review_recorded():
    for path in sorted((REPO / "corpus").rglob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))["annotation"]
        assert (annotation["status"], annotation["guidelines"]) == ("gold", "2.1"), path.name
        assert any(who.startswith("Adjudication of annotations A and B") for who in annotation["reviewed_by"]), path.name
        assert "Guidelines 2.1 review: " in annotation["notes"], path.name
        assert annotation["notes"].rstrip().endswith("No native Arabic speaker has reviewed this record yet."), path.name
