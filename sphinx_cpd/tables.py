"""Tables that stay usable on a phone: each sits in its own scrollable region.

The region is a container subclass, so every builder renders it as a plain
container; in HTML it is a focusable, labelled region, so that keyboard users
can scroll it too (WCAG 2.1.1) and the page itself never scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_cpd.i18n import _
from sphinx_cpd.model import WEBSITE_BUILDERS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


class scroll_region(nodes.container):
    """A table's scrollable region; ``label`` names it for assistive technology."""


class cell_label(nodes.inline):
    """A cell's column header, repeated in the cell for the phone layout, where a
    stacked row has no header above it. Only the sphinx_cpd theme shows it;
    every other output leaves it out."""


def visit_cell_label_html(self: HTML5Translator, node: cell_label) -> None:
    if self.builder.name not in WEBSITE_BUILDERS or self.config.html_theme != "sphinx_cpd":
        raise nodes.SkipNode
    self.body.append(self.starttag(node, "span", "", CLASS="cpd-cell-label"))
    self.body.append(self.encode(node.astext()))
    self.body.append("</span>")
    raise nodes.SkipNode


def skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def wrap(table: nodes.table, label: str) -> scroll_region:
    region = scroll_region(classes=["cpd-scroll"], label=label)
    region += table
    return region


def visit_scroll_region_html(self: HTML5Translator, node: scroll_region) -> None:
    attributes: dict[str, Any] = {"tabindex": "0", "role": "region", "aria-label": node["label"]}
    self.body.append(self.starttag(node, "div", "", **attributes))


def depart_scroll_region_html(self: HTML5Translator, node: scroll_region) -> None:
    self.body.append("</div>\n")


class WrapTables(SphinxPostTransform):
    """Put the author's own tables in scroll regions too (HTML only)."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            if isinstance(table.parent, scroll_region):
                continue
            title = next(iter(table.findall(nodes.title)), None)
            # Translators: the name a table without a title is read out by.
            label = title.astext() if title is not None else _("Table")
            region = scroll_region(classes=["cpd-scroll"], label=label)
            table.replace_self(region)
            region += table


def setup_tables(app: Sphinx) -> None:
    app.add_node(scroll_region, html=(visit_scroll_region_html, depart_scroll_region_html))
    app.add_node(
        cell_label,
        html=(visit_cell_label_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_post_transform(WrapTables)
