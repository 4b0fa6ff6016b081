"""`khabar agree A B`: parse the options, measure, print (exit 0); 1 for invalid or incomparable
records, 2 for unreadable paths or a missing dependency. Errors are one line each."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from khabar.cliutil import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from khabar.cliutil import fail as _fail


def run_agree(args: argparse.Namespace) -> int:
    from khabar.agreement.pairs import PairingError, UnreadableInput
    from khabar.agreement.report import agreement_report, render_text

    try:
        import sklearn  # noqa: F401
    except ImportError:
        return _fail("khabar agree needs scikit-learn (Cohen's kappa): pip install 'khabar[agreement]'", EXIT_USAGE)
    try:
        report = agreement_report([args.a], [args.b])
    except UnreadableInput as error:
        return _fail(str(error), EXIT_USAGE)
    except PairingError as error:
        return _fail("\n".join(error.problems), EXIT_INVALID)
    if not report["inputs"]["articles"]:
        return _fail(f"{args.a} and {args.b} share no article (matched by id or source.url)", EXIT_INVALID)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return EXIT_OK


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "agree", help="agreement between two annotations of the same articles (F1, kappa, disagreements)",
        description="Compare two annotations of the same articles, matched by id or source.url: entity F1 (exact, "
                    "relaxed) and Cohen's kappa over tokens, event and document-label agreement, and the list of "
                    "disagreements (docs/agreement.md).")
    parser.add_argument("a", type=Path, metavar="A", help="article .json, .jsonl shard or folder: the first annotation")
    parser.add_argument("b", type=Path, metavar="B", help="the second annotation of the same articles")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_agree)
