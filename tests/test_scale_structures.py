"""The compact structures and vectorized paths that let validate and build scale (issue 7)
give exactly the results of the plain definitions they stand in for."""

import copy
import json
import pickle
import subprocess
import sys

import numpy as np
import pytest

from conftest import EXTERNAL, REPO

from khabar import compact, ner
from khabar.compact import KeyIndex, StringIndex, StringStore
from khabar.splits import RegistryError, read_registry, read_registry_index
from khabar.tokens import sentence_spans

GOLD = sorted((REPO / "corpus").rglob("*.json"))[0]


@pytest.fixture
def small_merges(monkeypatch):
    monkeypatch.setattr(KeyIndex, "MERGE_EVERY", 3)


@pytest.fixture
def colliding_keys(monkeypatch):
    """Every string gets the same 64-bit key: lookups must still compare full values."""
    monkeypatch.setattr(compact, "key_of", lambda data: 7)
    monkeypatch.setattr(compact, "digest_key", lambda digest: 7)


def test_key_index_keeps_numbers_in_order_across_merges_and_pickling(small_merges):
    index = KeyIndex()
    for number, key in enumerate([5, 9, 5, 2**64 - 1, 5, 9, 0, 5]):
        index.add(key, number)
    assert index.numbers(5) == [0, 2, 4, 7] and index.numbers(9) == [1, 5]
    assert index.numbers(2**64 - 1) == [3] and index.numbers(0) == [6] and index.numbers(4) == []
    copied = pickle.loads(pickle.dumps(index))
    assert [copied.numbers(k) for k in (5, 9, 0, 4)] == [[0, 2, 4, 7], [1, 5], [6], []]


def test_string_index_is_exact_when_every_key_collides(small_merges, colliding_keys):
    index = StringIndex()
    words = ["خبر", "news", "", "خبر-2", "\U0001d400 outside the BMP", "news "]
    assert [index.find_or_add(word) for word in words] == [(n, True) for n in range(6)]
    assert [index.find(word) for word in words] == list(range(6))
    assert index.find("new") is None and index.find("News") is None
    assert index.contains_each(["news", "News", ""]) == [True, False, True]
    assert list(index) == words and len(index) == 6


def test_digest_index_is_exact_when_every_key_collides(small_merges, colliding_keys):
    from khabar.compact import DigestIndex

    index = DigestIndex()
    digests = [bytes([n]) * 16 for n in range(5)]
    assert [index.find_or_add(d) for d in digests] == [(n, True) for n in range(5)]
    assert [index.find_or_add(d) for d in reversed(digests)] == [(n, False) for n in reversed(range(5))]


def test_string_store_round_trips_text():
    store = StringStore()
    for text in ["", "a", "السلام عليكم", "\u200f", "a\tb\nc"]:
        store.append(text)
    assert list(store) == ["", "a", "السلام عليكم", "\u200f", "a\tb\nc"] and store[2] == "السلام عليكم"


def test_registry_index_agrees_with_the_registry_reader(tmp_path, small_merges, colliding_keys):
    registry = tmp_path / "splits.tsv"
    rows = [(f"id-{n}", ("train", "validation", "test")[n % 3]) for n in range(10)]
    registry.write_text("# comment\nid\tsplit\tstory\n" + "".join(f"{i}\t{s}\t{i}\n" for i, s in rows), encoding="utf-8")
    index = read_registry_index(registry)
    assert list(index) == [(e.id, e.split) for e in read_registry(registry).values()] == rows
    assert [index.split_of(i) for i, _ in rows] == [s for _, s in rows] and index.split_of("id-10") is None
    registry.write_text(registry.read_text() + "id-4\ttest\tid-4\n", encoding="utf-8")
    for reader in (read_registry, read_registry_index):
        with pytest.raises(RegistryError) as error:
            reader(registry)
        assert (error.value.line, str(error.value)) == (13, "id 'id-4' listed twice")
    # the first problem in file order wins, whichever kind it is
    for extra, expected in (("id-5\ttest\tid-5\nbroken line\n", (13, "id 'id-5' listed twice")),
                            ("broken line\nid-5\ttest\tid-5\n",
                             (13, "expected 3 tab-separated fields (id, split, story), found 1"))):
        registry.write_text("id\tsplit\tstory\n# c\n" + "".join(f"{i}\t{s}\t{i}\n" for i, s in rows) + extra,
                            encoding="utf-8")
        for reader in (read_registry, read_registry_index):
            with pytest.raises(RegistryError) as error:
                reader(registry)
            assert (error.value.line, str(error.value)) == expected, reader


def test_corpus_checks_find_duplicates_exactly_when_keys_collide(tmp_path, run_cli, small_merges, colliding_keys):
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    lines = []
    for number in range(8):
        lines.append(dict(record, id=f"{record['id']}-{number}", text=record["text"] + f" {number}"))
    lines.append(dict(lines[2]))  # same id and text as record 2
    lines.append(dict(lines[5], id=lines[5]["id"] + "x"))  # same text as record 5
    shard = tmp_path / "c" / "shard.jsonl"
    shard.parent.mkdir()
    shard.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    code, out, _ = run_cli("validate", tmp_path / "c", "--workers", "1")
    found = [line for line in out.splitlines() if "duplicate" in line]
    assert code == 1 and found == [
        f"{shard}:9: [L4 duplicate-article-id] id '{record['id']}-2' is already used at {shard}:3",
        f"{shard}:9: [L4 duplicate-text] same text as {shard}:3 ({record['id']}-2)",
        f"{shard}:10: [L4 duplicate-text] same text as {shard}:6 ({record['id']}-5)",
    ], out


def _records_for_tagging(tmp_path, with_wojood: bool) -> list[dict]:
    """Synthetic articles, the gold article, Wojood's nested records (with_wojood), and edited copies
    that take the rule's hard cases: a span across a sentence end, in white space, sharing a token."""
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "150", str(tmp_path / "syn"),
                    "--layout", "jsonl"], check=True, capture_output=True)
    records = [json.loads(line) for shard in sorted((tmp_path / "syn").glob("*.jsonl"))
               for line in shard.read_text(encoding="utf-8").splitlines()]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    records.append(gold)
    gold_and_synthetic = list(records)
    from khabar.cli import main
    wojood = EXTERNAL / "wojood-sample"
    assert not with_wojood or main(["import", "conll", str(wojood / "train.txt"), "--out", str(tmp_path / "wojood"),
                 "--source-name", "Wojood sample", "--license", "MIT", "--published", "2022-01-01",
                 "--id-prefix", "wojood-sample"]) == 0
    records += [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "wojood").rglob("*.json"))]
    assert not with_wojood or len(records) > len(gold_and_synthetic)
    spans = sentence_spans(gold["text"])
    end, next_start = spans[1][1], spans[2][0]  # a paragraph break between them
    space = gold["text"].index(" ", spans[1][0])
    edits = [
        [{"id": "T900", "start": end - 3, "end": next_start + 3, "type": "ORG", "text": ""}],  # across a sentence end
        [{"id": "T901", "start": space, "end": space + 1, "type": "ORG", "text": ""}],  # white space only
        [{"id": "T902", "start": 0, "end": 2, "type": "ORG", "text": ""},  # two spans in one token
         {"id": "T903", "start": 2, "end": 4, "type": "GPE", "text": ""}],
    ]
    for number, extra in enumerate(edits):
        edited = copy.deepcopy(gold)
        edited["id"] += f"-edit{number}"
        edited["entities"] = [e for e in edited["entities"] if not any(
            e["start"] < x["end"] and x["start"] < e["end"] for x in extra)] + extra
        records.append(edited)
    return records


# Wojood's nested records add the real corpus's shapes; without the third-party data the rest still runs
WITH_WOJOOD = pytest.mark.parametrize("with_wojood", [False, pytest.param(True, marks=pytest.mark.external)])


@WITH_WOJOOD
def test_vectorized_tagging_agrees_with_the_rule_entity_by_entity(tmp_path, monkeypatch, with_wojood):
    records = _records_for_tagging(tmp_path, with_wojood)
    codes = {name: code for code, name in enumerate(ner.labels.entity_types().names)}
    fast = [ner.bio_batch([record], codes) for record in records]
    together = ner.bio_batch(records, codes)
    simple = ner._tag_simply
    monkeypatch.setattr(ner, "_tag_simply", lambda *args: (np.zeros_like(simple(*args)[0]),) + simple(*args)[1:])
    slow = [ner.bio_batch([record], codes) for record in records]
    for record, a, b in zip(records, fast, slow):
        assert np.array_equal(a.tags, b.tags) and a.stats == b.stats, record["id"]
        assert np.array_equal(a.sentence_offsets, b.sentence_offsets)
    # tagging a batch together gives each record what tagging it alone gives
    assert np.array_equal(together.tags, np.concatenate([a.tags for a in fast]))
    assert together.stats.entities == sum(a.stats.entities for a in fast)
    assert together.stats.widened == sum(a.stats.widened for a in fast)
    assert together.stats.dropped == [d for a in fast for d in a.stats.dropped]
    # both paths were taken: the edited copies and some Wojood records need the rule one by one
    dropped = {d.split(":")[0] for a in fast for d in a.stats.dropped}
    assert {GOLD.stem + f"-edit{n}" for n in range(3)} <= dropped
    assert sum(a.stats.entities for a in fast) > 4000


def _encoded(value, feature):
    """Reference encoding of one value, name by name (what the columnar encoder replaces)."""
    from khabar.release.features import ClassLabel, ListOf, Struct

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.names.index(value)
    if isinstance(feature, ListOf):
        return [_encoded(item, feature.item) for item in value]
    if isinstance(feature, Struct):
        return {name: _encoded(value.get(name), item) for name, item in feature.fields}
    return value


@WITH_WOJOOD
def test_columnar_tables_equal_tables_built_row_by_row(tmp_path, with_wojood):
    import pyarrow as pa

    from khabar.release.features import arrow_schema, config_features
    from khabar.release.tables import documents_table, events_table, ner_table

    records = _records_for_tagging(tmp_path, with_wojood)
    documents = documents_table(records)
    rows = [_encoded(record, config_features("documents")) for record in records]
    expected = pa.Table.from_pylist(rows, schema=arrow_schema("documents"))
    # equal values and equal buffers: the card's num_bytes comes from the tables' nbytes
    assert documents.equals(expected) and documents.nbytes == expected.nbytes
    events = pa.Table.from_pylist([{"id": r["id"], "text": r["text"], "labels": row["event_labels"]}
                                   for r, row in zip(records, rows)], schema=arrow_schema("events"))
    assert events_table(documents).equals(events) and events_table(documents).nbytes == events.nbytes
    names = ner.bio_tag_names(ner.labels.entity_types().names)
    converted = [ner.bio_sentences(record) for record in records]
    sentences = [s for record_sentences, _ in converted for s in record_sentences]
    expected_ner = pa.Table.from_pylist([{"id": s.id, "tokens": s.words, "ner_tags": [names.index(t) for t in s.tags]}
                                         for s in sentences], schema=arrow_schema("ner"))
    stats = ner.BioStats()
    table = ner_table(records, stats)
    assert table.equals(expected_ner) and table.nbytes == expected_ner.nbytes and table.num_rows == len(sentences)
    assert stats.entities == sum(c[1].entities for c in converted) > 4000
    # Wojood's records add 32 spans across a sentence end to the 4 of the edited copies
    assert stats.dropped == [d for c in converted for d in c[1].dropped] and len(stats.dropped) == (36 if with_wojood else 4)


def _sentences_by_paragraph_loop(text: str) -> list[tuple[int, int]]:
    """The sentence rule as a loop over paragraphs with a regular expression (the splitter's
    first implementation), to hold the vectorized one to."""
    import re

    spans, offset = [], 0
    for paragraph in text.split("\n\n"):
        begin = 0
        for found in re.finditer(r"[.!?؟…]+(?=\s)", paragraph):
            spans.append((offset + begin, offset + found.end()))
            begin = found.end()
            while begin < len(paragraph) and paragraph[begin].isspace():
                begin += 1
        if begin < len(paragraph):
            spans.append((offset + begin, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return spans


def test_vectorized_sentences_and_tokens_follow_the_rules_on_random_texts():
    import random

    from khabar.textrules import is_word_char
    from khabar.tokens import sentence_arrays, sentence_spans, token_arrays

    rng = random.Random(7)
    alphabet = list("ab1 .!?؟…\n\t\u00a0\u2003\u1680\x1c,\u0640\u064e") + ["\U0001d400", "\U0001f600", "\n\n"]
    texts = ["", "\n\n", " ", "\n\n\n", "a.\n\nb"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    for text in texts:
        assert sentence_spans(text) == _sentences_by_paragraph_loop(text), repr(text)
        starts, ends = token_arrays(text)
        words = [i for i, c in enumerate(text) if not c.isspace()]
        # every non-space character is in exactly one token; a token is one word run or one other character
        assert sorted(i for s, e in zip(starts.tolist(), ends.tolist()) for i in range(s, e)) == words, repr(text)
        for s, e in zip(starts.tolist(), ends.tolist()):
            piece = text[s:e]
            assert (len(piece) == 1 and not is_word_char(piece)) or all(is_word_char(c) for c in piece), repr(text)
            assert not (s > 0 and is_word_char(text[s - 1]) and is_word_char(piece[0])), repr(text)
    for first in range(0, len(texts), 1000):
        chunk = texts[first:first + 1000]
        starts, ends, counts = sentence_arrays(chunk)
        bases = np.cumsum([0] + [len(t) + 1 for t in chunk[:-1]])
        assert list(zip(starts.tolist(), ends.tolist())) == [
            (s + base, e + base) for text, base in zip(chunk, bases.tolist()) for s, e in _sentences_by_paragraph_loop(text)]
        assert counts == [len(_sentences_by_paragraph_loop(text)) for text in chunk]


def test_packed_batch_gives_back_the_same_items(tmp_path):
    from khabar.validate.batches import pack, unpack
    from khabar.validate.incident import Incident
    from khabar.validate.level1 import RawRecord

    items = [Incident("a.jsonl", 1, "utf8-bom", "bom"),
             RawRecord("a.jsonl", tmp_path / "a.jsonl", 2, b'{"x": "\xd8\xae"}\n', True),
             RawRecord("a.jsonl", tmp_path / "a.jsonl", 5, b"", True),
             Incident("a.jsonl", 6, "jsonl-blank-line", "blank"),
             RawRecord("b.json", tmp_path / "b.json", 1, b"{\n}\n", False)]
    copied = pickle.loads(pickle.dumps(pack(items)))
    assert unpack(copied) == items and unpack(pack([])) == []


@pytest.mark.parametrize("text", [
    "Plain ASCII news. Second sentence here!\n\nA new paragraph, with Rome and Paris.",  # one byte a character
    "خبر عاجل من الرباط. زار الوزير 𝐀𝐁 مدينة 北京 اليوم 😀 وعاد.\n\nفقرة ثانية",  # two, three and four bytes
])
def test_ner_rows_of_any_script_equal_the_row_by_row_definition(text):
    import pyarrow as pa

    from khabar.release.features import arrow_schema
    from khabar.release.tables import ner_table

    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    entities = [{"id": f"T{n}", "start": s, "end": e, "type": ("PERS", "GPE", "ORG")[n % 3], "text": text[s:e]}
                for n, (s, e) in enumerate(words[1::3])]
    records = [{"id": f"synthetic-script-{n}", "text": text, "entities": entities} for n in range(3)]
    names = ner.bio_tag_names(ner.labels.entity_types().names)
    sentences = [s for record in records for s in ner.bio_sentences(record)[0]]
    expected = pa.Table.from_pylist([{"id": s.id, "tokens": s.words, "ner_tags": [names.index(t) for t in s.tags]}
                                     for s in sentences], schema=arrow_schema("ner"))
    table = ner_table(records, ner.BioStats())
    assert table.equals(expected) and table.nbytes == expected.nbytes
    assert any(tag != 0 for row in table.column("ner_tags").to_pylist() for tag in row)


def test_find_or_add_numbers_new_strings_and_finds_old_ones(colliding_keys):
    index = StringIndex()
    assert [index.find_or_add(word) for word in ["a", "b", "a", "c", "b"]] == [
        (0, True), (1, True), (0, False), (2, True), (1, False)]
    assert list(index) == ["a", "b", "c"]
