"""The ``feedback`` directive: feedback someone gave, recorded by the author."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import FeedbackData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import xref

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class FeedbackDirective(CPDObject[FeedbackData]):
    data_class = FeedbackData
    required_arguments = 0
    # Feedback is someone else's words about the author: shared with the mentor
    # at most, unless the author says otherwise.
    default_visibility = "mentor"

    def title_text(self) -> str:
        return self.title_in(_)

    def describe(self) -> str:
        # In English, as every warning is.
        return f"{self.kind} {self.title_in(str)!r}"

    def title_in(self, translate: Callable[[str], str]) -> str:
        giver = self.option("from")
        if giver:
            return translate(N_("Feedback from %(giver)s")) % {"giver": giver}
        return translate(N_("Feedback"))

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return (self.option("date"), "feedback", self.option("from"))

    def title_node(self, record: Record) -> nodes.Element:
        # "Feedback: Priya Natarajan", styled as every other card's title; the
        # record keeps "Feedback from Priya Natarajan" for links and listings.
        rubric = nodes.rubric(record.title, "", classes=["cpd-title"])
        label = self.label()
        rubric += nodes.inline(label, label, classes=["cpd-kind"])
        giver = self.option("from")
        if giver:
            rubric += nodes.Text(" ")
            rubric += nodes.inline(giver, giver, classes=["cpd-title-text"])
        return rubric

    def show_on(self, value: str | None, data: FeedbackData) -> list[Node]:
        return [xref("object", value)] if value else []
