"""The agreement table of annotation batch 01 in DATASHEET.md is computed from the batch's two
independent annotations, which annotate exactly the texts of the gold records in corpus/."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from khabar.agreement.table import MARKER_END, MARKER_START, agreement_table
from khabar.record_io import read_record

BATCH = REPO / "agreement" / "batch-01"


def test_datasheet_table_is_current(monkeypatch):
    pytest.importorskip("sklearn")
    monkeypatch.chdir(REPO)
    text = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    block = text[text.index(MARKER_START) + len(MARKER_START):text.index(MARKER_END)].strip("\n")
    assert block == agreement_table(BATCH.relative_to(REPO)), "run python scripts/write_agreement.py"


def test_both_annotations_cover_the_batch_texts_of_the_corpus():
    gold = {record["id"]: record for record in map(read_record, (REPO / "corpus" / "2015").glob("*.json"))}
    for side in ("a", "b"):
        records = [json.loads(line) for line in (BATCH / f"annotation-{side}.jsonl").open(encoding="utf-8")]
        assert sorted(r["id"] for r in records) == sorted(gold)
        assert all(r["text"] == gold[r["id"]]["text"] and r["annotation"]["status"] == "draft" for r in records)
        assert all(r["annotation"]["produced_by"][1].startswith(f"Annotation {side.upper()} — ") for r in records)
    quoted = (BATCH / "quoted-in-guidelines-2.0.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(quoted) == 14 and all(line.split("\t")[1] in gold for line in quoted)


def test_readme_quotes_the_computed_agreement(monkeypatch):
    pytest.importorskip("sklearn")
    from khabar.agreement.report import agreement_report

    report = agreement_report([BATCH / "annotation-a.jsonl"], [BATCH / "annotation-b.jsonl"])
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert (f"agree at entity F1 {report['entities']['spans']['exact']['f1']:.3f} and event F1 "
            f"{report['events']['type_trigger']['f1']:.3f}") in readme


def test_the_batch_list_is_the_one_the_batch_was_chosen_with():
    from conftest import SHARED

    shared = SHARED / "annotation-batch-01.tsv"
    if not shared.is_file():
        pytest.skip("no ../shared beside the checkout to compare with")
    assert (BATCH / "batch-01.tsv").read_bytes() == shared.read_bytes()
