"""How far the portfolio is from what its scheme asks for, in a period.

One evaluation serves the ``cpd-requirements`` checklist, ``portfolio.json``,
the dashboard and ``sphinx-cpd status``, so that they never disagree. It counts
only the records the build's audience sees (the domain holds no others), and
each page's words as the page's own counter counts them (:func:`page_words`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.logging import suppress_logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import scheme as scheme_of
from sphinx_cpd.catalogues.schemes import Requirement, Scheme
from sphinx_cpd.config import warn_at
from sphinx_cpd.domain import get_domain
from sphinx_cpd.i18n import N_
from sphinx_cpd.kinds import ActionData, EventData, Record, ReflectionData
from sphinx_cpd.language import hours_text, long_date, shown_count, shown_hours
from sphinx_cpd.model import (
    InputError,
    build_date,
    cpd_year,
    parse_date,
    per_build,
)
from sphinx_cpd.options import jsonable
from sphinx_cpd.wordcount import COUNTING_ONLY, count_words, counted_scope

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What separates the two dates of ``:period:``: an en or em dash, ``--``,
#: ``..``, ``/`` (ISO 8601) or the word "to".
_PERIOD = re.compile(r"^\s*(\S+?)\s*(?:\u2013|\u2014|--|\.\.|/|\s+to\s+)\s*(\S+)\s*$")

#: What puts a text into the reader's language: :func:`sphinx_cpd.i18n._` for a
#: built document. The texts below are English unless given one, as the command
#: line prints them.
Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Period:
    """The days a scheme's requirements are counted over, both ends included;
    no ends: the whole portfolio."""

    start: date | None = None
    end: date | None = None

    def holds(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def label(self, _: Translate = N_) -> str:
        if self.start is None or self.end is None:
            # Translators: the period counted when a scheme has none of its own.
            return _("the whole portfolio")
        # Translators: a period, both days included: "1 April 2024 to 31 March 2027".
        return _("%(start)s to %(end)s") % {
            "start": long_date(self.start, local=_ is not N_),
            "end": long_date(self.end, local=_ is not N_),
        }


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29th with no leap
    year; the calendar's first or last day where it runs out)."""
    year = day.year - years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def current_period(scheme: Scheme, settings: cpd_config.CPDConfig, today: date) -> Period:
    """The period that holds ``today``: the CPD year, or the years up to the
    renewal date (without one, up to the end of the current CPD year; the
    configuration check has said so)."""
    if scheme.years is None:
        return Period()
    month, day = settings.year_start
    start = date(cpd_year(today, settings.year_start), month, day)
    end = max(start, years_before(start, -1) - timedelta(days=1))
    if scheme.renewal and settings.renewal_date is not None:
        end = settings.renewal_date
    start = min(end, years_before(end, scheme.years) + timedelta(days=1))
    return Period(start, end)


def parse_period(text: str) -> Period:
    """``START–END`` as ``:period:`` takes it; raises :class:`InputError`."""
    match = _PERIOD.match(text)
    if not match:
        raise InputError(
            f":period: {text!r} is not two dates; write START\u2013END, e.g. "
            "2024-04-01\u20132027-03-31"
        )
    start, end = parse_date(match.group(1), "period"), parse_date(match.group(2), "period")
    if end < start:
        raise InputError(f":period: {text!r} ends before it starts")
    return Period(start, end)


@dataclass(frozen=True, slots=True)
class Status:
    """One requirement, in one period: what it needs, what there is."""

    requirement: Requirement
    have: Decimal
    met: bool
    #: The date a declaration was made, if it was.
    declared: date | None = None

    @property
    def need(self) -> Decimal | None:
        """Hours or objects needed, the most words a page may have (None: no
        limit, or a declaration)."""
        requirement = self.requirement
        if requirement.kind == "words":
            return Decimal(requirement.limit) if requirement.limit else None
        return requirement.need

    def needed_text(self, _: Translate = N_) -> str:
        """What the checklist's "Needed" column says."""
        kind = self.requirement.kind
        if kind == "declaration":
            # Translators: what a declaration needs, in the checklist's "Needed" column.
            return _("declared")
        if kind == "words":
            if not self.need:
                # Translators: what a page with no word limit needs: to be written.
                return _("written")
            return _("at most %(words)s words") % {
                "words": shown_count(self.need or 0, local=_ is not N_)
            }
        return self.amount(self.need or Decimal(0), _)

    def have_text(self, _: Translate = N_) -> str:
        """What the checklist's "Have" column says."""
        kind = self.requirement.kind
        if kind == "declaration":
            return long_date(self.declared, local=_ is not N_) if self.declared else "\u2014"
        if kind == "words":
            return _("%(words)s words") % {"words": shown_count(self.have, local=_ is not N_)}
        return self.amount(self.have, _)

    def amount(self, value: Decimal, _: Translate = N_) -> str:
        if self.requirement.kind.endswith("hours"):
            return hours_text(value, _)
        return shown_hours(value, local=_ is not N_)

    def number(self, value: Decimal | None) -> object:
        """Hours as portfolio.json gives hours everywhere; counts and words whole."""
        if value is None or self.requirement.kind.endswith("hours"):
            return jsonable(value)
        return int(value)

    def to_go(self, _: Translate = N_) -> str:
        """What the checklist's status column says."""
        kind = self.requirement.kind
        if self.met:
            # Translators: a requirement of the scheme that is met.
            return _("met")
        if kind == "declaration":
            if self.declared:
                # Translators: declared once, but before the period being checked.
                return _("not declared in this period")
            return _("not declared")
        if kind == "words":
            if self.have == 0:
                return _("not written yet")
            over = self.have - (self.need or 0)
            if over == 1:
                return _("1 word over the limit")
            return _("%(words)s words over the limit") % {
                "words": shown_count(over, local=_ is not N_)
            }
        # Translators: what a requirement still needs: "3 hours to go", "2 to go".
        return _("%(amount)s to go") % {
            "amount": self.amount((self.need or Decimal(0)) - self.have, _)
        }

    def as_json(self) -> dict[str, Any]:
        """As ``portfolio.json`` and ``sphinx-cpd status`` give it (numbers as numbers)."""
        data: dict[str, Any] = {
            "key": self.requirement.key,
            "title": self.requirement.title,
            "kind": self.requirement.kind,
            "need": 1 if self.requirement.kind == "declaration" else self.number(self.need),
            "have": self.number(self.have),
            "met": self.met,
        }
        if self.requirement.kind == "declaration":
            data["declared"] = self.declared.isoformat() if self.declared else None
        return data


def tally(statuses: list[Status], _: Translate = N_) -> str:
    """``3 of 9 requirements met``: the checklist's, the dashboard's and the
    terminal's summary."""
    met = sum(1 for status in statuses if status.met)
    if len(statuses) == 1:
        return _("%(met)s of 1 requirement met") % {"met": met}
    return _("%(met)s of %(total)s requirements met") % {"met": met, "total": len(statuses)}


def evaluate(
    scheme: Scheme,
    period: Period,
    records: Iterable[Record],
    words: Mapping[str, int],
    declarations: Mapping[str, date],
    today: date,
) -> list[Status]:
    """Each requirement of ``scheme`` against the records and pages in
    ``period``; a declaration dated after ``today`` is not made yet."""
    kept = list(records)
    made = {key: day for key, day in declarations.items() if day <= today}
    return [_status(r, period, kept, words, made) for r in scheme.requirements]


def _status(
    requirement: Requirement,
    period: Period,
    records: list[Record],
    words: Mapping[str, int],
    declarations: Mapping[str, date],
) -> Status:
    kind = requirement.kind
    if kind in ("hours", "participatory-hours"):
        have = Decimal(0)
        for record in records:
            if record.kind == "event" and period.holds(record.date):
                data = record.of(EventData)
                have += (data.hours or 0) if kind == "hours" else data.participatory_hours()
        return Status(requirement, have, have >= (requirement.need or 0))
    if kind == "count":
        have = Decimal(sum(1 for record in records if counts(requirement, record, period)))
        return Status(requirement, have, have >= (requirement.need or 0))
    if kind == "words":
        found = words.get(requirement.page or "", 0)
        limit = requirement.limit
        met = found > 0 and (limit is None or found <= limit)
        return Status(requirement, Decimal(found), met)
    declared = declarations.get(requirement.key)
    # A declaration made for an earlier period does not answer this one.
    met = period.holds(declared)
    return Status(requirement, Decimal(1 if met else 0), met, declared)


def counts(requirement: Requirement, record: Record, period: Period) -> bool:
    """Whether a ``count`` requirement counts ``record``."""
    if record.kind != requirement.count:
        return False
    day = record.date
    if record.kind == "action":
        action = record.of(ActionData)
        day = action.done if action.status == "done" else None
    if not period.holds(day):
        return False
    # A filter that does not apply to the kind counted matches nothing.
    if requirement.model is not None and (
        record.kind != "reflection" or record.of(ReflectionData).model != requirement.model
    ):
        return False
    if requirement.type is not None and (
        record.kind != "event" or record.of(EventData).type != requirement.type
    ):
        return False
    return requirement.tag is None or requirement.tag in record.tags


def for_build(
    app: Sphinx, period: Period | None = None
) -> tuple[Scheme, Period, list[Status]] | None:
    """The scheme of this build, the period (the current one unless given) and
    each requirement's status in it; None when no scheme is set. Worked out
    once per build and period: the checklist, the dashboard, the hours listing
    and the exports all ask."""
    checked = per_build(app, "requirements")
    if period not in checked:
        checked[period] = _check(app, period)
    found: tuple[Scheme, Period, list[Status]] | None = checked[period]
    return found


def _check(app: Sphinx, period: Period | None) -> tuple[Scheme, Period, list[Status]] | None:
    found = scheme_of(app.config)
    if found is None:
        return None
    settings = cpd_config.read(app.config)
    period = period or current_period(found, settings, build_date())
    domain = get_domain(app.env)
    pages = {r.page for r in found.requirements if r.page}
    # Only pages of this build are counted: one withheld from its audience is not written.
    words = {page: page_words(app, page) for page in pages if page in domain.data["order"]}
    statuses = evaluate(
        found, period, domain.all_records(), words, settings.declarations, build_date()
    )
    return found, period, statuses


def page_words(app: Sphinx, docname: str) -> int:
    """A page's words exactly as its own counter shows them: the page resolved
    as it is written (references as the titles they show, ``only`` blocks
    decided), its first section counted. Kept for the rest of the build."""
    counted = per_build(app, "page_words")
    if docname in counted:
        return int(counted[docname])
    COUNTING_ONLY.add(docname)
    try:
        # The page's own build reports its problems; this copy would repeat them.
        with suppress_logging():
            doctree = app.env.get_and_resolve_doctree(docname, app.builder)
    finally:
        COUNTING_ONLY.discard(docname)
    counted[docname] = words = count_words(counted_scope(doctree))
    return words


def scheme_json(scheme: Scheme, period: Period) -> dict[str, Any]:
    return {
        "id": scheme.id,
        "title": scheme.title,
        "start": period.start.isoformat() if period.start else None,
        "end": period.end.isoformat() if period.end else None,
    }


def check_pages(app: Sphinx, env: Any) -> None:
    """A word limit on a page the portfolio does not have could never be met:
    say so (a page withheld from this audience still has its file)."""
    found = scheme_of(app.config)
    if found is None:
        return
    suffixes = list(app.config.source_suffix)
    for requirement in found.requirements:
        page = requirement.page
        if page and not any(Path(app.srcdir, page + suffix).is_file() for suffix in suffixes):
            warn_at(
                app.confdir,
                "cpd_scheme",
                f"cpd_scheme: requirement {requirement.key!r} counts the words of the page "
                f"{page!r}, which is not in the portfolio (a page's name is its file's, "
                "without .md)",
            )
