"""A docutils doctree as Typst markup: how the PDF is laid out.

Typst compiles a portfolio of hundreds of entries in seconds, where the HTML
layout engine used before took minutes (``benchmarks/results.md``). This module
writes the node types a portfolio is made of as Typst markup. Every piece of text goes through
:func:`text`, which escapes whatever Typst would read as markup, so nothing the
author wrote can become Typst code.

Internal references become links to labels, with the page they point to; the
builder supplies the labels (the ids docutils gave each target).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import admonitionlabels

from sphinx_cpd.charts import CHART_CLASS
from sphinx_cpd.i18n import _
from sphinx_cpd.pdf.marks import Bookmark
from sphinx_cpd.pdf.typst_design import FRAME, DesignNodes, design_markup, in_grid_row
from sphinx_cpd.pdf.typst_lists import ListsAndTables, in_caption
from sphinx_cpd.pdf.typst_text import (
    BREAK,
    BREAK_END,
    LINK_END,
    PARAGRAPH_END,
    continued,
    label,
    link_start,
    qualified,
    string,
    text,
    with_pages,
)
from sphinx_cpd.pdf.typst_walk import Walker

#: Inline styles and the Typst functions that set them.
STYLES = {"emphasis": "emph", "strong": "strong", "subscript": "sub", "superscript": "super"}
#: Nodes written as a function's arguments, in code: no label may stand before them.
ARGUMENTS = frozenset(
    {"field", "field_name", "field_body", "row", "entry", "thead", "tbody", "tgroup", "colspec"}
)
#: Of those, the ones whose content holds their labels.
HOLDING = frozenset({"field_name", "field_body", "entry"})


def in_pages_only(node: nodes.Element) -> bool:
    """Whether only sections, pages and chapters hold this node: no list, table,
    quote or box is open around it (a section may stand in those in reST)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        chapter = isinstance(parent, nodes.container) and "cpd-chapter" in parent["classes"]
        if not (chapter or isinstance(parent, nodes.section | addnodes.start_of_file)):
            return False
        parent = parent.parent
    return True


class TypstTranslator(ListsAndTables, DesignNodes, Walker):
    """Writes a doctree as Typst markup into ``self.body``.

    ``image_path`` turns an image node's ``uri`` into the path Typst loads it
    from (relative to the compile root), or None to leave the image out.
    """

    def __init__(
        self,
        document: nodes.document,
        image_path: Callable[[str], str | None] | None = None,
        known: Iterable[str] = (),
    ) -> None:
        super().__init__(document)
        self.body: list[str] = []
        self.section_level = 0
        #: The sections' headings, in order, for the contents and the bookmarks.
        self.headings: list[Bookmark] = []
        self.image_path = image_path or (lambda uri: None)
        self.list_markers: list[str] = []
        #: What each open inline element and reference is closed with.
        self.closing: list[str] = []
        #: The page each node is on (Sphinx's single document joins them all, and
        #: two pages may give the same id: "what-i-learned" on each reflection).
        self.root = str(document.get("docname", ""))
        self.pages: list[str] = [self.root]
        # Every place a link may go: a link to anywhere else would not compile.
        self.labels: set[str] = {label(name) for name in known}
        for element, page in with_pages(document, self.root):
            if element.tagname not in ARGUMENTS or element.tagname in HOLDING:
                self.labels.update(self.ids_of(element, page))
        # The names reserved for what is placed outside the body are not the
        # body's to place again (an author's own target of the same name).
        self.known = {label(name) for name in known}
        self.placed: set[str] = set(self.known)
        #: A section's labels, placed inside its heading: a label before it would
        #: stay on the page before when the heading starts a new one.
        self.pending: list[str] = []
        #: The heading a piece of the chapter being written starts with, if it
        #: is long and cut (made once, at the chapter's title); "" before one.
        self.chapter = ""

    @staticmethod
    def ids_of(node: nodes.Element, page: str) -> list[str]:
        """The labels of a node's ids, each named with its page's name."""
        ids: list[str] = list(node.get("ids", []))
        names = [qualified(ident, page) for ident in ids]
        if node.tagname == "start_of_file":
            # Sphinx's single page names each document's start so.
            names.insert(0, label(f"document-{node['docname']}"))
        return names

    def before(self, node: nodes.Node) -> None:
        # Each id becomes a label once, where its node starts; nodes written as a
        # function's arguments (code, not markup) place theirs inside their content.
        if self.grid_argument(node):
            pass  # its labels go inside it (visit_container)
        elif (
            isinstance(node, nodes.Element)
            and not isinstance(node, nodes.document)
            and node.tagname not in ARGUMENTS
        ):
            if isinstance(node, (nodes.section, addnodes.start_of_file)):
                self.pending += self.ids_of(node, self.page_of(node))
            elif not (isinstance(node, nodes.title) and isinstance(node.parent, nodes.section)):
                self.flush()
                self.anchors(node)

    def page_of(self, node: nodes.Element) -> str:
        return str(node["docname"]) if node.tagname == "start_of_file" else self.pages[-1]

    def flush(self) -> None:
        """Place the labels waiting for a heading that did not come."""
        for name in self.pending:
            self.place(name)
        self.pending = []

    def astext(self) -> str:
        return "".join(self.body)

    # -- fallbacks -------------------------------------------------------------------

    def unknown_visit(self, node: nodes.Node) -> None:
        """A node with no rule of its own: its contents, as they are."""

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def skip(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_comment = skip
    visit_system_message = skip
    visit_substitution_definition = skip
    visit_target_placeholder = skip

    # -- text --------------------------------------------------------------------------

    def visit_Text(self, node: nodes.Text) -> None:
        self.body.append(text(node.astext()))

    def depart_Text(self, node: nodes.Text) -> None:
        pass

    def visit_literal(self, node: nodes.Element) -> None:
        self.body.append(f"#raw({string(node.astext())});")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        self.skip_hidden_link_text(node)
        # In markup, brackets are text: an inline groups nothing unless it is kept on one line.
        nowrap = "cpd-nowrap" in node["classes"]
        self.body.append("#box[" if nowrap else "")
        self.closing.append("];" if nowrap else "")

    def depart_inline(self, node: nodes.Element) -> None:
        self.body.append(self.closing.pop())

    def open(self, node: nodes.Element) -> None:
        self.body.append(f"#{STYLES[node.tagname]}[")

    visit_emphasis = visit_strong = visit_subscript = visit_superscript = open

    def close(self, node: nodes.Node) -> None:
        # A semicolon ends the expression: text after it ("`conf`.py") cannot
        # continue it as a field, a call or anything else.
        self.body.append("];")

    depart_emphasis = depart_strong = close
    depart_subscript = depart_superscript = close

    # -- blocks ------------------------------------------------------------------------

    def anchors(self, node: nodes.Element) -> None:
        """Labels for a node's ids, as invisible metadata a link and a page
        reference can find."""
        for name in self.ids_of(node, self.pages[-1]):
            self.place(name)

    def place(self, name: str) -> None:
        if name not in self.placed:
            self.placed.add(name)
            self.body.append(f"#metadata(none){name}")

    def visit_start_of_file(self, node: nodes.Element) -> None:
        self.pages.append(str(node["docname"]))
        # A page that follows on within a chapter has its headings further down.
        self.section_level += int(node.get("cpd_depth", 0))

    def depart_start_of_file(self, node: nodes.Element) -> None:
        self.flush()
        self.pages.pop()
        self.section_level -= int(node.get("cpd_depth", 0))

    def visit_section(self, node: nodes.Element) -> None:
        self.section_level += 1
        if self.section_level == 2 and self.chapter and in_pages_only(node):
            # Nothing is open here: a long chapter may be cut, going on under its title.
            self.body.append(BREAK + self.chapter + BREAK_END)

    def depart_section(self, node: nodes.Element) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.Element) -> None:
        if isinstance(node.parent, nodes.section):
            level = max(1, self.section_level)
            names = [name for name in self.pending if not name.startswith("<document-")]
            names = names or self.pending
            if names:  # for the contents and the bookmarks
                self.headings.append(Bookmark(level, node.astext(), names[0][1:-1]))
            if level == 1:
                self.chapter = continued(node.astext())
            self.body.append(f"\n#heading(level: {level})[")
            self.flush()
        else:
            self.body.append("\n#block(strong[")

    def depart_title(self, node: nodes.Element) -> None:
        self.body.append("]\n" if isinstance(node.parent, nodes.section) else "])\n")

    def visit_paragraph(self, node: nodes.Element) -> None:
        self.body.append("\n#par[")

    def depart_paragraph(self, node: nodes.Element) -> None:
        self.body.append(PARAGRAPH_END)

    def visit_rubric(self, node: nodes.Element) -> None:
        self.body.append("\n#block(strong[")

    def depart_rubric(self, node: nodes.Element) -> None:
        self.body.append("])\n")

    def visit_literal_block(self, node: nodes.Element) -> None:
        self.body.append(f"\n#raw(block: true, {string(node.astext())})\n")
        raise nodes.SkipNode

    def visit_block_quote(self, node: nodes.Element) -> None:
        self.body.append("\n#quote(block: true)[")

    def depart_block_quote(self, node: nodes.Element) -> None:
        self.body.append("]\n")

    def visit_container(self, node: nodes.Element) -> None:
        design = design_markup(node)
        if design is not None:  # a grid, card or tab set of sphinx-design
            self.body.append(design[0])
            self.closing.append(design[1])
            if in_grid_row(node):
                self.flush()
                self.anchors(node)
            return
        # A card is framed; other containers (a chapter, a tile) only group, and
        # stay open so that a chapter's heading may start a page.
        card = "cpd-card" in node["classes"] or isinstance(node, nodes.Admonition)
        self.body.append(f"\n#block({FRAME})[" if card else "\n")
        self.closing.append("]\n" if card else "\n")

    def visit_admonition(self, node: nodes.Element) -> None:
        self.visit_container(node)
        if not isinstance(node.children[0] if node.children else None, nodes.title):
            # A note, tip or warning is named as the website names it.
            name = admonitionlabels.get(node.tagname, node.tagname.capitalize())
            self.body.append(f"\n#block(strong[{text(str(name))}])\n")

    def visit_line_block(self, node: nodes.Element) -> None:
        self.body.append("\n#par[")

    def depart_line_block(self, node: nodes.Element) -> None:
        self.body.append("]\n")

    def depart_line(self, node: nodes.Element) -> None:
        # Each line of a poem or an address on its own line.
        if node is not node.parent.children[-1]:
            self.body.append("#linebreak();")

    def depart_container(self, node: nodes.Element) -> None:
        self.body.append(self.closing.pop())

    depart_admonition = depart_container
    visit_attention = visit_caution = visit_danger = visit_error = visit_admonition
    visit_hint = visit_important = visit_note = visit_tip = visit_admonition
    visit_warning = visit_seealso = visit_admonition
    depart_attention = depart_caution = depart_danger = depart_error = depart_container
    depart_hint = depart_important = depart_note = depart_tip = depart_container
    depart_warning = depart_seealso = depart_container

    # -- links and pictures --------------------------------------------------------------

    def visit_reference(self, node: nodes.Element) -> None:
        if "refuri" in node and not node["refuri"].startswith("#"):
            self.body.append(f"#link({string(node['refuri'])})[")
            self.closing.append("];")
        elif target := self.target(node):
            # A link if the portfolio places that label (text.links decides).
            self.body.append(link_start(target[1:-1], not in_caption(node)))
            self.closing.append(LINK_END)
        else:
            self.closing.append("")

    def target(self, node: nodes.Element) -> str | None:
        """The label an internal reference goes to, if it goes to one."""
        uri = str(node.get("refuri", ""))
        if node.get("refid") and label(str(node["refid"])) in self.known:
            name = label(str(node["refid"]))  # an appendix, placed outside the body
        elif node.get("refid"):
            name = qualified(str(node["refid"]), self.pages[-1])
        elif uri.startswith("#document-") and "#" in uri[1:]:
            # A single page's links read "#document-<page>#<anchor>".
            page, _, ident = uri[len("#document-") :].partition("#")
            name = qualified(ident, page)
        elif uri.startswith("#document-"):
            name = label(uri[1:])
        elif uri.startswith("#"):
            name = qualified(uri[1:], self.pages[-1])
        else:
            return None
        return name

    def depart_reference(self, node: nodes.Element) -> None:
        self.body.append(self.closing.pop())
        uri = node.get("refuri", "")
        if uri.startswith(("http://", "https://")) and uri != node.astext():
            # On paper a link is its address.
            self.body.append(f" #text(size: 0.8em)[({text(uri)})];")

    def visit_image(self, node: nodes.Element) -> None:
        path = self.image_path(node.get("uri", ""))
        if path is not None:
            # PDF/UA asks every picture for words; a picture without says what it is.
            name = node.get("uri", "").rsplit("/", 1)[-1]
            alt = string(node.get("alt") or _("Picture: %(file)s") % {"file": name})
            if isinstance(node.parent, (nodes.TextElement, nodes.Inline)):
                self.body.append(f"#box(image({string(path)}, alt: {alt}));")
            else:
                self.body.append(f"\n#block(image({string(path)}, alt: {alt}))\n")
        else:
            # A picture the PDF cannot hold (on the web, or left out with a
            # warning): its description and address stand in for it.
            uri = node.get("uri", "")
            words = node.get("alt") or uri.rsplit("/", 1)[-1]
            where = f" ({uri})" if uri.startswith(("http://", "https://")) else ""
            self.body.append(f"#emph[\\[Picture: {text(words + where)}\\]];")
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.Element) -> None:
        """Charts are the only raw HTML a portfolio's PDF keeps: an author's own
        SVG could name files anywhere on the machine for the renderer to load."""
        svg = node.astext().strip()
        if CHART_CLASS in node["classes"] and svg.startswith("<svg"):
            # Its name, for the tagged PDF's alternative text.
            found = re.search(r"<title>(.*?)</title>", svg, re.S)
            alt = string(html.unescape(found.group(1)) if found else "A chart")
            self.body.append(f'\n#image(bytes({string(svg)}), format: "svg", alt: {alt})\n')
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.Element) -> None:
        self.body.append("\n#figure(kind: image, supplement: none, numbering: none, [")

    def depart_figure(self, node: nodes.Element) -> None:
        self.body.append("])\n")

    def visit_caption(self, node: nodes.Element) -> None:
        if isinstance(node.parent, nodes.figure):
            self.body.append("], caption: [")
            self.closing.append("")
        else:  # a code block's or a table's caption: a line of its own
            self.body.append("\n#block(emph[")
            self.closing.append("])\n")

    def depart_caption(self, node: nodes.Element) -> None:
        self.body.append(self.closing.pop())
