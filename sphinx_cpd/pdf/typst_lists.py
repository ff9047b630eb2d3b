"""Lists, definition lists, field lists and tables as Typst markup: part of
:class:`sphinx_cpd.pdf.typst_markup.TypstTranslator`, kept apart for its size."""

from __future__ import annotations

from docutils import nodes

#: A column whose every cell is at most this long is as wide as its widest cell.
SHORT_CELL = 24
#: A word this long cannot be broken; its column is sized by Typst itself.
LONG_WORD = 20


def column_tracks(group: nodes.Element) -> list[str]:
    """Each column's width: short columns (dates, hours, types) as wide as
    their content, the others sharing what is left by how long their text is.
    Typst sizes an ``auto`` column by measuring every cell in it, which in a
    log of thousands of rows took most of the layout; only the short columns,
    and those with words too long to break, are left to it."""
    count = int(group.get("cols", 1))
    longest = [0] * count  # the longest cell of each column, in characters
    word = [0] * count  # its longest word
    for row in group.findall(nodes.row):
        entries = [entry for entry in row.children if isinstance(entry, nodes.entry)]
        if len(entries) != count or any(e.get("morecols") for e in entries):
            return ["auto"] * count  # spanning cells: Typst shares the widths out
        for index, entry in enumerate(entries):
            words = entry.astext().split()
            longest[index] = max(longest[index], len(" ".join(words)))
            word[index] = max([word[index], *(len(w) for w in words)])
    return [
        "auto" if cell <= SHORT_CELL or long_word > LONG_WORD else f"{min(cell, 60)}fr"
        for cell, long_word in zip(longest, word, strict=True)
    ]


class ListsAndTables:
    """The translator's rules for lists and tables (a mixin: the translator
    holds the body and places the anchors)."""

    body: list[str]
    list_markers: list[str]

    def anchors(self, node: nodes.Element) -> None:
        raise NotImplementedError

    # -- lists -------------------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.Element) -> None:
        self.list_markers.append("#list.item[")
        self.body.append("\n")

    def visit_enumerated_list(self, node: nodes.Element) -> None:
        self.list_markers.append("#enum.item[")
        self.body.append("\n")

    def depart_bullet_list(self, node: nodes.Element) -> None:
        self.list_markers.pop()
        self.body.append("\n")

    depart_enumerated_list = depart_bullet_list

    def visit_list_item(self, node: nodes.Element) -> None:
        parent = node.parent
        if isinstance(parent, nodes.enumerated_list):
            # Numbered as the author numbered it ("3." starts at three).
            number = int(parent.get("start", 1)) + parent.index(node)
            self.body.append(f"#enum.item({number})[")
        else:
            self.body.append(self.list_markers[-1] if self.list_markers else "#list.item[")

    def depart_list_item(self, node: nodes.Element) -> None:
        self.body.append("]\n")

    def visit_term(self, node: nodes.Element) -> None:
        self.body.append("\n#block(below: 0.4em, strong[")

    def depart_term(self, node: nodes.Element) -> None:
        self.body.append("])\n")

    def visit_classifier(self, node: nodes.Element) -> None:
        self.body.append(" : ")

    def visit_definition(self, node: nodes.Element) -> None:
        self.body.append("\n#pad(left: 1.5em)[")

    def depart_definition(self, node: nodes.Element) -> None:
        self.body.append("]\n")

    def visit_field_list(self, node: nodes.Element) -> None:
        self.body.append("\n#grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.5em, ")

    def depart_field_list(self, node: nodes.Element) -> None:
        self.body.append(")\n")

    def visit_field_name(self, node: nodes.Element) -> None:
        self.body.append("strong[")
        self.anchors(node)

    def depart_field_name(self, node: nodes.Element) -> None:
        self.body.append("], ")

    def visit_field_body(self, node: nodes.Element) -> None:
        self.body.append("[")
        self.anchors(node)

    def depart_field_body(self, node: nodes.Element) -> None:
        self.body.append("], ")

    def visit_cell_label(self, node: nodes.Element) -> None:
        # The phone layout's labels: the PDF's tables have their header row.
        raise nodes.SkipNode

    # -- tables ------------------------------------------------------------------------

    def visit_tgroup(self, node: nodes.Element) -> None:
        tracks = ", ".join(column_tracks(node))
        self.body.append(
            f"\n#table(columns: ({tracks},), stroke: (x: none, y: 0.5pt + luma(200)), align: left, "
        )

    def depart_tgroup(self, node: nodes.Element) -> None:
        self.body.append(")\n")

    def visit_colspec(self, node: nodes.Element) -> None:
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.Element) -> None:
        self.body.append("table.header(")

    def depart_thead(self, node: nodes.Element) -> None:
        self.body.append("), ")

    def visit_entry(self, node: nodes.Element) -> None:
        spans = [
            f"{name}: {int(node.get(key, 0)) + 1}"
            for name, key in (("colspan", "morecols"), ("rowspan", "morerows"))
            if node.get(key)
        ]
        self.body.append(f"table.cell({', '.join(spans)})[" if spans else "[")
        self.anchors(node)

    def depart_entry(self, node: nodes.Element) -> None:
        self.body.append("], ")


def in_caption(node: nodes.Node) -> bool:
    """Whether a node is in a figure's caption (Typst centres it)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.caption):
        parent = parent.parent
    return parent is not None and isinstance(parent.parent, nodes.figure)
