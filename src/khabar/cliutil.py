"""What every `khabar` subcommand shares: exit codes, one-line messages, argument types."""

from __future__ import annotations

import argparse
import codecs
import datetime
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
# progress bars: drawn on a terminal after TERMINAL_DELAY s; elsewhere a plain line every PLAIN_EVERY s
TERMINAL_DELAY, PLAIN_EVERY = 2, 30


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print `khabar: error: ...` (one line per line of message, control characters escaped) to
    stderr; return code. Paths in message come from shown() (line breaks escaped too)."""
    from khabar.textrules import escaped

    for line in message.split("\n"):
        print(f"khabar: error: {escaped(line)}", file=sys.stderr)
    return code


def _json_escapes(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: each character the encoding cannot hold as \\uXXXX (a surrogate pair
    beyond U+FFFF), an escape that reads back as the same character inside a JSON string."""
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def unicode_safe_output() -> None:
    """Make stdout and stderr write what their encoding cannot hold as \\u escapes instead of
    raising UnicodeEncodeError (PYTHONIOENCODING=ascii, a C locale without UTF-8 mode); JSON
    output stays valid JSON of the same text. Called once by the command line's entry point."""
    codecs.register_error("khabar-json-escapes", _json_escapes)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) in ("strict", "surrogateescape",
                                                                           "backslashreplace"):
            try:
                reconfigure(errors="khabar-json-escapes")
            except (ValueError, OSError):  # a stream that cannot change: leave it
                pass


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
