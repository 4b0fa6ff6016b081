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


def batched(items: Iterable[Item], size: int | None = None) -> Iterator[list[Item]]:
    size = size or BATCH_RECORDS
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
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
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs) as pool:
        pending: deque = deque()
        for item in items:
            pending.append((item, pool.submit(function, send(item))))
            if len(pending) >= 2 * workers:
                item, future = pending.popleft()
                yield item, future.result()
        while pending:
            item, future = pending.popleft()
            yield item, future.result()
