"""``cpd-log``: the events as a table, filtered by date, CPD year, type, tags, criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_cpd import config as cpd_config
from sphinx_cpd.kinds import EventData, Record
from sphinx_cpd.listings.base import (
    FILTER_HELP,
    Context,
    ListingDirective,
    note,
    table,
)
from sphinx_cpd.model import WEBSITE_BUILDERS, format_hours, parse_list
from sphinx_cpd.objects.render import join

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.nodes import Node


EXPORTS = (
    ("cpd-log.csv", "CPD log (CSV)"),
    ("cpd-events.ics", "calendar (iCalendar)"),
    ("portfolio.json", "whole portfolio (JSON)"),
)


class LogDirective(ListingDirective):
    kind = "log"
    help: ClassVar[dict[str, str]] = FILTER_HELP | {
        "year": "Only one CPD year, by the year it starts in.",
        "type": "Comma-separated event types.",
        "tags": "Only events with one of these tags.",
        "criteria": "Only events mapped to one of these criteria.",
    }

    def read_options(self) -> dict[str, Any]:
        types = cpd_config.read(self.config).event_types
        wanted_types = []
        for item in parse_list(self.option("type")):
            if item.lower() in types:
                wanted_types.append(item.lower())
            else:
                self.warn("type", f"unknown :type: {item!r}; the types are {', '.join(types)}")
        return {
            "from": self.date_option("from"),
            "to": self.date_option("to"),
            "year": self.int_option("year"),
            "type": wanted_types,
            "tags": list(parse_list(self.option("tags"))),
            "criteria": self.criteria_option(),
        }


def select_events(context: Context, spec: dict[str, Any]) -> Iterator[Record]:
    """Events matching a log's filters; shared with the command line's ``log``."""
    for record in context.records("event"):
        if record.date is None:
            continue
        if spec.get("from") and record.date < spec["from"]:
            continue
        if spec.get("to") and record.date > spec["to"]:
            continue
        if spec.get("year") is not None and context.year(record.date) != spec["year"]:
            continue
        if spec.get("type") and record.of(EventData).type not in spec["type"]:
            continue
        if spec.get("tags") and not set(spec["tags"]) & set(record.tags):
            continue
        if spec.get("criteria") and not set(spec["criteria"]) & set(record.criteria):
            continue
        yield record


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    events = sorted(select_events(context, spec), key=Record.chronological)
    if not events:
        return [note("No events match this log yet.")]
    total = participatory = Decimal(0)
    rows = []
    for record in events:
        data = record.of(EventData)
        hours = data.hours
        if hours is not None:
            total += hours
        participatory += data.participatory_hours()
        rows.append(
            [
                record.date.isoformat() if record.date else "",
                [context.link(record)],
                (data.type or "").capitalize(),
                data.organiser or "",
                format_hours(hours) if hours is not None else "",
                format_hours(data.participatory_hours()) if hours is not None else "",
                join([nodes.Text(context.criterion_text(c)) for c in record.criteria]),
            ]
        )
    out: list[Node] = [
        table(
            ["Date", "Event", "Type", "Organiser", "Hours", "Participatory", "Criteria"],
            rows,
            classes=["cpd-log-table"],
            label="CPD log",
            nowrap={0, 4, 5},
            stack=True,
            footer=[
                "",
                [nodes.strong("Total", "Total")],
                "",
                "",
                format_hours(total),
                format_hours(participatory),
                "",
            ],
        )
    ]
    if context.builder.name in WEBSITE_BUILDERS:
        out.append(export_links(context))
    elif context.builder.format == "html":
        # The PDF (and EPUB) have no files beside them to link to: named only.
        names = ", ".join(f"{filename} ({label})" for filename, label in EXPORTS)
        out.append(note(f"The website of this portfolio holds the exports: {names}."))
    return out


def export_links(context: Context) -> nodes.paragraph:
    para = nodes.paragraph(classes=["cpd-exports"])
    para += nodes.Text("Download: ")
    here = context.builder.get_target_uri(context.docname)
    for n, (filename, label) in enumerate(EXPORTS):
        if n:
            para += nodes.Text(" · ")
        para += nodes.reference(label, label, refuri=relative_uri(here, filename))
    return para
