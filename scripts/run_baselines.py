"""Run every baseline with `khabar baseline` and print the README's results tables (Markdown).

    python scripts/run_baselines.py [--release releases/v0.1.0] [--external DIR]
                                    [--out-dir DIR] [--resamples 1000]

khabar's own release: each baseline trains on `train` and is scored on `test`; while the test
split is empty (0.1.0) it is scored on `train` itself and the table says so -- a check that the
pipeline runs end to end, not a benchmark figure. The third-party corpora with train/dev/test
splits (AQMAR as re-split by Liu et al. 2019, and the Wojood sample) get their own table: the NER
baselines train on train and are scored on test (dev is not used: the baselines have no
hyperparameters tuned here); they are read from --external (default: $KHABAR_EXTERNAL, else
../shared/external), and when they are not there (`python scripts/fetch_external.py` fetches
them) their table is left out with a note. Nothing from the external corpora is written into the repository;
predictions go to --out-dir (default: a new temporary folder). Needs the baseline dependencies
(python-crfsuite, scikit-learn).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from fetch_external import FETCH_COMMAND, external_dir, missing_files
from khabar.cli import main as khabar

REPO = Path(__file__).resolve().parents[1]


def run(baseline: str, train: str, test: str, out_dir: Path, name: str, resamples: int) -> tuple[dict, float]:
    predictions = out_dir / f"{name}-{baseline}.jsonl"
    captured = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(captured):
        code = khabar(["baseline", baseline, "--train", train, "--test", test, "--predictions", str(predictions),
                       "--format", "json", "--resamples", str(resamples)])
    seconds = time.perf_counter() - started
    if code != 0:
        sys.exit(f"khabar baseline {baseline} --train {train} --test {test} failed with exit code {code}")
    return json.loads(captured.getvalue()), seconds


def figure(block: dict, average: str = "micro", measure: str = "f1", ci: bool = True) -> str:
    value = block[average]
    text = f"{100 * value[measure]:.2f}"
    interval = value.get("ci", {}).get(measure)
    return f"{text} [{100 * interval[0]:.1f}–{100 * interval[1]:.1f}]" if ci and interval else text


def ratio(value: dict) -> str:
    interval = value.get("ci")
    return f"{100 * value['value']:.2f}" + (f" [{100 * interval[0]:.1f}–{100 * interval[1]:.1f}]" if interval else "")


def entity_row(label: str, report: dict, seconds: float | None, evaluated: str) -> str:
    """One row of ENTITY_HEADER; seconds None leaves the time column out (a table kept in files,
    which must not change from one run to the next)."""
    outer = report["entities"]["outermost"]
    levels = report["entities"].get("all_levels")
    cells = [label, evaluated, figure(outer["strict"], measure="precision", ci=False),
             figure(outer["strict"], measure="recall", ci=False), figure(outer["strict"]),
             figure(outer["exact"], ci=False), figure(outer["partial"], ci=False), figure(outer["type"], ci=False),
             figure(outer["strict"], "macro", ci=False),
             figure(levels["strict"]) if levels else "–",
             figure(report["bio"]["default"], ci=False), figure(report["bio"]["strict"], ci=False)]
    if seconds is not None:
        cells.append(f"{seconds:.0f} s" if seconds >= 1 else "< 1 s")
    return "| " + " | ".join(cells) + " |"


ENTITY_HEADER = ("| baseline | scored on | strict P | strict R | strict F1 [95 % CI] | exact F1 | partial F1 | type F1 "
                 "| strict macro F1 | all levels strict F1 [95 % CI] | seqeval F1 | seqeval IOB2 F1 | time |\n"
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def untimed(header: str) -> str:
    """ENTITY_HEADER without its time column."""
    first, rule = header.split("\n")
    return first.rsplit(" time |", 1)[0] + "\n" + rule.rsplit("---:|", 1)[0]


MARKER_START, MARKER_END = "<!-- baselines:start -->", "<!-- baselines:end -->"
WRITTEN = ("README.md", "DATASHEET.md")


def write_block(block: str, check: bool = False) -> list[str]:
    """Put block between the baselines markers of README.md and DATASHEET.md (all checked first);
    with check, write nothing and return the names of the files whose block differs."""
    texts, stale = {}, []
    for name in WRITTEN:
        text = (REPO / name).read_text(encoding="utf-8")
        start, end = text.find(MARKER_START), text.find(MARKER_END)
        if start < 0 or end < start:
            sys.exit(f"run_baselines: {name} has no {MARKER_START} ... {MARKER_END} block")
        texts[name] = text[:start + len(MARKER_START)] + "\n" + block + "\n" + text[end:]
        if texts[name] != text:
            stale.append(name)
    if not check:
        for name, text in texts.items():
            (REPO / name).write_text(text, encoding="utf-8")
    return stale


def _shown_release(release: Path) -> str:
    resolved = release.resolve()
    return resolved.relative_to(REPO).as_posix() if REPO in resolved.parents else release.as_posix()


def articles(number: int) -> str:
    return f"{number:,} article" + ("" if number == 1 else "s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, default=REPO / "releases" / "v0.1.0")
    parser.add_argument("--external", type=Path, default=external_dir(),
                        help="third-party corpora (default: $KHABAR_EXTERNAL, else ../shared/external)")
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--write", action="store_true",
                        help="write khabar's table (no times) into README.md and DATASHEET.md between "
                             f"{MARKER_START} and {MARKER_END}")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the table that --write would write differs from README.md or DATASHEET.md")
    args = parser.parse_args(argv)
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="khabar-baselines-"))
    out_dir.mkdir(parents=True, exist_ok=True)

    manifest = json.loads((args.release / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]["documents"]
    train = f"{args.release}:train"
    if counts["test"]:
        test, evaluated = f"{args.release}:test", f"test ({articles(counts['test'])})"
    else:
        test, evaluated = train, f"**train** ({articles(counts['train'])}; test split empty: resubstitution)"
    khabar_reports, times = {}, {}
    for baseline in ("lexicon", "crf", "tfidf"):
        khabar_reports[baseline], times[baseline] = run(baseline, train, test, out_dir, "khabar", args.resamples)

    def khabar_table(timed: bool) -> list[str]:
        lexicon, tfidf = khabar_reports["lexicon"]["events"], khabar_reports["tfidf"]["events"]
        table = [f"**khabar {manifest['version']}** — trained on train ({articles(counts['train'])}); "
                 f"validation {articles(counts['validation'])}, test {articles(counts['test'])}."
                 + ("" if counts["test"] else " Not a benchmark while the test split is empty."), "",
                 ENTITY_HEADER if timed else untimed(ENTITY_HEADER)]
        for baseline, label in (("lexicon", "lexicon"), ("crf", "CRF (CRFsuite)")):
            table.append(entity_row(label, khabar_reports[baseline], times[baseline] if timed else None, evaluated))
        time_head, time_rule = (" time |", "---:|") if timed else ("", "")
        table += ["", "| baseline | scored on | trigger identification F1 | trigger classification F1 | argument "
                  f"classification F1 | document labels micro F1 | document labels macro F1 | subset accuracy |{time_head}",
                  f"|---|---|---:|---:|---:|---:|---:|---:|{time_rule}",
                  f"| lexicon (triggers) | {evaluated} | {figure(lexicon['trigger_identification'])} | "
                  f"{figure(lexicon['trigger_classification'])} | {figure(lexicon['argument_classification'])} | "
                  f"{figure(lexicon['document_labels'])} | {figure(lexicon['document_labels'], 'macro')} | "
                  f"{ratio(lexicon['subset_accuracy'])} |" + (" (above) |" if timed else ""),
                  f"| TF-IDF + logistic regression | {evaluated} | – | – | – | {figure(tfidf['document_labels'])} "
                  f"| {figure(tfidf['document_labels'], 'macro')} | {ratio(tfidf['subset_accuracy'])} |"
                  + (f" {times['tfidf']:.0f} s |" if timed else "")]
        return table

    lines = khabar_table(timed=True)
    if args.write or args.check:
        stale = write_block("\n".join(khabar_table(timed=False) + [
            "", f"95 % intervals: percentile bootstrap over {args.resamples} resamples of the test articles, seed "
                f"20240521 (`python scripts/run_baselines.py --release {_shown_release(args.release)} "
                f"--write`)."]), check=args.check)
        if args.check and stale:
            print(f"run_baselines: the baseline table of {' and '.join(stale)} is not current: run with --write",
                  file=sys.stderr)
            return 1
        if args.check:
            return 0

    corpora = (("AQMAR (Liu et al. 2019 split)", ("aqmar-liu2019", "train.txt", "test.txt")),
               ("Wojood sample (nested, 21 types)", ("wojood-sample", "train.txt", "test.txt")))
    needed = {folder for _, (folder, _, _) in corpora}
    missing = [name for name in missing_files(args.external) if name.split("/")[0] in needed]
    if missing:
        print(f"run_baselines: the third-party corpora are not in {args.external} (missing {missing[0]}"
              f"{f' and {len(missing) - 1} more' if len(missing) > 1 else ''}): their table is left out; "
              f"run `{FETCH_COMMAND}` or pass --external DIR", file=sys.stderr)
        corpora = ()
    else:
        lines += ["", "**Third-party corpora** (train on train, scored on test; never mixed with khabar's figures)", "",
                  ENTITY_HEADER.replace("| baseline | scored on |", "| corpus and baseline | test |")]
    for corpus, files in corpora:
        folder, train_file, test_file = files
        train_path, test_path = args.external / folder / train_file, args.external / folder / test_file
        for baseline, label in (("lexicon", "lexicon"), ("crf", "CRF (CRFsuite)")):
            report, seconds = run(baseline, str(train_path), str(test_path), out_dir, folder, args.resamples)
            evaluated_external = f"{report['counts']['gold']} sentences"
            lines.append(entity_row(f"{corpus}: {label}", report, seconds, evaluated_external))
    lines += ["", f"95 % intervals: percentile bootstrap over {args.resamples} resamples of the scored units "
                  f"(articles for khabar, sentences for the third-party files), seed 20240521. Times: training, "
                  f"prediction and scoring on 2 cores."]
    print("\n".join(lines))
    print(f"predictions written to {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
