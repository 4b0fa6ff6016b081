"""`khabar suggest PATH... --out DIR`: parse the options, suggest, write the drafts all or nothing.

Exit codes: 0 written; 1 invalid input records (or input that is not a draft), or a target file
that exists; 2 usage and I/O problems (unknown source, no gold for the CRF, missing dependency).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.cliutil import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from khabar.cliutil import fail as _fail
from khabar.cliutil import say as _say
from khabar.cliutil import shown as _shown
from khabar.suggest import SOURCES


def _read(paths: list[Path], what: str) -> tuple[list[dict] | None, int]:
    from khabar.interchange.records import read_valid_records
    from khabar.validate.runner import InputError

    try:
        records, errors = read_valid_records(paths)
    except InputError as error:
        return None, _fail(str(error), EXIT_USAGE)
    if errors:
        for line in errors:
            print(line)
        return None, _fail(f"{len(errors)} validation error(s) in the {what}; run `khabar validate`; nothing written",
                           EXIT_INVALID)
    return records, EXIT_OK


def run_suggest(args: argparse.Namespace) -> int:
    from khabar.interchange.problems import BadInput
    from khabar.interchange.records import record_files_content, write_all
    from khabar.suggest.engine import Suggester, SuggestError

    drafts, code = _read(args.paths, "records to suggest for")
    if drafts is None:
        return code
    not_drafts = [r["id"] for r in drafts if r["annotation"]["status"] != "draft"]
    if not_drafts:
        return _fail(f"{', '.join(not_drafts)}: not draft; khabar suggest pre-annotates drafts only", EXIT_INVALID)
    gold_paths = args.gold or ([Path("corpus")] if Path("corpus").is_dir() else [])
    gold: list[dict] = []
    if gold_paths:
        found, code = _read(gold_paths, "gold records")
        if found is None:
            return code
        ids, texts = {r["id"] for r in drafts}, {r["text"] for r in drafts}
        gold = [r for r in found if r["annotation"]["status"] == "gold" and r["id"] not in ids and r["text"] not in texts]
    try:
        suggester = Suggester([name.strip() for name in args.using.split(",") if name.strip()], gold)
    except SuggestError as error:
        return _fail(str(error), error.code)
    suggested = [suggester.suggest(record) for record in drafts]
    files, errors = record_files_content(suggested, args.out)
    if errors:  # a suggestion the validator refuses is a bug in khabar suggest: say so, write nothing
        for line in errors:
            print(line)
        return _fail(f"{len(errors)} validation error(s) in the suggested drafts (a khabar suggest bug); "
                     "nothing written", EXIT_INVALID)
    try:
        write_all(files)
    except BadInput as problem:
        return _fail(f"{problem}; nothing written", EXIT_INVALID)
    except OSError as error:
        return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "), EXIT_USAGE)
    for record, path in zip(suggested, files):
        print(f"wrote {_shown(path)}: {len(record['entities'])} entities, {len(record['events'])} events (draft)")
    _say(f"suggested {len(suggested)} draft(s) from {len(gold)} gold record(s) with {args.using}: "
         f"{suggester.produced_by}")
    return EXIT_OK


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "suggest", help="pre-annotate draft records from gold strings, rules and the CRF (never gold)",
        description="Pre-annotate draft records as INCEpTION's recommenders do: entity strings and trigger words "
                    "annotated in gold records, rules for dates, times and numbers, the CRF baseline trained on the "
                    "gold. Writes drafts to --out (never overwriting); see docs/suggest.md.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="draft article .json, .jsonl shard or folder")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the suggested drafts to")
    parser.add_argument("--using", default=",".join(SOURCES), metavar="SOURCES",
                        help=f"sources in order of precedence, comma-separated (default {','.join(SOURCES)})")
    parser.add_argument("--gold", type=Path, action="append", metavar="DIR",
                        help="gold records to learn from (repeatable; default corpus/; only status gold is used)")
    parser.set_defaults(run=run_suggest)
