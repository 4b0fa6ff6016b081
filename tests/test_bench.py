"""scripts/bench.py runs end to end (on a tiny corpus: it is a benchmark, not a timed test)."""

import re
import subprocess
import sys

from conftest import REPO


def test_bench_runs_once_on_a_tiny_corpus(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "--sizes", "40", "--repeat", "1",
                             "--workers", "1", "--workdir", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = re.findall(r"^\| 40 \| (bare|validate|build) \| ([\d.]+) \| ([\d,]+) \| ([\d.]+) \| ([\d,]+) \|$",
                      result.stdout, flags=re.M)
    assert [row[0] for row in rows] == ["bare", "validate", "build"]
    assert rows[0][3] == "1.00" and all(float(row[1]) > 0 and int(row[4].replace(",", "")) > 0 for row in rows)
    # the corpus it generated is synthetic and valid, with its registry
    corpus = tmp_path / "synthetic-40-seed0"
    assert (corpus / "splits.tsv").is_file() and len(list(corpus.glob("*.jsonl"))) == 1


def test_make_synthetic_refuses_the_repository_corpus(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "3", str(REPO / "corpus" / "x")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "refusing to write synthetic data" in result.stderr
    assert not (REPO / "corpus" / "x").exists()


def test_synthetic_corpus_is_deterministic_and_valid(tmp_path, run_cli):
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "25", str(tmp_path / name),
                        "--layout", "jsonl", "--shard-size", "10"], check=True, capture_output=True)
    shards = sorted(p.name for p in (tmp_path / "a").glob("*.jsonl"))
    assert shards == ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"]
    assert all((tmp_path / "a" / s).read_bytes() == (tmp_path / "b" / s).read_bytes() for s in shards)
    code, out, err = run_cli("validate", tmp_path / "a")
    assert (code, out) == (0, "") and "25 records in 3 files: 25 valid" in err
    assert all(line.startswith('{"id":"synthetic-') for s in shards for line in (tmp_path / "a" / s).read_text().splitlines())


def test_parallel_build_is_byte_identical_to_the_single_process_build(tmp_path, run_cli):
    from khabar.release.build import differing_files

    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "60", str(tmp_path / "c"),
                    "--layout", "jsonl", "--shard-size", "20"], check=True, capture_output=True)
    for workers in ("1", "2"):
        code, _, err = run_cli("build", "--corpus", tmp_path / "c", "--out", tmp_path / f"out{workers}", "--workers", workers,
                               "--include-status", "draft")
        assert code == 0, err
    assert differing_files(tmp_path / "out1", tmp_path / "out2") == []
    single = run_cli("validate", tmp_path / "c", "--workers", "1", "--format", "json")
    double = run_cli("validate", tmp_path / "c", "--workers", "2", "--format", "json")
    assert single == double


def test_build_does_not_depend_on_how_the_corpus_is_cut_into_batches(tmp_path, run_cli, monkeypatch):
    from khabar import pipeline
    from khabar.release import build
    from khabar.release.build import differing_files

    # small row groups: many groups start inside a batch's rows, at any bit of a validity bitmap
    monkeypatch.setattr(build, "ROW_GROUP_ROWS", {"documents": 5, "ner": 37, "events": 9})
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "70", str(tmp_path / "c"),
                    "--layout", "jsonl", "--shard-size", "30"], check=True, capture_output=True)
    for size in (7, 64):
        monkeypatch.setattr(pipeline, "BATCH_RECORDS", size)
        code, _, err = run_cli("build", "--corpus", tmp_path / "c", "--out", tmp_path / f"out{size}", "--workers", "1",
                               "--include-status", "draft")
        assert code == 0, err
    assert differing_files(tmp_path / "out7", tmp_path / "out64") == []


def test_parallel_validation_reports_the_same_errors_in_the_same_order(tmp_path, run_cli):
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "600", str(tmp_path / "c"),
                    "--layout", "jsonl", "--shard-size", "300"], check=True, capture_output=True)
    shard = tmp_path / "c" / "shard-00001.jsonl"
    lines = shard.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[10].replace('"type":"PERS"', '"type":"CITY"', 1)  # L2
    lines[200] = lines[200].replace('"language":"ar"', '"language":"ar","language":"en"', 1)  # L1
    lines[250] = lines[3]  # L4 duplicate id and text
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    single = run_cli("validate", tmp_path / "c", "--workers", "1")
    double = run_cli("validate", tmp_path / "c", "--workers", "2")
    assert single == double and single[0] == 1
    checks = re.findall(r"\[L\d ([a-z0-9-]+)\]", single[1])
    assert checks == ["schema-enum", "duplicate-key", "duplicate-article-id", "duplicate-text"]


def test_build_with_a_malformed_registry_reports_it_like_validate(tmp_path, run_cli):
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "5", str(tmp_path / "c"),
                    "--layout", "jsonl"], check=True, capture_output=True)
    registry = tmp_path / "c" / "splits.tsv"
    registry.write_text(registry.read_text(encoding="utf-8") + "no tabs here\n", encoding="utf-8")
    lines = len(registry.read_text(encoding="utf-8").splitlines())
    code, out, err = run_cli("build", "--corpus", tmp_path / "c", "--out", tmp_path / "out", "--workers", "1")
    expected = (f"{registry}:{lines}: [L4 split-registry-invalid] expected 3 tab-separated fields "
                "(id, split, story), found 1")
    assert (code, out.splitlines()) == (1, [expected]) and "Traceback" not in err
    assert err.strip().endswith("1 validation error; nothing written") and not (tmp_path / "out").exists()
    assert run_cli("validate", tmp_path / "c")[1].splitlines() == [expected]
