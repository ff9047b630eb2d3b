"""``cpd-matrix``: a framework's criteria against the objects mapped to them, with gaps."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.catalogues import catalogue
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import KINDS, RatingData
from sphinx_cpd.listings.base import Context, ListingDirective, note, table
from sphinx_cpd.model import kind_name
from sphinx_cpd.objects.render import join

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.catalogues.frameworks import Criterion, Framework
    from sphinx_cpd.kinds import Record


class MatrixDirective(ListingDirective):
    kind = "matrix"
    help: ClassVar[dict[str, str]] = {
        "framework": "Required. The framework whose criteria form the rows."
    }

    def read_options(self) -> dict[str, Any]:
        return {"framework": self.framework_option(required=True)}


def mapped(record: Record) -> tuple[str, ...]:
    """The criteria a record shows evidence for, each once. A rating is left
    out: a self-rating says where you stand on a criterion, not what shows it
    (the matrix names it beside the evidence, uncounted)."""
    if record.kind == "rating":
        return ()
    return tuple(dict.fromkeys(record.criteria))


def row_label(criterion: Criterion) -> str:
    """A criterion as its row names it: with its number where it has one
    (``1 Personal performance``), by its title alone where its code is a word
    (PKSB's ``ethics``)."""
    if criterion.title == criterion.code:
        return criterion.code
    numbered = criterion.code.replace(".", "").isdigit()
    return f"{criterion.code} {criterion.title}" if numbered else criterion.title


def self_ratings(context: Context, framework: Framework) -> dict[str, Record]:
    """The latest self-rating of each criterion of ``framework``."""
    latest: dict[str, Record] = {}
    prefix = f"{framework.id}:"
    for record in sorted(context.records("rating"), key=lambda r: r.chronological()):
        criterion = record.of(RatingData).criterion or ""
        if criterion.startswith(prefix):
            latest[criterion[len(prefix) :]] = record
    return latest


def coverage(context: Context, framework: Framework) -> list[tuple[Criterion, list[Record]]]:
    """Each criterion of ``framework`` with what is mapped to it, by kind; shared
    with the dashboard's heat strip."""
    by_criterion: dict[str, list[Record]] = defaultdict(list)
    prefix = f"{framework.id}:"
    for record in context.domain.all_records():
        for reference in mapped(record):
            if reference.startswith(prefix):
                by_criterion[reference[len(prefix) :]].append(record)
    return [
        (criterion, sorted(by_criterion.get(criterion.code, []), key=lambda r: KINDS.index(r.kind)))
        for criterion in framework.criteria
    ]


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    framework = catalogue(context.app.config).frameworks.get(spec.get("framework") or "")
    if framework is None:
        return [note(_("Choose a framework for this matrix with :framework:."))]
    rows = []
    gaps = 0
    rated = self_ratings(context, framework)
    for criterion, records in coverage(context, framework):
        label = row_label(criterion)
        indent = "\u2003" * criterion.depth
        rating = rated.get(criterion.code)
        note_of_rating: list[Node] = []
        if rating is not None:
            score = rating.of(RatingData).score
            # Translators: a criterion's latest self-rating on the framework's scale.
            text = _("self-rated %(score)s of %(max)s") % {
                "score": score,
                "max": framework.scale.max,
            }
            note_of_rating = [
                nodes.Text(" (" if records else ""),
                nodes.inline("", "", context.link(rating, text), classes=["cpd-matrix-rating"]),
                nodes.Text(")" if records else ""),
            ]
        if records:
            groups: list[Node] = []
            for kind in KINDS:
                of_kind = [r for r in records if r.kind == kind]
                if not of_kind:
                    continue
                line = nodes.inline(classes=["cpd-matrix-group"])
                line += nodes.emphasis(kind, kind_name(kind))
                line += nodes.Text(": ")
                line.extend(join([context.link(r) for r in of_kind]))
                if groups:
                    groups.append(nodes.Text("; "))
                groups.append(line)
            rows.append([indent + label, [*groups, *note_of_rating], str(len(records))])
        else:
            gaps += 1
            # Translators: a criterion with nothing mapped to it.
            gap_word = _("Gap")
            gap: list[Node] = [nodes.strong(gap_word, gap_word, classes=["cpd-gap"])]
            if note_of_rating:
                gap += [nodes.Text("; "), *note_of_rating]
            rows.append([indent + label, gap, "0"])
    total = len(framework.criteria)
    numbers = {"framework": framework.title, "gaps": gaps, "total": total}
    summary = (
        _("%(framework)s: %(gaps)s of %(total)s criteria have nothing mapped yet.")
        if gaps
        else _("%(framework)s: All %(total)s criteria have something mapped.")
    ) % numbers
    return [
        note(summary, classes=["cpd-matrix-summary"]),
        table(
            [
                _("Criterion"),
                # Translators: what is mapped to a criterion (evidence, events ...).
                _("Mapped"),
                _("Count"),
            ],
            rows,
            classes=["cpd-matrix-table"],
            label=_("Evidence matrix: %(framework)s") % {"framework": framework.short},
            nowrap={2},
        ),
    ]
