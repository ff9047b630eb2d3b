"""What every CPD object directive shares: options, checks, the record and its nodes.

An object renders as plain docutils structures (a container with ``cpd-*``
classes, a rubric for its title, a field list for its details, then its body), so
that every builder can show it; HTML-only polish belongs to the theme.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import criterion_problem, normalise_criterion
from sphinx_cpd.domain import CPDDomain, get_domain
from sphinx_cpd.model import (
    InputError,
    Kind,
    Record,
    derive_id,
    parse_choice,
    parse_date,
    parse_list,
    safe_url,
)
from sphinx_cpd.visibility import (
    Decision,
    decide,
    key_problem,
    option_keys,
    visibility_message,
    visible,
)

if TYPE_CHECKING:
    from docutils.nodes import Node

logger = logging.getLogger(__name__)
T = TypeVar("T")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

#: Options every object takes.
COMMON_OPTIONS: dict[str, Callable[[str], Any]] = {
    "id": directives.unchanged,
    "tags": directives.unchanged,
    "criteria": directives.unchanged,
    "visibility": directives.unchanged,
}

#: Temporary per-document state: the stack of objects being parsed, so that a
#: stage or an action knows the reflection it sits in.
STACK_KEY = "cpd:stack"
#: Objects nested deeper than this are refused: no portfolio needs it, and an
#: attacker's page of a hundred nested reflections must not exhaust the stack.
MAX_DEPTH = 8
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _unusable(value: Any) -> bool:
    """An option value with a line break or a control character (a YAML option
    block can hold them); it would break exports and calendars."""
    return isinstance(value, str) and _CONTROL.search(value.strip()) is not None


def decide_visibility(directive: SphinxDirective, kind_default: str | None) -> Decision:
    """The narrowest of a directive's own visibility (or its kind's default), its
    page's and its parent's; private when its options are in doubt.

    The same rule withheld the block before parsing (:mod:`sphinx_cpd.withhold`);
    deciding again here keeps the promise for objects that reached the parser
    some other way (a substitution, raw HTML that MyST parses, a table cell).
    """
    env = directive.env
    scan = get_domain(env).scan
    source = directive.get_source_info()[0]
    if scan is not None:
        page = scan.page_visibility(env.docname, source, directive.config.source_encoding)
    else:
        page = cpd_config.read(directive.config).default_visibility
    stack: list[Record] = env.current_document.get(STACK_KEY) or []
    parent = stack[-1] if stack else None
    # What was written, as the scanner reads it: the first line is the directive's.
    written = directive.block_text.split("\n", 1)[1] if "\n" in directive.block_text else ""
    myst = type(directive.state).__module__.startswith("myst_parser")
    if not myst:
        written = textwrap.dedent(written)
    return decide(
        directive.options.get("visibility"),
        kind_default=kind_default,
        page=page,
        parent=parent.visibility if parent else None,
        parent_kind=parent.kind if parent else None,
        doubt=key_problem(option_keys(written, myst=myst), myst=myst),
    )


def enclosing_visibility(env: Any) -> str | None:
    """The visibility of the innermost object being parsed, if any."""
    stack: list[Record] = env.current_document.get(STACK_KEY) or []
    return stack[-1].visibility if stack else None


def prose_text(node: nodes.Node) -> str:
    """A body's text for exports: without comments or raw markup, which are the
    author's notes and the output's plumbing, not what the object says."""
    copy = node.deepcopy()
    for skipped in list(copy.findall(lambda n: isinstance(n, (nodes.comment, nodes.raw)))):
        skipped.parent.remove(skipped)
    return copy.astext()


def format_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


class CPDObject(SphinxDirective):
    """Base of the object directives; subclasses fill in their details and body."""

    kind: ClassVar[Kind]
    has_content = True
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = dict(COMMON_OPTIONS)

    record: Record

    # -- helpers for subclasses -------------------------------------------------

    def warn(self, kind: str, message: str, lineno: int | None = None) -> None:
        logger.warning(
            message,
            type="cpd",
            subtype=kind,
            location=(self.env.docname, lineno or self.lineno),
        )

    def option(self, name: str) -> str | None:
        value = self.options.get(name)
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def parse(self, name: str, parser: Callable[[str], T], kind: str) -> T | None:
        """The option parsed, or None (and a warning) when it cannot be used."""
        text = self.option(name)
        if text is None:
            return None
        try:
            return parser(text)
        except InputError as exc:
            self.warn(kind, f"{self.describe()}: {exc}")
            return None

    def date_option(self, name: str = "date", *, required: bool = False) -> date | None:
        if required and self.option(name) is None:
            self.warn(
                "date",
                f"{self.describe()} has no :{name}:; add :{name}: YYYY-MM-DD (the day it happened)",
            )
            return None
        return self.parse(name, lambda text: parse_date(text, name), "date")

    def url_option(self, name: str) -> str | None:
        """An address option, if it may be linked (http, https, mailto)."""
        text = self.option(name)
        if text is not None and safe_url(text) is None:
            self.warn(
                "url",
                f"{self.describe()}: :{name}: {text!r} is not an http, https or mailto "
                "address; it is shown as text, not linked",
            )
        return safe_url(text)

    def local_file(self, name: str, value: str) -> Path | None:
        """A file named by an option: a path inside the portfolio's folder, or None
        (with a warning) when it is outside, even through a link."""
        _, found = self.env.relfn2path(value, self.env.docname)
        path = Path(found).resolve()
        if not path.is_relative_to(Path(self.env.srcdir).resolve()):
            self.warn(
                "file",
                f"{self.describe()}: {name} {value!r} is outside the portfolio's folder; "
                "only files inside it are published",
            )
            return None
        return path

    def choice(self, name: str, choices: Sequence[str], kind: str) -> str | None:
        return self.parse(name, lambda text: parse_choice(text, name, tuple(choices)), kind)

    def describe(self) -> str:
        title = self.title_text()
        return f"{self.kind} {title!r}" if title else self.kind

    @property
    def domain(self) -> CPDDomain:
        return get_domain(self.env)

    def stack(self) -> list[Record]:
        current = self.env.current_document
        if STACK_KEY not in current:
            current[STACK_KEY] = []
        stack: list[Record] = current[STACK_KEY]
        return stack

    def enclosing(self, kind: str) -> Record | None:
        return next((r for r in reversed(self.stack()) if r.kind == kind), None)

    # -- what subclasses provide --------------------------------------------------

    def title_text(self) -> str:
        return " ".join(self.arguments[0].split()) if self.arguments else ""

    def derived_id_parts(self) -> tuple[Any, ...]:
        return (self.option("date"), self.title_text())

    def read_options(self) -> dict[str, Any]:
        """Check the kind's own options; returns the values the record keeps."""
        return {}

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        """The rows of the details list: (label, content)."""
        return []

    def body(self, node: nodes.Element) -> None:
        """Parse the content into ``node``; objects with structured bodies override."""
        container = nodes.container(classes=["cpd-body"])
        self.state.nested_parse(self.content, self.content_offset, container)
        if len(container):
            node += container

    def finish(self, record: Record, node: nodes.Element) -> None:
        """Anything to do once the body is parsed (checks across the body)."""

    # -- the common run ---------------------------------------------------------------

    #: Visibility when neither the object nor its page sets one; None means
    #: ``cpd_default_visibility``.
    default_visibility: ClassVar[str | None] = None

    def run(self) -> list[Node]:
        decision = decide_visibility(self, self.default_visibility)
        if not visible(decision.visibility, cpd_config.read(self.config).audience):
            # Nothing of it is parsed: its body never reaches the document.
            self.domain.note_withheld(self.env.docname, 1)
            return []
        if message := visibility_message(decision):
            self.warn("visibility", f"{self.describe()}: {message}")
        if len(self.stack()) >= MAX_DEPTH:
            self.warn(
                "nesting",
                f"{self.describe()} is nested more than {MAX_DEPTH} objects deep; it is left out",
            )
            return []
        unusable = [name for name, value in self.options.items() if _unusable(value)]
        for name in unusable:
            self.warn(
                "option",
                f"{self.describe()}: :{name}: holds a line break or control character; "
                "write it on one line (it is ignored until then)",
            )
            del self.options[name]
        docname = self.env.docname
        domain = self.domain
        title = self.title_text()
        if _CONTROL.search(title):
            self.warn("option", f"{self.describe()}: the title holds control characters; removed")
            title = _CONTROL.sub("", title)
        options = self.read_options()
        tags = parse_list(self.option("tags"))
        criteria = self.read_criteria()
        explicit = self.option("id")
        if explicit is not None and not _ID.match(explicit):
            self.warn(
                "id",
                f"{self.describe()}: :id: {explicit!r} may hold only letters, digits, "
                "'.', '_' and '-', and must start with a letter or digit",
            )
            explicit = None
        base_id = explicit or derive_id(*self.derived_id_parts())
        position = domain.next_position(docname)
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
            date=options.pop("date", None),
            options=options,
            tags=tags,
            criteria=criteria,
            visibility=decision.visibility,
            parent=enclosing.position if enclosing is not None else None,
            events=tuple(options.pop("events", ())),
        )
        domain.add_record(record)
        self.record = record

        node = nodes.container(classes=["cpd-object", f"cpd-{self.kind}"], ids=[record.anchor])
        self.set_source_info(node)
        header: list[Node] = [self.title_node(record)]
        rows = self.details(dict(options, date=record.date, events=record.events))
        rows += self.common_rows(record)
        if rows:
            header.append(field_list(rows))
        node += object_header(header)
        self.stack().append(record)
        try:
            self.body(node)
        finally:
            self.stack().pop()
        record.text = "\n\n".join(
            prose_text(child)
            for child in node.children
            if isinstance(child, nodes.container) and "cpd-body" in child["classes"]
        )
        self.finish(record, node)
        return [node]

    def anchor(self, base_id: str, position: int) -> str:
        anchor = nodes.make_id(f"cpd-{self.env.docname}-{base_id}")
        taken = {r.anchor for r in self.domain.records.get(self.env.docname, ())}
        return anchor if anchor not in taken else f"{anchor}-{position}"

    def title_node(self, record: Record) -> nodes.Element:
        text = record.title or self.kind.capitalize()
        rubric = nodes.rubric(text, "", classes=["cpd-title"])
        label = self.label()
        if label:
            rubric += nodes.inline(label, label, classes=["cpd-kind"])
            rubric += nodes.Text(" ")
        rubric += nodes.inline(text, text, classes=["cpd-title-text"])
        return rubric

    def label(self) -> str:
        return f"{self.kind.capitalize()}:"

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
            rows.append(("Criteria", join([xref("criterion", c) for c in record.criteria])))
        if record.tags:
            rows.append(
                ("Tags", join([nodes.inline(t, t, classes=["cpd-tag"]) for t in record.tags]))
            )
        return rows

    def event_refs(self, option: str = "event") -> list[str]:
        return list(parse_list(self.option(option)))


class object_header(nodes.General, nodes.Element):
    """Nodes made from an object's options (its title and details), held aside.

    They are the object's own data, not prose: keeping them out of the tree
    until the document has been read spares them the parse-time transforms
    (smart quotes, source fixes), which otherwise cost more than the rest of
    reading an object. :class:`ExpandGenerated` puts them in place.
    """

    def __init__(self, content: list[Node]) -> None:
        super().__init__()
        self["content"] = content


class ExpandGenerated(SphinxTransform):
    """Put held-aside titles and details in place: after the costly parse-time
    transforms, before the domain collects the references they hold (850)."""

    default_priority = 845

    def apply(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(object_header)):
            placeholder.replace_self(placeholder["content"])


def xref(reftype: str, target: str, text: str | None = None) -> addnodes.pending_xref:
    """A reference to a CPD object (or criterion), resolved by the domain."""
    node = addnodes.pending_xref(
        "",
        refdomain="cpd",
        reftype=reftype,
        reftarget=target,
        refexplicit=text is not None,
        refwarn=False,
    )
    node += nodes.inline(target, text or target, classes=["xref", "cpd", f"cpd-{reftype}"])
    return node


def badge(label: str, *classes: str) -> nodes.inline:
    """A short label in a pill; sphinx-design's badge shape, our colours."""
    return nodes.inline(label, label, classes=["cpd-badge", "sd-badge", *classes])


def join(items: Sequence[Node], separator: str = ", ") -> list[Node]:
    out: list[Node] = []
    for n, item in enumerate(items):
        if n:
            out.append(nodes.Text(separator))
        out.append(item)
    return out


def text(value: str) -> list[Node]:
    return [nodes.Text(value)]


def link(url: str | None, label: str | None = None) -> list[Node]:
    """A link to a safe address; anything else is shown as text, never linked."""
    safe = safe_url(url)
    shown = label or url or ""
    if safe is None:
        return [nodes.Text(shown)]
    return [nodes.reference(shown, shown, refuri=safe)]


def field_list(rows: Sequence[tuple[str, Sequence[Node]]]) -> nodes.field_list:
    fields = nodes.field_list(classes=["cpd-details"])
    for label, content in rows:
        body = nodes.field_body()
        paragraph = nodes.paragraph()
        paragraph.extend(content)
        body += paragraph
        fields += nodes.field("", nodes.field_name(label, label), body)
    return fields
