"""The objects being parsed, innermost last, and what they allow their contents.

A stage or an action knows the reflection it sits in from this stack; an
object's visibility is never wider than its parent's; and nesting deeper than
:data:`MAX_DEPTH` is refused.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.visibility import (
    STRAY,
    Decision,
    decide,
    key_problem,
    stray_visibility,
    written_options,
)

if TYPE_CHECKING:
    from sphinx.util.docutils import SphinxDirective

    from sphinx_cpd.kinds import Record

#: Temporary per-document state: the stack of objects being parsed.
STACK_KEY = "cpd:stack"
#: Objects nested deeper than this are refused: no portfolio needs it, and an
#: attacker's page of a hundred nested reflections must not exhaust the stack.
MAX_DEPTH = 8


def stack(env: Any) -> list[Record]:
    current = env.current_document
    if STACK_KEY not in current:
        current[STACK_KEY] = []
    found: list[Record] = current[STACK_KEY]
    return found


def enclosing_visibility(env: Any) -> str | None:
    """The visibility of the innermost object being parsed, if any."""
    records = stack(env)
    return records[-1].visibility if records else None


def following(directive: SphinxDirective) -> str:
    """The first line with text after a reST directive's block, or ''."""
    machine = directive.state_machine
    if machine.input_lines is None:
        return ""
    lines = machine.input_lines[machine.line_offset + 1 : machine.line_offset + 50]
    return next((line for line in lines if line.strip()), "")


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
    records = stack(env)
    parent = records[-1] if records else None
    # What was written, as the scanner reads it: the first line is the directive's.
    written = directive.block_text.split("\n", 1)[1] if "\n" in directive.block_text else ""
    myst = type(directive.state).__module__.startswith("myst_parser")
    if not myst:
        written = textwrap.dedent(written)
    doubt = key_problem(
        written_options(written, myst=myst), myst=myst, known=set(directive.option_spec or {})
    )
    arguments, body = " ".join(directive.arguments), "\n".join(directive.content)
    if doubt is None and stray_visibility(arguments, body, myst=myst, options_first=False):
        doubt = STRAY
    if (
        doubt is None
        and not myst
        and stray_visibility("", following(directive), myst=False, options_first=False)
    ):
        # A visibility just after the block (in a table cell, say, where the
        # scanner does not look) was meant for it.
        doubt = STRAY
    return decide(
        directive.options.get("visibility"),
        kind_default=kind_default,
        page=page,
        parent=parent.visibility if parent else None,
        parent_kind=parent.kind if parent else None,
        doubt=doubt,
    )
