"""What the generated listings share: the placeholder, option checks, tables, links.

A listing directive leaves a :class:`listing` placeholder holding its checked
options, and notes its page in the domain; the placeholder is replaced by plain
docutils nodes (tables, lists) when the page is resolved, from the records of
the whole portfolio. Pages that hold listings are rewritten whenever any record
changes (see :meth:`CPDDomain.changed_views`), so listings are always current.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.nodes import make_refnode

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import catalogue, criterion_label, criterion_problem, normalise_criterion
from sphinx_cpd.directive import CPDDirective
from sphinx_cpd.domain import CPDDomain, get_domain
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import Record
from sphinx_cpd.model import (
    InputError,
    cpd_year,
    cpd_year_label,
    parse_date,
    parse_list,
)
from sphinx_cpd.tables import cell_label, scroll_region, wrap

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


class listing(nodes.General, nodes.Element):
    """Where a generated listing goes; replaced when the page is resolved."""


@dataclass
class Context:
    """What a listing needs to render on one page of one build."""

    app: Sphinx
    domain: CPDDomain
    builder: Builder
    docname: str
    settings: cpd_config.CPDConfig
    today: date

    def records(self, *kinds: str) -> Iterator[Record]:
        """Records of the given kinds, in portfolio order."""
        for record in self.domain.all_records():
            if record.kind in kinds:
                yield record

    def link(self, record: Record, text: str | None = None) -> nodes.Node:
        label = text if text is not None else (self.domain.display_title(record) or record.kind)
        return make_refnode(
            self.builder,
            self.docname,
            record.docname,
            record.anchor,
            nodes.inline(label, label),
            record.title,
        )

    def page_holding(self, *kinds: str) -> str | None:
        """The first page (in portfolio order) other than this one that holds
        one of these listings, if a page of this build does."""
        held = self.domain.data["listings"]
        for docname in self.domain.data["order"]:
            if docname != self.docname and set(kinds) & set(held.get(docname, ())):
                return str(docname)
        return None

    def page_link(self, docname: str, text: str) -> nodes.Node:
        return make_refnode(self.builder, self.docname, docname, "", nodes.inline(text, text), text)

    def criterion_text(self, reference: str) -> str:
        framework, criterion = catalogue(self.app.config).resolve(reference)
        if framework is None or criterion is None:
            return reference
        return criterion_label(framework.short, criterion.code, criterion.title)

    def year(self, day: date) -> int:
        return cpd_year(day, self.settings.year_start)

    def year_label(self, year: int) -> str:
        return cpd_year_label(year, self.settings.year_start)


class ListingDirective(CPDDirective):
    """Base of the listing directives: no argument, no content, checked options."""

    kind: ClassVar[str]
    has_content = False
    required_arguments = 0
    optional_arguments = 0
    #: Each option and what it means: the ``option_spec`` and the reference
    #: documentation are made from it.
    help: ClassVar[dict[str, str]] = {}
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.option_spec = {name: directives.unchanged for name in cls.help}

    def warning_prefix(self) -> str:
        return f"{self.name}: "

    def date_option(self, name: str) -> date | None:
        text = self.option(name)
        if text is None:
            return None
        try:
            return parse_date(text, name)
        except InputError as exc:
            self.warn("date", str(exc))
            return None

    def int_option(self, name: str, kind: str = "option") -> int | None:
        text = self.option(name)
        if text is None:
            return None
        if not text.isdigit():
            self.warn(kind, f":{name}: {text!r} is not a whole number")
            return None
        return int(text)

    def criteria_option(self, name: str = "criteria") -> list[str]:
        found = []
        for item in parse_list(self.option(name)):
            reference = normalise_criterion(item)
            problem = criterion_problem(self.env, reference)
            if problem:
                self.warn(problem[0], problem[1])
            else:
                found.append(reference)
        return found

    def framework_option(self, *, required: bool) -> str | None:
        text = self.option("framework")
        frameworks = catalogue(self.config).frameworks
        if text is None:
            if required:
                self.warn(
                    "framework",
                    "needs :framework:, one of " + ", ".join(sorted(frameworks)),
                )
            return None
        if text.lower() not in frameworks:
            self.warn(
                "framework",
                f"unknown framework {text!r}; frameworks in this portfolio: "
                + ", ".join(sorted(frameworks)),
            )
            return None
        return text.lower()

    def read_options(self) -> dict[str, Any]:
        return {}

    def run(self) -> list[Node]:
        spec = self.read_options()
        node = listing(kind=self.kind, spec=spec, classes=["cpd-listing", f"cpd-{self.kind}"])
        self.set_source_info(node)
        get_domain(self.env).note_listing(self.env.docname, self.kind)
        return [node]


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    classes: Sequence[str] = (),
    footer: Sequence[Sequence[Node] | str] | None = None,
    label: str | None = None,
    nowrap: Collection[int] = (),
    stack: bool = False,
) -> scroll_region:
    """A plain docutils table, which every builder can render, in a scroll region.

    Columns in ``nowrap`` (dates, hours) never break inside a cell. A ``stack``
    table shows each row as a small card with its labels on a phone, so that no
    column that matters is off-screen (the labels are for the website only).
    ``label`` names the table for assistive technology.
    """
    tab = nodes.table(classes=["cpd-table", *classes, *(["cpd-stack"] if stack else [])])
    group = nodes.tgroup(cols=len(headers))
    tab += group
    head = nodes.thead()
    head += _row(headers, nowrap=nowrap)
    body = nodes.tbody()
    for row in rows:
        body += _row(row, nowrap=nowrap, labels=headers if stack else None)
    if footer is not None:
        body += _row(
            footer, classes=["cpd-total"], nowrap=nowrap, labels=headers if stack else None
        )
    # Plain-text and LaTeX output size columns by these widths; HTML ignores them.
    widths = [len(header) for header in headers]
    for body_row in body.findall(nodes.row):
        for n, entry in enumerate(body_row.findall(nodes.entry)):
            widths[n] = max(widths[n], len(entry.astext()))
    for width in widths:
        # Room for the text builder's markup around strong text (``**Gap**``).
        group += nodes.colspec(colwidth=max(6, min(width + 4, 40)))
    group += head
    group += body
    return wrap(tab, label if label is not None else _("Table"))


def _row(
    cells: Sequence[Sequence[Node] | str],
    classes: Sequence[str] = (),
    nowrap: Collection[int] = (),
    labels: Sequence[str] | None = None,
) -> nodes.row:
    row = nodes.row(classes=list(classes))
    for n, cell in enumerate(cells):
        entry = nodes.entry(classes=["cpd-nowrap"] if n in nowrap else [])
        para = nodes.paragraph()
        value: nodes.Element = para
        if labels is not None:
            para += cell_label(labels[n], labels[n])
            value = nodes.inline(classes=["cpd-cell-value"])
            para += value
        if isinstance(cell, str):
            value += nodes.Text(cell)
        else:
            value.extend(cell)
        entry += para
        row += entry
    return row


def note(text: str, classes: Sequence[str] = ()) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=["cpd-note", *classes])


#: Option spec entries shared by several listings.
FILTER_HELP: dict[str, str] = {
    "from": "Only events on or after this date.",
    "to": "Only events on or before this date.",
}
