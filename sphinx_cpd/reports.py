"""What ``sphinx-cpd log`` and ``sphinx-cpd status`` print: the portfolio's
log and its scheme's checklist, as tables for reading or JSON (and CSV) for
other programs. Text from the portfolio is printed as it is (see the consoles
below)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sphinx_cpd.model import format_hours

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Text from the portfolio is printed as it is: no markup ("[bold]"), no emoji
# (":date:"), no highlighting.
console = Console(highlight=False, markup=False, emoji=False)
errors = Console(stderr=True, highlight=False, markup=False, emoji=False)


def print_log(app: Sphinx, year: int | None, output_format: str) -> None:
    """The events of the log (of one CPD year) and the hours per year."""
    from sphinx_cpd.domain import get_domain
    from sphinx_cpd.exports import log_csv, record_json
    from sphinx_cpd.kinds import EventData, Record
    from sphinx_cpd.listings import context_for
    from sphinx_cpd.listings.hours import progress as against_target
    from sphinx_cpd.listings.hours import totals, yearly_target
    from sphinx_cpd.listings.log import select_events

    context = context_for(app, app.config.root_doc)
    spec = {"year": year}
    events = sorted(select_events(context, spec), key=Record.chronological)
    years = totals(context, spec)
    target = yearly_target(context)
    if year is not None and not events:
        errors.print(f"No events in the CPD year {context.year_label(year)}.")
        if output_format == "table":
            return  # empty tables would say it less clearly

    if output_format == "csv":
        click.echo(log_csv(events).replace("\r\n", "\n"), nl=False)
    elif output_format == "json":
        data = {
            # The same objects as portfolio.json's, ids and all.
            "events": [record_json(get_domain(app.env), app.builder, r) for r in events],
            "years": [
                {
                    "year": context.year_label(entry.year),
                    "start_year": entry.year,
                    "events": entry.events,
                    "hours": float(format_hours(entry.hours)),
                    "participatory_hours": float(format_hours(entry.participatory)),
                    "target": float(target) if target is not None else None,
                    "target_met": entry.hours >= target if target is not None else None,
                }
                for entry in years
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        table = Table(title="CPD log", title_justify="left")
        for column in ("Date", "Event", "Type", "Hours"):
            table.add_column(column, justify="right" if column == "Hours" else "left")
        for record in events:
            event = record.of(EventData)
            table.add_row(
                *(
                    Text(cell)
                    for cell in (
                        record.date.isoformat() if record.date else "",
                        record.title,
                        (event.type or "").capitalize(),
                        format_hours(event.hours) if event.hours is not None else "",
                    )
                )
            )
        console.print(table)
        summary = Table(title="Hours per CPD year", title_justify="left")
        for column in ("CPD year", "Events", "Hours", "Participatory", "Target"):
            summary.add_column(column)
        for entry in years:
            summary.add_row(
                context.year_label(entry.year),
                str(entry.events),
                format_hours(entry.hours),
                format_hours(entry.participatory),
                against_target(entry.hours, target) or "no target set",
            )
        console.print(summary)


def print_status(app: Sphinx, output_format: str) -> None:
    """The scheme's checklist for the current period."""
    from sphinx_cpd.requirements import for_build, scheme_json, tally

    checked = for_build(app)
    if output_format == "json":
        data: dict[str, Any] = {"scheme": None, "requirements": []}
        if checked is not None:
            data = {
                "scheme": scheme_json(checked[0], checked[1]),
                "requirements": [item.as_json() for item in checked[2]],
            }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif checked is None:
        errors.print("No scheme is set: name yours with cpd_scheme in conf.py.")
    else:
        scheme, period, statuses = checked
        table = Table(title=f"{scheme.title}, {period.label()}", title_justify="left")
        for column in ("Requirement", "Needed", "Have", "Status"):
            table.add_column(column)
        for item in statuses:
            cells = (item.requirement.title, item.needed_text(), item.have_text(), item.to_go())
            table.add_row(*(Text(cell) for cell in cells))
        console.print(table)
        console.print(f"{tally(statuses)}.")
