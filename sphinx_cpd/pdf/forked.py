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

from sphinx.util import logging
from sphinx.util.parallel import parallel_available

T = TypeVar("T")

#: Bytes of parts below which the work is done here: forking the builder's
#: process and sending the results back takes longer (measured break-even for
#: the joining: 1.5-2 MB; the example's parts are under 1 MB).
FORK_BYTES = 4_000_000


class Failed(Exception):
    """The forked processes failed once ``meanwhile`` had been called."""


#: The work of the pool being started: a forked process has it from here.
_work: Callable[[int], Any] | None = None

logger = logging.getLogger(__name__)


def _call(index: int) -> tuple[list[Any], Any]:
    """``_work(index)`` in a forked process, and what it logged, to be said
    by the builder's process (as Sphinx's own parallel builds do)."""
    assert _work is not None
    collector = logging.LogCollector()
    with collector.collect():
        result = _work(index)
    logging.convert_serializable(collector.logs)
    return collector.logs, result


def side_by_side(
    work: Callable[[int], T],
    sizes: list[int],
    jobs: int,
    least: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[T]:
    """``work(index)`` for each index of ``sizes`` (how much each works on):
    in up to ``jobs`` forked processes if forking is possible and they add up
    to ``least`` (:data:`FORK_BYTES`) or more, each process taking the
    largest left when it is free, so that they end together; otherwise here.
    ``meanwhile`` is called once the processes have their work (not if the
    work is done here); if they fail after that, :class:`Failed` is raised
    (``meanwhile`` may have let go of what the work needs); without it, a
    failure leaves the work to this process. What the work
    logs is said in the order of ``sizes``."""
    global _work
    jobs = min(jobs, len(sizes))
    least = FORK_BYTES if least is None else least
    if jobs > 1 and sum(sizes) >= least and parallel_available:
        order = sorted(range(len(sizes)), key=lambda index: -sizes[index])
        _work = work
        started = False
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                results = pool.map(_call, order)
                if meanwhile is not None:
                    started = True
                    meanwhile()
                found = dict(zip(order, results, strict=True))
        except (BrokenProcessPool, OSError) as error:
            if started:
                raise Failed(str(error) or type(error).__name__) from error
            # Here, then.
        else:
            for index in range(len(sizes)):
                for log in found[index][0]:
                    logger.handle(log)
            return [found[index][1] for index in range(len(sizes))]
        finally:
            _work = None
    return [work(index) for index in range(len(sizes))]
