"""``cpd-dashboard``: the portfolio at a glance.

Hours this CPD year against the target, hours per CPD year, each framework's
criteria coverage, open and overdue actions, the latest reflections and the
evidence count. The figures are the listings' own (``hours.totals``,
``matrix.coverage``, ``actions.is_overdue``), over the records this build's
audience sees; each tile says its numbers in words and links to the listing
that holds them as a table. The charts are inline SVG for HTML builders (the
website, EPUB and the PDF); other builders keep the words.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd import charts
from sphinx_cpd.appearance import print_colours
from sphinx_cpd.catalogues import catalogue
from sphinx_cpd.kinds import ActionData, Record
from sphinx_cpd.listings.actions import is_overdue
from sphinx_cpd.listings.base import Context, ListingDirective
from sphinx_cpd.listings.hours import YearTotals, totals, yearly_target
from sphinx_cpd.listings.matrix import coverage
from sphinx_cpd.model import format_hours
from sphinx_cpd.requirements import for_build, tally

if TYPE_CHECKING:
    from docutils.nodes import Node

#: How many CPD years the bar chart shows, up to the dashboard's year.
YEARS_SHOWN = 8
#: How many of the latest reflections, and of the open actions, are listed.
LATEST = 3
#: The years a dashboard may be asked to show.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class DashboardDirective(ListingDirective):
    kind = "dashboard"
    help: ClassVar[dict[str, str]] = {
        "year": "The CPD year of the progress bar, by the year it starts in "
        "(default: the CPD year of the build date).",
    }

    def read_options(self) -> dict[str, Any]:
        text = self.option("year")
        if text is None:
            return {"year": None}
        year = int(text) if text.isdigit() else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            self.warn(
                "option",
                f":year: {text!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}; the CPD "
                "year of the build date is shown",
            )
            return {"year": None}
        return {"year": year}


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    style = charts.Style.of(print_colours(context.app))
    year = spec.get("year")
    if year is None:
        year = context.year(context.today)
    board = nodes.container(classes=["cpd-dashboard"])
    # The hours table's own sums, once for both tiles.
    by_year = {entry.year: entry for entry in totals(context, {})}
    board += hours_tile(context, by_year.get(year, YearTotals(year)), style)
    board += years_tile(context, year, by_year, style)
    board += scheme_tile(context)
    board += actions_tile(context)
    board += reflections_tile(context)
    board += evidence_tile(context, style)
    return [board]


# -- tiles ---------------------------------------------------------------------


def tile(kind: str, title: str) -> nodes.container:
    box = nodes.container(classes=["cpd-tile", f"cpd-tile--{kind}"])
    box += nodes.paragraph(title, title, classes=["cpd-tile-title"])
    return box


def chart(context: Context, svg: str) -> list[Node]:
    """The chart, for builders that write HTML; the tile's words stand for it elsewhere."""
    if context.builder.format != "html":
        return []
    return [charts.raw(svg)]


def summary(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=["cpd-tile-summary"])


def listing_link(context: Context, text: str, *kinds: str) -> list[Node]:
    """A link to the first page (in portfolio order) that holds one of these
    listings, or nothing when no page of this build does."""
    docname = context.page_holding(*kinds)
    return [page_link(context, docname, text)] if docname is not None else []


def page_link(context: Context, docname: str, text: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["cpd-tile-link"])
    para += context.page_link(docname, text)
    return para


def hours_tile(context: Context, entry: YearTotals, style: charts.Style) -> nodes.container:
    label = context.year_label(entry.year)
    box = tile("hours", f"Hours in CPD year {label}")
    hours = format_hours(entry.hours)
    target = yearly_target(context)
    if target is None:
        box += summary(f"{hours} hours from {counted(entry.events, 'event')}.")
    else:
        if entry.hours >= target:
            words = f"{hours} of {format_hours(target)} hours: the target is met."
        else:
            words = (
                f"{hours} of {format_hours(target)} hours: "
                f"{format_hours(target - entry.hours)} to go."
            )
        box += chart(
            context,
            charts.progress_bar(
                entry.hours, target, f"Hours in CPD year {label} against the target", words, style
            ),
        )
        box += summary(words)
    box += listing_link(context, "The CPD log", "log", "hours")
    return box


def years_tile(
    context: Context, year: int, by_year: dict[int, YearTotals], style: charts.Style
) -> nodes.container:
    box = tile("years", "Hours per CPD year")
    if not by_year:
        box += summary("No hours recorded yet.")
        return box
    last = max(year, *by_year)
    first = max(min(by_year), last - YEARS_SHOWN + 1)
    shown = [by_year.get(y, YearTotals(y)) for y in range(first, last + 1)]
    words = "; ".join(
        f"{context.year_label(e.year)}: {format_hours(e.hours)} hours, "
        f"{format_hours(e.participatory)} participatory"
        for e in shown
    )
    bars = [charts.Bar(context.year_label(e.year), e.hours, e.participatory) for e in shown]
    box += chart(
        context,
        charts.bar_chart(
            bars,
            yearly_target(context),
            "Hours per CPD year, participatory hours below",
            words + ".",
            style,
            legend=("Participatory", "Other"),
        ),
    )
    if context.builder.format != "html":
        # The chart's description says it to a screen reader; the table has it too.
        box += summary(words + ".")
    box += listing_link(context, "The hours table", "hours", "log")
    return box


def evidence_tile(context: Context, style: charts.Style) -> nodes.container:
    """The evidence count, and each framework's criteria coverage."""
    box = tile("evidence", "Evidence and criteria coverage")
    evidence = list(context.records("evidence"))
    box += summary(f"{counted(len(evidence), 'item')} of evidence.")
    pages = {record.docname for record in evidence}
    if len(pages) == 1 and context.docname not in pages:
        # A link to "the evidence" only where it is all on one page.
        box += page_link(context, pages.pop(), "The evidence")
    frameworks = catalogue(context.app.config).frameworks
    if not frameworks:
        box += summary("No frameworks are chosen in cpd_frameworks.")
        return box
    for framework in frameworks.values():
        rows = coverage(context, framework)
        gaps = [criterion.code for criterion, records in rows if not records]
        covered = len(rows) - len(gaps)
        words = f"{framework.short}: {covered} of {len(rows)} criteria have something mapped"
        words += f"; gaps: {', '.join(gaps)}." if gaps else "."
        cells = [
            charts.Cell(
                criterion.code,
                f"{framework.short} {criterion.code} {criterion.title}: {len(records)} mapped",
                len(records),
            )
            for criterion, records in rows
        ]
        block = nodes.container(classes=["cpd-coverage"])
        block += nodes.paragraph(framework.title, framework.title, classes=["cpd-tile-subtitle"])
        block += chart(
            context,
            charts.heat_strip(cells, f"Criteria coverage: {framework.title}", words, style),
        )
        block += summary(words)
        box += block
    box += listing_link(context, "The evidence matrix", "matrix")
    return box


def scheme_tile(context: Context) -> list[nodes.container]:
    """How far the scheme's requirements are met, when a scheme is set."""
    checked = for_build(context.app)
    if checked is None:
        return []
    scheme, period, statuses = checked
    box = tile("scheme", scheme.title)
    box += summary(f"{tally(statuses)}, {period.label()}.")
    to_do = [status.requirement.title for status in statuses if not status.met]
    if to_do:
        box += summary(
            "Still to do: "
            + "; ".join(to_do[:LATEST])
            + ("; \u2026" if len(to_do) > LATEST else ".")
        )
    box += listing_link(context, "The checklist", "requirements")
    return [box]


def actions_tile(context: Context) -> nodes.container:
    box = tile("actions", "Actions")
    actions = list(context.records("action"))
    statuses = Counter(action.of(ActionData).status for action in actions)
    overdue = [action for action in actions if is_overdue(action, context.today)]
    words = f"{statuses['open']} open, {len(overdue)} overdue, {statuses['done']} done."
    box += summary(words)
    waiting = sorted(
        (action for action in actions if action.of(ActionData).status == "open"),
        key=lambda a: (not is_overdue(a, context.today), a.of(ActionData).due or context.today),
    )
    if waiting:
        box += record_list(context, waiting[:LATEST], due=True)
    box += listing_link(context, "All actions", "actions")
    return box


def reflections_tile(context: Context) -> nodes.container:
    box = tile("reflections", "Latest reflections")
    reflections = sorted(context.records("reflection"), key=Record.chronological, reverse=True)
    if not reflections:
        box += summary("No reflections yet.")
        return box
    box += summary(f"{counted(len(reflections), 'reflection')} in all.")
    box += record_list(context, reflections[:LATEST])
    return box


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def record_list(context: Context, records: list[Record], due: bool = False) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["cpd-tile-list"])
    for record in records:
        when = record.of(ActionData).due if due else record.date
        para = nodes.paragraph()
        if when is not None:
            para += nodes.inline(when.isoformat(), when.isoformat(), classes=["cpd-date"])
            para += nodes.Text(" ")
        para += context.link(record)
        if due and is_overdue(record, context.today):
            para += nodes.Text(" ")
            para += nodes.strong("overdue", "overdue", classes=["cpd-overdue"])
        items += nodes.list_item("", para)
    return items
