"""``cpd-ratings``: each rated criterion's first and latest score, and the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd import charts
from sphinx_cpd.appearance import print_colours
from sphinx_cpd.catalogues import catalogue
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import RatingData
from sphinx_cpd.listings.base import Context, ListingDirective, note, table

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class RatingsDirective(ListingDirective):
    kind = "ratings"
    help: ClassVar[dict[str, str]] = {"framework": "Only criteria of this framework."}

    def read_options(self) -> dict[str, Any]:
        return {"framework": self.framework_option(required=False)}


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    wanted = spec.get("framework")
    by_criterion: dict[str, list[tuple[Record, int]]] = {}
    for record in context.records("rating"):
        reference, score = record.of(RatingData).criterion, record.of(RatingData).score
        if not reference or record.date is None or score is None:
            continue
        if wanted and not reference.startswith(f"{wanted}:"):
            continue
        by_criterion.setdefault(reference, []).append((record, score))
    if not by_criterion:
        return [note(_("No self-ratings recorded yet."))]
    frameworks = catalogue(context.app.config).frameworks
    order = {
        f"{fw.id}:{c.code}": (n, m)
        for n, fw in enumerate(frameworks.values())
        for m, c in enumerate(fw.criteria)
    }
    rows = []
    pairs: dict[str, list[charts.Pair]] = {}
    for reference in sorted(by_criterion, key=lambda ref: order.get(ref, (len(order), 0))):
        ratings = sorted(
            by_criterion[reference], key=lambda r: (r[0].date, r[0].docname, r[0].position)
        )
        (first, first_score), (latest, latest_score) = ratings[0], ratings[-1]
        change = latest_score - first_score
        assert first.date is not None and latest.date is not None
        rows.append(
            [
                context.criterion_text(reference),
                [context.link(first, f"{first_score} ({first.date.isoformat()})")],
                [context.link(latest, f"{latest_score} ({latest.date.isoformat()})")],
                f"{change:+d}" if len(ratings) > 1 else "",
            ]
        )
        framework_id, _colon, code = reference.partition(":")
        if framework_id in frameworks:
            label = f"{frameworks[framework_id].short} {code}"
            pairs.setdefault(framework_id, []).append(charts.Pair(label, first_score, latest_score))
    figure = nodes.container(classes=["cpd-ratings-figure"])
    figure += table(
        [
            _("Criterion"),
            # Translators: a criterion's first self-rating (also the key of its chart).
            _("First"),
            # Translators: a criterion's latest self-rating.
            _("Latest"),
            _("Change"),
        ],
        rows,
        classes=["cpd-ratings-table"],
        label=_("Self-ratings"),
        nowrap={1, 2, 3},
        stack=True,
    )
    if context.builder.format == "html" and pairs:
        style = charts.Style.of(print_colours(context.app))
        drawn = nodes.container(classes=["cpd-ratings-charts"])
        for framework_id, framework_pairs in pairs.items():
            framework = frameworks[framework_id]
            words = "; ".join(
                _("%(criterion)s: first %(first)s, latest %(latest)s")
                % {"criterion": pair.label, "first": pair.first, "latest": pair.latest}
                for pair in framework_pairs
            )
            svg = charts.paired_dots(
                framework_pairs,
                framework.scale.min,
                framework.scale.max,
                _("Self-ratings against %(framework)s, first (hollow) and latest (filled)")
                % {"framework": framework.title},
                words + ".",
                style,
            )
            drawn += charts.raw(svg)
        figure += drawn
    return [figure]
