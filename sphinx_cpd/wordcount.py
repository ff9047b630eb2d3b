"""Word counts and limits: ``cpd-word-limit`` on a page, ``:word-limit:`` on a reflection.

Only the author's prose counts: not titles, captions, photo credits, code,
generated listings, object details or feedback (someone else's words). A
reference counts as the words it shows, so counting waits until references are
resolved, and runs before listings and back-links are filled in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import card_class
from sphinx_cpd.language import shown_count

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+(?:['\u2019.-]\w+)*")

#: Classes of containers whose text is not the author's counted prose.
_SKIPPED_CLASSES = {
    "cpd-details",
    card_class("feedback"),
    "cpd-backlinks",
    "cpd-word-count",
    "toctree-wrapper",
}
_SKIPPED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.title,
    nodes.rubric,
    nodes.figure,
    nodes.caption,
    nodes.legend,
    nodes.literal_block,
    nodes.literal,
    nodes.doctest_block,
    nodes.comment,
    nodes.raw,
    nodes.system_message,
    nodes.substitution_definition,
    nodes.math_block,
    nodes.math,
    addnodes.toctree,
    addnodes.pending_xref,
)


#: Pages resolved only to count their words (for a scheme's word limit): their
#: listings are left unfilled, as they are when the page's own counter counts.
COUNTING_ONLY: set[str] = set()


class word_count(nodes.General, nodes.Element):
    """Where "N / LIMIT words" goes; counted and filled when the page is resolved."""


def count_words(node: nodes.Node) -> int:
    """Words of the author's prose in ``node``, skipping what does not count."""
    total = 0
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, nodes.Text):
            total += len(_WORD.findall(current.astext()))
            continue
        if current is not node and _skipped(current):
            continue
        if isinstance(current, nodes.Element):
            stack.extend(reversed(current.children))
    return total


def _skipped(node: nodes.Node) -> bool:
    if isinstance(node, _SKIPPED_NODES) or node.__class__.__name__ in {"listing", "backlinks"}:
        return True
    return isinstance(node, nodes.Element) and bool(_SKIPPED_CLASSES & set(node["classes"]))


def counted_scope(doctree: nodes.document) -> nodes.Element:
    """What a page's count covers: its first section (the page under its
    title), or the whole page if it has none."""
    section = next(iter(doctree.findall(nodes.section)), None)
    return section if section is not None else doctree


def page_limit(app: Sphinx, doctree: nodes.document) -> None:
    """Place the page's counter, if its front matter sets ``cpd-word-limit``."""
    docname = app.env.docname
    raw: Any = app.env.metadata.get(docname, {}).get("cpd-word-limit")
    if raw is None:
        return
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) == 0:
        logger.warning(
            f"cpd-word-limit: {text!r} is not a whole number of words; write e.g. "
            "cpd-word-limit: 1000 in the front matter",
            type="cpd",
            subtype="word-limit",
            location=(docname, 1),
        )
        return
    holder = counted_scope(doctree)
    counter = word_count(limit=int(text), scope="page", docname=docname, line=1)
    titled = isinstance(holder, nodes.section) and isinstance(holder[0], nodes.title)
    holder.insert(1 if titled else 0, counter)


def fill_counts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for counter in list(doctree.findall(word_count)):
        scope: nodes.Node | None = counter.parent
        if counter["scope"] == "reflection":
            while scope is not None and not (
                isinstance(scope, nodes.container) and card_class("reflection") in scope["classes"]
            ):
                scope = scope.parent
        if scope is None:
            counter.parent.remove(counter)
            continue
        words, limit = count_words(scope), counter["limit"]
        over = words > limit
        if over:
            what = "the page" if counter["scope"] == "page" else "this reflection"
            logger.warning(
                f"{what} has {words} words, over its limit of {limit}; "
                f"cut {words - limit} words or raise the limit",
                type="cpd",
                subtype="word-limit",
                location=(counter["docname"], counter["line"]),
            )
        shown = {"words": shown_count(words), "limit": shown_count(limit)}
        # Translators: a word count against its limit: "950 / 1000 words".
        label = _("%(words)s / %(limit)s words") % shown
        para = nodes.paragraph(
            label, label, classes=["cpd-word-count", *(["cpd-over-limit"] if over else [])]
        )
        counter.replace_self(para)


def setup_wordcount(app: Sphinx) -> None:
    app.add_node(word_count)
    # After Sphinx's collectors have read the front matter into env.metadata.
    app.connect("doctree-read", page_limit, priority=600)
    # Before listings and back-links are filled in, which do not count.
    app.connect("doctree-resolved", fill_counts, priority=400)
