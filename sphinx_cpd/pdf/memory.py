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
from collections.abc import Iterator
from contextlib import contextmanager

from docutils import nodes


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


class Collection:
    """One full collection of what was let go while the collector was paused
    (the tree itself is taken apart by :func:`release`), run at most once:
    :mod:`sphinx_cpd.pdf.parts` runs it as soon as Typst's layout processes
    have started, while this process only waits for them, and the builder
    again after the layout (a no-op if it ran). A collection holds the
    interpreter's lock throughout, so in a thread of its own it would stall
    this process's own work as much as in line; at the interpreter's exit it
    takes twice as long."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            gc.collect()


def release(tree: nodes.Node) -> None:
    """Take the tree apart, so that reference counting frees it as it goes:
    with no node pointing to its parent, and the document holding nothing, no
    cycle is left for the collector to find, whose full collection walks every
    object alive (2 s at 500 entries with the tree, a fifth of that without it)."""
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        node.parent = None
        if isinstance(node, nodes.Element):
            stack += node.children
            node.children = []
    if isinstance(tree, nodes.document):
        # The document's own tables of ids and names point to nodes too.
        tree.__dict__.clear()
