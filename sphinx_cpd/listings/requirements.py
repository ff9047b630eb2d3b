"""``cpd-requirements``: the scheme's checklist for a period; ``cpd-feedback``:
feedback by date, from whom, on what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.catalogues.schemes import Requirement
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import FeedbackData
from sphinx_cpd.listings.base import Context, ListingDirective, note, table
from sphinx_cpd.model import InputError
from sphinx_cpd.objects.render import sentence
from sphinx_cpd.requirements import (
    Period,
    Status,
    for_build,
    parse_period,
    tally,
)

if TYPE_CHECKING:
    from docutils.nodes import Node

#: The listings that show what a requirement counts, for its link.
SHOWN_BY: dict[str, tuple[str, ...]] = {
    "hours": ("hours", "log", "dashboard"),
    "participatory-hours": ("hours", "log", "dashboard"),
    "event": ("log", "timeline"),
    "reflection": ("timeline", "dashboard"),
    "evidence": ("timeline", "matrix"),
    "feedback": ("feedback",),
    "rating": ("ratings",),
    "action": ("actions",),
}


class RequirementsDirective(ListingDirective):
    kind = "requirements"
    help: ClassVar[dict[str, str]] = {
        "period": "The period to check, START\u2013END (e.g. 2024-04-01\u20132027-03-31); "
        "the current one when not given.",
    }

    def read_options(self) -> dict[str, Any]:
        text = self.option("period")
        if text is None:
            return {"period": None}
        if not text.strip():
            self.warn(
                "date",
                ":period: is empty; give START\u2013END, or leave it out for the current period",
            )
            return {"period": None}
        try:
            period = parse_period(text)
        except InputError as exc:
            self.warn("date", f"{exc}; the current period is shown")
            return {"period": None}
        return {"period": period}


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    found = for_build(context.app, spec.get("period"))
    if found is None:
        return [note(_("No scheme is set: name yours with cpd_scheme in conf.py."))]
    scheme, period, statuses = found
    out: list[Node] = [heading(scheme.title, period, statuses)]
    if not statuses:
        return [*out, note(_("%(scheme)s sets no requirements.") % {"scheme": scheme.title})]
    rows = [row(context, status, period) for status in statuses]
    out.append(
        table(
            [
                _("Requirement"),
                # Translators: what a requirement needs (the checklist's column).
                _("Needed"),
                # Translators: what the portfolio has towards a requirement.
                _("Have"),
                _("Status"),
            ],
            rows,
            classes=["cpd-requirements-table"],
            label=_("%(scheme)s: requirements") % {"scheme": scheme.title},
            nowrap={1, 2},
            stack=True,
        )
    )
    if scheme.source_title:
        out.append(source_note(scheme.source_title, scheme.source_year, scheme.source_url))
    return out


def heading(title: str, period: Period, statuses: list[Status]) -> nodes.paragraph:
    # Translators: a scheme, its period and how many requirements are met:
    # "HCPC, 1 April 2024 to 31 March 2026: 3 of 9 requirements met."
    text = _("%(scheme)s, %(period)s: %(tally)s.") % {
        "scheme": title,
        "period": period.label(_),
        "tally": tally(statuses, _),
    }
    return nodes.paragraph(text, text, classes=["cpd-requirements-summary"])


def row(context: Context, status: Status, period: Period) -> list[Any]:
    requirement = status.requirement
    title: list[Node] = [nodes.Text(requirement.title)]
    target = where_shown(context, requirement)
    if target is not None:
        title = [context.page_link(target, requirement.title)]
    label = status.to_go(_)
    classes = ["cpd-met"] if status.met else ["cpd-unmet"]
    if not status.met and period.end is not None and period.end < context.today:
        # The period is over and this was not done: it stands out the most.
        classes.append("cpd-overdue")
        # Translators: a requirement not met by the end of its period, then what it lacks.
        label = _("overdue: %(status)s") % {"status": label}
    marker: nodes.Node = nodes.inline(label, label, classes=classes)
    if not status.met:
        marker = nodes.strong("", "", marker)
    return [title, status.needed_text(_), status.have_text(_), [marker]]


def where_shown(context: Context, requirement: Requirement) -> str | None:
    """The page that holds what a requirement counts."""
    if requirement.kind == "words":
        page = requirement.page or ""
        return page if page in context.domain.data["order"] else None
    if requirement.kind == "declaration":
        return None
    return context.page_holding(*SHOWN_BY.get(requirement.count or requirement.kind, ()))


def source_note(title: str, year: str, url: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["cpd-note", "cpd-scheme-source"])
    cited = f"{title} ({year})" if year else title
    source: Node = nodes.Text(cited)
    if url.startswith("https://"):
        source = nodes.reference(cited, cited, refuri=url)
    # Translators: the publication a scheme's requirements are taken from.
    text = _("From %(source)s. Check the current guidance before you submit.")
    para.extend(sentence(text, source=source))
    return para


class FeedbackDirective(ListingDirective):
    kind = "feedback"


def render_feedback(context: Context, spec: dict[str, Any]) -> list[Node]:
    records = sorted(context.records("feedback"), key=lambda r: r.chronological())
    if not records:
        return [note(_("No feedback recorded yet."))]
    rows = []
    for record in records:
        data = record.of(FeedbackData)
        on = context.domain.lookup(data.on) if data.on else None
        about: list[Node] | str = [context.link(on)] if on is not None else "\u2014"
        rows.append(
            [
                record.date.isoformat() if record.date else "",
                # Translators: who gave feedback, when they are not named.
                [context.link(record, data.giver or _("anonymous"))],
                about,
            ]
        )
    return [
        table(
            [
                _("Date"),
                # Translators: who gave the feedback.
                _("From"),
                # Translators: the record the feedback is about.
                _("On"),
            ],
            rows,
            classes=["cpd-feedback-table"],
            label=_("Feedback"),
            nowrap={0},
            stack=True,
        )
    ]
