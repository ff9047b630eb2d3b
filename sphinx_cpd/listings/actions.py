"""``cpd-actions``: actions grouped by status, with open actions past due marked."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.i18n import N_, _
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


#: Each status as the listing shows it: its name, its table's name and what is
#: said when it has no actions (translated where shown).
STATUS_TEXTS: dict[str, tuple[str, str, str]] = {
    "open": (N_("Open"), N_("Open actions"), N_("No open actions.")),
    "done": (N_("Done"), N_("Done actions"), N_("No done actions.")),
    "dropped": (N_("Dropped"), N_("Dropped actions"), N_("No dropped actions.")),
}


def is_overdue(record: Record, today: date) -> bool:
    return record.of(ActionData).overdue(today)


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    actions = list(context.records("action"))
    out: list[Node] = []
    for status in spec["status"]:
        chosen = [a for a in actions if a.of(ActionData).status == status]
        name, label, empty = (_(text) for text in STATUS_TEXTS[status])
        heading = f"{name} ({len(chosen)})"
        out.append(nodes.rubric(heading, heading, classes=["cpd-actions-status"]))
        if not chosen:
            out.append(note(empty))
            continue
        chosen.sort(key=lambda a: (a.of(ActionData).due or date.max, a.title.lower()))
        rows = []
        for action in chosen:
            data = action.of(ActionData)
            due = data.due
            state: list[Node] = [nodes.Text(name)]
            if is_overdue(action, context.today):
                overdue = _("Overdue")
                state = [nodes.strong(overdue, overdue, classes=["cpd-overdue"])]
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
                [
                    _("Action"),
                    # Translators: the date an action is due by.
                    _("Due"),
                    _("Status"),
                    # Translators: the record an action came from.
                    _("From"),
                ],
                rows,
                classes=["cpd-actions-table"],
                label=label,
                nowrap={1},
                stack=True,
            )
        )
    if not actions:
        return [note(_("No actions recorded yet."))]
    return out
