"""What every `khabar` subcommand shares: exit codes, one-line messages, argument types."""

from __future__ import annotations

import argparse
import codecs
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
