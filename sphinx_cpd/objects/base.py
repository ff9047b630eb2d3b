"""What every CPD object directive shares: reading its kind's options, the checks,
the record and its nodes.

An object's options are read from its kind's description (:mod:`sphinx_cpd.kinds`):
the directive's ``option_spec`` and the parsing of each value come from there,
and a subclass adds only what depends on other values or on the configuration
(:meth:`CPDObject.check`), its details and its body. An object renders as plain
docutils structures (a container with ``cpd-*`` classes, a rubric for its title,
a field list for its details, then its body), so that every builder can show
it; HTML-only polish belongs to the theme.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.typing import OptionSpec

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import criterion_problem, normalise_criterion
from sphinx_cpd.directive import CPDDirective
from sphinx_cpd.domain import CPDDomain, get_domain
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import ObjectData, Record, card_class
from sphinx_cpd.model import InputError, derive_id, kind_name, parse_list
from sphinx_cpd.objects.render import field_list, join, object_header, shown_text, text, xref
from sphinx_cpd.objects.stack import MAX_DEPTH, decide_visibility, stack
from sphinx_cpd.options import COMMON, options
from sphinx_cpd.visibility import visibility_message, visible

if TYPE_CHECKING:
    from docutils.nodes import Node

D = TypeVar("D", bound=ObjectData)

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _unusable(value: object) -> bool:
    """An option value with a line break or a control character (a YAML option
    block can hold them); it would break exports and calendars."""
    return isinstance(value, str) and _CONTROL.search(value.strip()) is not None


def prose_text(node: nodes.Node) -> str:
    """A body's text for exports: without comments or raw markup, which are the
    author's notes and the output's plumbing, not what the object says."""
    copy = node.deepcopy()
    for skipped in list(copy.findall(lambda n: isinstance(n, (nodes.comment, nodes.raw)))):
        skipped.parent.remove(skipped)
    return copy.astext()


def spec_of(kind: type[ObjectData]) -> OptionSpec:
    """A directive's ``option_spec``: the common options and its kind's own."""
    spec: OptionSpec = {o.name: directives.unchanged for o in COMMON}
    for _name, described in options(kind):
        for name in (described.name, *described.aliases):
            spec[name] = directives.unchanged
    return spec


class CPDObject(CPDDirective, Generic[D]):
    """Base of the object directives; subclasses fill in their checks, details and body."""

    #: The kind's description; its options make the ``option_spec``.
    data_class: type[D]
    has_content = True
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec: ClassVar[OptionSpec]
    #: Visibility when neither the object nor its page sets one; None means
    #: ``cpd_default_visibility``.
    default_visibility: ClassVar[str | None] = None

    record: Record

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "data_class" in cls.__dict__:
            cls.option_spec = spec_of(cls.data_class)

    @property
    def kind(self) -> str:
        return self.data_class.kind

    # -- helpers for subclasses -------------------------------------------------

    def local_file(self, name: str, value: str) -> Path | None:
        """A file named by an option: a path inside the portfolio's folder, or None
        (with a warning) when it is outside, even through a link."""
        found = self.env.relfn2path(value, self.env.docname)[1]
        try:
            path = Path(found).resolve()
            path.is_file()
        except OSError as exc:  # a name too long for the file system, say
            self.warn("file", f"{self.describe()}: {name} {value[:80]!r} cannot be used ({exc})")
            return None
        if not path.is_relative_to(Path(self.env.srcdir).resolve()):
            self.warn(
                "file",
                f"{self.describe()}: {name} {value!r} is outside the portfolio's folder; "
                "only files inside it are published",
            )
            return None
        return path

    def known(
        self, value: str | None, choices: Collection[str], name: str, hint: str
    ) -> str | None:
        """A value that must be one of ``choices`` (in any case), or None and a warning."""
        if value is None or value.lower() in choices:
            return value.lower() if value else None
        self.warn(name, f"{self.describe()}: unknown :{name}: {value!r}; {hint}")
        return None

    def describe(self) -> str:
        title = self.title_text()
        return f"{self.kind} {title!r}" if title else self.kind

    @property
    def domain(self) -> CPDDomain:
        return get_domain(self.env)

    def enclosing(self, kind: str) -> Record | None:
        return next((r for r in reversed(stack(self.env)) if r.kind == kind), None)

    # -- reading the options --------------------------------------------------------

    def read_data(self) -> D:
        """The kind's options, each read by its own parser; then :meth:`check`."""
        values: dict[str, object] = {}
        for name, described in options(self.data_class):
            written = [self.option(n) for n in (described.name, *described.aliases)]
            text = next((w for w in written if w is not None), None)
            if text is None:
                if described.required:
                    wanted = described.help.removeprefix("Required. ")
                    self.warn(
                        described.warning,
                        f"{self.describe()} has no :{described.name}:; add it: {wanted}",
                    )
                continue
            if described.parse is None:
                values[name] = text
                continue
            try:
                values[name] = described.parse(text, described.name)
            except InputError as exc:
                self.warn(described.warning, f"{self.describe()}: {exc}")
        data = self.data_class(**values)
        self.check(data)
        return data

    # -- what subclasses provide --------------------------------------------------

    def title_text(self) -> str:
        return " ".join(self.arguments[0].split()) if self.arguments else ""

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return (self.option("date"), self.title_text())

    def check(self, data: D) -> None:
        """Checks across values or against the configuration; may change ``data``."""

    def details(self, data: D) -> list[tuple[str, list[Node]]]:
        """A row for each labelled option (see :mod:`sphinx_cpd.kinds`): shown by the
        directive's ``show_<field>`` method where it has one, else as text."""
        rows: list[tuple[str, list[Node]]] = []
        for name, described in options(self.data_class):
            if described.label is None:
                continue
            value = getattr(data, name)
            show = getattr(self, f"show_{name}", None)
            if show is not None:
                content: list[Node] = show(value, data)
            elif value in (None, ()):
                continue
            else:
                content = text(shown_text(value))
            if content:
                rows.append((_(described.label), content))
        return rows

    def body(self, node: nodes.Element) -> None:
        """Parse the content into ``node``; objects with structured bodies override."""
        container = nodes.container(classes=["cpd-body"])
        self.state.nested_parse(self.content, self.content_offset, container)
        if len(container):
            node += container

    def finish(self, record: Record, node: nodes.Element) -> None:
        """Anything to do once the body is parsed (checks across the body)."""

    # -- the common run ---------------------------------------------------------------

    def run(self) -> list[Node]:
        decision = decide_visibility(self, self.default_visibility)
        if not visible(decision.visibility, cpd_config.read(self.config).audience):
            # Nothing of it is parsed: its body never reaches the document.
            self.domain.note_withheld(self.env.docname, 1)
            return []
        if message := visibility_message(decision):
            self.warn("visibility", f"{self.describe()}: {message}")
        if len(stack(self.env)) >= MAX_DEPTH:
            self.warn(
                "nesting",
                f"{self.describe()} is nested more than {MAX_DEPTH} objects deep; it is left out",
            )
            return []
        for name in [name for name, value in self.options.items() if _unusable(value)]:
            self.warn(
                "option",
                f"{self.describe()}: :{name}: holds a line break or control character; "
                "write it on one line (it is ignored until then)",
            )
            del self.options[name]
        title = self.title_text()
        if _CONTROL.search(title):
            self.warn("option", f"{self.describe()}: the title holds control characters; removed")
            title = _CONTROL.sub("", title)
        record = self.make_record(title, decision.visibility)
        node = nodes.container(classes=["cpd-card", card_class(self.kind)], ids=[record.anchor])
        self.set_source_info(node)
        header: list[Node] = [self.title_node(record)]
        rows = self.details(record.of(self.data_class)) + self.common_rows(record)
        if rows:
            header.append(field_list(rows))
        node += object_header(header)
        stack(self.env).append(record)
        try:
            self.body(node)
        finally:
            stack(self.env).pop()
        record.text = "\n\n".join(
            prose_text(child)
            for child in node.children
            if isinstance(child, nodes.container) and "cpd-body" in child["classes"]
        )
        self.finish(record, node)
        return [node]

    def make_record(self, title: str, visibility: str) -> Record:
        data = self.read_data()
        explicit = self.option("id")
        if explicit is not None and not _ID.match(explicit):
            self.warn(
                "id",
                f"{self.describe()}: :id: {explicit!r} may hold only letters, digits, "
                "'.', '_' and '-', and must start with a letter or digit",
            )
            explicit = None
        base_id = explicit or derive_id(*self.derived_id_parts())
        docname = self.env.docname
        position = self.domain.next_position(docname)
        enclosing = self.enclosing("reflection")
        record = Record(
            kind=self.kind,
            docname=docname,
            lineno=self.lineno,
            position=position,
            anchor=self.anchor(base_id, position),
            base_id=base_id,
            explicit=explicit is not None,
            title=title,
            data=data,
            tags=parse_list(self.option("tags")),
            criteria=self.read_criteria(),
            visibility=visibility,
            parent=enclosing.position if enclosing is not None else None,
        )
        self.domain.add_record(record)
        self.record = record
        return record

    def anchor(self, base_id: str, position: int) -> str:
        anchor = nodes.make_id(f"cpd-{self.env.docname}-{base_id}")
        taken = {r.anchor for r in self.domain.records.get(self.env.docname, ())}
        return anchor if anchor not in taken else f"{anchor}-{position}"

    def title_node(self, record: Record) -> nodes.Element:
        text = record.title or kind_name(self.kind)
        rubric = nodes.rubric(text, "", classes=["cpd-title"])
        label = self.label()
        if label:
            rubric += nodes.inline(label, label, classes=["cpd-kind"])
            rubric += nodes.Text(" ")
        rubric += nodes.inline(text, text, classes=["cpd-title-text"])
        return rubric

    def label(self) -> str:
        # Translators: a card's kind before its title, as in "Event: Conference day".
        return _("%(kind)s:") % {"kind": kind_name(self.kind)}

    def read_criteria(self) -> tuple[str, ...]:
        criteria: list[str] = []
        for item in parse_list(self.option("criteria")):
            reference = normalise_criterion(item)
            problem = criterion_problem(self.env, reference)
            if problem:
                self.warn(problem[0], f"{self.describe()}: {problem[1]}")
                continue
            criteria.append(reference)
        return tuple(criteria)

    def common_rows(self, record: Record) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if record.criteria:
            rows.append((_("Criteria"), join([xref("criterion", c) for c in record.criteria])))
        if record.tags:
            rows.append(
                (_("Tags"), join([nodes.inline(t, t, classes=["cpd-tag"]) for t in record.tags]))
            )
        return rows
