"""khabar ingest: raw scraped article -> draft record, exactly as published."""

import json
import os

import pytest

import khabar
from conftest import REPO, SHARED
from khabar.ingest import parse_raw
from khabar.record_io import dumps_record, write_new_file
from khabar.validate import validate_paths
from khabar.validate.runner import shown_path

# The project's first raw article, committed (it is small) so that any clone can run these tests;
# the copy must stay byte-identical to the seed in ../shared/seeds where that folder exists.
SEED = REPO / "tests" / "data" / "000_d6810fb7780e295a.txt"
SHARED_SEED = SHARED / "seeds" / SEED.name
SEED_ID = "quds-press-international-2021-11-24-aed626f9"
GOLD = REPO / "corpus" / "2021" / f"{SEED_ID}.json"
# The options the committed record was ingested with (README shows the same command).
SEED_OPTIONS = [
    "--published", "2021-11-24",
    "--published-basis",
    "Not in the raw file, which carries no date or URL. The article reports the signing as happening "
    "'today, Wednesday' (اليوم الأربعاء); the memorandum was signed in Rabat on Wednesday 24 November 2021, "
    "during Benny Gantz's visit of 23-25 November 2021, so the report is dated to that day.",
]


@pytest.mark.skipif(not SHARED_SEED.is_file(), reason="no ../shared/seeds beside the checkout to compare with")
def test_committed_seed_equals_the_shared_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_committed_seed_is_the_gold_record_s_raw_file():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert gold["source"]["raw_file"] == SEED.name
    assert parse_raw(SEED.read_text(encoding="utf-8")).text == gold["text"]


@pytest.fixture
def seed_draft(run_cli, tmp_path):
    code, out, err = run_cli("ingest", SEED, *SEED_OPTIONS, "--corpus", tmp_path / "corpus")
    assert (code, err) == (0, ""), err
    path = tmp_path / "corpus" / "2021" / f"{SEED_ID}.json"
    return path, out


def test_seed_becomes_a_draft_record(seed_draft):
    path, out = seed_draft
    assert out.splitlines() == [
        f"{SEED}:29: removed (source line (becomes source.name)): Source: Quds Press International News Agency",
        f"{SEED}:31: removed (website boilerplate): Leave a Reply",
        f"{SEED}:33: removed (website boilerplate): Your email address will not be published. Required fields are marked *",
        f"wrote {shown_path(path)} (13 paragraphs, 2,313 characters)",
    ]
    record = json.loads(path.read_text(encoding="utf-8"))
    raw_lines = [line for line in SEED.read_text(encoding="utf-8").split("\n") if line]
    assert record["title"] == raw_lines[0] == "المغرب والاحتلال الإسرائيلي يوقعان مذكرة للتعاون الأمني والاستخباري"
    # headline and the 13 body paragraphs, character for character, blank line between them
    assert record["text"] == "\n\n".join(raw_lines[:14])
    for kept in ("وصفها بـ “الرائدة”", "العبرية،اليوم", "و”إسرائيل”", "أساسًا", "صرّح", "وسائل اعلام عبرية"):
        assert kept in record["text"]
    assert "Source" not in record["text"] and "Leave a Reply" not in record["text"]
    assert record["source"] == {
        "name": "Quds Press International News Agency", "url": None, "published": "2021-11-24",
        "published_basis": SEED_OPTIONS[3],
        "license": "All rights reserved by the publisher (Quds Press International News Agency); no licence stated",
        "raw_file": "000_d6810fb7780e295a.txt",
    }
    assert (record["entities"], record["events"], record["event_labels"]) == ([], [], [])
    assert record["annotation"] == {"status": "draft", "guidelines": "2.1", "produced_by": [f"khabar ingest {khabar.__version__}"],
                                    "reviewed_by": []}
    assert path.read_text(encoding="utf-8") == dumps_record(record)
    assert validate_paths([path]).incidents == []


def test_gold_record_differs_from_the_draft_only_in_annotation_fields(seed_draft):
    draft = json.loads(seed_draft[0].read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    annotation_fields = {"entities", "events", "event_labels", "annotation"}
    assert list(gold) == list(draft)
    assert {key: gold[key] for key in gold if key not in annotation_fields} == \
           {key: draft[key] for key in draft if key not in annotation_fields}
    assert gold["entities"] and gold["events"] and gold["annotation"]["status"] == "gold"


def test_second_ingest_of_the_same_article_is_refused(run_cli, seed_draft, tmp_path):
    path, _ = seed_draft
    before = path.read_bytes()
    code, _, err = run_cli("ingest", SEED, *SEED_OPTIONS, "--corpus", tmp_path / "corpus")
    assert code == 1 and "already ingested as" in err
    assert path.read_bytes() == before and len(list((tmp_path / "corpus").rglob("*.json"))) == 1


def test_missing_date_is_a_usage_error(run_cli, tmp_path):
    code, _, err = run_cli("ingest", SEED, "--corpus", tmp_path)
    assert code == 2 and "pass --published YYYY-MM-DD" in err
    assert list(tmp_path.iterdir()) == []


def test_bad_date_is_a_usage_error(run_cli, tmp_path):
    assert run_cli("ingest", SEED, "--published", "2021-02-30", "--corpus", tmp_path)[0] == 2


def test_missing_raw_file_is_an_io_error(run_cli, tmp_path):
    code, _, err = run_cli("ingest", tmp_path / "absent.txt", "--published", "2021-11-24", "--corpus", tmp_path)
    assert code == 2 and err.startswith("khabar: error: ")


def _raw(tmp_path, content: str, name="raw.txt"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    return path


def test_unrecognised_trailing_line_stops_the_ingest_until_dropped_explicitly(run_cli, tmp_path):
    raw = _raw(tmp_path, "عنوان تجريبي\n\nفقرة تجريبية.\n\nSource: Synthetic Test Agency\n\nSubscribe to our newsletter\n")
    code, out, err = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "corpus")
    assert code == 1 and f"{raw}:7: unrecognised trailing line: Subscribe to our newsletter" in out
    assert not (tmp_path / "corpus").exists()
    code, out, _ = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "corpus",
                           "--drop-unrecognised")
    assert code == 0 and "unrecognised trailing line: Subscribe to our newsletter" in out
    [written] = (tmp_path / "corpus").rglob("*.json")
    assert "Subscribe" not in written.read_text(encoding="utf-8")


def test_related_links_and_share_lines_are_removed_and_reported():
    article = parse_raw("عنوان\n\nفقرة أولى.\n\nSource: Synthetic Test Agency\nShare this:\nFacebook\n"
                        "Related\nعنوان خبر آخر\nعنوان خبر ثالث\n")
    assert article.paragraphs == ["فقرة أولى."]
    assert [(line, why) for _, line, why in article.removed] == [
        ("Source: Synthetic Test Agency", "source line (becomes source.name)"),
        ("Share this:", "website boilerplate"), ("Facebook", "website boilerplate"),
        ("Related", "related-links header"), ("عنوان خبر آخر", "related link"), ("عنوان خبر ثالث", "related link"),
    ]
    assert article.unrecognised == []


def test_white_space_changes_only_at_line_edges_and_between_paragraphs():
    article = parse_raw("\ufeff  عنوان  \r\n\r\n\r\n\r\nفقرة  فيها   مسافات. \t\r\nفقرة ثانية\r\n")
    assert article.text == "عنوان\n\nفقرة  فيها   مسافات.\n\nفقرة ثانية"
    assert article.source_name is None


def test_nfc_normalization_is_applied_and_counted():
    decomposed = "ا\u0654"  # alef + hamza above, NFC: U+0623
    article = parse_raw(f"عنوان\n\n{decomposed}حمد\n")
    assert article.paragraphs == ["أحمد"] and article.nfc_changes == 1


def test_without_source_line_the_name_must_be_given(run_cli, tmp_path):
    raw = _raw(tmp_path, "عنوان تجريبي\n\nفقرة تجريبية.\n\nLeave a Reply\n")
    code, _, err = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "c")
    assert code == 2 and "--source-name" in err
    code, out, _ = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "c",
                           "--source-name", "Synthetic Test Agency")
    assert code == 0 and "removed (website boilerplate): Leave a Reply" in out
    [written] = (tmp_path / "c" / "2020").glob("synthetic-test-agency-2020-01-01-*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["source"]["name"] == "Synthetic Test Agency"


def test_id_never_collides_with_an_existing_record(run_cli, tmp_path):
    first = _raw(tmp_path, "عنوان واحد\n\nنص أول.\n\nSource: Synthetic Test Agency\n", "a.txt")
    second = _raw(tmp_path, "عنوان واحد\n\nنص آخر مختلف.\n\nSource: Synthetic Test Agency\n", "b.txt")
    for raw in (first, second):
        assert run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "c")[0] == 0
    first_name, second_name = sorted((p.name for p in (tmp_path / "c" / "2020").iterdir()), key=len)
    assert second_name == first_name.replace(".json", "-2.json")


def test_draft_that_would_not_validate_is_not_written(run_cli, tmp_path):
    raw = _raw(tmp_path, "عنوان\u202e تجريبي\n\nفقرة.\n\nSource: Synthetic Test Agency\n")
    code, out, err = run_cli("ingest", raw, "--published", "2020-01-01", "--corpus", tmp_path / "c")
    assert code == 1 and "[L3 text-invisible-control]" in out and "nothing written" in err
    assert not (tmp_path / "c").exists()


def test_atomic_write_refuses_to_overwrite_and_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    write_new_file(target, "first\n")
    with pytest.raises(FileExistsError):
        write_new_file(target, "second\n")
    assert target.read_text() == "first\n"

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(OSError):
        write_new_file(tmp_path / "y.json", "content\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_empty_headline_line_is_refused_never_filled_from_the_body(run_cli, tmp_path):
    # the trial run wrote crawled articles as "title, blank line, body": an empty title left the
    # first line blank, and the first body paragraph used to become the headline
    raw = _raw(tmp_path, "\n\nفقرة تجريبية أولى.\n\nفقرة تجريبية ثانية.\n")
    code, out, err = run_cli("ingest", raw, "--published", "2020-01-01", "--source-name", "Synthetic Test Agency",
                             "--corpus", tmp_path / "corpus")
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {raw}: the first line (the headline) is empty; "
                   "a body paragraph is never made the headline\n")
    assert not (tmp_path / "corpus").exists()
