"""What every `khabar` subcommand shares: exit codes, one-line messages, argument types."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
# progress bars: drawn on a terminal after TERMINAL_DELAY s; elsewhere a plain line every PLAIN_EVERY s
TERMINAL_DELAY, PLAIN_EVERY = 2, 30


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print `khabar: error: ...` (one line per line of message) to stderr; return code."""
    for line in message.splitlines() or [""]:
        print(f"khabar: error: {line}", file=sys.stderr)
    return code


def say(message: str) -> None:
    """Progress and summaries: `khabar: ...` on stderr, so stdout stays the command's output."""
    print(f"khabar: {message}", file=sys.stderr, flush=True)


class _PlainLines:
    """A stream for tqdm when stderr is not a terminal: each refresh becomes one plain line
    (`khabar: validate: 20,000 records [00:10, 2000.00 records/s]`), no carriage returns."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.replace("\r", "").strip("\n")
        if text.strip():
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def progress_bar(description: str, unit: str, total: int | None = None):
    """A tqdm progress bar on stderr for long jobs; call .update(n), then .close().

    On a terminal it is drawn after TERMINAL_DELAY seconds and redrawn in place; when stderr is
    not a terminal (a log, a pipe) a plain line is written every PLAIN_EVERY seconds instead.
    A job that ends sooner shows nothing either way.
    """
    from tqdm import tqdm

    terminal = sys.stderr.isatty()
    return tqdm(total=total, desc=f"khabar: {description}", unit=f" {unit}", unit_scale=False,
                file=sys.stderr if terminal else _PlainLines(sys.stderr),
                delay=TERMINAL_DELAY if terminal else PLAIN_EVERY, mininterval=0.5 if terminal else PLAIN_EVERY,
                maxinterval=max(PLAIN_EVERY, 10), dynamic_ncols=terminal,
                leave=not terminal, ascii=not terminal)


def nonnegative_int(value: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative")
    return number


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
