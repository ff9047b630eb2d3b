"""Work on the parts of the PDF side by side, in forked processes.

As Sphinx's own parallel builds (on POSIX only): a forked process starts with
everything this one holds, so it is given only an index, and gives back only
its result. A process that cannot start, or is killed (out of memory), leaves
the work to this process: slower, never lost.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from sphinx.util.parallel import parallel_available

T = TypeVar("T")

#: Bytes of parts below which the work is done here: forking the builder's
#: process and sending the results back takes longer (measured break-even for
#: the joining: 1.5-2 MB; the example's parts are under 1 MB).
FORK_BYTES = 4_000_000

#: The work of the pool being started: a forked process has it from here.
_work: Callable[[int], Any] | None = None


def _call(index: int) -> Any:
    assert _work is not None
    return _work(index)


def side_by_side(work: Callable[[int], T], sizes: list[int], jobs: int) -> list[T]:
    """``work(index)`` for each index of ``sizes`` (the bytes each works on):
    in up to ``jobs`` forked processes if forking is possible and they add up
    to :data:`FORK_BYTES` or more, the largest first so that the processes end
    together; otherwise here."""
    global _work
    jobs = min(jobs, len(sizes))
    if jobs > 1 and sum(sizes) >= FORK_BYTES and parallel_available:
        order = sorted(range(len(sizes)), key=lambda index: -sizes[index])
        _work = work
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                found = dict(zip(order, pool.map(_call, order), strict=True))
            return [found[index] for index in range(len(sizes))]
        except (BrokenProcessPool, OSError):
            pass  # here, then
        finally:
            _work = None
    return [work(index) for index in range(len(sizes))]
