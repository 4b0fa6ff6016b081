#!/usr/bin/env python3
"""Benchmark `khabar validate` and `khabar build` against a bare JSON-to-Parquet conversion.

    python scripts/bench.py [--sizes 20000 200000] [--repeat 3] [--workers auto]
                            [--workdir /tmp/khabar-bench] [--write-doc]
    python scripts/bench.py --news ../shared/external/saudinewsnet [--repeat 3] [--write-docs]

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

With --news FOLDER it measures `khabar import news` on the crawl ZIPs in FOLDER instead
(--news-map, default saudinewsnet), each command --repeat times in a fresh process:
- bare: read every ZIP's JSON array and write all articles as one zstd Parquet table (pyarrow);
- import: `khabar import news` of all the ZIPs, and of the first half (peak memory should not
  grow with the input); validate: `khabar validate` of the import's output;
and the import's own summary (articles read, records written, skips, removed lines, changed
characters). --write-docs puts the table into docs/import-news.md.
"""

from __future__ import annotations

import argparse
import os
import re
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
NEWS_BARE = r"""
import json, sys, zipfile
import pyarrow as pa, pyarrow.parquet as pq
articles = []
for name in sys.argv[2:]:
    with zipfile.ZipFile(name) as archive:
        for member in sorted(archive.namelist()):
            articles.extend(json.loads(archive.read(member)))
pq.write_table(pa.Table.from_pylist(articles), sys.argv[1] + "/articles.parquet", compression="zstd")
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


def run(command: list[str], keep_errors: list | None = None) -> tuple[float, int]:
    """(wall seconds, peak resident bytes of the process tree) of one command; its stderr is
    appended to keep_errors when given."""
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
    if keep_errors is not None:
        keep_errors.append(errors.decode("utf-8"))
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


def measure_news(folder: Path, news_map: str, repeat: int, workers: str, workdir: Path) -> tuple[dict, int, str, int, int]:
    """({command: result}, articles read, the import's summary lines, ZIPs, ZIPs in the half) for the
    crawl ZIPs in folder."""
    zips = sorted(str(path) for path in folder.glob("*.zip"))
    if not zips:
        raise SystemExit(f"bench: no .zip files in {folder}")
    half = zips[:max(1, len(zips) // 2)]
    khabar = [sys.executable, "-m", "khabar"]
    results: dict[str, dict] = {}
    summary = ""
    for name in ("bare", "import", "validate", "import-half"):
        times, peaks = [], []
        for _ in range(repeat):
            out = Path(tempfile.mkdtemp(dir=workdir, prefix="news-"))
            try:
                errors: list[str] = []
                if name == "bare":
                    seconds, peak = run([sys.executable, "-c", NEWS_BARE, str(out), *zips])
                elif name == "validate":
                    run(khabar + ["import", "news", *zips, "--out", str(out / "drafts"), "--map", news_map,
                                  "--workers", workers])
                    seconds, peak = run(khabar + ["validate", str(out / "drafts"), "--workers", workers])
                else:
                    inputs = zips if name == "import" else half
                    seconds, peak = run(khabar + ["import", "news", *inputs, "--out", str(out / "drafts"),
                                                  "--map", news_map, "--workers", workers], errors)
                    if name == "import":
                        summary = errors[0]
            finally:
                shutil.rmtree(out, ignore_errors=True)
            times.append(seconds)
            peaks.append(peak)
        results[name] = {"seconds": statistics.median(times), "peak": max(peaks), "runs": times}
    read = int(next(line for line in summary.splitlines() if line.startswith("khabar: read ") and " from " in line)
               .split("read ", 1)[1].split(" ", 1)[0].replace(",", ""))
    for result in results.values():
        result["ratio"] = result["seconds"] / results["bare"]["seconds"]
    return results, read, summary, len(zips), len(half)


def news_table(results: dict, read: int, summary: str, zips: int, half: int, repeat: int, workers: str) -> str:
    both = results["import"]["seconds"] + results["validate"]["seconds"]
    lines = [f"Median of {repeat} run(s), {os.cpu_count()} cores, Python {sys.version.split()[0]}, import and "
             f"validate --workers {workers}; time ratio = command time / bare conversion time (same run); "
             f"peak RSS of the whole process tree.",
             "",
             "| command | input | median s | time ratio to bare | peak RSS (MB) |",
             "|---|---|---:|---:|---:|",
             f"| bare (JSON arrays -> one zstd Parquet table) | {zips} ZIPs, {read:,} articles | "
             f"{results['bare']['seconds']:.1f} | 1.00 | {results['bare']['peak'] / 1e6:,.0f} |",
             f"| khabar import news | {zips} ZIPs | {results['import']['seconds']:.1f} | "
             f"{results['import']['ratio']:.2f} | {results['import']['peak'] / 1e6:,.0f} |",
             f"| khabar validate (the import's output) | {zips} shards | {results['validate']['seconds']:.1f} | "
             f"{results['validate']['ratio']:.2f} | {results['validate']['peak'] / 1e6:,.0f} |",
             f"| import + validate | | {both:.1f} | {both / results['bare']['seconds']:.2f} | |",
             f"| khabar import news (memory check) | first {half} ZIPs | {results['import-half']['seconds']:.1f} | "
             f"{results['import-half']['ratio']:.2f} | {results['import-half']['peak'] / 1e6:,.0f} |",
             "",
             "The import's summary (all ZIPs):",
             "",
             "```",
             # the output folder is a temporary one: shown as DIR, so that no machine's path is written down
             *[re.sub(r" under \S+$", " under DIR", line) for line in summary.splitlines() if line.startswith("khabar: ")],
             "```"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench")
    parser.add_argument("--write-doc", action="store_true", help=f"replace the results table in {TABLE_DOC}")
    parser.add_argument("--news", type=Path, metavar="FOLDER", help="measure `khabar import news` on the ZIPs in FOLDER")
    parser.add_argument("--news-map", default="saudinewsnet", help="the news map for --news (default saudinewsnet)")
    parser.add_argument("--write-docs", action="store_true", help="with --news: replace the table in docs/import-news.md")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.news:
        results, read, summary, zips, half = measure_news(args.news, args.news_map, args.repeat, args.workers,
                                                          args.workdir)
        result = news_table(results, read, summary, zips, half, args.repeat, args.workers)
        print(result)
        if args.write_docs:
            _replace_between_markers(ROOT / "docs" / "import-news.md", result)
        return 0
    measured = {}
    for size in args.sizes:
        print(f"bench: {size} articles", file=sys.stderr, flush=True)
        measured[size] = measure(size, args.repeat, args.workers, args.workdir)
    result = table(measured, args.repeat, args.workers)
    print(result)
    if args.write_doc:
        _replace_between_markers(ROOT / TABLE_DOC, result)
    return 0


def _replace_between_markers(path: Path, result: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(MARKER_START) + len(MARKER_START), text.index(MARKER_END)
    path.write_text(text[:start] + "\n" + result + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
