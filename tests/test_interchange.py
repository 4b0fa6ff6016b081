"""Import and export on synthetic data (generated here; ids and sources say synthetic): tag schemes
and repairs, CoNLL layout, bad files, brat and Label Studio identities and offsets."""

import json
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO
from khabar.interchange.tags import SchemeError, UnreadableTag, decode, encode, read_tag
from khabar.interchange.textclean import clean_text
from khabar.textrules import is_edge_punctuation, is_invisible
from khabar.record_io import dumps_record
from khabar.rules import expected_event_labels

SYNTHETIC = ["--source-name", "khabar synthetic test source", "--license", "CC0-1.0", "--published", "2020-01-06",
             "--id-prefix", "synthetic"]


# ---------------------------------------------------------------- a synthetic record

def _spans(text: str, *wanted: tuple[str, int]) -> list[tuple[int, int]]:
    found = []
    for needle, occurrence in wanted:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(needle, start + 1)
        found.append((start, start + len(needle)))
    return found


def synthetic_record(record_id: str = "synthetic-interchange-0001") -> dict:
    """A valid record with nested entities, a normalized date, events with arguments, modes and
    contexts, and characters outside the Basic Multilingual Plane before most spans."""
    title = "سمير حداد يزور القاهرة 🙂"
    text = "\n\n".join([title, "وصل وزير الخارجية سمير حداد إلى القاهرة يوم الاثنين 𞸁 في زيارة رسمية.",
                       "ووقّع حداد مع وزارة الخارجية المصرية اتفاقا للتعاون."])
    wanted = [("سمير حداد", 0, "PERS"), ("القاهرة", 0, "GPE"), ("وزير الخارجية", 0, "OCC"), ("سمير حداد", 1, "PERS"),
              ("القاهرة", 1, "GPE"), ("يوم الاثنين", 0, "DATE"), ("حداد", 2, "PERS"),
              ("وزارة الخارجية المصرية", 0, "ORG"), ("المصرية", 0, "NORP")]
    entities = []
    for number, ((start, end), (_, _, entity_type)) in enumerate(
            zip(_spans(text, *[(n, o) for n, o, _ in wanted]), wanted), start=1):
        entities.append({"id": f"T{number}", "start": start, "end": end, "type": entity_type, "text": text[start:end]})
    entities[5]["normalized"] = "2020-01-06"
    (visit_start, visit_end), (sign_start, sign_end) = _spans(text, ("زيارة", 0), ("وقّع", 0))
    events = [
        {"id": "E1", "type": "CONSULT", "trigger": {"start": visit_start, "end": visit_end, "text": "زيارة"},
         "arguments": [{"role": "actor", "entity": "T4"}, {"role": "recipient", "entity": "T5"},
                       {"role": "location", "entity": "T5"}, {"role": "time", "entity": "T6"}],
         "mode": ["visit", "future"], "context": ["diplomatic", "economic"]},
        {"id": "E2", "type": "SUPPORT", "trigger": {"start": sign_start, "end": sign_end, "text": "وقّع"},
         "arguments": [{"role": "actor", "entity": "T7"}, {"role": "actor", "entity": "T8"}],
         "mode": [], "context": ["economic"]},
    ]
    return {"id": record_id, "title": title, "text": text, "language": "ar",
            "source": {"name": "khabar synthetic test source", "url": None, "published": "2020-01-06",
                       "license": "CC0-1.0"},
            "entities": entities, "events": events, "event_labels": expected_event_labels(events),
            "annotation": {"status": "draft", "guidelines": "1.0", "produced_by": ["khabar synthetic test"],
                           "reviewed_by": []}}


@pytest.fixture
def records_dir(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for number in (1, 2):
        record = synthetic_record(f"synthetic-interchange-000{number}")
        if number == 2:
            record["text"] += "\n\nفقرة إضافية."
        (folder / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    return folder


def test_the_synthetic_record_is_valid(records_dir, run_cli):
    code, out, _ = run_cli("validate", records_dir)
    assert (code, out) == (0, "")


# ---------------------------------------------------------------- tags

@pytest.mark.parametrize("raw, expected", [
    ("O", ("O", None)), ("B-PERS", ("B-PERS", None)), ("I-Population-Center", ("I-Population-Center", None)),
    ("OO", ("O", "repeated O")), ("IO", ("O", "a prefix on the outside tag O")), ("B-O", ("O", "a prefix on the outside tag O")),
    ("I--ORG", ("I-ORG", "doubled hyphen")), ("B-MIS1`", ("B-MIS1", "stray character after the type")),
])
def test_tags_are_read_or_repaired(raw, expected):
    assert read_tag(raw) == expected


@pytest.mark.parametrize("raw", ["PER", "X-PER", "B-", "B_PER", "??"])
def test_unreadable_tags_are_refused(raw):
    with pytest.raises(UnreadableTag):
        read_tag(raw)


def _decode(tags, scheme):
    repairs = []
    spans = decode(tags, scheme, 0, lambda index, kind, message: repairs.append((index, kind)))
    return [(s.start, s.end, s.type) for s in spans], repairs


def test_bio_reads_an_i_tag_after_o_or_another_type_as_a_start():
    spans, repairs = _decode(["I-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"], "BIO")
    assert spans == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC")]
    assert repairs == [(0, "i-without-b"), (3, "i-without-b"), (5, "i-without-b")]


def test_iob1_starts_entities_with_i_and_splits_them_with_b():
    assert _decode(["I-PER", "I-PER", "B-PER", "O", "I-LOC"], "IOB1") == ([(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC")], [])


def test_bioes_reads_its_tags_and_repairs_stray_e_and_i():
    spans, repairs = _decode(["B-PER", "I-PER", "E-PER", "S-LOC", "E-ORG", "O", "I-X", "E-X"], "BIOES")
    assert spans == [(0, 3, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (6, 8, "X")]
    assert repairs == [(4, "e-without-b"), (6, "i-without-b")]


@pytest.mark.parametrize("tags, scheme", [(["B-PER", "E-PER"], "BIO"), (["S-PER"], "IOB1"), (["B-PER", "O"], "BIOES"),
                                          (["B-PER", "I-PER"], "BIOES"), (["B-PER", "B-LOC"], "BIOES")])
def test_mixed_schemes_are_refused(tags, scheme):
    with pytest.raises(SchemeError):
        _decode(tags, scheme)


def test_encode_writes_nested_spans_outermost_first_in_each_scheme():
    spans = [(0, 3, "ORG"), (2, 3, "GPE"), (3, 4, "PER"), (4, 5, "PER")]
    assert encode(6, spans, "BIO") == [["B-ORG"], ["I-ORG"], ["I-ORG", "B-GPE"], ["B-PER"], ["B-PER"], ["O"]]
    assert encode(6, spans, "IOB1") == [["I-ORG"], ["I-ORG"], ["I-ORG", "I-GPE"], ["I-PER"], ["B-PER"], ["O"]]
    assert encode(6, spans, "BIOES") == [["B-ORG"], ["I-ORG"], ["E-ORG", "S-GPE"], ["S-PER"], ["S-PER"], ["O"]]
    for scheme in ("BIO", "IOB1", "BIOES"):
        columns = encode(6, spans, scheme)
        decoded = set()
        for column in range(2):
            tags = [row[column] if column < len(row) else "O" for row in columns]
            decoded |= set(_decode(tags, scheme)[0])
        assert decoded == {(s, e, t) for s, e, t in spans}


# ---------------------------------------------------------------- the importer's rules are the validator's

def _record_with(text_char: str = "", entity_text: str | None = None) -> dict:
    record = synthetic_record("synthetic-drift-check")
    record["events"], record["event_labels"] = [], []
    if text_char:
        record["text"] = record["text"].replace("في زيارة", f"في{text_char}زيارة")
    if entity_text is not None:
        record["text"] += "\n\n" + entity_text
        start = len(record["text"]) - len(entity_text)
        record["entities"] = [{"id": "T1", "start": start, "end": len(record["text"]), "type": "ORG", "text": entity_text}]
    return record


def _checks(record: dict, tmp_path: Path) -> set[str]:
    from khabar.validate.runner import check_record_text

    path = tmp_path / f"{record['id']}.json"
    return {i.check for i in check_record_text(path, dumps_record(record))}


SAMPLE_CHARS = ["\u200e", "\u200f", "\ufeff", "\u061c", "\u00ad", "\u200b", "\u2066", "\u0007", "\u2028", "\u2029",
                "\u200c", "\u200d", "ـ", "ب", "\u064b", "،", "\u00a0", "🙂", "\U0001ee01"]


@pytest.mark.parametrize("char", SAMPLE_CHARS, ids=[f"U+{ord(c):04X}" for c in SAMPLE_CHARS])
def test_invisible_marks_are_the_ones_the_validator_refuses(char, tmp_path):
    assert ("text-invisible-control" in _checks(_record_with(text_char=char), tmp_path)) == is_invisible(char)


def test_every_invisible_mark_of_a_field_is_listed_in_one_incident(tmp_path):
    from khabar.validate.runner import check_record_text

    record = _record_with()
    first = record["text"].index("في زيارة")
    record["text"] = record["text"].replace("في زيارة", "في\u200f\u200fزيارة\u202c", 1)
    [incident] = [i for i in check_record_text(tmp_path / f"{record['id']}.json", dumps_record(record))
                  if i.check == "text-invisible-control"]
    assert incident.message == (f"text[{first + 2}], text[{first + 3}] are U+200F RIGHT-TO-LEFT MARK; "
                                f"text[{first + 9}] is U+202C POP DIRECTIONAL FORMATTING")


EDGE_CHARS = ["(", ")", "«", "»", "\"", "“", "”", "-", "–", "،", "؛", ":", ".", "…", "!", "؟", "'", "/", "%", "*"]


@pytest.mark.parametrize("char", EDGE_CHARS)
def test_edge_punctuation_is_what_the_validator_refuses(char, tmp_path):
    at_start = "span-edge-punctuation" in _checks(_record_with(entity_text=f"{char}شركة النور"), tmp_path)
    at_end = "span-edge-punctuation" in _checks(_record_with(entity_text=f"شركة النور{char}"), tmp_path)
    assert (at_start, at_end) == (is_edge_punctuation(char, at_end=False), is_edge_punctuation(char, at_end=True))


def test_clean_text_carries_offsets_over():
    raw = "عنوان \u200fالخبر\r\n\r\n\r\n  نص   \nسطر ثان"
    clean = clean_text(raw)
    assert clean.text == "عنوان الخبر\n\nنص\n\nسطر ثان"
    assert (clean.crlf, dict(clean.removed), clean.layout_changed) == (3, {"\u200f": 1}, True)
    for word in ("عنوان", "الخبر", "نص", "سطر ثان"):
        start = raw.index(word)
        assert clean.text[clean.offsets.clean(start):clean.offsets.clean(start + len(word))] == word
    valid = synthetic_record()["text"]
    assert clean_text(valid).text == valid and not clean_text(valid).layout_changed


# ---------------------------------------------------------------- CoNLL layout

def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_documents_sentences_marks_and_parts(tmp_path, run_cli):
    source = _write(tmp_path / "synthetic.conll", [
        "-DOCSTART- O", "",
        "زار B-PERS", "سمير I-PERS", "القاهرة B-GPE", "",
        "وعاد O", "$#$ O", "أمس O", "",
        "-DOCSTART- O", "",
        "كتب O", "حداد B-PERS", "", "مقالا O", "", "جديدا O", "", "ونشره O",
    ])
    code, out, err = run_cli("import", "conll", source, "--out", tmp_path / "records", "--sentences-per-record", "2",
                             *SYNTHETIC)
    assert (code, out) == (0, ""), err
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "records").glob("*.json"))]
    # document 2 has 4 sentences: two parts of two; document 1 one part
    assert [r["id"] for r in records] == ["synthetic-synthetic-0001", "synthetic-synthetic-0002",
                                          "synthetic-synthetic-0003"]
    first = records[0]
    assert first["title"] == "زار سمير القاهرة" and first["text"] == "زار سمير القاهرة\n\nوعاد أمس"
    assert [(e["text"], e["type"]) for e in first["entities"]] == [("زار سمير", "PERS"), ("القاهرة", "GPE")]
    code, _, err = run_cli("export", "conll", tmp_path / "records", "--out", tmp_path / "conll")
    assert code == 0, err
    assert (tmp_path / "conll" / "synthetic.conll").read_text(encoding="utf-8") == source.read_text(encoding="utf-8") + "\n"


def test_a_last_part_of_one_sentence_joins_the_part_before(tmp_path, run_cli):
    source = _write(tmp_path / "three.conll", ["أ O", "", "ب O", "", "ج O"])
    assert run_cli("import", "conll", source, "--out", tmp_path / "records", "--sentences-per-record", "2", *SYNTHETIC)[0] == 0
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "records").glob("*.json")]
    assert record["text"] == "أ\n\nب\n\nج"


def test_repaired_spans_and_invisible_marks(tmp_path, run_cli):
    source = _write(tmp_path / "repairs.conll", [
        "\u200fقال O", "( B-ORG", "الأمم I-ORG", ") I-ORG", "\u200f O", "، O", "",
        "نص I-GPE", "قصير B-LOC", "",
    ])
    code, out, err = run_cli("import", "conll", source, "--out", tmp_path / "records", *SYNTHETIC)
    assert code == 0, err
    assert out.splitlines() == [
        f"{source}:8: repaired [i-without-b] I-GPE after the sentence start starts a new entity: read as B-GPE",
        f"{source}:5: repaired [token-dropped] token of invisible marks only (1 × U+200F RIGHT-TO-LEFT MARK) dropped",
        f"{source}:2: repaired [span-trimmed] ORG '( الأمم )' trimmed to 'الأمم': punctuation at the edge (lines 2-4)",
        f"{source}: removed 2 invisible marks from 2 tokens (2 × U+200F RIGHT-TO-LEFT MARK)",
    ]
    assert "repairs: i-without-b 1, span-trimmed 1, token-dropped 1" in err
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "records").glob("*.json")]
    assert record["text"] == "قال ( الأمم ) ،\n\nنص قصير"
    note = record["annotation"]["notes"].splitlines()[-1]
    assert json.loads(note.split(": ", 1)[1])["repairs"] == {"i-without-b": 1, "span-trimmed": 1, "token-dropped": 1}


def test_types_maps_keep_fine_types_and_types_without_equivalent(tmp_path, run_cli):
    types_map = tmp_path / "synthetic-map.json"
    types_map.write_text(json.dumps({"types": {"Politician": "PERS", "Athlete": "PERS", "Book": None}}), encoding="utf-8")
    source = _write(tmp_path / "fine.tsv", ["كتب\tO", "الرئيس\tB-Politician", "عن\tO", "اللاعب\tB-Athlete", "",
                                            "في\tO", "رواية\tB-Book", "جديدة\tI-Book"])
    assert run_cli("import", "conll", source, "--out", tmp_path / "records", "--types-map", types_map, *SYNTHETIC)[0] == 0
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "records").glob("*.json")]
    assert [(e["text"], e["type"]) for e in record["entities"]] == [("الرئيس", "PERS"), ("اللاعب", "PERS")]
    note = json.loads(record["annotation"]["notes"].splitlines()[-1].split(": ", 1)[1])
    assert note["foreign"] == [[record["text"].index("رواية"), len(record["text"]), "Book"]]
    assert run_cli("export", "conll", tmp_path / "records", "--out", tmp_path / "out", "--types-map", types_map)[0] == 0
    assert (tmp_path / "out" / "fine.tsv").read_text(encoding="utf-8") == source.read_text(encoding="utf-8") + "\n"
    # a PERS without a kept source type (added by a curator) is exported under the first source type
    record["entities"].append({"id": "T3", "start": 0, "end": 3, "type": "PERS", "text": "كتب"})
    (tmp_path / "records" / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    code, _, err = run_cli("export", "conll", tmp_path / "records", "--out", tmp_path / "out2", "--types-map", types_map)
    assert code == 0 and "1 entity exported under the map's first source type" in err
    assert (tmp_path / "out2" / "fine.tsv").read_text(encoding="utf-8").startswith("كتب\tB-Politician\n")


def test_records_not_imported_from_conll_are_tokenized_by_khabar(records_dir, tmp_path, run_cli):
    code, _, err = run_cli("export", "conll", records_dir / "synthetic-interchange-0001.json", "--out", tmp_path / "out",
                           "--scheme", "BIOES")
    assert code == 0 and "0 span" not in err
    lines = (tmp_path / "out" / "synthetic-interchange-0001.conll").read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["سمير B-PERS", "حداد E-PERS", "يزور O", "القاهرة S-GPE"]
    assert "وزارة B-ORG" in lines and "المصرية E-ORG S-NORP" in lines


# ---------------------------------------------------------------- bad files: one line, nothing written

@pytest.mark.parametrize("name, content, scheme, line, message", [
    ("missing-tag.conll", "كلمة O\nكلمة\n".encode(), "BIO", 2, "no tag column after the token 'كلمة'"),
    ("binary.conll", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "BIO", 3, "binary file (NUL byte): a CoNLL file is UTF-8 text"),
    ("latin1.conll", "caf\u00e9 O\n".encode("latin-1"), "BIO", 1, "not UTF-8 text (byte 0xe9 at offset 3)"),
    ("mixed.conll", "أ B-PER\nب E-PER\n\nج O\n".encode(), "BIO", 2,
     "E-PER is a BIOES tag in a BIO file (mixed schemes); pass --scheme BIOES if the whole file is BIOES"),
    ("mixed-bioes.conll", "أ S-PERS\n\nب B-PERS\nج O\n".encode(), "BIOES", 4,
     "O leaves a PERS entity unclosed (no E-PERS): a BIO entity in a BIOES file (mixed schemes)"),
    ("unreadable.conll", "أ O\nب X-PER\n\nج O\n".encode(), "BIO", 2, "unreadable tag 'X-PER'"),
    ("one-sentence.conll", "أ O\nب O\n".encode(), "BIO", 1,
     "a document of one sentence cannot be a khabar record (a headline and at least one body paragraph)"),
])
def test_bad_conll_files(tmp_path, run_cli, name, content, scheme, line, message):
    source = tmp_path / name
    source.write_bytes(content)
    # a good file first: a bad file anywhere means nothing is written
    good = _write(tmp_path / "good.conll", ["أ O", "", "ب O"])
    code, out, err = run_cli("import", "conll", good, source, "--out", tmp_path / "out", "--scheme", scheme, *SYNTHETIC)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {source}:{line}: {message}; nothing written\n"
    assert not (tmp_path / "out").exists()


def test_import_never_overwrites(tmp_path, run_cli):
    source = _write(tmp_path / "good.conll", ["أ O", "", "ب O"])
    assert run_cli("import", "conll", source, "--out", tmp_path / "out", *SYNTHETIC)[0] == 0
    code, _, err = run_cli("import", "conll", source, "--out", tmp_path / "out", *SYNTHETIC)
    assert code == 2 and err.endswith("exists; khabar never overwrites a file; nothing written\n")


def test_usage_errors_exit_2(tmp_path, run_cli):
    source = _write(tmp_path / "good.conll", ["أ O", "", "ب O"])
    assert run_cli("import", "conll", source, "--out", tmp_path / "out")[0] == 2  # no source metadata
    code, _, err = run_cli("import", "conll", source, "--out", tmp_path / "out", "--types-map", tmp_path / "none.json",
                           *SYNTHETIC)
    assert code == 2 and "no such types map" in err
    assert run_cli("import", "conll", tmp_path / "missing.conll", "--out", tmp_path / "out", *SYNTHETIC)[0] == 2
    assert run_cli("import", "conll", source, "--out", tmp_path / "out", "--scheme", "IOB3", *SYNTHETIC)[0] == 2
    assert not (tmp_path / "out").exists()


def test_invalid_records_are_not_exported(tmp_path, run_cli):
    record = synthetic_record("synthetic-invalid")
    record["entities"][0]["end"] += 1
    (tmp_path / "synthetic-invalid.json").write_text(dumps_record(record), encoding="utf-8")
    code, out, err = run_cli("export", "brat", tmp_path / "synthetic-invalid.json", "--out", tmp_path / "out")
    assert code == 1 and "[L3 span-text-mismatch]" in out and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- brat

def test_record_to_brat_to_record_is_the_identity(records_dir, tmp_path, run_cli):
    gold = next((REPO / "corpus").rglob("*.json"))
    assert run_cli("export", "brat", records_dir, gold, "--out", tmp_path / "brat")[0] == 0
    ann = (tmp_path / "brat" / "synthetic-interchange-0001.ann").read_text(encoding="utf-8").splitlines()
    assert "N1\tReference T6 ISO8601:2020-01-06\t2020-01-06" in ann
    assert ann[-3:] == ["T11\tSUPPORT 98 102\tوقّع", "E2\tSUPPORT:T11 actor:T7 actor2:T8", "A5\tcontext-economic E2"]
    assert "A1\tmode-visit E1" in ann and "A3\tcontext-diplomatic E1" in ann
    assert (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8").count("\nmode-visit\t") == 1
    assert run_cli("import", "brat", tmp_path / "brat", "--out", tmp_path / "back")[0] == 0
    for original in [*records_dir.glob("*.json"), gold]:
        assert (tmp_path / "back" / original.name).read_bytes() == original.read_bytes()


def _brat(tmp_path: Path, text: str, ann: list[str], name: str = "synthetic-brat") -> Path:
    (tmp_path / f"{name}.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / f"{name}.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return tmp_path / f"{name}.ann"


def test_a_foreign_brat_document_is_cleaned_with_its_offsets(tmp_path, run_cli):
    text = "زيارة سمير حداد\r\n\r\nوصل \u200fسمير حداد إلى القاهرة.\r\n"
    start = text.index("القاهرة")
    ann = _brat(tmp_path, text, ["T1\tPERS 6 15\tسمير حداد", f"T2\tGPE {start} {start + 7}\tالقاهرة",
                                 "#1\tAnnotatorNotes T1\tcheck", "R1\tLocated Arg1:T1 Arg2:T2"])
    code, out, err = run_cli("import", "brat", ann, "--out", tmp_path / "out", *SYNTHETIC)
    assert code == 0, err
    assert out.splitlines() == [
        f"{tmp_path / 'synthetic-brat.txt'}: repaired [text-invisible] removed 1 × U+200F RIGHT-TO-LEFT MARK",
        f"{tmp_path / 'synthetic-brat.txt'}: repaired [text-layout] lines laid out as khabar paragraphs (one per line, "
        "blank line between, no white space at line edges)",
        f"{ann}:3: repaired [skipped] note #1 has no place in a khabar record: skipped",
        f"{ann}:4: repaired [skipped] relation R1 has no place in a khabar record: skipped",
        f"{tmp_path / 'synthetic-brat.txt'}: 3 CRLF line ends read as LF",
    ]
    [record] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out").glob("*.json")]
    assert record["id"] == "synthetic-synthetic-brat" and record["text"] == "زيارة سمير حداد\n\nوصل سمير حداد إلى القاهرة."
    assert [(e["text"], e["start"]) for e in record["entities"]] == [("سمير حداد", 6), ("القاهرة", 35)]
    code, _, err = run_cli("import", "brat", ann, "--out", tmp_path / "strict", "--strict", *SYNTHETIC)
    assert code == 1 and not (tmp_path / "strict").exists()


@pytest.mark.parametrize("ann, line, message", [
    (["T1\tPERS 0 4\tسمير", "T2\tGPE 20 90\tx"], 2, "T2 [20:90] points past the end of synthetic-brat.txt (27 characters)"),
    (["T1\tPERS 0 3\tسمير"], 1, "T1 text 'سمير' differs from synthetic-brat.txt[0:3] 'سمي'"),
    (["T1\tPERS 0 4;5 8\tسمير حدا"], 1, "T1 is discontinuous (0 4;5 8): khabar spans are contiguous"),
    (["T1\tPERSON 0 4\tسمير"], 1, "entity type 'PERSON' is not a khabar type (types map: khabar)"),
    (["T1\tPERS zero 4\tسمير"], 1, "offsets 'zero 4' are not two integers"),
])
def test_bad_brat_documents(tmp_path, run_cli, ann, line, message):
    path = _brat(tmp_path, "سمير حداد\n\nوصل إلى القاهرة.", ann)
    code, out, err = run_cli("import", "brat", path, "--out", tmp_path / "out", *SYNTHETIC)
    assert (code, out) == (1, "")
    assert err == f"khabar: error: {path}:{line}: {message}; nothing written\n"
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- Label Studio

def test_record_to_label_studio_to_record_is_the_identity(records_dir, tmp_path, run_cli):
    gold = next((REPO / "corpus").rglob("*.json"))
    assert run_cli("export", "labelstudio", records_dir, gold, "--out", tmp_path / "ls")[0] == 0
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == 3 and tasks[0]["predictions"][0]["result"][0]["value"]["labels"] == ["PERS"]
    assert '<Labels name="trigger" toName="text">' in (tmp_path / "ls" / "label-config.xml").read_text(encoding="utf-8")
    assert run_cli("import", "labelstudio", tmp_path / "ls" / "tasks.json", "--out", tmp_path / "back")[0] == 0
    for original in [*records_dir.glob("*.json"), gold]:
        assert (tmp_path / "back" / original.name).read_bytes() == original.read_bytes()


def test_utf16_offsets_are_converted_at_the_boundary(records_dir, tmp_path, run_cli):
    source = records_dir / "synthetic-interchange-0001.json"
    record = json.loads(source.read_text(encoding="utf-8"))
    assert run_cli("export", "labelstudio", source, "--out", tmp_path / "utf16", "--offsets", "utf16")[0] == 0
    [task] = json.loads((tmp_path / "utf16" / "tasks.json").read_text(encoding="utf-8"))
    regions = {(r["id"], r["from_name"]): r["value"] for r in task["predictions"][0]["result"] if "value" in r}
    text = record["text"]
    for entity in record["entities"]:
        value = regions[(entity["id"], "label")]
        # JavaScript counts the emoji of the title and U+1EE01 as two units each
        astral = sum(1 for char in text[:entity["start"]] if ord(char) > 0xFFFF)
        assert (value["start"], value["end"]) == (entity["start"] + astral, entity["end"] + astral)
        assert text.encode("utf-16-le")[2 * value["start"]:2 * value["end"]].decode("utf-16-le") == entity["text"]
    assert regions[("T5", "label")]["start"] == record["entities"][4]["start"] + 1
    assert regions[("E1", "trigger")]["start"] == record["events"][0]["trigger"]["start"] + 2
    # the region text says which unit was used, whatever --offsets says
    for option in ("codepoints", "utf16"):
        out = tmp_path / f"back-{option}"
        assert run_cli("import", "labelstudio", tmp_path / "utf16" / "tasks.json", "--out", out, "--offsets", option)[0] == 0
        assert (out / source.name).read_bytes() == source.read_bytes()
    # without region texts, --offsets decides
    for item in task["predictions"][0]["result"]:
        item.get("value", {}).pop("text", None) if item.get("type") == "labels" else None
    (tmp_path / "bare.json").write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    assert run_cli("import", "labelstudio", tmp_path / "bare.json", "--out", tmp_path / "bare", "--offsets", "utf16")[0] == 0
    assert (tmp_path / "bare" / source.name).read_bytes() == source.read_bytes()


def test_a_curators_annotation_is_imported(records_dir, tmp_path, run_cli):
    source = records_dir / "synthetic-interchange-0001.json"
    record = json.loads(source.read_text(encoding="utf-8"))
    assert run_cli("export", "labelstudio", source, "--out", tmp_path / "ls")[0] == 0
    [task] = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    result = [item for item in task["predictions"][0]["result"] if item.get("id") != "T1"]  # the curator deletes T1
    start = record["text"].index("رسمية")
    result.append({"id": "Xy7Qp2LmN0", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                   "value": {"start": start, "end": start + 5, "text": "رسمية", "labels": ["NORP"]}})
    exported = [{"id": 41, "data": task["data"], "predictions": [3],
                 "annotations": [{"id": 7, "completed_by": {"id": 2, "email": "curator@example.org"}, "result": [],
                                  "was_cancelled": True, "updated_at": "2026-01-03T10:00:00Z"},
                                 {"id": 8, "completed_by": {"id": 2, "email": "curator@example.org"}, "result": result,
                                  "was_cancelled": False, "updated_at": "2026-01-02T10:00:00Z"}]},
                {"id": 42, "data": {"text": "نص\n\nبلا توسيم"}, "predictions": [], "annotations": []}]
    (tmp_path / "export.json").write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("import", "labelstudio", tmp_path / "export.json", "--out", tmp_path / "back", *SYNTHETIC)
    assert code == 0, err
    assert out == f"{tmp_path / 'export.json'}: repaired [skipped] task 42: no annotation and no prediction: skipped\n"
    back = json.loads((tmp_path / "back" / source.name).read_text(encoding="utf-8"))
    assert [e["id"] for e in back["entities"]] == [f"T{n}" for n in range(2, 10)] + ["T10"]
    assert back["entities"][-1] == {"id": "T10", "start": start, "end": start + 5, "type": "NORP", "text": "رسمية"}
    assert back["events"] == record["events"]
    assert back["annotation"]["produced_by"] == ["khabar synthetic test", "Label Studio annotation by curator@example.org"]


def test_a_region_whose_text_matches_no_unit_is_refused(records_dir, tmp_path, run_cli):
    assert run_cli("export", "labelstudio", records_dir / "synthetic-interchange-0001.json", "--out", tmp_path / "ls")[0] == 0
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    tasks[0]["predictions"][0]["result"][0]["value"]["start"] += 1
    (tmp_path / "shifted.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    code, _, err = run_cli("import", "labelstudio", tmp_path / "shifted.json", "--out", tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert err == (f"khabar: error: {tmp_path / 'shifted.json'}: task 1: region [1:9] text 'سمير حداد' matches the task "
                   "text neither in code points nor in UTF-16 units; nothing written\n")


def test_unicode_names_in_messages_are_stable():
    # the invisible-mark summary names characters by their Unicode names
    assert unicodedata.name("\u200e") == "LEFT-TO-RIGHT MARK"


def test_records_that_would_not_validate_are_not_written(tmp_path, run_cli):
    # two documents with the same sentences make two records with the same text (L4 duplicate-text)
    source = _write(tmp_path / "twice.conll", ["-DOCSTART- O", "", "أ O", "", "ب O", "", "-DOCSTART- O", "", "أ O", "",
                                                "ب O"])
    code, out, err = run_cli("import", "conll", source, "--out", tmp_path / "out", *SYNTHETIC)
    assert code == 1 and not (tmp_path / "out").exists()
    assert out == (f"{tmp_path / 'out' / 'synthetic-twice-0002.json'}: [L4 duplicate-text] same text as the imported "
                   "record synthetic-twice-0001 (imported from twice.conll, lines 9-11)\n")
    assert err == "khabar: error: 1 validation error in the imported records; nothing written\n"
