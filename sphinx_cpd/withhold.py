"""Cut what an audience may not see out of the source, before it is parsed.

Parsing registers things on the way (footnotes, labels, ids, heading slugs,
glossary terms, includes, images, downloads), and a parsed body keeps them even
when its node is thrown away. So the decision is made on the text: every object
block an audience may not see is replaced by blank lines (which keep the line
numbers of everything after it) before MyST or docutils read the page.

Blocks are found the way the parsers find them: for MyST, from the tokens of
MyST's own markdown-it parser (a fence's ``map`` is its line range), reading a
directive's options with MyST's own ``parse_directive_text``; for reST, by the
indentation rule of explicit markup blocks. Directive bodies are scanned in
turn, so an object inside a note, a tab or another object is found too.

The same scanner checks the files that directives read (``include``,
``literalinclude``): a file outside the source folder is never read, and an
included page narrower than the audience is not included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_cpd.filechecks import READS_FILE, FileChecks
from sphinx_cpd.scan import Scope
from sphinx_cpd.visibility import (
    STRAY,
    decide,
    key_problem,
    stray_visibility,
    visibility_message,
    visible,
    written_options,
)

if TYPE_CHECKING:
    from docutils.parsers.rst import Directive
    from markdown_it import MarkdownIt

#: A line that is only a label for what follows: ``(name)=`` or ``.. _name:``.
_LABEL_LINE = re.compile(r"^\s*(?:\([^()\n]+\)=|\.\. _[^:\n]+:)\s*$")
#: Nesting deeper than this is refused (and what is deeper is cut): a page of
#: a hundred nested objects is an attack or an accident, not a portfolio.
MAX_DEPTH = 12
#: Directives whose bodies are not markup: nothing in them is parsed.
LITERAL = frozenset(
    {
        "code",
        "code-block",
        "sourcecode",
        "code-cell",
        "literalinclude",
        "math",
        "raw",
        "csv-table",
        "graphviz",
        "mermaid",
        "productionlist",
        "highlight",
        "toctree",
    }
)
#: Directives that read a file named by their argument.

_FENCE = re.compile(r"^\s*(?P<marker>`{3,}|~{3,}|:{3,})\{(?P<name>[^}]+)\}(?P<rest>.*)$")
# A directive may follow list markers, enumerators, footnote or citation labels
# and field names on its line.
_RST_DIRECTIVE = re.compile(
    r"^(?P<prefix>\s*(?:(?:[-*+\u2022\u2023\u2043]|\(?[0-9a-zA-Z#]+[.)]|\.\.\s+\[[^\]]+\]"
    r"|:[^:\s][^:]*:)\s+)*)"
    r"\.\.\s+(?P<name>[\w:.+-]+)\s?::(?P<rest>.*)$"
)


@dataclass
class Warning_:
    """A problem found while scanning: where, of what kind, and the message."""

    source: str
    line: int
    subtype: str
    message: str


@dataclass
class Result:
    """The text with withheld blocks blanked, and what the scan found."""

    text: str
    withheld: int = 0
    warnings: list[Warning_] = field(default_factory=list)
    #: The toctree blocks of the text, as written (for a neutral root page).
    toctrees: list[str] = field(default_factory=list)


class Scanner(FileChecks):
    """Scans one text (a page or an included file) and blanks what is withheld."""

    def __init__(
        self,
        scope: Scope,
        objects: dict[str, type[Directive]],
        markdown: Callable[[str], MarkdownIt] | None,
    ) -> None:
        self.scope = scope
        self.objects = objects
        self.markdown = markdown
        self.lines: list[str] = []
        self.withheld = 0
        self.warnings: list[Warning_] = []
        self.toctrees: list[str] = []
        #: Files the text's include directives name (resolved, inside the folder).
        self.included: list[Path] = []

    # -- entry points ----------------------------------------------------------------

    def scan(self, text: str, *, myst: bool, parent: str | None = None) -> Result:
        self.lines = text.split("\n")
        if myst:
            self.myst(text, 0, parent, None, 0)
        else:
            self.rst(self.lines, 0, parent, None, 0)
        return Result("\n".join(self.lines), self.withheld, self.warnings, self.toctrees)

    # -- MyST --------------------------------------------------------------------------

    def myst(
        self, text: str, offset: int, parent: str | None, kind: str | None, depth: int
    ) -> None:
        if self.markdown is None:
            return
        md = self.markdown(text)
        for token in md.parse(text, {}):
            if token.type == "html_block" and token.map is not None:
                # A fence that an HTML block swallowed is printed as text: its
                # withheld words must go all the same.
                self.fences_in_text(token.content, token.map[0] + offset, parent, kind, depth)
                continue
            if token.type not in ("fence", "colon_fence") or token.map is None:
                continue
            parts = token.info.strip().split(maxsplit=1)
            name = parts[0] if parts else ""
            if not (name.startswith("{") and name.endswith("}")):
                continue
            start, end = token.map[0] + offset, token.map[1] + offset
            self.directive(
                name[1:-1],
                parts[1] if len(parts) > 1 else "",
                token.content,
                (start, end),
                parent,
                kind,
                depth,
                myst=True,
            )

    def fences_in_text(
        self, text: str, offset: int, parent: str | None, kind: str | None, depth: int
    ) -> None:
        """Directive fences in text no parser reads as MyST (raw HTML), found by line."""
        lines = text.split("\n")
        index = 0
        while index < len(lines):
            match = _FENCE.match(lines[index])
            if match is None:
                index += 1
                continue
            marker = match.group("marker")
            end = next(
                (
                    n + 1
                    for n in range(index + 1, len(lines))
                    if lines[n].strip().startswith(marker[0] * len(marker))
                    and not lines[n].strip().lstrip(marker[0])
                ),
                len(lines),
            )
            self.directive(
                match.group("name"),
                match.group("rest").strip(),
                "\n".join(lines[index + 1 : end - 1]),
                (index + offset, end + offset),
                parent,
                kind,
                depth,
                myst=True,
            )
            index = end

    # -- reStructuredText --------------------------------------------------------------

    def rst(
        self, lines: list[str], offset: int, parent: str | None, kind: str | None, depth: int
    ) -> None:
        # docutils reads a tab as spaces up to the next multiple of eight.
        lines = [line.expandtabs(8) for line in lines]
        index = 0
        while index < len(lines):
            match = _RST_DIRECTIVE.match(lines[index])
            if match is None:
                index += 1
                continue
            column = len(match.group("prefix"))
            end = index + 1
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > column):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
            block = [
                line[column:] if _indent(line) >= column else line.lstrip()
                for line in lines[index + 1 : end]
            ]
            body = _dedent(block)
            self.directive(
                match.group("name"),
                match.group("rest").strip(),
                "\n".join(body),
                (index + offset, end + offset),
                parent,
                kind,
                depth,
                myst=False,
            )
            index = end

    # -- one directive -------------------------------------------------------------------

    def directive(
        self,
        written: str,
        argument: str,
        content: str,
        span: tuple[int, int],
        parent: str | None,
        parent_kind: str | None,
        depth: int,
        *,
        myst: bool,
    ) -> None:
        name = written.lower()
        if name.startswith("cpd:"):
            name = name[4:]
        start, end = span
        # A visibility written just after the block was meant for it.
        following = next((line for line in self.lines[end:] if line.strip()), "")
        stray_after = stray_visibility("", following, myst=myst, options_first=False)
        if depth >= MAX_DEPTH:
            self.warn(
                start,
                "nesting",
                f"directives are nested more than {MAX_DEPTH} deep here; what is deeper is "
                "left out",
            )
            self.cut(span)
            return
        if name in self.objects:
            options = self.options(name, argument, content, myst=myst)
            doubt = key_problem(
                written_options(content, myst=myst),
                myst=myst,
                known=set(self.objects[name].option_spec or {}),
            )
            if options is None:
                doubt = "its options cannot be read"
            elif stray_after or stray_visibility(argument, content, myst=myst, options_first=True):
                doubt = STRAY
            value = (options or {}).get("visibility")
            decision = decide(
                value if value is None or isinstance(value, str) else repr(value),
                kind_default=getattr(self.objects[name], "default_visibility", None),
                page=self.scope.page,
                parent=parent,
                parent_kind=parent_kind,
                doubt=doubt,
            )
            if not visible(decision.visibility, self.scope.audience):
                # Reported here, because the directive itself will never run.
                message = visibility_message(decision)
                if message:
                    self.warn(start, "visibility", f"{name}: {message}")
                if name != "stage":
                    self.withheld += 1
                self.withheld += self.count(content, myst=myst)
                self.cut((self.labels_above(start), end))
                return
            self.body(content, start, decision.visibility, name, depth, myst=myst)
        elif name in READS_FILE:
            self.check_file(name, argument, content, span, myst=myst)
        elif name == "toctree":
            self.toctrees.append("\n".join(self.lines[start:end]))
        elif name == "eval-rst":
            body = content.split("\n")
            self.rst(body, start + 1, parent, parent_kind, depth + 1)
        elif name not in LITERAL:
            self.body(content, start, parent, parent_kind, depth, myst=myst)

    def body(
        self,
        content: str,
        start: int,
        parent: str | None,
        kind: str | None,
        depth: int,
        *,
        myst: bool,
    ) -> None:
        if myst:
            self.myst(content, start + 1, parent, kind, depth + 1)
        else:
            self.rst(content.split("\n"), start + 1, parent, kind, depth + 1)

    def options(
        self, name: str, argument: str, content: str, *, myst: bool
    ) -> dict[str, Any] | None:
        """The directive's options as its parser reads them; None if they cannot be read."""
        if not myst:
            # docutils reads option names in lower case; repeats are key_problem's.
            return {name.lower(): value for name, value in written_options(content, myst=False)}
        from myst_parser.parsers.directives import parse_directive_text

        try:
            parsed = parse_directive_text(self.objects[name], argument, content)
        except Exception:  # MyST reports it; here, unreadable means private
            return None
        if any(
            str(warning.msg).startswith("Invalid options format") for warning in parsed.warnings
        ):
            return None
        return dict(parsed.options)

    def count(self, content: str, *, myst: bool) -> int:
        """How many objects a withheld block holds: the build log says so, no more."""
        lines = content.split("\n")
        if myst:
            words = re.findall(r"^\s*(?:`{3,}|~{3,}|:{3,})\{(?:cpd:)?([\w-]+)\}", content, re.M)
        else:
            words = [
                m.group("name").lower().removeprefix("cpd:")
                for line in lines
                if (m := _RST_DIRECTIVE.match(line))
            ]
        return sum(1 for word in words if word.lower() in self.objects and word.lower() != "stage")

    # -- helpers -------------------------------------------------------------------------

    def labels_above(self, start: int) -> int:
        """Where the labels written just above a block begin (``(name)=`` in
        MyST, ``.. _name:`` in reST): they name the block, so they go with it."""
        index = start
        while index > 0 and (
            not self.lines[index - 1].strip() or _LABEL_LINE.match(self.lines[index - 1])
        ):
            index -= 1
        # Blank lines above the labels are left as they are.
        while index < start and not self.lines[index].strip():
            index += 1
        return index

    def cut(self, span: tuple[int, int]) -> None:
        for index in range(span[0], min(span[1], len(self.lines))):
            self.lines[index] = ""

    def warn(self, line: int, subtype: str, message: str) -> None:
        self.warnings.append(Warning_(str(self.scope.source), line + 1, subtype, message))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _dedent(lines: list[str]) -> list[str]:
    margin = min((_indent(line) for line in lines if line.strip()), default=0)
    return [line[margin:] for line in lines]
