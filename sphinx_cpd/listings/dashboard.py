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
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import ActionData, Record
from sphinx_cpd.language import shown_hours
from sphinx_cpd.listings.actions import is_overdue
from sphinx_cpd.listings.base import Context, ListingDirective
from sphinx_cpd.listings.hours import YearTotals, totals, yearly_target
from sphinx_cpd.listings.matrix import coverage
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
    box = tile("hours", _("Hours in CPD year %(year)s") % {"year": label})
    hours = shown_hours(entry.hours)
    target = yearly_target(context)
    if target is None:
        if entry.events == 1:
            words = _("%(hours)s hours from 1 event.") % {"hours": hours}
        else:
            words = _("%(hours)s hours from %(events)s events.")
            words %= {"hours": hours, "events": entry.events}
        box += summary(words)
    else:
        numbers = {
            "hours": hours,
            "target": shown_hours(target),
            "left": shown_hours(target - entry.hours),
        }
        if entry.hours >= target:
            words = _("%(hours)s of %(target)s hours: the target is met.") % numbers
        else:
            # Translators: hours this CPD year, the target, and the hours still wanted.
            words = _("%(hours)s of %(target)s hours: %(left)s to go.") % numbers
        title = _("Hours in CPD year %(year)s against the target") % {"year": label}
        box += chart(context, charts.progress_bar(entry.hours, target, title, words, style))
        box += summary(words)
    box += listing_link(context, _("The CPD log"), "log", "hours")
    return box


def years_tile(
    context: Context, year: int, by_year: dict[int, YearTotals], style: charts.Style
) -> nodes.container:
    box = tile("years", _("Hours per CPD year"))
    if not by_year:
        box += summary(_("No hours recorded yet."))
        return box
    last = max(year, *by_year)
    first = max(min(by_year), last - YEARS_SHOWN + 1)
    shown = [by_year.get(y, YearTotals(y)) for y in range(first, last + 1)]
    words = "; ".join(
        # Translators: a CPD year's hours, and how many of them were participatory.
        _("%(year)s: %(hours)s hours, %(participatory)s participatory")
        % {
            "year": context.year_label(e.year),
            "hours": shown_hours(e.hours),
            "participatory": shown_hours(e.participatory),
        }
        for e in shown
    )
    bars = [charts.Bar(context.year_label(e.year), e.hours, e.participatory) for e in shown]
    box += chart(
        context,
        charts.bar_chart(
            bars,
            yearly_target(context),
            _("Hours per CPD year, participatory hours below"),
            words + ".",
            style,
            # Translators: the key of the bars' two parts: participatory and other hours.
            legend=(_("Participatory"), _("Other")),
        ),
    )
    if context.builder.format != "html":
        # The chart's description says it to a screen reader; the table has it too.
        box += summary(words + ".")
    box += listing_link(context, _("The hours table"), "hours", "log")
    return box


def evidence_tile(context: Context, style: charts.Style) -> nodes.container:
    """The evidence count, and each framework's criteria coverage."""
    box = tile("evidence", _("Evidence and criteria coverage"))
    evidence = list(context.records("evidence"))
    if len(evidence) == 1:
        box += summary(_("1 item of evidence."))
    else:
        box += summary(_("%(count)s items of evidence.") % {"count": len(evidence)})
    pages = {record.docname for record in evidence}
    if len(pages) == 1 and context.docname not in pages:
        # A link to "the evidence" only where it is all on one page.
        box += page_link(context, pages.pop(), _("The evidence"))
    frameworks = catalogue(context.app.config).frameworks
    if not frameworks:
        box += summary(_("No frameworks are chosen in cpd_frameworks."))
        return box
    for framework in frameworks.values():
        rows = coverage(context, framework)
        gaps = [criterion.code for criterion, records in rows if not records]
        numbers = {
            "framework": framework.short,
            "covered": len(rows) - len(gaps),
            "total": len(rows),
            "gaps": ", ".join(gaps),
        }
        words = (
            # Translators: a framework's criteria coverage, then the codes of its gaps.
            _(
                "%(framework)s: %(covered)s of %(total)s criteria have something mapped; "
                "gaps: %(gaps)s."
            )
            if gaps
            else _("%(framework)s: %(covered)s of %(total)s criteria have something mapped.")
        ) % numbers
        cells = [
            charts.Cell(
                criterion.code,
                # Translators: a criterion and how many records are mapped to it.
                _("%(criterion)s: %(count)s mapped")
                % {
                    "criterion": f"{framework.short} {criterion.code} {criterion.title}",
                    "count": len(records),
                },
                len(records),
            )
            for criterion, records in rows
        ]
        block = nodes.container(classes=["cpd-coverage"])
        block += nodes.paragraph(framework.title, framework.title, classes=["cpd-tile-subtitle"])
        title = _("Criteria coverage: %(framework)s") % {"framework": framework.title}
        block += chart(context, charts.heat_strip(cells, title, words, style))
        block += summary(words)
        box += block
    box += listing_link(context, _("The evidence matrix"), "matrix")
    return box


def scheme_tile(context: Context) -> list[nodes.container]:
    """How far the scheme's requirements are met, when a scheme is set."""
    checked = for_build(context.app)
    if checked is None:
        return []
    scheme, period, statuses = checked
    box = tile("scheme", scheme.title)
    # Translators: how many requirements are met, then the period: "3 of 9
    # requirements met, 1 April 2024 to 31 March 2026."
    met = _("%(tally)s, %(period)s.")
    box += summary(met % {"tally": tally(statuses, _), "period": period.label(_)})
    to_do = [status.requirement.title for status in statuses if not status.met]
    if to_do:
        # The first few requirements not met, separated by semicolons.
        shown = {"requirements": "; ".join(to_do[:LATEST])}
        if len(to_do) > LATEST:
            # Translators: the first few requirements not met; more follow.
            box += summary(_("Still to do: %(requirements)s; \u2026") % shown)
        else:
            box += summary(_("Still to do: %(requirements)s.") % shown)
    box += listing_link(context, _("The checklist"), "requirements")
    return [box]


def actions_tile(context: Context) -> nodes.container:
    box = tile("actions", _("Actions"))
    actions = list(context.records("action"))
    statuses = Counter(action.of(ActionData).status for action in actions)
    overdue = [action for action in actions if is_overdue(action, context.today)]
    # Translators: how many actions are open, overdue and done.
    words = _("%(open)s open, %(overdue)s overdue, %(done)s done.") % {
        "open": statuses["open"],
        "overdue": len(overdue),
        "done": statuses["done"],
    }
    box += summary(words)
    waiting = sorted(
        (action for action in actions if action.of(ActionData).status == "open"),
        key=lambda a: (not is_overdue(a, context.today), a.of(ActionData).due or context.today),
    )
    if waiting:
        box += record_list(context, waiting[:LATEST], due=True)
    box += listing_link(context, _("All actions"), "actions")
    return box


def reflections_tile(context: Context) -> nodes.container:
    box = tile("reflections", _("Latest reflections"))
    reflections = sorted(context.records("reflection"), key=Record.chronological, reverse=True)
    if not reflections:
        box += summary(_("No reflections yet."))
        return box
    if len(reflections) == 1:
        box += summary(_("1 reflection in all."))
    else:
        box += summary(_("%(count)s reflections in all.") % {"count": len(reflections)})
    box += record_list(context, reflections[:LATEST])
    return box


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
            overdue = _("overdue")
            para += nodes.strong(overdue, overdue, classes=["cpd-overdue"])
        items += nodes.list_item("", para)
    return items
