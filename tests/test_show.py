"""khabar show: pages of records (structure, escaping, incidents, files written)."""

import copy
import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from conftest import REPO, TEST_CASES
from khabar import labels
from khabar.show import layout
from khabar.show.palette import WHITE, contrast, entity_styles
from khabar.show.records import LoadedRecord

GOLD = REPO / "corpus" / "2021" / "quds-press-international-2021-11-24-aed626f9.json"
GOLD_PAGE = "quds-press-international-2021-11-24-aed626f9.html"
CROSSING = TEST_CASES / "invalid-L3" / "span-crossing" / "synthetic-span-crossing.json"


class Elements(HTMLParser):
    """Start tags with their attributes and nesting depth; text outside tags; script bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.stack, self.scripts, self.in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes, [dict(a) for _, a in self.stack]))
        if tag not in ("meta", "br", "link"):
            self.stack.append((tag, attrs))
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


def parsed(html):
    parser = Elements()
    parser.feed(html)
    return parser


def test_palette_covers_the_schema_types_with_distinct_readable_styles():
    styles = entity_styles()
    assert [s.name for s in styles] == list(labels.entity_types().names)
    assert len({(s.colour, s.pattern) for s in styles}) == len(styles) == 21
    for style in styles:
        assert contrast(style.colour, style.label_text) >= 4.5, style  # the type label is readable
        assert style.colour.upper() != "#F0E442"  # Okabe-Ito yellow is too light on white
    assert contrast("#000000", WHITE) == pytest.approx(21.0)


def test_layout_nests_every_entity_of_the_first_article_at_its_depth():
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    marks, undrawable = layout.marks_of(record)
    assert undrawable == []
    paragraphs = layout.paragraphs(record["text"], marks)
    depth_of, pieces = {}, []

    def walk(items, ancestors):
        for item in items:
            if isinstance(item, str):
                pieces.append(item)
                continue
            assert item.first  # a valid record has no fragments
            if item.kind == layout.ENTITY:
                depth_of[item.key] = sum(a.kind == layout.ENTITY for a in ancestors)
            walk(item.items, ancestors + [item])

    for paragraph in paragraphs:
        walk(paragraph.items, [])
    # the text is drawn exactly, paragraph by paragraph
    assert "\n\n".join(pieces_of(p) for p in paragraphs) == record["text"]
    entities = record["entities"]
    expected = {e["id"]: sum(1 for o in entities if o is not e and o["start"] <= e["start"] and e["end"] <= o["end"])
                for e in entities}
    assert depth_of == expected
    assert sorted(depth_of.values()).count(0) == 60 and max(depth_of.values()) == 2


def pieces_of(paragraph):
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, str):
                out.append(item)
            else:
                walk(item.items)

    walk(paragraph.items)
    return "".join(out)


def test_crossing_spans_are_cut_into_fragments_and_the_id_stays_on_the_first():
    record = json.loads(CROSSING.read_text(encoding="utf-8"))
    marks, _ = layout.marks_of(record)
    fragments = []

    def walk(items):
        for item in items:
            if not isinstance(item, str):
                fragments.append(item)
                walk(item.items)

    for paragraph in layout.paragraphs(record["text"], marks):
        walk(paragraph.items)
    t8 = [(f.start, f.end, f.first) for f in fragments if f.key == "T8" and f.kind == layout.ENTITY]
    # T13 [117:125] opens first; T8 [120:142] is cut at 125 and continues after it
    assert t8 == [(120, 125, True), (125, 142, False)]


def test_joined_letters_before_a_mark_are_detected():
    assert layout.joins_across("للتعاون", 1)  # لـ + تعاون: lam joins the next letter
    assert not layout.joins_across("والمغرب", 1)  # waw never joins the next letter
    assert not layout.joins_across("في المغرب", 3)


def test_show_writes_a_page_per_record_and_an_index(tmp_path, run_cli):
    out = tmp_path / "pages"
    code, _, err = run_cli("show", REPO / "corpus", "--out", out)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["index.html", GOLD_PAGE]
    html = (out / GOLD_PAGE).read_text(encoding="utf-8")
    page = parsed(html)
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    ids = [attrs.get("id") for _, attrs, _ in page.tags]
    for entity in record["entities"]:
        assert ids.count(entity["id"]) == 1
    triggers = {attrs["id"]: attrs for tag, attrs, _ in page.tags if "data-trigger" in attrs}
    for event in record["events"]:  # every event's arguments are on its trigger (one trigger per event here)
        args = triggers[event["id"]]["data-args"].split()
        assert args == [f"{a['role']}:{a['entity']}" for a in event["arguments"]]
        assert f'id="row-{event["id"]}"' in html
    # no network: nothing is fetched from anywhere
    assert not re.search(r'(src|href)="(https?:)?//', html.replace(f'href="{record["source"]["url"]}"', ""))
    assert '<html lang="ar" dir="rtl">' in html and 'class="text" dir="rtl" lang="ar"' in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{GOLD_PAGE}">{record["id"]}</a>' in index
    assert "<td>gold</td>\n<td>78</td>\n<td>28</td>\n<td>0</td>\n<td>0</td>" in index


def test_show_never_overwrites(tmp_path, run_cli):
    out = tmp_path / "pages"
    out.mkdir()
    (out / "index.html").write_text("mine", encoding="utf-8")
    code, _, err = run_cli("show", REPO / "corpus", "--out", out)
    assert code == 2
    assert err.strip().endswith("index.html exists; show never overwrites a file (choose another --out)")
    assert (out / "index.html").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_script_in_text_and_notes_renders_as_text(tmp_path, run_cli):
    """Synthetic record: markup in the text, an entity over it, and in the notes."""
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    record = copy.deepcopy(record)
    injected = "<script>alert(1)</script>"
    record["text"] = record["text"] + "\n\n" + injected
    start = len(record["text"]) - len(injected)
    record["entities"].append({"id": "T999", "start": start, "end": len(record["text"]), "type": "WEBSITE",
                               "text": injected})
    record["annotation"]["notes"] = "<script>alert(2)</script> & <b>bold</b>"
    record["source"]["url"] = 'https://example.org/"><script>alert(3)</script>'
    path = tmp_path / "in" / "synthetic.json"
    path.parent.mkdir()
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run_cli("show", path, "--out", tmp_path / "out")
    html = (tmp_path / "out" / GOLD_PAGE).read_text(encoding="utf-8")
    page = parsed(html)
    assert all("alert" not in script for script in page.scripts)  # the only script is the page's own
    assert html.count("<script>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "<b>" not in html
    entity = next(attrs for _, attrs, _ in page.tags if attrs.get("id") == "T999")
    assert entity["data-entity"] == "T999"


def test_incidents_are_marked_at_their_spans(tmp_path, run_cli):
    code, _, err = run_cli("show", CROSSING, "--out", tmp_path / "out")
    assert code == 1  # the record has a validation error; its page is written anyway
    html = (tmp_path / "out" / "synthetic-span-crossing.html").read_text(encoding="utf-8")
    page = parsed(html)
    t8 = next(attrs for _, attrs, _ in page.tags if attrs.get("id") == "T8")
    assert "bad" in t8["class"].split()
    assert '<a class="inc" href="#incident-1" title="incident 1">⚠1</a>' in html
    assert ('<li id="incident-1" class="error"><a href="#T8">at the mark</a>: <code>'
            'tests/test-cases/invalid-L3/span-crossing/synthetic-span-crossing.json:63: [L3 span-crossing] entities[7] '
            '(T8) [120:142] crosses entities[12] (T13) [117:125]</code></li>') in html.replace(str(REPO) + "/", "")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<td>1</td>\n<td>0</td>" in index  # one error, no warning


def test_records_that_do_not_match_the_schema_are_listed_not_drawn(tmp_path, run_cli):
    folder = tmp_path / "in"
    shutil.copytree(TEST_CASES / "invalid-L2" / "schema-type", folder)
    shutil.copy(GOLD, folder / GOLD.name)
    code, _, err = run_cli("show", folder, "--out", tmp_path / "out")
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.html", GOLD_PAGE]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "(not drawn)" in index and "[L2 schema-type]" in index
    assert "<p>1 drawn, 1 not drawn (levels 1-2 failed);\n1 with validation errors, 0 with warnings.</p>" in index
    assert "1 not drawn" in err


def test_show_reads_a_release_folder(tmp_path, run_cli):
    code, _, err = run_cli("show", REPO / "releases" / "v0.1.0", "--out", tmp_path / "out")
    assert code == 0, err
    from_release = (tmp_path / "out" / GOLD_PAGE).read_text(encoding="utf-8")
    run_cli("show", GOLD, "--out", tmp_path / "out2")
    from_record = (tmp_path / "out2" / GOLD_PAGE).read_text(encoding="utf-8")
    # the same page but for the file shown in its header
    strip = re.compile(r"<nav .*?</nav>")
    assert strip.sub("", from_release) == strip.sub("", from_record)


def test_loaded_record_without_record_has_no_id():
    assert LoadedRecord("f.json", 1, None).record_id is None
