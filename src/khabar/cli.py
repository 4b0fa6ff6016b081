"""The `khabar` command line: parses arguments and hands over to the module that does the job.

Exit codes: 0 success, 1 invalid data, 2 usage or I/O error. No command prints a traceback
for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from khabar import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"khabar: error: {message}", file=sys.stderr)
    return code


def cmd_validate(args: argparse.Namespace) -> int:
    from khabar.validate import validate_paths
    from khabar.validate.runner import InputError

    try:
        report = validate_paths(args.paths or [Path("corpus")])
    except InputError as error:
        return _fail(str(error))
    if args.format == "json":
        summary = {"files": report.files, "records": report.records, "valid_records": report.valid_records,
                   "errors": len(report.errors), "warnings": len(report.warnings)}
        print(json.dumps({"summary": summary, "incidents": [i.as_json() for i in report.incidents]},
                         ensure_ascii=False, indent=2))
    else:
        for incident in report.incidents:
            print(incident.as_text())
    verdict = "PASSED" if report.ok else "FAILED"
    print(f"*** {verdict} *** {report.records} records in {report.files} files: "
          f"{report.valid_records} valid, {len(report.errors)} errors, {len(report.warnings)} warnings",
          file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khabar", description="Validate, ingest and release the khabar corpus.")
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", help="check article records level by level (schema/CHECKS.md)")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="article .json, .jsonl shard or folder (default: corpus/)")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK
