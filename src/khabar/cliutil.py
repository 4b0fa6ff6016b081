"""What every `khabar` subcommand shares: exit codes, one-line messages, argument types."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print `khabar: error: ...` (one line per line of message, control characters escaped) to
    stderr; return code. Paths in message come from shown() (line breaks escaped too)."""
    from khabar.textrules import escaped

    for line in message.split("\n"):
        print(f"khabar: error: {escaped(line)}", file=sys.stderr)
    return code


def say(message: str) -> None:
    """Progress and summaries: `khabar: ...` on stderr, so stdout stays the command's output."""
    print(f"khabar: {message}", file=sys.stderr, flush=True)


def date_argument(value: str) -> str:
    """argparse type: a calendar date written YYYY-MM-DD."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None
    if len(value) != 10:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD")
    return value


def shown(path: Path) -> str:
    """A path as messages show it (relative to the working folder when inside it)."""
    from khabar.validate.runner import shown_path

    return shown_path(path)
