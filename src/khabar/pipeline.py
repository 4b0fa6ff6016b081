"""Streaming, order-preserving parallel processing of a corpus in bounded batches.

The main process reads files in a fixed order (sorted paths, then line order) and cuts the
raw records into batches; workers check (and, for a build, convert) each batch; results come
back in submission order, so the output is the same with one process or several. At most
`window` batches are in flight, so memory does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

BATCH_RECORDS = 128


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def workers_for(size: int) -> int:
    """--workers auto for `size` bytes of records: one per core above 20 MB, else 1 (a process
    pool costs more than it saves on a few files)."""
    return default_workers() if size > 20_000_000 else 1


def batched(items: Iterable[Item], size: int | None = None, boundary: int | None = None) -> Iterator[list[Item]]:
    """items in lists of `size` (default BATCH_RECORDS), in order; with a boundary, no list
    crosses a multiple of `boundary` items (a release unit), so each list lies in one unit."""
    size = size or BATCH_RECORDS
    batch: list[Item] = []
    seen = 0
    for item in items:
        batch.append(item)
        seen += 1
        if len(batch) >= size or (boundary and seen % boundary == 0):
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(function: Callable[[object], Result], items: Iterable[Item], workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple = (),
                send: Callable[[Item], object] = lambda item: item) -> Iterator[tuple[Item, Result]]:
    """(item, function(send(item))) for every item, in order; in `workers` processes when workers > 1.

    send turns an item into what travels to a worker (e.g. a compact form); the item itself
    stays here. Keeps at most 2 * workers items in flight. Worker processes start from a fresh
    interpreter (forkserver or spawn), never by forking a process that may hold threads.
    """
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        for item in items:
            yield item, function(send(item))
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # before the fork server starts: its children stay quiet when orphaned
        context.set_forkserver_preload(["khabar.workerhooks"])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(initializer, initargs)) as pool:
        try:
            pending: deque = deque()
            for item in items:
                pending.append((item, pool.submit(function, send(item))))
                if len(pending) >= 2 * workers:
                    item, future = pending.popleft()
                    yield item, future.result()
            while pending:
                item, future = pending.popleft()
                yield item, future.result()
        except BaseException:
            # interrupted, terminated, or the consumer stopped early: queued batches are dropped,
            # and the pool's exit waits only for the batches the workers are running
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """Set up a worker process: it dies with the process that started the pool, whatever ends
    that process (even SIGKILL, which leaves it no time to stop its workers)."""
    _die_with_parent()
    if initializer:
        initializer(*initargs)


def _die_with_parent() -> None:
    """Exit this process as soon as its parent process ends.

    A forkserver or spawn child holds a sentinel of the process that started it, which becomes
    readable when that process ends; a daemon thread waits on it. Where Linux offers it, the
    kernel's parent-death signal is asked for too.
    """
    import threading
    from multiprocessing.connection import wait

    _parent_death_signal()
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)  # no cleanup to do: the worker holds no file of its own

    threading.Thread(target=watch, name="khabar-parent-watch", daemon=True).start()


def _parent_death_signal() -> None:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) through ctypes where available (Linux), else nothing.
    Under forkserver the parent is the fork server, which itself ends with the main process."""
    import ctypes
    import ctypes.util
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
