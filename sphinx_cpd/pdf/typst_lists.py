"""Lists, definition lists, field lists and tables as Typst markup: part of
:class:`sphinx_cpd.pdf.typst_markup.TypstTranslator`, kept apart for its size."""

from __future__ import annotations

from docutils import nodes


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
        columns = int(node.get("cols", 1))
        self.body.append(
            f"\n#table(columns: {columns}, stroke: (x: none, y: 0.5pt + luma(200)), align: left, "
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
