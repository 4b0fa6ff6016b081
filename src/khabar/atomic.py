"""The one way khabar writes a file: atomically, with the mode the umask gives, never over an
existing file unless the caller rewrites a file it owns (the split registry).

The content goes to a temporary file in the target's folder, is flushed to disk, gets the
mode an ordinary `open(path, "w")` would give (0666 minus the umask; `mkstemp` makes 0600),
then is linked (new file) or renamed (replacement) into place. A crash leaves either no file
or the whole file, never a partial one, and never a stray temporary file on a Python error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells it (/proc), else by
    setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode of a newly created regular file: 0666 minus the umask."""
    return 0o666 & ~current_umask()


def _staged(path: Path, data: bytes) -> str:
    """A temporary file beside path holding data, flushed, with the umask's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), file_mode())
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def write_new_file(path: Path, content: str | bytes) -> None:
    """Create path with content (str as UTF-8) atomically; FileExistsError when path exists
    (even when it appears meanwhile: the final step is a link, which never replaces)."""
    if os.path.lexists(path):
        raise FileExistsError(17, "File exists", str(path))
    temporary = _staged(path, _as_bytes(content))
    try:
        os.link(temporary, path)
    finally:
        os.unlink(temporary)


def replace_file(path: Path, content: str | bytes) -> None:
    """Write path with content atomically, replacing it if it exists (for a file the command
    owns and rewrites as a whole, such as corpus/splits.tsv)."""
    temporary = _staged(path, _as_bytes(content))
    try:
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
