"""The ``event`` directive: a CPD event with its date, hours and details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_cpd import config as cpd_config
from sphinx_cpd.model import format_hours, parse_hours, parse_yes_no
from sphinx_cpd.objects.base import CPDObject, badge, format_date, link, text

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node

    from sphinx_cpd.model import Record


class backlinks(nodes.General, nodes.Element):
    """Where an event's page lists what links back to it; filled when resolving."""


class EventDirective(CPDObject):
    kind = "event"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "date": directives.unchanged,
        "end": directives.unchanged,
        "hours": directives.unchanged,
        "type": directives.unchanged,
        "participatory": directives.unchanged,
        "organiser": directives.unchanged,
        "location": directives.unchanged,
        "url": directives.unchanged,
        "outcome": directives.unchanged,
    }

    def read_options(self) -> dict[str, Any]:
        start = self.date_option(required=True)
        end = self.date_option("end")
        if start and end and end < start:
            self.warn(
                "end",
                f"{self.describe()}: :end: {end.isoformat()} is before :date: "
                f"{start.isoformat()}; an event cannot end before it starts",
            )
            end = None
        types = cpd_config.read(self.config).event_types
        event_type = self.choice("type", types, "type")
        return {
            "date": start,
            "end": end,
            "hours": self.parse("hours", parse_hours, "hours"),
            "type": event_type,
            "participatory": self.parse(
                "participatory", lambda t: parse_yes_no(t, "participatory"), "option"
            ),
            "organiser": self.option("organiser"),
            "location": self.option("location"),
            "url": self.url_option("url"),
            "outcome": self.option("outcome"),
        }

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if options["date"]:
            when = format_date(options["date"])
            if options["end"] and options["end"] != options["date"]:
                when += f" to {format_date(options['end'])}"
            rows.append(("Date", text(when)))
        if options["hours"] is not None:
            hours = format_hours(options["hours"])
            unit = "hour" if hours == "1" else "hours"
            if options["participatory"] is not None:
                unit += ", participatory" if options["participatory"] else ", non-participatory"
            rows.append(("Hours", text(f"{hours} {unit}")))
        if options["type"]:
            rows.append(
                ("Type", [badge(options["type"].capitalize(), f"cpd-type-{options['type']}")])
            )
        for key, label in (("organiser", "Organiser"), ("location", "Location")):
            if options[key]:
                rows.append((label, text(options[key])))
        if self.option("url"):
            rows.append(("Web page", link(self.option("url"))))
        if options["outcome"]:
            rows.append(("Outcome", text(options["outcome"])))
        return rows

    def finish(self, record: Record, node: nodes.Element) -> None:
        node += backlinks(event=record.key)
