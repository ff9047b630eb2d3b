"""The ``feedback`` directive: feedback someone gave, recorded by the author."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives

from sphinx_cpd.objects.base import CPDObject, format_date, text, xref

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node


class FeedbackDirective(CPDObject):
    kind = "feedback"
    required_arguments = 0
    # Feedback is someone else's words about the author: shared with the mentor
    # at most, unless the author says otherwise.
    default_visibility = "mentor"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "from": directives.unchanged,
        "date": directives.unchanged,
        "on": directives.unchanged,
    }

    def title_text(self) -> str:
        giver = self.option("from")
        return f"Feedback from {giver}" if giver else "Feedback"

    def derived_id_parts(self) -> tuple[Any, ...]:
        return (self.option("date"), "feedback", self.option("from"))

    def read_options(self) -> dict[str, Any]:
        giver = self.option("from")
        if giver is None:
            self.warn(
                "option",
                "feedback has no :from:; add who gave it, e.g. :from: My mentor",
            )
        return {
            "date": self.date_option(required=True),
            "from": giver,
            "on": self.option("on"),
        }

    def label(self) -> str:
        return ""

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if options["date"]:
            rows.append(("Date", text(format_date(options["date"]))))
        if options["on"]:
            rows.append(("On", [xref("object", options["on"])]))
        return rows
