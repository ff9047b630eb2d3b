"""The generated listings, and filling them in when a page is resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.kinds import KINDS
from sphinx_cpd.listings import (
    actions,
    credits,
    dashboard,
    hours,
    log,
    matrix,
    ratings,
    requirements,
    timeline,
)
from sphinx_cpd.listings.base import Context, ListingDirective, listing
from sphinx_cpd.model import build_date
from sphinx_cpd.requirements import check_pages
from sphinx_cpd.wordcount import COUNTING_ONLY

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes
    from docutils.nodes import Node
    from sphinx.application import Sphinx

#: Directive name -> (directive, renderer).
LISTINGS: dict[
    str, tuple[type[ListingDirective], Callable[[Context, dict[str, Any]], list[Node]]]
] = {
    "cpd-log": (log.LogDirective, log.render),
    "cpd-hours": (hours.HoursDirective, hours.render),
    "cpd-matrix": (matrix.MatrixDirective, matrix.render),
    "cpd-credits": (credits.CreditsDirective, credits.render),
    "cpd-actions": (actions.ActionsDirective, actions.render),
    "cpd-timeline": (timeline.TimelineDirective, timeline.render),
    "cpd-ratings": (ratings.RatingsDirective, ratings.render),
    "cpd-dashboard": (dashboard.DashboardDirective, dashboard.render),
    "cpd-requirements": (requirements.RequirementsDirective, requirements.render),
    "cpd-feedback": (requirements.FeedbackDirective, requirements.render_feedback),
}
RENDERERS = {directive.kind: render for directive, render in LISTINGS.values()}


def setup_listings(app: Sphinx) -> None:
    for name, (directive, _) in LISTINGS.items():
        app.add_directive(name, directive)
        # In the domain without the prefix, unless an object has that name
        # (``cpd:feedback`` is the object; the listing is ``cpd:feedback-list``).
        short = name.removeprefix("cpd-")
        app.add_directive_to_domain("cpd", f"{short}-list" if short in KINDS else short, directive)
    app.add_node(listing)
    app.connect("doctree-resolved", fill_listings)
    app.connect("env-check-consistency", check_pages)


def context_for(app: Sphinx, docname: str) -> Context:
    return Context(
        app=app,
        domain=get_domain(app.env),
        builder=app.builder,
        docname=docname,
        settings=cpd_config.read(app.config),
        today=build_date(),
    )


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(listing))
    if not placeholders or docname in COUNTING_ONLY:
        return
    context = context_for(app, docname)
    for placeholder in placeholders:
        content = RENDERERS[placeholder["kind"]](context, placeholder["spec"])
        placeholder.replace_self(content)
