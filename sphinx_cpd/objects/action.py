"""The ``action`` directive: something to do, with a due date and a status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives

from sphinx_cpd.model import ACTION_STATUSES
from sphinx_cpd.objects.base import CPDObject, badge, format_date, text

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node


class ActionDirective(CPDObject):
    kind = "action"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "due": directives.unchanged,
        "status": directives.unchanged,
        "done": directives.unchanged,
    }

    def derived_id_parts(self) -> tuple[Any, ...]:
        return ("action", self.title_text())

    def read_options(self) -> dict[str, Any]:
        status = self.choice("status", ACTION_STATUSES, "status") or "open"
        done = self.date_option("done")
        due = self.date_option("due")
        if done is not None and status == "open":
            status = "done"
        return {"due": due, "status": status, "done": done}

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        status = options["status"]
        rows: list[tuple[str, list[Node]]] = [
            ("Status", [badge(status.capitalize(), f"cpd-status-{status}")])
        ]
        if options["due"]:
            rows.append(("Due", text(format_date(options["due"]))))
        if options["done"]:
            rows.append(("Done", text(format_date(options["done"]))))
        return rows
