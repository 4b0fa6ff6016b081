"""Staging folders of `khabar build`: named after their owner, removed once the owner is gone.

A build writes into `.<release>.building-<host>-<pid>-<start>-<random>` beside the release and
renames it into place at the end. A build that is killed (SIGKILL, power loss) cannot remove
its folder; the next build into the same parent folder removes every staging folder whose
owner — the process `pid` started at `start` (clock ticks after boot, /proc/<pid>/stat) on
this host — no longer runs. A folder of a running build, or of another host, is left alone,
so concurrent builds stay safe.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
from pathlib import Path
from typing import Callable

_OWNED = re.compile(r"^\..+\.building-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-(?P<start>[0-9]+)-[^/]+$")


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def process_start(pid: int) -> int | None:
    """When process pid started (clock ticks after boot), None when no such process runs.
    0 where the system does not tell (no /proc): then only the pid is compared."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # the command name (field 2) may hold spaces and parentheses: fields after its last ")"
            return int(stat.read().rsplit(b")", 1)[1].split()[19])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return 0


def staging_prefix(release_name: str) -> str:
    """The name prefix of this process's staging folder for release_name (mkdtemp adds the rest)."""
    pid = os.getpid()
    return f".{release_name}.building-{_host()}-{pid}-{process_start(pid) or 0}-"


def _owner_gone(name: str) -> bool:
    owned = _OWNED.match(name)
    if owned is None or owned["host"] != _host():
        return False  # not ours to judge: an older build's folder, or another host's
    start = process_start(int(owned["pid"]))
    return start is None or (start != 0 and int(owned["start"]) != 0 and start != int(owned["start"]))


def remove_stale(parent: Path, say: Callable[[str], None] = lambda message: None) -> list[str]:
    """Remove the staging folders in parent whose build no longer runs; their names."""
    removed = []
    try:
        names = sorted(entry.name for entry in os.scandir(parent) if entry.is_dir(follow_symlinks=False))
    except FileNotFoundError:
        return removed
    for name in names:
        if _owner_gone(name):
            shutil.rmtree(parent / name, ignore_errors=True)
            removed.append(name)
            say(f"removed {name} in {parent}: staging folder of a build that no longer runs")
    return removed
