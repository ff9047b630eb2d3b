"""The ``action`` directive: something to do, with a due date and a status."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import ActionData
from sphinx_cpd.model import status_name
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import badge

if TYPE_CHECKING:
    from docutils.nodes import Node


class overdue_mark(nodes.inline):
    """Where "Overdue" goes beside an open action's status, if it is overdue on
    the build date (known when the page is written, not when it is read)."""


class ActionDirective(CPDObject[ActionData]):
    data_class = ActionData

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return ("action", self.title_text())

    def check(self, data: ActionData) -> None:
        if data.done is not None and data.status == "open":
            data.status = "done"

    def show_status(self, value: str, data: ActionData) -> list[Node]:
        shown: list[Node] = [badge(status_name(value), f"cpd-status-{value}")]
        if value == "open" and data.due is not None:
            shown.append(overdue_mark(due=data.due.isoformat()))
        return shown


def mark_overdue(doctree: nodes.document, today: date) -> None:
    """Each open action's mark: "Overdue" where its due date has passed."""
    for mark in list(doctree.findall(overdue_mark)):
        if date.fromisoformat(mark["due"]) < today:
            # Translators: an open action whose due date has passed.
            mark.replace_self([nodes.Text(" "), badge(_("Overdue"), "cpd-status-overdue")])
        else:
            mark.parent.remove(mark)
