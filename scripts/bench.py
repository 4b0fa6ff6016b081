#!/usr/bin/env python3
"""Benchmark `khabar validate` and `khabar build` against a bare JSON-to-Parquet conversion.

    python scripts/bench.py [--sizes 20000 200000] [--repeat 3] [--workers auto]
                            [--workdir /tmp/khabar-bench] [--write-doc]

For each size, a synthetic JSONL corpus (scripts/make_synthetic.py, cached in --workdir) is
processed by three commands, each in a fresh process, --repeat times:
- bare: pyarrow.json.read_json with an explicit schema, then a zstd Parquet write, shard by
  shard (no validation, no label encoding, no ner/events configs) — the floor to compare with;
- validate: `khabar validate`;
- build: `khabar build` (validates every record and writes all three configs).
It reports medians of wall time and articles/s, the ratio of each command's time to the bare
conversion's, and the peak resident memory of the whole process tree (main process and
workers, sampled every 20 ms). Ratios come from the same run on the same machine; absolute
numbers depend on the machine. A benchmark, not a test: tests/test_bench.py only runs it once
on a tiny corpus to prove it works.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = r"""
import sys, glob
import pyarrow as pa, pyarrow.json as pj, pyarrow.parquet as pq
sys.path.insert(0, sys.argv[3])
from khabar.release.features import arrow_schema

def as_strings(t):  # labels stay strings: the bare conversion does not encode ClassLabels
    if pa.types.is_list(t): return pa.list_(as_strings(t.value_type))
    if pa.types.is_struct(t): return pa.struct([pa.field(f.name, as_strings(f.type)) for f in t])
    return pa.string() if t == pa.int64() else t

schema = pa.schema([pa.field(f.name, as_strings(f.type)) for f in arrow_schema("documents")])
options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
for index, shard in enumerate(sorted(glob.glob(sys.argv[1] + "/*.jsonl"))):
    table = pj.read_json(shard, parse_options=options)
    pq.write_table(table, f"{sys.argv[2]}/documents-{index:05d}.parquet", compression="zstd")
"""
MARKER_START, MARKER_END = "<!-- bench:start -->", "<!-- bench:end -->"
TABLE_DOC = "docs/scale.md"  # the table lives there, between the markers


def tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident bytes of the process tree) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.02)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {errors.decode()[-2000:]}")
    return seconds, peak


def corpus(size: int, workdir: Path) -> Path:
    folder = workdir / f"synthetic-{size}-seed0"
    if not (folder / ".complete").is_file() or not (folder / "dataset.toml").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic.py"), str(size), str(folder),
                        "--layout", "jsonl"], check=True)
        (folder / ".complete").write_text(f"{size}\n")
    return folder


def measure(size: int, repeat: int, workers: str, workdir: Path) -> dict[str, dict]:
    folder = corpus(size, workdir)
    khabar = [sys.executable, "-m", "khabar"]
    results: dict[str, dict] = {}
    for name in ("bare", "validate", "build"):
        times, peaks = [], []
        for _ in range(repeat):
            out = Path(tempfile.mkdtemp(dir=workdir, prefix="out-"))
            try:
                command = {
                    "bare": [sys.executable, "-c", BARE, str(folder), str(out), str(ROOT / "src")],
                    "validate": khabar + ["validate", str(folder), "--workers", workers],
                    "build": khabar + ["build", "--corpus", str(folder), "--out", str(out / "release"),
                                       "--include-status", "draft", "--workers", workers],
                }[name]
                seconds, peak = run(command)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            times.append(seconds)
            peaks.append(peak)
        results[name] = {"seconds": statistics.median(times), "peak": max(peaks), "runs": times}
    for name, result in results.items():
        result["per_second"] = size / result["seconds"]
        result["ratio"] = result["seconds"] / results["bare"]["seconds"]
    return results


def table(measured: dict[int, dict], repeat: int, workers: str) -> str:
    lines = [f"Median of {repeat} run(s), --workers {workers}, {os.cpu_count()} cores, "
             f"Python {sys.version.split()[0]}; time ratio = command time / bare conversion time.",
             "",
             "| articles | command | median s | articles/s | time ratio to bare | peak RSS (MB) |",
             "|---:|---|---:|---:|---:|---:|"]
    for size, results in measured.items():
        for name in ("bare", "validate", "build"):
            r = results[name]
            lines.append(f"| {size:,} | {name} | {r['seconds']:.1f} | {r['per_second']:,.0f} | "
                         f"{r['ratio']:.2f} | {r['peak'] / 1e6:,.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench")
    parser.add_argument("--write-doc", action="store_true", help=f"replace the results table in {TABLE_DOC}")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    measured = {}
    for size in args.sizes:
        print(f"bench: {size} articles", file=sys.stderr, flush=True)
        measured[size] = measure(size, args.repeat, args.workers, args.workdir)
    result = table(measured, args.repeat, args.workers)
    print(result)
    if args.write_doc:
        doc = ROOT / TABLE_DOC
        text = doc.read_text(encoding="utf-8")
        start, end = text.index(MARKER_START) + len(MARKER_START), text.index(MARKER_END)
        doc.write_text(text[:start] + "\n" + result + "\n" + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
