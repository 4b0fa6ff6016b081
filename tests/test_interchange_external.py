"""CoNLL import and export on the real corpora in ../shared/external (read there, never copied).

Each corpus is imported once per module; every record must validate; export must give back
every source token and tag except where a documented repair was reported, and the repairs are
counted exactly (README, "Import and export"). Nested records (Wojood) go through the other
schemes and through brat and Label Studio unchanged.
"""

import contextlib
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import EXTERNAL

pytestmark = pytest.mark.external

CORPORA = {
    "anercorp": {
        "files": lambda: [EXTERNAL / "anercorp-camel-test" / "ANERCorp_CamelLab_test.txt"],
        "options": ["--types-map", "anercorp", "--source-name", "ANERcorp (CAMeL Lab test split)",
                    "--license", "CC BY-SA 4.0 (as stated by the CAMeL Lab ANERcorp page)",
                    "--published", "2007-01-01", "--url", "https://github.com/bvanaken/visbert",
                    "--id-prefix", "anercorp-camel-test"],
    },
    "newsfane": {
        "files": lambda: [EXTERNAL / "newsfane-gold" / "NewsFANE_Gold_2014_170K.txt"],
        "options": ["--types-map", "newsfane", "--source-name", "NewsFANE Gold (Alotaibi and Lee 2014)",
                    "--license", "CC BY-SA 3.0 Unported (License.txt)", "--published", "2014-01-01",
                    "--url", "https://github.com/bvanaken/visbert", "--id-prefix", "newsfane-gold"],
    },
    "aqmar": {
        "files": lambda: sorted((EXTERNAL / "aqmar" / "articles").glob("*.txt")),
        "options": ["--types-map", "aqmar", "--source-name", "AQMAR (Mohit et al. 2012)",
                    "--license", "CC BY-SA 3.0 (per the AQMAR site)", "--published", "2012-01-01",
                    "--url", "https://github.com/HussamHallak/AQMAR-Arabic-NERC-Dataset", "--id-prefix", "aqmar",
                    "--sentences-per-record", "0"],
    },
    "aqmar-liu2019": {
        "files": lambda: [EXTERNAL / "aqmar-liu2019" / f"{split}.txt" for split in ("train", "dev", "test")],
        "options": ["--types-map", "aqmar", "--source-name", "AQMAR re-split (Liu et al. 2019)",
                    "--license", "CC BY-SA 3.0 (derived from AQMAR)", "--published", "2019-01-01",
                    "--url", "https://github.com/LiyuanLucasLiu/ArabicNER", "--id-prefix", "aqmar-liu2019"],
    },
    "wojood": {
        "files": lambda: [EXTERNAL / "wojood-sample" / f"{split}.txt" for split in ("train", "val", "test")],
        "options": ["--source-name", "Wojood sample (SinaLab/ArabicNER)",
                    "--license", "MIT (repository licence of SinaLab/ArabicNER)", "--published", "2022-01-01",
                    "--url", "https://github.com/SinaLab/ArabicNER", "--id-prefix", "wojood-sample"],
    },
}

# Repairs per corpus, by kind, as the import reports them (one line each).
EXPECTED_REPAIRS = {
    "anercorp": {"i-without-b": 74, "span-trimmed": 4, "token-nfc": 2},
    "newsfane": {"i-without-b": 4, "span-trimmed": 16},
    "aqmar": {"i-without-b": 68, "sentence-dropped": 4, "span-trimmed": 1, "tag-syntax": 4, "token-dropped": 33},
    "aqmar-liu2019": {"sentence-dropped": 4, "span-trimmed": 1, "token-dropped": 33},
    "wojood": {"i-without-b": 1, "span-duplicate": 1, "span-trimmed": 332, "token-nfc": 6},
}

# Source lines whose token or tags the export gives back changed, all because of a reported repair.
EXPECTED_CHANGED_LINES = {"anercorp": 76, "newsfane": 21, "aqmar": 72, "aqmar-liu2019": 0, "wojood": 342}


def run(*argv) -> tuple[int, str, str]:
    from khabar.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Per corpus: the import's output folder, stdout, and the BIO export folder (lazily, once)."""
    cache = {}

    def get(name: str) -> dict:
        if name not in cache:
            corpus = CORPORA[name]
            base = tmp_path_factory.mktemp(name)
            code, out, err = run("import", "conll", *corpus["files"](), "--out", base / "records", *corpus["options"])
            assert code == 0, err
            maps = corpus["options"][:2] if corpus["options"][0] == "--types-map" else []
            code, _, err = run("export", "conll", base / "records", "--out", base / "conll", *maps)
            assert code == 0, err
            cache[name] = {"records": base / "records", "report": out, "export": base / "conll", "base": base}
        return cache[name]

    return get


def read_columns(path: Path) -> list[list[tuple[int, str, list[str]]]]:
    """Sentences of (line, token, tags) read independently of khabar: BOM, CRLF, blank lines."""
    sentences, current = [], []
    for number, line in enumerate(path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        current.append((number, fields[0], " ".join(fields[1:]).split()))
    if current:
        sentences.append(current)
    return sentences


def repairs_of(report: str, source: Path) -> list[tuple[int, str, str]]:
    """(line, kind, message) of the repair lines the import printed for one source file."""
    found = []
    for line in report.splitlines():
        match = re.match(rf"^{re.escape(str(source))}:(\d+): repaired \[([a-z-]+)\] (.*)$", line)
        if match:
            found.append((int(match.group(1)), match.group(2), match.group(3)))
    return found


def changed_lines(source: Path, exported: Path, repairs: list[tuple[int, str, str]]) -> set[int]:
    """Source lines whose token or tags differ in the export. Tokens and sentences that a repair
    dropped are matched up first (they must be exactly the reported ones)."""
    dropped_tokens = {line for line, kind, _ in repairs if kind == "token-dropped"}
    dropped_sentences = {line for line, kind, _ in repairs if kind == "sentence-dropped"}
    original = [[token for token in sentence if token[0] not in dropped_tokens]
                for sentence in read_columns(source) if sentence[0][0] not in dropped_sentences]
    written = read_columns(exported)
    assert [len(s) for s in original] == [len(s) for s in written], "sentence lengths differ beyond the repairs"
    changed = set()
    for source_sentence, written_sentence in zip(original, written):
        for (line, token, tags), (_, written_token, written_tags) in zip(source_sentence, written_sentence):
            if token.replace("\u200e", "").replace("\u200f", "") != written_token or tags != written_tags:
                changed.add(line)
    return changed


def repair_lines(repairs: list[tuple[int, str, str]]) -> set[int]:
    """Every source line a repair may change: its line, or the lines of the span it names."""
    lines = set()
    for line, _, message in repairs:
        span = re.search(r"\(lines (\d+)-(\d+)\)", message)
        lines.update(range(int(span.group(1)), int(span.group(2)) + 1) if span else [line])
    return lines


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_import_is_valid_and_counts_every_repair(name, imported, run_cli):
    result = imported(name)
    kinds = Counter(re.findall(r": repaired \[([a-z-]+)\]", result["report"]))
    assert dict(kinds) == EXPECTED_REPAIRS[name]
    code, out, err = run_cli("validate", result["records"])
    assert code == 0, out
    record = json.loads(next(result["records"].glob("*.json")).read_text(encoding="utf-8"))
    options = dict(zip(CORPORA[name]["options"][::2], CORPORA[name]["options"][1::2]))
    assert record["source"]["name"] == options["--source-name"]
    assert record["source"]["license"] == options["--license"]
    assert record["source"]["url"] == options["--url"]
    assert record["source"]["published"] == options["--published"]
    assert "import convention" in record["source"]["published_basis"]
    assert record["annotation"]["status"] == "draft" and record["annotation"]["reviewed_by"] == []
    assert record["annotation"]["produced_by"][0].startswith("khabar import conll")
    assert record["annotation"]["produced_by"][1].startswith(options["--source-name"])
    assert record["id"].startswith(options["--id-prefix"] + "-")


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_export_gives_back_every_token_and_tag_but_the_repaired(name, imported):
    result = imported(name)
    changed = set()
    for source in CORPORA[name]["files"]():
        repairs = repairs_of(result["report"], source)
        lines = changed_lines(source, result["export"] / source.name, repairs)
        # every difference comes from a reported repair ...
        assert lines <= repair_lines(repairs), sorted(lines - repair_lines(repairs))[:5]
        # ... and every tag or token repair shows exactly where it was reported
        assert {line for line, kind, _ in repairs if kind in ("i-without-b", "tag-syntax", "token-nfc")} <= lines
        changed |= {(source.name, line) for line in lines}
    assert len(changed) == EXPECTED_CHANGED_LINES[name]
    assert sorted(p.name for p in result["export"].iterdir()) == sorted(p.name for p in CORPORA[name]["files"]())


@pytest.mark.parametrize("name", ["anercorp", "newsfane"])
def test_export_needs_no_types_map_for_imported_records(name, imported):
    # the note keeps every renamed entity's source type; the map matters only for new entities
    result = imported(name)
    assert run("export", "conll", result["records"], "--out", result["base"] / "without-map")[0] == 0
    for path in result["export"].iterdir():
        assert (result["base"] / "without-map" / path.name).read_bytes() == path.read_bytes()


def test_the_i_tag_repairs_are_conlleval_s_reading(imported):
    # ANERcorp: "some I- tags follow O"; the first three, as conlleval starts a chunk there
    report = imported("anercorp")["report"].splitlines()
    source = CORPORA["anercorp"]["files"]()[0]
    assert [line for line in report if "[i-without-b]" in line][:3] == [
        f"{source}:348: repaired [i-without-b] I-PERS after the sentence start starts a new entity: read as B-PERS",
        f"{source}:380: repaired [i-without-b] I-ORG after the sentence start starts a new entity: read as B-ORG",
        f"{source}:1055: repaired [i-without-b] I-PERS after O starts a new entity: read as B-PERS",
    ]


def test_aqmar_malformed_tags_are_read_and_reported(imported):
    report = imported("aqmar")["report"]
    articles = EXTERNAL / "aqmar" / "articles"
    for line in (f"{articles / 'Crusades.txt'}:2145: repaired [tag-syntax] 'IO' read as 'O' (a prefix on the outside tag O)",
                 f"{articles / 'Enrico_Fermi.txt'}:2268: repaired [tag-syntax] 'I--ORG' read as 'I-ORG' (doubled hyphen)",
                 f"{articles / 'Football.txt'}:1855: repaired [tag-syntax] 'OO' read as 'O' (repeated O)",
                 f"{articles / 'Summer_Olympics2004.txt'}:1110: repaired [tag-syntax] 'B-MIS1`' read as 'B-MIS1' "
                 "(stray character after the type)"):
        assert line in report.splitlines()
    # the misspelt types stay as written: they are types without a khabar equivalent, not repairs
    exported = (imported("aqmar")["export"] / "Football.txt").read_text(encoding="utf-8").splitlines()
    assert exported[0] == "كرة B-MISS1"


def test_newsfane_bom_crlf_and_marks_are_counted(imported):
    report = imported("newsfane")["report"].splitlines()
    source = CORPORA["newsfane"]["files"]()[0]
    assert f"{source}: byte-order mark removed" in report
    assert f"{source}: 172,839 CRLF line ends read as LF" in report
    assert (f"{source}: removed 152,599 invisible marks from 152,599 tokens (152,599 × U+200E LEFT-TO-RIGHT MARK)"
            in report)
    exported = imported("newsfane")["export"] / source.name
    data = exported.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and "\u200e".encode() not in data
    assert data.decode("utf-8").split("\n", 1)[0] == "فرانكفورت\tB-Population-Center"  # fine-grained tag back


def test_wojood_nested_columns_and_marks_come_back(imported):
    result = imported("wojood")
    train = (result["export"] / "train.txt").read_text(encoding="utf-8").splitlines()
    source = (EXTERNAL / "wojood-sample" / "train.txt").read_text(encoding="utf-8").splitlines()
    assert train[12] == source[12] == "الأسد I-ORG B-PERS"
    assert train[19] == source[19] == "$#$ O"
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(result["records"].glob("*.json"))]
    assert all("$#$" not in record["text"] for record in records)
    assert sum(len(r["entities"]) for r in records) > 0
    # the one duplicate span: UNIT and QUANTITY on the same token, QUANTITY (column 2) dropped
    assert (f"{EXTERNAL / 'wojood-sample' / 'val.txt'}:61: repaired [span-duplicate] QUANTITY 'كيلو' (column 2) "
            "covers the same span as UNIT (column 1): dropped, one span carries one entity (lines 61-61)"
            in result["report"].splitlines())


@pytest.mark.parametrize("scheme", ["BIOES", "IOB1"])
def test_nested_records_survive_the_other_schemes(scheme, imported):
    result = imported("wojood")
    base = result["base"]
    assert run("export", "conll", result["records"], "--out", base / scheme, "--scheme", scheme)[0] == 0
    files = sorted((base / scheme).iterdir())
    assert any("E-" in p.read_text(encoding="utf-8") for p in files) == (scheme == "BIOES")
    code, _, err = run("import", "conll", *files, "--out", base / f"{scheme}-records", "--scheme", scheme,
                       *CORPORA["wojood"]["options"])
    assert code == 0, err
    assert run("export", "conll", base / f"{scheme}-records", "--out", base / f"{scheme}-bio")[0] == 0
    for path in result["export"].iterdir():
        assert (base / f"{scheme}-bio" / path.name).read_bytes() == path.read_bytes()


def test_imported_records_survive_brat_and_label_studio(imported):
    result = imported("wojood")
    base = result["base"]
    for fmt in ("brat", "labelstudio"):
        assert run("export", fmt, result["records"], "--out", base / fmt)[0] == 0
        source = base / fmt if fmt == "brat" else base / fmt / "tasks.json"
        code, _, err = run("import", fmt, source, "--out", base / f"{fmt}-records")
        assert code == 0, err
        for path in result["records"].glob("*.json"):
            assert (base / f"{fmt}-records" / path.name).read_bytes() == path.read_bytes()


def test_strict_rejects_the_first_repair_and_writes_nothing(tmp_path, run_cli):
    corpus = CORPORA["anercorp"]
    source = corpus["files"]()[0]
    code, out, err = run_cli("import", "conll", source, "--out", tmp_path / "out", "--strict", *corpus["options"])
    assert (code, out) == (1, "")
    assert err == (f"khabar: error: {source}:348: I-PERS after the sentence start starts a new entity: read as B-PERS "
                   "[i-without-b; rejected by --strict]; nothing written\n")
    assert not (tmp_path / "out").exists()


def test_a_type_without_khabar_equivalent_needs_the_map(tmp_path, run_cli):
    corpus = CORPORA["anercorp"]
    source = corpus["files"]()[0]
    code, _, err = run_cli("import", "conll", source, "--out", tmp_path / "out", *corpus["options"][2:])
    assert code == 1 and not (tmp_path / "out").exists()
    assert err.startswith(f"khabar: error: {source}:")
    assert "entity type 'MISC' is not a khabar type" in err and err.count("\n") == 1
