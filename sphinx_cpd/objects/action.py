"""The ``action`` directive: something to do, with a due date and a status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_cpd.kinds import ActionData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import badge, format_date, text

if TYPE_CHECKING:
    from docutils.nodes import Node


class ActionDirective(CPDObject[ActionData]):
    data_class = ActionData

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return ("action", self.title_text())

    def check(self, data: ActionData) -> None:
        if data.done is not None and data.status == "open":
            data.status = "done"

    def details(self, data: ActionData) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = [
            ("Status", [badge(data.status.capitalize(), f"cpd-status-{data.status}")])
        ]
        if data.due:
            rows.append(("Due", text(format_date(data.due))))
        if data.done:
            rows.append(("Done", text(format_date(data.done))))
        return rows
