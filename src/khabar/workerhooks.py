"""Imported by the fork server before it forks khabar's worker processes (multiprocessing preload).

A worker whose parent is terminated while it is still sending the worker its start-up data
reads a truncated pickle and, by default, prints a traceback beside the parent's own one-line
"terminated". That start-up failure says nothing the parent has not said, so it is not printed;
every other exception in the fork server's children is printed as usual.
"""

from __future__ import annotations

import pickle
import sys

_print_exception = sys.excepthook


def _quiet_when_orphaned(kind, value, traceback) -> None:
    if issubclass(kind, (EOFError, pickle.UnpicklingError)):
        return
    _print_exception(kind, value, traceback)


sys.excepthook = _quiet_when_orphaned
