"""`khabar stats`: counts per record, per split and per source, and the published sizes of the
external corpora reproduced from their imported records."""

import contextlib
import io
import json
from collections import Counter

import pytest

from conftest import EXTERNAL, REPO, write_published_corpus
from khabar import stats
from khabar.record_io import dumps_record
from khabar.tokens import sentence_spans, tokenize
from test_interchange import synthetic_record



def test_entity_depths():
    spans = [(0, 10), (0, 4), (5, 10), (5, 10), (6, 8), (12, 14)]
    entities = [{"start": start, "end": end} for start, end in spans]
    # an entity on exactly the span of an earlier one counts as inside it
    assert stats.entity_depths(entities) == [0, 1, 1, 2, 3, 0]


def test_record_tally():
    record = synthetic_record()
    tally = stats.record_tally(record)
    text = record["text"]
    assert (tally.articles, tally.paragraphs, tally.words) == (1, 3, len(text.split()))
    assert tally.sentences == len(sentence_spans(text)) == 3
    assert tally.tokens == sum(len(tokenize(text, s, e)) for s, e in sentence_spans(text))
    assert tally.imported_articles == 0 and tally.source_tokens == 0
    assert tally.entities == {"PERS": 3, "GPE": 2, "OCC": 1, "DATE": 1, "ORG": 1, "NORP": 1}
    assert tally.depths == {0: 8, 1: 1}
    assert tally.events == {"CONSULT": 1, "SUPPORT": 1}
    assert tally.modes == {"visit": 1, "future": 1}
    assert tally.contexts == {"diplomatic": 1, "economic": 2}


@pytest.fixture
def corpus_with_splits(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in (1, 2, 3):
        record = synthetic_record(f"synthetic-stats-000{number}")
        record["text"] += "\n\n" + "فقرة إضافية." * number
        if number == 3:
            record["source"]["name"] = "khabar second synthetic source"
        (folder / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    (folder / "splits.tsv").write_text("id\tsplit\tstory\nsynthetic-stats-0001\ttrain\ts1\n"
                                       "synthetic-stats-0002\ttest\ts2\nsynthetic-stats-0003\ttrain\ts3\n", encoding="utf-8")
    return folder


def test_stats_per_split_and_source(corpus_with_splits, run_cli):
    code, out, err = run_cli("stats", corpus_with_splits, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["all"]["articles"] == 3 and data["all"]["entities"]["total"] == 27
    assert data["all"]["entities"]["by_type"] == {"PERS": 9, "NORP": 3, "OCC": 3, "ORG": 3, "GPE": 6, "DATE": 3}
    assert data["all"]["events"]["by_type"] == {"CONSULT": 3, "SUPPORT": 3}
    assert {name: d["articles"] for name, d in data["splits"].items()} == {"train": 2, "test": 1}
    assert {name: d["articles"] for name, d in data["sources"].items()} == {
        "khabar second synthetic source": 1, "khabar synthetic test source": 2}
    assert data["source_files"] == {}
    code, markdown, _ = run_cli("stats", corpus_with_splits)
    assert code == 0 and markdown.startswith("# khabar statistics\n\n## All records\n")
    assert "| articles | 3 |" in markdown and "## By split" in markdown and "| NORP | 3 |" in markdown
    assert "| 1 | 3 |" in markdown  # three entities at depth 1


def test_the_published_first_article(run_cli, tmp_path):
    # a fixed gold corpus: the first article as published in v0.1.0 (78 entities, 28 events), its registry: train
    code, out, _ = run_cli("stats", write_published_corpus(tmp_path / "corpus"), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["all"]["articles"], data["all"]["entities"]["total"], data["all"]["events"]["total"]) == (1, 78, 28)
    assert data["splits"]["train"]["articles"] == 1


def test_invalid_records_stop_stats(tmp_path, run_cli):
    record = synthetic_record("synthetic-stats-invalid")
    record["entities"][0]["type"] = "PERSON"
    (tmp_path / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    code, out, err = run_cli("stats", tmp_path)
    assert code == 1 and "[L2 schema-enum]" in out and "stats count valid records only" in err


# ---------------------------------------------------------------- published sizes

def _import(tmp_path_factory, name: str, files: list, *options) -> dict:
    from khabar.cli import main

    out_dir = tmp_path_factory.mktemp(name)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["import", "conll", *map(str, files), "--out", str(out_dir), *options]) == 0
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        assert main(["stats", str(out_dir), "--format", "json"]) == 0
    return json.loads(report.getvalue())


@pytest.fixture(scope="module")
def anercorp_stats(tmp_path_factory):
    return _import(tmp_path_factory, "anercorp", [EXTERNAL / "anercorp-camel-test" / "ANERCorp_CamelLab_test.txt"],
                   "--types-map", "anercorp", "--source-name", "ANERcorp", "--license", "CC BY-SA 4.0",
                   "--published", "2007-01-01")


@pytest.fixture(scope="module")
def liu_stats(tmp_path_factory):
    files = [EXTERNAL / "aqmar-liu2019" / f"{split}.txt" for split in ("train", "dev", "test")]
    return _import(tmp_path_factory, "liu", files, "--types-map", "aqmar", "--source-name", "AQMAR re-split",
                   "--license", "CC BY-SA 3.0", "--published", "2019-01-01")


@pytest.mark.external
def test_anercorp_test_split_has_its_published_25008_words(anercorp_stats):
    # Obeid et al. (2020), the CAMeL Lab split: 25,008 test words
    split = anercorp_stats["source_files"]["ANERcorp: ANERCorp_CamelLab_test.txt"]
    assert (split["words"], split["source"]["tokens"], split["source"]["sentences"]) == (25_008, 25_008, 925)


@pytest.mark.external
def test_anercorp_spans_per_source_type_are_the_file_s_own(anercorp_stats):
    # every span of the file (an I- without B- starts one, as conlleval reads it), MISC included
    # though it has no khabar type: the importer loses none of them
    counted, previous = Counter(), "O"
    for line in (EXTERNAL / "anercorp-camel-test" / "ANERCorp_CamelLab_test.txt").read_text(encoding="utf-8").splitlines():
        tag = line.split()[1] if len(line.split()) > 1 else "O"
        if tag.startswith("B-") or (tag.startswith("I-") and previous[2:] != tag[2:]):
            counted[tag[2:]] += 1
        previous = tag
    assert anercorp_stats["all"]["source"]["spans"] == {
        "total": 2285, "by_source_type": {"LOC": 676, "MISC": 243, "ORG": 459, "PERS": 907},
        "without_khabar_type": {"MISC": 243}} and dict(counted) == {"PERS": 907, "LOC": 676, "ORG": 459, "MISC": 243}


@pytest.mark.external
def test_aqmar_resplit_has_its_published_token_counts(liu_stats):
    files = liu_stats["source_files"]
    sizes = {name.split(": ")[1]: (d["source"]["tokens"], d["words"]) for name, d in files.items()}
    # README of LiyuanLucasLiu/ArabicNER: train 36,050 / dev 19,519 / test 18,284 tokens. The source
    # counts match exactly; in the text, train has 33 tokens fewer: tokens made only of U+200F/U+200E
    # marks, which khabar text cannot hold (reported one by one as token-dropped)
    assert sizes == {"train.txt": (36_050, 36_017), "dev.txt": (19_519, 19_519), "test.txt": (18_284, 18_284)}
    assert liu_stats["all"]["source"]["tokens"] == 36_050 + 19_519 + 18_284 == 73_853


def test_datasheet_charts_are_current(tmp_path, run_cli):
    """docs/stats/*.png, embedded in DATASHEET.md, are what `khabar stats corpus --charts` draws now."""
    from conftest import REPO

    code, _, _ = run_cli("stats", REPO / "corpus", "--charts", tmp_path)
    assert code == 0
    for name in ("entity_types.png", "event_types.png"):
        assert (tmp_path / name).read_bytes() == (REPO / "docs" / "stats" / name).read_bytes(), \
            "run: khabar stats corpus --charts docs/stats"
        assert f"](docs/stats/{name})" in (REPO / "DATASHEET.md").read_text(encoding="utf-8")


def test_imported_spans_are_counted_per_source_type_with_those_without_khabar_type(tmp_path, run_cli):
    # synthetic CoNLL through the ANERcorp map: LOC becomes GPE, MISC has no khabar type (kept in the note)
    conll = tmp_path / "synthetic.conll"
    conll.write_text("سمير B-PERS\nزار O\nبيروت B-LOC\n\nمهرجان B-MISC\nالفيلم I-MISC\nفي O\nبيروت B-LOC\n",
                     encoding="utf-8")
    assert run_cli("import", "conll", conll, "--out", tmp_path / "out", "--types-map", "anercorp", "--source-name",
                   "synthetic", "--license", "none", "--published", "2020-01-01")[0] == 0
    code, out, _ = run_cli("stats", tmp_path / "out", "--format", "json")
    data = json.loads(out)["all"]
    assert code == 0 and data["entities"]["by_type"] == {"PERS": 1, "GPE": 2}
    assert data["source"]["spans"] == {"total": 4, "by_source_type": {"LOC": 2, "MISC": 1, "PERS": 1},
                                       "without_khabar_type": {"MISC": 1}}
    code, out, _ = run_cli("stats", tmp_path / "out")
    table = out[out.index("### Source spans by source type"):].split("\n\n")[1].splitlines()
    assert table[2:] == ["| LOC | 2 | 0 |", "| MISC | 1 | 1 |", "| PERS | 1 | 0 |", "| total | 4 | 1 |"]


def test_records_not_imported_have_no_source_spans(corpus_with_splits, run_cli):
    code, out, _ = run_cli("stats", corpus_with_splits, "--format", "json")
    assert code == 0 and "spans" not in json.loads(out)["all"]["source"]


def test_single_paragraph_bodies_are_counted(run_cli, tmp_path):
    """Crawls that lost the line breaks give one-paragraph bodies; stats says how many."""
    record = synthetic_record()
    one = dict(record, id="synthetic-one-paragraph", text=record["title"] + "\n\n" + "جملة أولى. جملة ثانية.",
               entities=[], events=[], event_labels=[])
    assert (stats.record_tally(record).single_paragraph, stats.record_tally(one).single_paragraph) == (0, 1)
    collected = stats.collect([record, one])
    assert collected["all"]["single_paragraph_articles"] == 1
    assert "| articles whose body is one paragraph (no line break in the source) | 1 |" in stats.render_markdown(collected)
