"""Python's memory around the PDF's single large document tree.

Docutils nodes point to their parents, so a tree is a web of reference cycles
that only the cycle collector frees, and each of its full collections walks
every object alive. At portfolio scale that is seconds of work for nothing
while the tree is built, and seconds more if the tree is left for the
interpreter to free at exit (Sphinx's logging keeps the application, and with
it the builder, alive until then).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while the single document is built and written
    as Typst markup: as the tree grows, full collections come ever more often
    and find nothing to free (2-3 s at 500 entries). What garbage there is goes
    with the tree."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_beside() -> threading.Thread:
    """Collect what was let go (the tree) in a thread, while the main thread
    waits for Typst's layout processes; join it before the build ends. At the
    interpreter's exit the same work takes twice as long."""
    thread = threading.Thread(target=gc.collect, name="cpd-free-tree")
    thread.start()
    return thread
