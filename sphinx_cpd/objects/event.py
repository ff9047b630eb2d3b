"""The ``event`` directive: a CPD event with its date, hours and details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd import config as cpd_config
from sphinx_cpd.kinds import EventData
from sphinx_cpd.model import format_hours
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import badge, format_date, link, text

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class backlinks(nodes.General, nodes.Element):
    """Where an event's page lists what links back to it; filled when resolving."""


class EventDirective(CPDObject[EventData]):
    data_class = EventData

    def check(self, data: EventData) -> None:
        if data.date and data.end and data.end < data.date:
            self.warn(
                "end",
                f"{self.describe()}: :end: {data.end.isoformat()} is before :date: "
                f"{data.date.isoformat()}; an event cannot end before it starts",
            )
            data.end = None
        types = cpd_config.read(self.config).event_types
        data.type = self.known(data.type, types, "type", f"use one of {', '.join(types)}")

    def details(self, data: EventData) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if data.date:
            when = format_date(data.date)
            if data.end and data.end != data.date:
                when += f" to {format_date(data.end)}"
            rows.append(("Date", text(when)))
        if data.hours is not None:
            hours = format_hours(data.hours)
            unit = "hour" if hours == "1" else "hours"
            if data.participatory is not None:
                unit += ", participatory" if data.participatory else ", non-participatory"
            rows.append(("Hours", text(f"{hours} {unit}")))
        if data.type:
            rows.append(("Type", [badge(data.type.capitalize(), f"cpd-type-{data.type}")]))
        if data.organiser:
            rows.append(("Organiser", text(data.organiser)))
        if data.location:
            rows.append(("Location", text(data.location)))
        if self.option("url"):
            rows.append(("Web page", link(self.option("url"))))
        if data.outcome:
            rows.append(("Outcome", text(data.outcome)))
        return rows

    def finish(self, record: Record, node: nodes.Element) -> None:
        node += backlinks(event=record.key)
