"""The ``feedback`` directive: feedback someone gave, recorded by the author."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd.kinds import FeedbackData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import xref

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class FeedbackDirective(CPDObject[FeedbackData]):
    data_class = FeedbackData
    required_arguments = 0
    # Feedback is someone else's words about the author: shared with the mentor
    # at most, unless the author says otherwise.
    default_visibility = "mentor"

    def title_text(self) -> str:
        giver = self.option("from")
        return f"Feedback from {giver}" if giver else "Feedback"

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return (self.option("date"), "feedback", self.option("from"))

    def title_node(self, record: Record) -> nodes.Element:
        # "Feedback: Priya Natarajan", styled as every other card's title; the
        # record keeps "Feedback from Priya Natarajan" for links and listings.
        rubric = nodes.rubric(record.title, "", classes=["cpd-title"])
        rubric += nodes.inline("Feedback:", "Feedback:", classes=["cpd-kind"])
        giver = self.option("from")
        if giver:
            rubric += nodes.Text(" ")
            rubric += nodes.inline(giver, giver, classes=["cpd-title-text"])
        return rubric

    def show_on(self, value: str | None, data: FeedbackData) -> list[Node]:
        return [xref("object", value)] if value else []
