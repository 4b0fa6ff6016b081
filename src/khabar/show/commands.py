"""Command-line subcommands `khabar show` and `khabar diff`: parse, hand over, report.

Exit codes: 0 done; 1 invalid data (show: some record has validation errors, its page shows
them; diff: a side holds records that cannot be compared); 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.cliutil import EXIT_INVALID, EXIT_OK
from khabar.cliutil import fail as _fail
from khabar.cliutil import say as _say
from khabar.cliutil import shown as _shown


def cmd_show(args: argparse.Namespace) -> int:
    from khabar.show.pages import show
    from khabar.show.records import ReleaseError
    from khabar.validate.runner import InputError

    try:
        result = show(args.paths, args.out)
    except (InputError, ReleaseError) as error:
        return _fail(str(error))
    except FileExistsError as error:
        return _fail(f"{_shown(Path(str(error)))} exists; show never overwrites a file (choose another --out)")
    except OSError as error:
        return _fail(f"{getattr(error, 'filename', None) or args.out}: {error.strerror or error}")
    _say(f"wrote {len(result.pages)} page(s) to {_shown(args.out)}: {result.records} record(s), "
         f"{result.with_errors} with validation errors, {result.undrawn} not drawn; open "
         f"{_shown(args.out / 'index.html')}")
    return EXIT_INVALID if result.with_errors else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from khabar.show.compare import UnusableInput, diff_paths
    from khabar.show.diff_output import as_html, as_json, as_text
    from khabar.show.records import ReleaseError
    from khabar.validate.runner import InputError

    try:
        diff = diff_paths(args.old, args.new)
    except (InputError, ReleaseError) as error:
        return _fail(str(error))
    except UnusableInput as problem:
        for line in problem.lines:
            print(line)
        return _fail(f"{len(problem.lines)} record(s) cannot be compared; run `khabar validate`", EXIT_INVALID)
    old_name, new_name = _shown(args.old), _shown(args.new)
    write = {"text": as_text, "json": as_json, "html": as_html}[args.format]
    print(write(diff, old_name, new_name), end="")
    return EXIT_OK


def add_parsers(commands) -> None:
    show = commands.add_parser("show", help="write each record as a right-to-left HTML page, plus an index")
    show.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                      help="article .json, .jsonl shard, folder of them, or release folder")
    show.add_argument("--out", type=Path, required=True, metavar="DIR",
                      help="folder for the pages (created; existing files are never overwritten)")
    show.set_defaults(run=cmd_show)

    diff = commands.add_parser("diff", help="list added, removed and changed annotations between two readings")
    diff.add_argument("old", type=Path, metavar="OLD", help="record file, folder or release folder")
    diff.add_argument("new", type=Path, metavar="NEW", help="record file, folder or release folder")
    diff.add_argument("--format", choices=("text", "json", "html"), default="text",
                      help="text (default), json, or html (both readings on the text)")
    diff.set_defaults(run=cmd_diff)
