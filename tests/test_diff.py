"""khabar diff: articles by id, spans by offsets, a type or boundary change as one change; the
release card's summary of the diff against the previous release."""

import copy
import json
import shutil

import pytest

from conftest import REPO, published_first_article, write_published_corpus, write_published_first_article
from khabar.release.build import build_release
from khabar.release.changes import previous_release
from khabar.release.verify import verify_release
from khabar.release.version import release_date
from khabar.show.compare import diff_paths
from khabar.show.diff import diff_corpora, diff_records

V010 = REPO / "releases" / "v0.1.0"


@pytest.fixture
def gold():
    """The first article as published in v0.1.0: a fixed annotation, so the counts below stay exact."""
    return published_first_article()


@pytest.fixture
def gold_path(tmp_path):
    """That record as a file (in a one-article corpus folder of its own)."""
    return write_published_first_article(tmp_path / "gold")


def reannotated(record):
    """A synthetic re-annotation of the gold record (for tests only): one change of each kind."""
    new = copy.deepcopy(record)
    entities = {e["id"]: e for e in new["entities"]}
    entities["T1"]["type"] = "NORP"  # type change, same offsets
    t2 = entities["T2"]  # الاحتلال الإسرائيلي [8:27] -> الاحتلال [8:16]: boundary change
    t2["end"], t2["text"] = 16, new["text"][8:16]
    new["entities"] = [e for e in new["entities"] if e["id"] != "T6"]  # removed (and its argument)
    new["entities"].append({"id": "T200", "start": 35, "end": 40, "type": "LAW", "text": new["text"][35:40]})
    for event in new["events"]:
        event["arguments"] = [a for a in event["arguments"] if a["entity"] != "T6"]
    new["events"][0]["mode"] = ["future"]
    new["events"][1]["type"] = "CONSULT"  # type change of an event
    del new["events"][3]
    new["annotation"]["status"] = "reviewed"
    for index, entity in enumerate(sorted(new["entities"], key=lambda e: (e["start"], -e["end"])), start=1):
        entity["renumbered"] = f"T{index}"  # ids renumbered: the diff must not care
    mapping = {e["id"]: e.pop("renumbered") for e in new["entities"]}
    for entity in new["entities"]:
        entity["id"] = mapping[entity["id"]]
    for event in new["events"]:
        for argument in event["arguments"]:
            argument["entity"] = mapping[argument["entity"]]
    return new


def test_identical_readings_have_no_change(gold):
    diff = diff_corpora([gold], [copy.deepcopy(gold)])
    assert diff.summary()["articles"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 1}
    assert diff.articles[0].changes == []


def test_each_change_is_listed_once(gold):
    new = reannotated(gold)
    article = diff_records(gold, new)
    kinds = sorted((c.kind, c.change, (c.old or {}).get("id"), (c.new or {}).get("id")) for c in article.changes)
    assert kinds == sorted([
        ("entity", "type", "T1", "T1"),
        ("entity", "boundary", "T2", "T2"),
        ("entity", "removed", "T6", None),
        ("entity", "added", None, new_id_at(new, 35)),
        ("event", "arguments/mode/context", "E1", "E1"),
        ("event", "type", "E2", "E2"),
        ("event", "arguments/mode/context", "E3", "E3"),
        ("event", "removed", "E4", None),
    ])
    details = {c.old["id"]: c.details for c in article.changes if c.kind == "event" and c.old and c.new}
    assert details["E1"] == ["mode + future"]
    assert details["E2"] == []  # its arguments follow T1 and T2 through their type and boundary changes
    assert details["E3"] == ['argument - time T6 "اليوم الأربعاء"']
    assert article.fields == ['annotation.status: "gold" -> "reviewed"']
    assert article.status == "changed"


def new_id_at(record, start):
    return next(e["id"] for e in record["entities"] if e["start"] == start)


def test_type_and_boundary_change_together_is_one_change(gold):
    new = copy.deepcopy(gold)
    t2 = next(e for e in new["entities"] if e["id"] == "T2")
    t2["end"], t2["text"], t2["type"] = 16, new["text"][8:16], "GPE"
    changes = diff_records(gold, new).changes
    assert [(c.change, c.old["id"], c.new["id"]) for c in changes] == [("type+boundary", "T2", "T2")]


def test_added_and_removed_articles(gold):
    other = copy.deepcopy(gold)
    other["id"] = "synthetic-other-article"
    diff = diff_corpora([gold], [other])
    assert [(a.id, a.status) for a in diff.articles] == [("synthetic-other-article", "added"), (gold["id"], "removed")]
    assert diff.summary()["articles"] == {"added": 1, "removed": 1, "changed": 0, "unchanged": 0}


def test_diff_command_text_json_html(gold, gold_path, tmp_path, run_cli):
    new_path = tmp_path / "new" / gold_path.name
    new_path.parent.mkdir()
    new_path.write_text(json.dumps(reannotated(gold), ensure_ascii=False, indent=2), encoding="utf-8")
    code, out, err = run_cli("diff", gold_path, new_path.parent)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[2] == f"~ {gold['id']}: 8 annotation change(s)"
    assert '    entity type: T1 [0:6] "المغرب" GPE -> T1 [0:6] "المغرب" NORP' in lines
    assert '    entity boundary: T2 [8:27] "الاحتلال الإسرائيلي" ORG -> T2 [8:16] "الاحتلال" ORG' in lines
    assert '    event changed: E1 SUPPORT [28:34] "يوقعان": mode + future' in lines
    assert '    entity added: T4 [35:40] "مذكرة" LAW' in lines
    assert lines[-1] == ("summary: articles: 1 changed; entities: 1 added, 1 removed, 1 type, 1 boundary; "
                         "events: 1 removed, 1 type, 2 arguments/mode/context")
    code, out, _ = run_cli("diff", gold_path, new_path.parent, "--format", "json")
    report = json.loads(out)
    assert report["summary"]["entities"] == {"added": 1, "removed": 1, "type": 1, "boundary": 1, "type+boundary": 0}
    assert len(report["articles"][0]["changes"]) == 8
    code, out, _ = run_cli("diff", gold_path, new_path.parent, "--format", "html")
    assert out.count('<section><h3 class="ltr" dir="ltr">') == 2  # both readings
    assert 'class="m ent t-GPE changed" style="--h:1" id="a0-old-T1"' in out
    assert 'id="a0-new-T1"' in out and 'class="m ent t-DATE removed" style="--h:1" id="a0-old-T6"' in out
    assert 'class="m ent t-LAW added" style="--h:1" id="a0-new-T4"' in out


def test_release_against_its_corpus_is_unchanged(run_cli, tmp_path):
    # the corpus v0.1.0 was built from (the repository's record has since been re-annotated)
    code, out, err = run_cli("diff", V010, write_published_corpus(tmp_path / "corpus"))
    assert code == 0, err
    assert out.splitlines()[-1] == "summary: articles: 1 unchanged; entities: no change; events: no change"


def test_diff_refuses_records_it_cannot_read(gold_path, tmp_path, run_cli):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, out, err = run_cli("diff", gold_path, bad)
    assert code == 1
    assert "[L1 json-syntax]" in out and err.startswith("khabar: error: 1 record(s) cannot be compared")
    code, _, err = run_cli("diff", gold_path, tmp_path / "missing")
    assert code == 2 and err.strip().endswith("missing: no such file or folder")


def test_previous_release_is_the_highest_lower_version(tmp_path):
    for name in ("v0.1.0", "v0.2.0", "v0.10.0", "notes", "v1.0"):
        (tmp_path / name).mkdir()
    assert previous_release(tmp_path, "0.10.1").name == "v0.10.0"
    assert previous_release(tmp_path, "0.2.0").name == "v0.1.0"
    assert previous_release(tmp_path, "0.1.0") is None


def test_a_new_release_card_summarises_the_diff_against_the_previous(gold, tmp_path):
    releases = tmp_path / "releases"
    releases.mkdir()
    shutil.copytree(V010, releases / "v0.1.0")
    corpus = write_published_corpus(tmp_path / "corpus")
    (record_path,) = corpus.glob("2021/*.json")
    record_path.write_text(json.dumps(reannotated(gold), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    date = release_date("0.1.0", REPO / "CHANGELOG.md")
    # the re-annotation is `reviewed`: a release of it must include that status
    build_release(corpus, releases / "v0.2.0", REPO, "0.2.0", date, statuses=["reviewed"])
    card = (releases / "v0.2.0" / "README.md").read_text(encoding="utf-8")
    section = card.split("## Changes since v0.1.0\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert section.splitlines()[2:] == [
        "Articles: 0 added, 0 removed, 1 with changed annotations or metadata, 0 unchanged.",
        "",
        "| | added | removed | type | boundary | type+boundary | arguments/mode/context |",
        "|---|---|---|---|---|---|---|",
        "| entities | 1 | 1 | 1 | 1 | 0 | – |",
        "| events | 0 | 1 | 1 | 0 | 0 | 2 |",
        "",
        f"- `{gold['id']}`: changed, 8 annotation change(s)",
    ]
    assert verify_release(releases / "v0.2.0") == []
    # the card's numbers are those of `khabar diff` between the two release folders
    assert diff_paths(releases / "v0.1.0", releases / "v0.2.0").summary() == {
        "articles": {"added": 0, "removed": 0, "changed": 1, "unchanged": 0},
        "entities": {"added": 1, "removed": 1, "type": 1, "boundary": 1, "type+boundary": 0},
        "events": {"added": 0, "removed": 1, "type": 1, "boundary": 0, "type+boundary": 0,
                   "arguments/mode/context": 2},
    }
    # the first release has no previous one: no such section (v0.1.0 keeps rebuilding identical)
    assert "## Changes since" not in (V010 / "README.md").read_text(encoding="utf-8")


def test_release_changes_count_added_and_removed_articles_and_list_at_most_the_first(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from khabar.release import changes

    releases = tmp_path / "releases"
    shutil.copytree(V010, releases / "v0.1.0")
    staging = tmp_path / "staging" / "data" / "documents"
    staging.mkdir(parents=True)
    [shard] = (V010 / "data" / "documents").glob("*.parquet")
    table = pq.read_table(shard)
    renamed = table.set_column(0, "id", pa.array(["synthetic-renamed-article"], pa.string()))
    pq.write_table(renamed, staging / shard.name)
    found = changes.release_changes(releases, "0.2.0", tmp_path / "staging")
    assert found.summary["articles"] == {"added": 1, "removed": 1, "changed": 0, "unchanged": 0}
    assert found.articles == [("synthetic-renamed-article", "added", 0), (table["id"][0].as_py(), "removed", 0)]
    monkeypatch.setattr(changes, "CHANGES_LISTED", 1)
    found = changes.release_changes(releases, "0.2.0", tmp_path / "staging")
    assert (found.articles, found.more) == ([("synthetic-renamed-article", "added", 0)], 1)
    assert changes.card_section(found, "0.2.0").endswith("- `synthetic-renamed-article`: added\n- and 1 more")


def test_the_committed_release_card_states_the_diff_against_the_previous_release(run_cli):
    """`khabar build` (metadata from the project, no version argument) writes the section too."""
    card = (REPO / "releases" / "v0.2.0" / "README.md").read_text(encoding="utf-8")
    code, out, _ = run_cli("diff", REPO / "releases" / "v0.1.0", REPO / "releases" / "v0.2.0", "--format", "json")
    articles = json.loads(out)["summary"]["articles"]
    assert code == 0 and "## Changes since v0.1.0" in card
    assert (f"Articles: {articles['added']} added, {articles['removed']} removed, {articles['changed']} with changed "
            f"annotations or metadata, {articles['unchanged']} unchanged.") in card
