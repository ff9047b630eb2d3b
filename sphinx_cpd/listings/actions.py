"""``cpd-actions``: actions grouped by status, with open actions past due marked."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.kinds import ActionData
from sphinx_cpd.listings.base import Context, ListingDirective, note, table
from sphinx_cpd.model import ACTION_STATUSES, parse_list

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class ActionsDirective(ListingDirective):
    kind = "actions"
    help: ClassVar[dict[str, str]] = {"status": "Comma-separated statuses to show (default: all)."}

    def read_options(self) -> dict[str, Any]:
        statuses = []
        for item in parse_list(self.option("status")):
            if item.lower() in ACTION_STATUSES:
                statuses.append(item.lower())
            else:
                self.warn(
                    "status",
                    f"unknown :status: {item!r}; use {', '.join(ACTION_STATUSES)}",
                )
        return {"status": statuses or list(ACTION_STATUSES)}


def is_overdue(record: Record, today: date) -> bool:
    return record.of(ActionData).overdue(today)


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    actions = list(context.records("action"))
    out: list[Node] = []
    for status in spec["status"]:
        chosen = [a for a in actions if a.of(ActionData).status == status]
        heading = f"{status.capitalize()} ({len(chosen)})"
        out.append(nodes.rubric(heading, heading, classes=["cpd-actions-status"]))
        if not chosen:
            out.append(note(f"No {status} actions."))
            continue
        chosen.sort(key=lambda a: (a.of(ActionData).due or date.max, a.title.lower()))
        rows = []
        for action in chosen:
            data = action.of(ActionData)
            due = data.due
            state: list[Node] = [nodes.Text(status.capitalize())]
            if is_overdue(action, context.today):
                state = [nodes.strong("Overdue", "Overdue", classes=["cpd-overdue"])]
            elif status == "done" and data.done:
                state.append(nodes.Text(f" {data.done.isoformat()}"))
            origin: list[Node] = []
            if action.parent is not None:
                parent = context.domain.record_at((action.docname, action.parent))
                if parent is not None:
                    origin = [context.link(parent)]
            rows.append([[context.link(action)], due.isoformat() if due else "", state, origin])
        out.append(
            table(
                ["Action", "Due", "Status", "From"],
                rows,
                classes=["cpd-actions-table"],
                label=f"{status.capitalize()} actions",
                nowrap={1},
                stack=True,
            )
        )
    if not actions:
        return [note("No actions recorded yet.")]
    return out
