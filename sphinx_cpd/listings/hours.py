"""``cpd-hours``: hours per CPD year, participatory hours, per type, against the target."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.catalogues import scheme
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import EventData
from sphinx_cpd.language import shown_hours
from sphinx_cpd.listings.base import (
    Context,
    ListingDirective,
    note,
    table,
)
from sphinx_cpd.listings.log import select_events
from sphinx_cpd.model import event_type_name
from sphinx_cpd.requirements import Translate, for_build

if TYPE_CHECKING:
    from docutils.nodes import Node


class HoursDirective(ListingDirective):
    kind = "hours"
    help: ClassVar[dict[str, str]] = {
        "from": "Count events from this date.",
        "to": "Count events up to this date.",
    }

    def read_options(self) -> dict[str, Any]:
        return {"from": self.date_option("from"), "to": self.date_option("to")}


@dataclass
class YearTotals:
    year: int
    hours: Decimal = Decimal(0)
    participatory: Decimal = Decimal(0)
    events: int = 0
    by_type: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def totals(context: Context, spec: dict[str, Any]) -> list[YearTotals]:
    """Hours summed exactly per CPD year, oldest year first; shared with the CLI."""
    years: dict[int, YearTotals] = {}
    for record in select_events(context, spec):
        assert record.date is not None
        year = context.year(record.date)
        entry = years.setdefault(year, YearTotals(year))
        data = record.of(EventData)
        hours = data.hours or Decimal(0)
        entry.events += 1
        entry.hours += hours
        entry.participatory += data.participatory_hours()
        entry.by_type[data.type or "unspecified"] += hours
    return [years[year] for year in sorted(years)]


def progress(hours: Decimal, target: Decimal | None, _: Translate = N_) -> str:
    """Hours against a target, in English for the command line unless ``_``
    translates (the listings')."""
    if target is None:
        return ""
    local = _ is not N_
    if hours >= target:
        # Translators: hours against a target: "target of 35 met".
        return _("target of %(target)s met") % {"target": shown_hours(target, local)}
    # Translators: hours still wanted of a target: "3 to go of 35".
    return _("%(left)s to go of %(target)s") % {
        "left": shown_hours(target - hours, local),
        "target": shown_hours(target, local),
    }


def yearly_target(context: Context) -> Decimal | None:
    """Hours wanted per CPD year: ``cpd_hours_target``, else the hours a
    scheme with a period of one CPD year asks for."""
    if context.settings.hours_target is not None:
        return context.settings.hours_target
    found = scheme(context.app.config)
    if found is None or found.years != 1 or found.renewal:
        return None
    return next((r.need for r in found.requirements if r.kind == "hours"), None)


def period_totals(context: Context) -> list[Node]:
    """A scheme's period of several years: its hours against the scheme's
    targets, under the years' own."""
    checked = for_build(context.app)
    if checked is None or checked[0].years in (None, 1):
        return []
    period, statuses = checked[1], checked[2]
    parts = [
        # Translators: a scheme's hours requirement, its hours and how far from
        # its target: "Participatory hours 12 (8 to go of 20)".
        _("%(requirement)s %(hours)s (%(progress)s)")
        % {
            "requirement": status.requirement.title,
            "hours": shown_hours(status.have),
            "progress": progress(status.have, status.need, _),
        }
        for status in statuses
        if status.requirement.kind in ("hours", "participatory-hours")
    ]
    if not parts:
        return []
    # Translators: a scheme's hours over its period of several years; the
    # totals are separated by semicolons.
    text = _("Over the period %(period)s: %(totals)s.")
    return [note(text % {"period": period.label(_), "totals": "; ".join(parts)})]


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    years = totals(context, spec)
    if not years:
        return [note(_("No hours recorded yet."))]
    target = yearly_target(context)
    headers = [_("CPD year"), _("Events"), _("Hours"), _("Participatory hours")]
    if target is not None:
        headers.append(_("Against target"))
    rows = []
    for entry in years:
        row: list[Any] = [
            context.year_label(entry.year),
            str(entry.events),
            shown_hours(entry.hours),
            shown_hours(entry.participatory),
        ]
        if target is not None:
            row.append(progress(entry.hours, target, _))
        rows.append(row)
    out: list[Node] = [
        table(
            headers,
            rows,
            classes=["cpd-hours-table"],
            label=_("Hours per CPD year"),
            nowrap={0, 1, 2, 3},
            stack=True,
        ),
        *period_totals(context),
    ]
    # Sorted by the types as written; "unspecified" is this listing's word.
    type_rows = [
        [
            context.year_label(entry.year),
            # Translators: the type of events that have none.
            _("Unspecified") if kind == "unspecified" else event_type_name(kind),
            shown_hours(hours),
        ]
        for entry in years
        for kind, hours in sorted(entry.by_type.items())
    ]
    by_type = _("Hours by type")
    caption = nodes.paragraph(by_type, by_type, classes=["cpd-caption"])
    out += [
        caption,
        table(
            [_("CPD year"), _("Type"), _("Hours")],
            type_rows,
            classes=["cpd-types-table"],
            label=by_type,
            nowrap={0, 2},
        ),
    ]
    return out
