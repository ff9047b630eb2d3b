"""The ``action`` directive: something to do, with a due date and a status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_cpd.kinds import ActionData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import badge

if TYPE_CHECKING:
    from docutils.nodes import Node


class ActionDirective(CPDObject[ActionData]):
    data_class = ActionData

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return ("action", self.title_text())

    def check(self, data: ActionData) -> None:
        if data.done is not None and data.status == "open":
            data.status = "done"

    def show_status(self, value: str, data: ActionData) -> list[Node]:
        return [badge(value.capitalize(), f"cpd-status-{value}")]
