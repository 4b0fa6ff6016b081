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


def unicode_safe_output() -> None:
    """Make stdout and stderr write what their encoding cannot hold as escapes (\\u0627) instead
    of raising UnicodeEncodeError (PYTHONIOENCODING=ascii, a C locale without UTF-8 mode).
    Called once by the command line's entry point; reports stay UTF-8 wherever the locale is."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) in ("strict", "surrogateescape"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a stream that cannot change: leave it
                pass


def stdout_is_unicode() -> bool:
    """Can stdout write every character (so JSON may be written without \\u escapes)?"""
    return (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "") \
        in ("utf8", "utf16", "utf32", "utf8sig")


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
