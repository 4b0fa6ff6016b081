"""Command-line subcommands of the evaluation (`khabar evaluate`, `khabar baseline`).

Exit codes as everywhere in khabar: 0 success, 1 invalid data (a bad predictions or gold file),
2 a usage or I/O error. Errors are one line each, naming the file and line; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.cliutil import EXIT_INVALID, EXIT_OK, EXIT_USAGE, nonnegative_int
from khabar.cliutil import fail as _fail
from khabar.textrules import escaped


def run_evaluate(args: argparse.Namespace) -> int:
    from khabar.api import evaluate
    from khabar.evaluation.bio import TagError
    from khabar.evaluation.inputs import DataError, UsageError
    from khabar.evaluation.report import RENDERERS

    try:
        report = evaluate(args.gold, args.predictions, args.allow_missing, args.resamples, args.seed)
    except UsageError as error:
        return _fail(str(error), EXIT_USAGE)
    except DataError as error:
        return _fail("\n".join(error.problems), EXIT_INVALID)
    except TagError as error:
        return _fail(f"{escaped(str(args.gold))}: {error}", EXIT_INVALID)
    text = RENDERERS[args.format](report)
    if args.out:
        from khabar.atomic import write_new_file

        try:
            write_new_file(args.out, text)
        except FileExistsError:
            return _fail(f"{args.out} exists; evaluate never overwrites a file", EXIT_USAGE)
        except OSError as error:
            return _fail(f"{escaped(str(args.out))}: {error.strerror or error}", EXIT_USAGE)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def run_baseline(args: argparse.Namespace) -> int:
    from khabar.evaluation.baselines import BaselineError, run_baseline_command

    try:
        return run_baseline_command(args)
    except BaselineError as error:
        return _fail(str(error), error.code)


def add_parsers(commands) -> None:
    """Register the subcommands on the `khabar` argparse subparsers object."""
    from khabar.evaluation.tally import RESAMPLES, SEED

    evaluate = commands.add_parser(
        "evaluate", help="score predictions against gold: entities (nervaluate schemes, seqeval), events",
        description="Score a predictions file (JSON Lines) against gold data. GOLD: a release folder and split "
                    "(releases/v0.1.0:test), an article file, shard or folder, or a CoNLL-style column file.")
    evaluate.add_argument("--gold", required=True, metavar="GOLD",
                          help="RELEASE:SPLIT, article .json/.jsonl or folder, or a token/tag column file")
    evaluate.add_argument("--predictions", required=True, type=Path, metavar="PRED",
                          help="JSON Lines: records (id + entities/events/event_labels) or ner rows (id + ner_tags)")
    evaluate.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                          help="report as aligned text tables (default), JSON or Markdown tables")
    evaluate.add_argument("--allow-missing", action="store_true",
                          help="score gold documents without a prediction as empty predictions (counted in the report)")
    evaluate.add_argument("--resamples", type=nonnegative_int, default=RESAMPLES,
                          help=f"bootstrap resamples of the documents (default {RESAMPLES}; 0: no intervals)")
    evaluate.add_argument("--seed", type=int, default=SEED, help=f"bootstrap seed (default {SEED})")
    evaluate.add_argument("--out", type=Path, help="write the report here instead of standard output")
    evaluate.set_defaults(run=run_evaluate)

    from khabar.evaluation.baselines import add_parser as add_baseline

    add_baseline(commands, run_baseline)
