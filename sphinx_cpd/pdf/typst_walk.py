"""A docutils tree walked as ``walkabout`` walks it, faster.

Docutils' ``walkabout`` makes two debug calls and looks the visit and depart
methods up by name for every node; for the single document of a long
portfolio that was a third of the time its Typst markup took.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes

Method = Callable[[Any], None]


class Walker(nodes.NodeVisitor):
    """A visitor with :meth:`walk`, and :meth:`before`, called before each
    node's visit method (by ``walkabout`` too, through ``dispatch_visit``)."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        #: Each node class's visit and depart methods, looked up once.
        self.methods: dict[type, tuple[Method, Method]] = {}

    def before(self, node: nodes.Node) -> None:
        """Work for every node, before its visit method."""

    def dispatch_visit(self, node: nodes.Node) -> None:
        self.before(node)
        super().dispatch_visit(node)

    def walk(self, node: nodes.Node) -> bool:
        """``node.walkabout(self)``, with the same skips and stops; True if
        the walk was stopped."""
        kind = type(node)
        methods = self.methods.get(kind)
        if methods is None:
            name = kind.__name__
            methods = self.methods[kind] = (
                getattr(self, f"visit_{name}", self.unknown_visit),
                getattr(self, f"depart_{name}", self.unknown_departure),
            )
        stop, depart = False, True
        try:
            try:
                self.before(node)
                methods[0](node)
            except nodes.SkipNode:
                return False
            except nodes.SkipDeparture:
                depart = False
            try:
                for child in list(node.children):
                    if self.walk(child):
                        stop = True
                        break
            except nodes.SkipSiblings:
                pass
        except nodes.SkipChildren:
            pass
        except nodes.StopTraversal:
            stop = True
        if depart:
            methods[1](node)
        return stop
