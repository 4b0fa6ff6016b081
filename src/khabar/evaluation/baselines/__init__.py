"""Baselines: each one command that trains on a training set, writes predictions and scores them
with `khabar evaluate`'s scorer.

    khabar baseline lexicon|crf|tfidf --train TRAIN --test TEST --predictions OUT.jsonl [--format ...]

TRAIN and TEST are gold as `khabar evaluate` reads it (a release and split, article files, or a
CoNLL-style column file for the NER baselines). The predictions are records (against records)
or `ner` rows (against a column file). Needs the baseline dependencies: python-crfsuite (crf),
scikit-learn (tfidf).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from khabar.rules import expected_event_labels
from khabar.wording import count

BASELINES = ("lexicon", "crf", "tfidf")


class BaselineError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _load(spec: str, role: str):
    from khabar.evaluation.inputs import DataError, UsageError, load_gold

    try:
        return load_gold(spec)
    except UsageError as error:
        raise BaselineError(f"--{role}: {error}", 2) from None
    except DataError as error:
        raise BaselineError("\n".join(error.problems), 1) from None


def predict(name: str, train, test) -> list[dict]:
    """Train baseline `name` on gold `train`, predict `test`: prediction rows in file order."""
    from khabar.evaluation.baselines.data import entities_from_layers, gold_sentences, record_sentences

    if name == "tfidf":
        if train.records is None or test.records is None:
            raise BaselineError("tfidf predicts document event labels: --train and --test must be articles", 2)
        from khabar.evaluation.baselines.tfidf import TfidfLabeller

        labeller = TfidfLabeller().fit(train.records)
        return [{"id": r["id"], "event_labels": found} for r, found in zip(test.records, labeller.predict(test.records))]
    train_sentences = gold_sentences(train)
    if name == "lexicon":
        from khabar.evaluation.baselines.lexicon import EntityLexicon, TriggerLexicon

        lexicon = EntityLexicon().fit(train_sentences)
        tag_sentences = lambda sentences: [lexicon.predict(s.tokens) for s in sentences]  # noqa: E731
        triggers = TriggerLexicon().fit(train.records) if train.records is not None else None
    else:
        from khabar.evaluation.baselines.crf import CrfTagger

        tagger = CrfTagger().fit(train_sentences)
        tag_sentences = tagger.predict
        triggers = None
    if test.records is None:
        sentences = gold_sentences(test)
        return [{"id": s.id, "ner_tags": [list(column) for column in zip(*layers)] if len(layers) > 1 else layers[0]}
                for s, layers in zip(sentences, tag_sentences(sentences))]
    rows = []
    for record in test.records:
        sentences = record_sentences(record)
        row = {"id": record["id"], "entities": entities_from_layers(sentences, tag_sentences(sentences))}
        if triggers is not None:
            row["events"] = triggers.predict(record["text"])
            row["event_labels"] = expected_event_labels(row["events"])
        rows.append(row)
    return rows


def run_baseline_command(args: argparse.Namespace) -> int:
    from khabar.api import evaluate
    from khabar.evaluation.inputs import DataError, UsageError
    from khabar.evaluation.report import RENDERERS

    train, test = _load(args.train, "train"), _load(args.test, "test")
    started = time.perf_counter()
    try:
        rows = predict(args.baseline, train, test)
    except ImportError as error:
        raise BaselineError(f"the {args.baseline} baseline needs {error.name}: pip install python-crfsuite "
                            f"scikit-learn", 2) from None
    seconds = time.perf_counter() - started
    from khabar.atomic import write_new_file

    try:
        write_new_file(args.predictions,
                       "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows))
    except FileExistsError:
        raise BaselineError(f"{args.predictions} exists; baseline never overwrites a file", 2) from None
    except OSError as error:
        raise BaselineError(f"{args.predictions}: {error.strerror or error}", 2) from None
    print(f"khabar: {args.baseline}: trained on {args.train}, predicted {count(len(rows), 'row')} of {args.test} "
          f"in {seconds:.1f} s; wrote {args.predictions}", file=sys.stderr)
    try:
        report = evaluate(args.test, args.predictions, False, args.resamples, args.seed)
    except UsageError as error:
        raise BaselineError(str(error), 2) from None
    except DataError as error:  # a baseline writing invalid predictions is a bug worth seeing
        raise BaselineError("\n".join(error.problems), 1) from None
    report["baseline"] = {"name": args.baseline, "train": args.train, "test": args.test}
    sys.stdout.write(RENDERERS[args.format](report))
    return 0


def add_parser(commands, run) -> None:
    from khabar.cliutil import nonnegative_int
    from khabar.evaluation.tally import RESAMPLES, SEED

    parser = commands.add_parser("baseline", help="train a baseline, write its predictions and score them",
                                 description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", choices=BASELINES,
                        help="lexicon (entities, triggers), crf (entities), tfidf (document event labels)")
    parser.add_argument("--train", required=True, metavar="TRAIN", help="training gold (as --gold of evaluate)")
    parser.add_argument("--test", required=True, metavar="TEST", help="gold to predict and score against")
    parser.add_argument("--predictions", required=True, type=Path, metavar="OUT", help="predictions file to write")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                        help="report as aligned text tables (default), JSON or Markdown tables")
    parser.add_argument("--resamples", type=nonnegative_int, default=RESAMPLES, help=f"bootstrap resamples (default {RESAMPLES})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"bootstrap seed (default {SEED})")
    parser.set_defaults(run=run)
