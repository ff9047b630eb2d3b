"""sphinx-design's components on paper, as Typst markup.

On the website a grid, a card or a tab set is laid out by sphinx-design's CSS
and script; here each is given the shape a reader expects of it in print. A
grid keeps its columns (at most :data:`MAX_COLUMNS` on a page, further items
on the next row), a card is a framed box with its footer under a rule, a tab
set shows every tab's panel under its label (``sd_tab_label``), with a rule at
its side, and a dropdown is printed open and framed under its title. The
tabs' radio buttons (``sd_tab_input``) are left out, and so are icons (raw
SVG, which the translator does not write).
"""

from __future__ import annotations

import re

from docutils import nodes

from sphinx_cpd.design import unseen

#: Columns a grid keeps on paper: beyond four, a column of an A4 page is too
#: narrow to read, and the items go on to the next row.
MAX_COLUMNS = 4
_COLUMNS = re.compile(r"^sd-row-cols-(?:(?:lg|md|sm|xs)-)?(\d+)$")
FRAME = "stroke: 0.75pt + luma(200), radius: 4pt, inset: 8pt"


def columns(node: nodes.Element) -> int:
    """How many columns a grid row asks for on a wide screen (its largest)."""
    found = [int(m.group(1)) for c in node["classes"] if (m := _COLUMNS.match(c))]
    return max(1, min(max(found, default=1), MAX_COLUMNS))


def design_markup(node: nodes.Element) -> tuple[str, str] | None:
    """What opens and closes a sphinx-design container, or None for another."""
    component = node.get("design_component", "")
    if component == "grid-row":
        count = columns(node)
        return (
            f"\n#grid(columns: ({'1fr, ' * count}), column-gutter: 10pt, row-gutter: 10pt,\n",
            ")\n",
        )
    if component == "grid-item" and in_grid_row(node):
        return "[#block[", "]],\n"
    if component == "card":
        return f"\n#block(width: 100%, {FRAME})[", "]\n"
    if component in ("card-header", "card-footer"):
        rule = "#line(length: 100%, stroke: 0.5pt + luma(200))"
        if component == "card-header":
            return "\n#block[", f"]\n{rule}\n"
        return f"\n{rule}\n#block[#set text(fill: luma(80));", "]\n"
    if component == "card-title":
        return '\n#block[#set text(weight: "bold");', "]\n"
    if component == "tab-set":
        return "\n#block(stroke: (left: 1.5pt + luma(200)), inset: (left: 8pt))[", "]\n"
    return None


def in_grid_row(node: nodes.Node) -> bool:
    """Whether ``node`` is written as one of a grid's arguments (Typst code)."""
    parent = node.parent
    return isinstance(parent, nodes.Element) and parent.get("design_component") == "grid-row"


class DesignNodes:
    """The nodes sphinx-design's HTML transforms make (the cpdpdf builder is an
    HTML builder, so they run), for :class:`~sphinx_cpd.pdf.typst_markup.TypstTranslator`:
    a tab's label and a dropdown's title are printed as a rubric is, a dropdown
    as an open, framed box, and a tab's radio button not at all."""

    body: list[str]
    pending: list[str]

    def ids_of(self, node: nodes.Element, page: str) -> list[str]:
        raise NotImplementedError

    def page_of(self, node: nodes.Element) -> str:
        raise NotImplementedError

    def grid_argument(self, node: nodes.Node) -> bool:
        """Whether ``node`` is a grid's item, written as an argument of Typst's
        ``grid`` (code, not markup), which places its own labels inside it.
        Anything else in a grid's row (a target) is left out, its labels left
        to the next place that can hold them."""
        if not (isinstance(node, nodes.Element) and in_grid_row(node)):
            return False
        if node.get("design_component") != "grid-item":
            self.pending += self.ids_of(node, self.page_of(node))
            raise nodes.SkipNode
        return True

    def skip_hidden_link_text(self, node: nodes.Element) -> None:
        if "sd-hide-link-text" in node["classes"]:
            # A linked card's link text, which the website hides: the card says it.
            raise nodes.SkipNode

    def visit_sd_tab_label(self, node: nodes.Element) -> None:
        if all(unseen(child) for child in node.children):
            raise nodes.SkipNode  # an untitled dropdown: only its website name
        self.body.append("\n#block(strong[")

    def depart_sd_tab_label(self, node: nodes.Element) -> None:
        self.body.append("])\n")

    visit_dropdown_title = visit_sd_tab_label
    depart_dropdown_title = depart_sd_tab_label

    def visit_dropdown_main(self, node: nodes.Element) -> None:
        self.body.append(f"\n#block(width: 100%, {FRAME})[")

    def depart_dropdown_main(self, node: nodes.Element) -> None:
        self.body.append("]\n")

    def visit_sd_tab_input(self, node: nodes.Element) -> None:
        raise nodes.SkipNode
