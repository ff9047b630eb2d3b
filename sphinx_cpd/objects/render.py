"""The docutils nodes objects are made of: plain structures every builder can show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_cpd.i18n import PLACEHOLDER, _
from sphinx_cpd.language import long_date, shown_hours
from sphinx_cpd.model import safe_url

if TYPE_CHECKING:
    from docutils.nodes import Node


def format_date(value: date) -> str:
    return long_date(value)


def shown_text(value: object) -> str:
    """A value as a reader sees it in an object's details."""
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return shown_hours(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (tuple, list)):
        return ", ".join(str(item) for item in value)
    return str(value)


class object_header(nodes.General, nodes.Element):
    """Nodes made from an object's options (its title and details), held aside.

    They are the object's own data, not prose: keeping them out of the tree
    until the document has been read spares them the parse-time transforms
    (smart quotes, source fixes), which otherwise cost more than the rest of
    reading an object. :class:`ExpandGenerated` puts them in place.
    """

    def __init__(self, content: list[Node]) -> None:
        super().__init__()
        self["content"] = content


class ExpandGenerated(SphinxTransform):
    """Put held-aside titles and details in place: after the costly parse-time
    transforms, before the domain collects the references they hold (850)."""

    default_priority = 845

    def apply(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(object_header)):
            placeholder.replace_self(placeholder["content"])


def xref(reftype: str, target: str, text: str | None = None) -> addnodes.pending_xref:
    """A reference to a CPD object (or criterion), resolved by the domain."""
    node = addnodes.pending_xref(
        "",
        refdomain="cpd",
        reftype=reftype,
        reftarget=target,
        refexplicit=text is not None,
        refwarn=False,
    )
    node += nodes.inline(target, text or target, classes=["xref", "cpd", f"cpd-{reftype}"])
    return node


def badge(label: str, *classes: str) -> nodes.inline:
    """A short label in a pill; sphinx-design's badge shape, our colours."""
    return nodes.inline(label, label, classes=["cpd-badge", "sd-badge", *classes])


def join(items: Sequence[Node], separator: str = ", ") -> list[Node]:
    out: list[Node] = []
    for n, item in enumerate(items):
        if n:
            out.append(nodes.Text(separator))
        out.append(item)
    return out


def text(value: str) -> list[Node]:
    return [nodes.Text(value)]


def sentence(message: str, **parts: Node | Sequence[Node]) -> list[Node]:
    """A translated sentence as nodes: its words as text, each ``%(name)s`` replaced
    by the nodes given for it (a link, say), wherever the language puts it."""
    out: list[Node] = []
    used: set[str] = set()
    # split() alternates the words and the names of the placeholders between them.
    for n, piece in enumerate(PLACEHOLDER.split(message)):
        if n % 2 == 0:
            if piece:
                out.append(nodes.Text(piece.replace("%%", "%")))
        elif piece not in parts:
            out.append(nodes.Text(f"%({piece})s"))
        else:
            # A node has one parent: a placeholder used twice gets a copy.
            part = parts[piece]
            given = [part] if isinstance(part, nodes.Node) else part
            out.extend(node.deepcopy() if piece in used else node for node in given)
            used.add(piece)
    return out


def link(url: str | None, label: str | None = None) -> list[Node]:
    """A link to a safe address; anything else is shown as text, never linked."""
    safe = safe_url(url)
    shown = label or url or ""
    if safe is None:
        return [nodes.Text(shown)]
    return [nodes.reference(shown, shown, refuri=safe)]


def field_list(rows: Sequence[tuple[str, Sequence[Node]]]) -> nodes.field_list:
    fields = nodes.field_list(classes=["cpd-details"])
    for label, content in rows:
        body = nodes.field_body()
        paragraph = nodes.paragraph()
        paragraph.extend(content)
        body += paragraph
        fields += nodes.field("", nodes.field_name(label, label), body)
    return fields
