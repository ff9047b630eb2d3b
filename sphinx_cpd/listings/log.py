"""``cpd-log``: the events as a table, filtered by date, CPD year, type, tags, criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_cpd import config as cpd_config
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import EventData, Record
from sphinx_cpd.language import shown_hours
from sphinx_cpd.listings.base import (
    FILTER_HELP,
    Context,
    ListingDirective,
    note,
    table,
)
from sphinx_cpd.model import WEBSITE_BUILDERS, event_type_name, parse_list
from sphinx_cpd.objects.render import join, sentence

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.nodes import Node


#: The exports a log links to, each with what it is (translated where shown).
EXPORTS = (
    ("cpd-log.csv", N_("CPD log (CSV)")),
    ("cpd-events.ics", N_("calendar (iCalendar)")),
    ("portfolio.json", N_("whole portfolio (JSON)")),
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
        return [note(_("No events match this log yet."))]
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
                event_type_name(data.type or ""),
                data.organiser or "",
                shown_hours(hours) if hours is not None else "",
                shown_hours(data.participatory_hours()) if hours is not None else "",
                join([nodes.Text(context.criterion_text(c)) for c in record.criteria]),
            ]
        )
    out: list[Node] = [
        table(
            [
                _("Date"),
                _("Event"),
                _("Type"),
                _("Organiser"),
                _("Hours"),
                _("Participatory"),
                _("Criteria"),
            ],
            rows,
            classes=["cpd-log-table"],
            label=_("CPD log"),
            nowrap={0, 4, 5},
            stack=True,
            footer=[
                "",
                [nodes.strong(_("Total"), _("Total"))],
                "",
                "",
                shown_hours(total),
                shown_hours(participatory),
                "",
            ],
        )
    ]
    if context.builder.name in WEBSITE_BUILDERS:
        out.append(export_links(context))
    elif context.builder.format == "html":
        # The PDF (and EPUB) have no files beside them to link to: named only.
        names = ", ".join(f"{filename} ({_(label)})" for filename, label in EXPORTS)
        # Translators: the exports' file names follow, each with what it is.
        out.append(
            note(
                _("The website of this portfolio holds the exports: %(names)s.") % {"names": names}
            )
        )
    return out


def export_links(context: Context) -> nodes.paragraph:
    para = nodes.paragraph(classes=["cpd-exports"])
    here = context.builder.get_target_uri(context.docname)
    links: list[Node] = []
    for n, (filename, label) in enumerate(EXPORTS):
        if n:
            links.append(nodes.Text(" · "))
        shown = _(label)
        links.append(nodes.reference(shown, shown, refuri=relative_uri(here, filename)))
    # Translators: the links to the exports follow, separated by dots.
    para.extend(sentence(_("Download: %(links)s"), links=links))
    return para
