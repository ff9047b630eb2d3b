"""The ``event`` directive: a CPD event with its date, hours and details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd import config as cpd_config
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import EventData
from sphinx_cpd.language import shown_hours
from sphinx_cpd.model import event_type_name, format_hours
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
        part = data.participatory
        if isinstance(part, Decimal) and (data.hours is None or part > data.hours):
            limit = (
                "needs the event's :hours:"
                if data.hours is None
                else (f"is more than its :hours: {format_hours(data.hours)}")
            )
            self.warn(
                "hours",
                f"{self.describe()}: :participatory: {format_hours(part)} {limit}; no more "
                "than the event's hours are counted as participatory",
            )
        types = cpd_config.read(self.config).event_types
        data.type = self.known(data.type, types, "type", f"use one of {', '.join(types)}")

    def show_date(self, value: dt.date | None, data: EventData) -> list[Node]:
        if value is None:
            return []
        if data.end and data.end != value:
            # Translators: an event of several days, from its first day to its last.
            when = _("%(start)s to %(end)s") % {
                "start": format_date(value),
                "end": format_date(data.end),
            }
            return text(when)
        return text(format_date(value))

    def show_hours(self, value: Decimal | None, data: EventData) -> list[Node]:
        if value is None:
            return []
        hours = shown_hours(value)
        one = hours == "1"
        part = data.participatory
        if part is True:
            # Translators: an event's hours, all spent taking part actively.
            shown = _("1 hour, participatory") if one else _("%(hours)s hours, participatory")
        elif part is False:
            shown = (
                _("1 hour, non-participatory") if one else _("%(hours)s hours, non-participatory")
            )
        elif part is not None:
            shown = (
                # Translators: an event's hours, and how many of them were participatory.
                _("1 hour, %(participatory)s of them participatory")
                if one
                else _("%(hours)s hours, %(participatory)s of them participatory")
            )
        else:
            shown = _("1 hour") if one else _("%(hours)s hours")
        participatory = shown_hours(data.participatory_hours())
        return text(shown % {"hours": hours, "participatory": participatory})

    def show_type(self, value: str | None, data: EventData) -> list[Node]:
        return [badge(event_type_name(value), f"cpd-type-{value}")] if value else []

    def show_url(self, value: str | None, data: EventData) -> list[Node]:
        # An address that may not be linked is shown as text.
        return link(self.option("url")) if self.option("url") else []

    def finish(self, record: Record, node: nodes.Element) -> None:
        node += backlinks(event=record.key)
