"""khabar import news: crawled article collections -> draft record shards.

Synthetic articles (marked synthetic in their text) test every skip reason, --strict, --corpus
and the input formats; a sample of the real SaudiNewsNet ZIPs tests counts, licences and that
the body's lines survive.
"""

import json
import os
import zipfile
from pathlib import Path

import pytest

import khabar
from conftest import REPO
from khabar.interchange.newsmap import load_news_map
from khabar.interchange.paragraphs import paragraph_lines
from khabar.interchange.textclean import repair_crawled
from khabar.record_io import dumps_record_line

LICENCE = "CC BY-NC-SA 4.0 (SaudiNewsNet, Alhagri 2015); article text © {}"


def _article(source="alriyadh", url="http://www.alriyadh.com/900001", date="2015-08-05 10:00:00",
             title="عنوان تجريبي مصطنع", author="", content="فقرة تجريبية مصطنعة أولى.\nفقرة تجريبية مصطنعة ثانية."):
    return {"source": source, "url": url, "date_extracted": date, "title": title, "author": author, "content": content}


def _numbered(n: int, **fields) -> dict:
    """A distinct synthetic article (own URL and text)."""
    return _article(url=f"http://www.alriyadh.com/9{n:05d}", title=f"عنوان تجريبي {n}",
                    content=f"فقرة تجريبية مصطنعة رقم {n}.\nفقرة ثانية للخبر التجريبي {n}.", **fields)


def _json_file(folder: Path, name: str, articles) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    return path


def _records(folder: Path) -> list[dict]:
    return [json.loads(line) for shard in sorted(folder.glob("*.jsonl"))
            for line in shard.read_text(encoding="utf-8").splitlines()]


def _run(run_cli, *paths, out, extra=()):
    return run_cli("import", "news", *paths, "--out", out, "--map", "saudinewsnet", *extra)


def test_zip_json_array_json_object_and_jsonl_inputs(run_cli, tmp_path):
    array = _json_file(tmp_path / "in", "array.json", [_numbered(1), _numbered(2)])
    single = _json_file(tmp_path / "in", "single.json", _numbered(3))
    lines = tmp_path / "in" / "lines.jsonl"
    lines.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in (_numbered(4), _numbered(5))),
                     encoding="utf-8")
    archive = tmp_path / "in" / "2015-08-05.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2015-08-05.json", json.dumps([_numbered(6)], ensure_ascii=False))
    code, out, err = _run(run_cli, array, single, lines, archive, out=tmp_path / "out")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2015-08-05.jsonl", "array.jsonl", "lines.jsonl", "single.jsonl"]
    assert [r["source"]["raw_file"] for r in _records(tmp_path / "out")] == [
        "2015-08-05.zip:0", "array.json:0", "array.json:1", "lines.jsonl:1", "lines.jsonl:2", "single.json:0"]
    assert "khabar: read 6 articles from 4 files; wrote 6 draft records in 4 files" in err
    assert run_cli("validate", tmp_path / "out")[0] == 0


def test_record_fields_licence_dates_and_ids(run_cli, tmp_path):
    articles = [
        _article(author="الرياض - محرر تجريبي"),
        _article(source="aleqtisadiya", url="http://www.aleqt.com/2015/07/20/article_1.html", date="2015-07-24 09:00:00",
                 title="عنوان اقتصادي تجريبي", content="نص اقتصادي تجريبي مصطنع."),
        _article(source="okaz", url="http://www.okaz.com.sa/x/1", date="2015-07-24 09:00:00",
                 title="عنوان عكاظ التجريبي", content="نص تجريبي مصطنع من عكاظ."),
    ]
    _run(run_cli, _json_file(tmp_path, "crawl.json", articles), out=tmp_path / "out")
    riyadh, eqt, okaz = _records(tmp_path / "out")
    assert riyadh["id"] == "al-riyadh-2015-08-05-" + __import__("hashlib").sha256("عنوان تجريبي مصطنع".encode()).hexdigest()[:8]
    assert riyadh["source"] == {
        "name": "Al-Riyadh", "url": "http://www.alriyadh.com/900001", "published": "2015-08-05",
        "published_basis": "The crawl date (SaudiNewsNet date_extracted). From 1 August 2015 the collection's README "
                           "says it most probably is the authoring date.",
        "license": LICENCE.format("Al-Riyadh"), "collection": "SaudiNewsNet (Alhagri 2015)",
        "retrieved": "2015-08-05", "country": "SA", "author": "الرياض - محرر تجريبي", "raw_file": "crawl.json:0"}
    assert riyadh["text"] == "عنوان تجريبي مصطنع\n\nفقرة تجريبية مصطنعة أولى.\n\nفقرة تجريبية مصطنعة ثانية."
    assert riyadh["annotation"]["produced_by"] == [f"khabar import news {khabar.__version__}"]
    # the URL's date where the outlet puts one; before 1 August the crawl date is an upper bound
    assert (eqt["source"]["published"], eqt["source"]["published_basis"].split(",")[0]) == (
        "2015-07-20", "The date in the article's URL")
    assert okaz["source"]["published"] == "2015-07-24" and okaz["source"]["published_basis"].startswith("An upper bound")


def test_every_skip_reason_is_one_line_and_counted(run_cli, tmp_path):
    articles = [
        _numbered(1),
        _article(title="  ", url="http://www.alriyadh.com/2"),  # empty title
        _article(title="عنوان بلا نص", content=" \n \n", url="http://www.alriyadh.com/3"),  # empty body
        _article(title="عنوان نصه Array", content="Array", url="http://www.alriyadh.com/4"),  # crawler placeholder
        _article(source="almadina", url="http://www.al-madina.com/node/1/x.html?weekly", title="خبر المدينة",
                 content="نص تجريبي من المدينة."),
        _article(source="almadina", url="http://www.al-madina.com/node/1/x.html?live", title="خبر المدينة الحي",
                 content="نص تجريبي آخر من المدينة."),  # duplicate URL after normalization
        _article(source="alyaum", url="http://www.alyaum.com/article/1", title="عنوان اليوم",
                 content=_numbered(1)["content"].replace("\n", "\n\n  ")),  # same text, white space aside
        _article(source="nowhere", url="http://example.org/1", title="عنوان", content="نص."),  # unknown outlet
        ["not", "an", "article"],
        _article(url="ftp://www.alriyadh.com/5", title="عنوان الرابط", content="نص تجريبي برابط غير صالح."),
    ]
    code, out, err = _run(run_cli, _json_file(tmp_path, "crawl.json", articles), out=tmp_path / "out")
    kept = _records(tmp_path / "out")
    assert code == 0 and [r["source"]["raw_file"] for r in kept] == ["crawl.json:0", "crawl.json:4"]
    skips = [line for line in out.splitlines() if "skipped" in line]
    assert skips == [
        "crawl.json:1: skipped (empty title): the headline is empty; a body paragraph is never made the headline",
        "crawl.json:2: skipped (empty body): no text",
        "crawl.json:3: skipped (empty body): the body is the crawler's placeholder 'Array'",
        f"crawl.json:5: skipped (duplicate URL): same URL as {kept[1]['id']} (http://www.al-madina.com/node/1/x.html?live)",
        f"crawl.json:6: skipped (duplicate text): same text as {kept[0]['id']}",
        "crawl.json:7: skipped (unknown outlet): 'nowhere' is not in the map saudinewsnet",
        "crawl.json:8: skipped (not an article object): a JSON list",
        "crawl.json:9: skipped (validator refuses): [L2 schema-pattern] /source/url: "
        + next(line for line in skips if line.startswith("crawl.json:9")).split("/source/url: ", 1)[1],
    ]
    assert ("khabar: skipped 8: not an article object 1, unknown outlet 1, empty title 1, empty body 2, "
            "duplicate URL 1, duplicate text 1, validator refuses 1") in err
    # the same text in another outlet is syndication, kept in the record that stays
    assert kept[0]["source"]["also_published_by"] == [{"name": "Al-Yaum", "url": "http://www.alyaum.com/article/1"}]
    assert "also_published_by" not in kept[1]["source"]
    assert run_cli("validate", tmp_path / "out")[0] == 0


def test_strict_stops_at_the_first_skip_and_writes_nothing(run_cli, tmp_path):
    crawl = _json_file(tmp_path, "crawl.json", [_numbered(1), _article(title="", url="http://www.alriyadh.com/2")])
    code, out, err = _run(run_cli, crawl, out=tmp_path / "out", extra=["--strict"])
    assert code == 1 and out == "crawl.json:1: skipped (empty title): the headline is empty; a body paragraph is never made the headline\n"
    assert err == ("khabar: error: crawl.json:1: empty title (the headline is empty; a body paragraph is never made "
                   "the headline); stopped by --strict, nothing written\n")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_reimport_against_the_corpus_skips_everything_and_never_overwrites(run_cli, tmp_path):
    crawl = _json_file(tmp_path, "crawl.json", [_numbered(1), _numbered(2)])
    assert _run(run_cli, crawl, out=tmp_path / "day1")[0] == 0
    first = (tmp_path / "day1" / "crawl.jsonl").read_bytes()
    code, _, err = _run(run_cli, crawl, out=tmp_path / "day1")
    assert code == 2 and "crawl.jsonl exists; import never overwrites a file" in err
    assert (tmp_path / "day1" / "crawl.jsonl").read_bytes() == first
    # a day's crawl imported again, with one new article and one copy under another URL
    again = _json_file(tmp_path / "again", "crawl.json",
                       [_numbered(1), _numbered(3), {**_numbered(2), "url": "http://www.alriyadh.com/other"}])
    code, out, err = _run(run_cli, again, out=tmp_path / "day2", extra=["--corpus", tmp_path / "day1"])
    ids = [r["id"] for r in _records(tmp_path / "day1")]
    assert code == 0 and out.splitlines() == [
        f"crawl.json:0: skipped (already in the corpus): same URL as {ids[0]} (http://www.alriyadh.com/900001)",
        f"crawl.json:2: skipped (already in the corpus): same text as {ids[1]}",
    ]
    assert [r["source"]["raw_file"] for r in _records(tmp_path / "day2")] == ["crawl.json:1"]


def test_boilerplate_removed_by_rule_and_reported_datelines_kept(run_cli, tmp_path):
    dateline = "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس"
    spa = _article(source="was", url="http://www.spa.gov.sa/details.php?id=1", title="عنوان الوكالة التجريبي",
                   content=f" {dateline}\n فقرة تجريبية من الوكالة.\n // انتهى //\n 20:26 ت م \n ")
    ain = _article(source="3alyoum", url="http://www.3alyoum.com/news/a/1/", title="عنوان عين اليوم",
                   content=" نايف عبدالله – عين اليوم\nفقرة تجريبية من عين اليوم.")
    bylined = _article(url="http://www.alriyadh.com/7", title="عنوان بتوقيع", author="محرر تجريبي",
                       content="محرر تجريبي\nفقرة تجريبية موقعة.")
    code, out, err = _run(run_cli, _json_file(tmp_path, "crawl.json", [spa, ain, bylined]), out=tmp_path / "out")
    assert code == 0 and out.splitlines() == [
        "crawl.json:0: removed (SPA end mark): // انتهى //",
        "crawl.json:0: removed (SPA end mark (after it)): 20:26 ت م",
        "crawl.json:1: removed (byline (reporter – Ain Alyoum)): نايف عبدالله – عين اليوم",
        "crawl.json:2: removed (byline (the author field)): محرر تجريبي",
    ]
    spa_record, ain_record, bylined_record = _records(tmp_path / "out")
    assert spa_record["text"] == f"عنوان الوكالة التجريبي\n\n{dateline}\n\nفقرة تجريبية من الوكالة."
    assert ain_record["text"] == "عنوان عين اليوم\n\nفقرة تجريبية من عين اليوم."
    assert bylined_record["source"]["author"] == "محرر تجريبي"
    assert ("boilerplate lines removed: SPA end mark 1, SPA end mark (after it) 1, byline (reporter – Ain Alyoum) 1, "
            "byline (the author field) 1") in err


def test_crawl_artefacts_repaired_and_counted_per_kind(run_cli, tmp_path):
    content = ("قال &quot;المتحدث&quot;\xa0إن \u200fالخبر\u200f تجريبي\tمصطنع.\n"
               "\ufeb3\ufe8e\ufecc\ufeaa كلمة بأشكال العرض.\n")
    crawl = _json_file(tmp_path, "crawl.json", [_article(content=content)])
    code, _, err = _run(run_cli, crawl, out=tmp_path / "out")
    [record] = _records(tmp_path / "out")
    assert code == 0 and record["text"].split("\n\n")[1:] == ['قال "المتحدث" إن الخبر تجريبي مصطنع.',
                                                             "ساعد كلمة بأشكال العرض."]
    assert ("characters changed (kind: characters, in articles): html-entity 2 in 1, invisible 2 in 1, nbsp 1 in 1, "
            "presentation-form 4 in 1, space-control 1 in 1") in err
    assert "invisible marks removed: U+200F RIGHT-TO-LEFT MARK 2" in err
    assert "bodies without a line break (one paragraph; no paragraphs invented): 0" in err


def test_single_paragraph_bodies_are_counted_not_split(run_cli, tmp_path):
    sabq = _article(source="sabq", url="http://sabq.org/abc", title="عنوان سبق",
                    content=" سبق- الرياض: جملة أولى.     جملة ثانية.     جملة ثالثة. ")
    _, _, err = _run(run_cli, _json_file(tmp_path, "crawl.json", [sabq]), out=tmp_path / "out")
    [record] = _records(tmp_path / "out")
    assert record["text"] == "عنوان سبق\n\nسبق- الرياض: جملة أولى.     جملة ثانية.     جملة ثالثة."
    assert "bodies without a line break (one paragraph; no paragraphs invented): 1" in err


def test_bad_input_is_one_line_and_nothing_is_written(run_cli, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"source": "alriyadh", "title": "x"}, {"source": ', encoding="utf-8")
    code, out, err = _run(run_cli, _json_file(tmp_path, "good.json", [_numbered(1)]), broken, out=tmp_path / "out")
    assert code == 1 and err.startswith("khabar: error: broken.json:1: not JSON after article 0")
    assert err.count("\n") == 1 and not list((tmp_path / "out").glob("*.jsonl"))
    assert _run(run_cli, tmp_path / "missing.zip", out=tmp_path / "out")[0] == 2
    code, _, err = run_cli("import", "news", broken, "--out", tmp_path / "out", "--map", "anercorp")
    assert code == 2 and err == "khabar: error: anercorp: not a news map (\"kind\": \"news\")\n"


@pytest.fixture(autouse=True)
def _inside(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # file names in messages are shown relative to the working folder


# ---------------------------------------------------------------- the real collection

def _saudinewsnet() -> Path | None:
    for root in (os.environ.get("KHABAR_EXTERNAL"), REPO.parent / "shared" / "external"):
        if root and (Path(root) / "saudinewsnet" / "2015-08-11.zip").is_file():
            return Path(root) / "saudinewsnet"
    return None


def test_real_saudinewsnet_day_imports_with_licences_and_every_body_line_kept(run_cli, tmp_path):
    folder = _saudinewsnet()
    if folder is None:
        pytest.skip("SaudiNewsNet not found: run python scripts/fetch_external.py")
    archive = folder / "2015-08-11.zip"
    code, out, err = _run(run_cli, archive, out=tmp_path / "out")
    assert code == 0, err
    assert "khabar: read 1,686 articles from 1 file; wrote 1,623 draft records in 1 file" in err
    assert "skipped 63: empty title 3, empty body 23, duplicate URL 23, duplicate text 14" in err
    records = _records(tmp_path / "out")
    assert len(records) == 1623 and run_cli("validate", tmp_path / "out")[0] == 0
    # every line is the canonical record line (schema key order, compact), syndicated ones included
    lines = (tmp_path / "out" / "2015-08-11.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert all(line == dumps_record_line(json.loads(line)) for line in lines)
    assert sum("also_published_by" in r["source"] for r in records) == 9
    news_map = load_news_map("saudinewsnet")
    names = {outlet.name for outlet in news_map.outlets.values()}
    with zipfile.ZipFile(archive) as zipped:
        raw = json.loads(zipped.read("2015-08-11.json"))
    removed = {}
    for line in out.splitlines():
        origin, _, rest = line.partition(": removed (")
        if rest:
            removed.setdefault(origin, []).append(rest.split("): ", 1)[1])
    for record in records:
        source = record["source"]
        assert source["name"] in names and source["license"] == LICENCE.format(source["name"])
        index = int(source["raw_file"].split(":")[1])
        article = raw[index]
        # the body is the crawl's lines after the repairs, less the lines reported as removed
        lines = [line for _, line in paragraph_lines(repair_crawled(article["content"], news_map.repairs)[0])]
        for gone in removed.get(source["raw_file"], []):
            lines.remove(gone)
        assert record["text"].split("\n\n")[1:] == lines, source["raw_file"]
    assert records[0]["source"]["raw_file"] == "2015-08-11.zip:0"


def test_white_space_in_a_url_is_percent_encoded_and_counted(run_cli, tmp_path):
    crawl = _json_file(tmp_path, "crawl.json", [_article(url="http://www.al-madina.com/node/1/«خبر»\xa0تجريبي مصطنع.html")])
    code, _, err = _run(run_cli, crawl, out=tmp_path / "out")
    [record] = _records(tmp_path / "out")
    assert code == 0 and record["source"]["url"] == "http://www.al-madina.com/node/1/«خبر»%C2%A0تجريبي%20مصطنع.html"
    assert "url-space 2 in 1" in err


def test_invisible_marks_in_a_url_are_percent_encoded_and_counted(run_cli, tmp_path):
    # SaudiNewsNet has 35 such marks in 19 URLs (bidi embeddings, LRM); raw, the validator refuses the record
    crawl = _json_file(tmp_path, "crawl.json", [_article(url="http://www.alriyadh.com/\u202bخبر-تجريبي\u200e")])
    code, _, err = _run(run_cli, crawl, out=tmp_path / "out")
    [record] = _records(tmp_path / "out")
    assert code == 0 and record["source"]["url"] == "http://www.alriyadh.com/%E2%80%ABخبر-تجريبي%E2%80%8E"
    assert "url-invisible 2 in 1" in err and "skipped 0" in err
    assert run_cli("validate", tmp_path / "out")[0] == 0


def test_output_does_not_depend_on_the_number_of_workers(run_cli, tmp_path):
    articles = [_numbered(n) for n in range(300)] + [_article(title="", url="http://www.alriyadh.com/x")] + \
        [{**_numbered(7), "url": "http://www.alyaum.com/article/7", "source": "alyaum"}, _numbered(7)]
    crawl = _json_file(tmp_path, "crawl.json", articles)
    one = _run(run_cli, crawl, out=tmp_path / "one", extra=["--workers", "1"])
    two = _run(run_cli, crawl, out=tmp_path / "two", extra=["--workers", "2"])
    assert one[0] == two[0] == 0 and one[1] == two[1] and "skipped 3:" in one[2]
    assert (tmp_path / "one" / "crawl.jsonl").read_bytes() == (tmp_path / "two" / "crawl.jsonl").read_bytes()


def test_zip_with_several_members_names_each_member(run_cli, tmp_path):
    archive = tmp_path / "week.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2015-08-02.json", json.dumps([_numbered(1)], ensure_ascii=False))
        zipped.writestr("2015-08-01.jsonl", json.dumps(_numbered(2), ensure_ascii=False) + "\n")
        zipped.writestr("README.txt", "not an article file")
    code, _, err = _run(run_cli, archive, out=tmp_path / "out")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2015-08-01.jsonl", "2015-08-02.jsonl"]
    assert [r["source"]["raw_file"] for r in _records(tmp_path / "out")] == [
        "week.zip/2015-08-01.jsonl:1", "week.zip/2015-08-02.json:0"]


def test_a_url_date_after_the_crawl_is_not_trusted():
    news_map = load_news_map("saudinewsnet")
    eqt = news_map.outlets["aleqtisadiya"]
    later = news_map.publication_date(eqt, "http://www.aleqt.com/2015/08/09/article_1.html", "2015-08-05")
    assert (later.published, later.rule) == ("2015-08-05", "crawl-authoring")
    impossible = news_map.publication_date(eqt, "http://www.aleqt.com/2015/02/30/article_1.html", "2015-07-25")
    assert (impossible.published, impossible.rule) == ("2015-07-25", "crawl-upper-bound")
    assert news_map.normalized_url("almadina", "http://WWW.al-madina.com/node/1/x.html?weekly#top") == \
        news_map.normalized_url("almadina", "http://www.al-madina.com/node/1/x.html?live") == \
        "http://al-madina.com/node/1/x.html"


def test_a_selection_imports_only_its_articles_before_any_duplicate_check(run_cli, tmp_path):
    # article 1 repeats article 0's text: without a selection it is skipped as a copy; selected alone, it is kept
    first, copy = _numbered(1), dict(_numbered(1), url="http://www.alriyadh.com/another")
    day = _json_file(tmp_path / "in", "2015-08-05.json", [first, copy, _numbered(2)])
    batch = tmp_path / "batch.tsv"
    batch.write_text("n\tzip\tindex\tsource\n1\t2015-08-05.json\t1\talriyadh\n2\t2015-08-05.json\t2\talriyadh\n",
                     encoding="utf-8")
    code, _, err = _run(run_cli, day, out=tmp_path / "out", extra=("--select", batch))
    assert code == 0, err
    assert [r["source"]["raw_file"] for r in _records(tmp_path / "out")] == ["2015-08-05.json:1", "2015-08-05.json:2"]
    assert "khabar: read 2 articles from 1 file; wrote 2 draft records in 1 file" in err
    lines = tmp_path / "lines.txt"  # the other form: one file:index a line
    lines.write_text("2015-08-05.json:0\n2015-08-05.json:7\n", encoding="utf-8")
    code, _, err = _run(run_cli, day, out=tmp_path / "other", extra=("--select", lines))
    assert code == 1 and "khabar: selected but in no input: 2015-08-05.json:7" in err
    assert "khabar: error: 1 selected article found in no input" in err
    lines.write_text("2015-08-05.json\n", encoding="utf-8")
    code, _, err = _run(run_cli, day, out=tmp_path / "third", extra=("--select", lines))
    assert (code, err) == (1, "khabar: error: lines.txt:1: expected file:index\n")
    assert not (tmp_path / "third").exists()


def test_files_layout_writes_one_pretty_record_per_article_as_corpus_keeps_them(run_cli, tmp_path):
    day = _json_file(tmp_path / "in", "2015-08-05.json", [_numbered(1), _numbered(2)])
    code, _, err = _run(run_cli, day, out=tmp_path / "corpus", extra=("--layout", "files"))
    assert code == 0, err
    written = sorted((tmp_path / "corpus").rglob("*"))
    files = [p for p in written if p.is_file()]
    assert [p.relative_to(tmp_path / "corpus").parts[0] for p in files] == ["2015", "2015"]
    records = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    assert [p.name for p in files] == [f"{r['id']}.json" for r in records]
    assert files[0].read_text(encoding="utf-8").startswith('{\n  "id": ')  # pretty-printed, schema key order
    assert run_cli("validate", tmp_path / "corpus")[0] == 0
    before = {p: p.read_bytes() for p in files}
    code, _, err = _run(run_cli, day, out=tmp_path / "corpus", extra=("--layout", "files"))
    assert code != 0 and "exists; import never overwrites a file" in err
    assert {p: p.read_bytes() for p in files} == before
    assert sorted(p.name for p in (tmp_path / "corpus" / "2015").iterdir()) == sorted(p.name for p in files)


def test_a_zip_member_reads_as_the_same_file_unzipped(tmp_path):
    """A ZIP member small enough is parsed whole (orjson); whatever orjson would read otherwise or
    refuse (a lone surrogate, an integer beyond 64 bits) goes the incremental way, as a plain .json
    file does, with the same values and the same error for broken JSON."""
    from khabar.interchange.newsreader import read_articles
    from khabar.interchange.problems import BadInput

    def both(text: str, stem: str) -> tuple[list, list]:
        plain = tmp_path / f"{stem}.json"
        plain.write_text(text, encoding="utf-8")
        archive = tmp_path / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr(f"{stem}.json", text)
        return [a.data for a in read_articles(plain)], [(a.origin, a.data) for a in read_articles(archive)]

    plain, zipped = both('[{"title": "a", "n": [15, null], "k": 1, "k": 2}, {"title": "b"}]', "fast")
    assert plain == [{"title": "a", "n": [15, None], "k": 2}, {"title": "b"}]
    assert zipped == [("fast.zip:0", plain[0]), ("fast.zip:1", plain[1])]
    for text, stem in (('[{"title": "\\ud800x"}]', "surrogate"),  # orjson refuses it, ijson reads it
                       ('[{"title": "a", "n": {"x": [1.5, 2e3]}}]', "float")):  # read as ijson reads it
        plain, zipped = both(text, stem)
        assert [data for _, data in zipped] == plain and len(plain) == 1
    for text, stem in (('[{"title": "a"}, {"n": 123456789012345678901234567890}]', "long"),  # ijson stops here;
                       ('[{"title": "a"}, {"title": ', "broken")):  # orjson would read a float above
        archive = tmp_path / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr(f"{stem}.json", text)
        read = []
        with pytest.raises(BadInput, match="not JSON after article 0"):
            read.extend(article.data for article in read_articles(archive))
        assert read == [{"title": "a"}]
