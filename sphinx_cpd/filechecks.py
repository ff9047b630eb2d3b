"""Files a directive reads: inside the portfolio, and visible to the audience.

The scanner (:mod:`sphinx_cpd.withhold`) checks ``include``, ``literalinclude``
(and its ``:diff:``), ``raw`` and ``csv-table`` with ``:file:`` before any of
them reads a file: a file outside the portfolio's folder is never read, a page
narrower than the audience is not included, a page's source is never shown as
text in a shared build, and ``:url:`` is never fetched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_cpd.kinds import KINDS
from sphinx_cpd.visibility import visible, written_options

if TYPE_CHECKING:
    from sphinx_cpd.scan import Scope

#: Directives that read a file named by their argument or options.
READS_FILE = frozenset({"include", "literalinclude", "raw", "csv-table"})

#: Markup of the portfolio's own (an object, a visibility) in a file's text.
_PORTFOLIO_MARKUP = re.compile(
    r"(?:\{|\.\.\s+)(?:cpd:)?(?:" + "|".join((*KINDS, "stage")) + r")\s*(?:\}|::)"
    r"|:\s*visibility\s*:|cpd[-_ ]?visibility",
    re.IGNORECASE,
)


def holds_portfolio_markup(path: Path) -> bool:
    """Whether a file's text writes CPD objects or a visibility (or cannot be read,
    which is treated the same)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return True
    return _PORTFOLIO_MARKUP.search(text) is not None


class FileChecks:
    """The scanner's checks of files; it provides scope, included, cut and warn."""

    scope: Scope
    included: list[Path]

    def cut(self, span: tuple[int, int]) -> None:
        raise NotImplementedError

    def warn(self, line: int, subtype: str, message: str) -> None:
        raise NotImplementedError

    def check_file(
        self, name: str, argument: str, content: str, span: tuple[int, int], *, myst: bool
    ) -> None:
        """Files a directive reads must be in the portfolio and visible to the audience.

        A page's source is never shown as text in a shared build: it would hold
        everything on that page, withheld objects included.
        """
        options = dict(written_options(content, myst=myst))
        if "url" in options:
            # docutils would fetch it (``file://`` included): nothing is fetched.
            self.refuse(span, f"{name}: :url: is not read; put the file in the portfolio")
            return
        targets = [argument] if name in ("include", "literalinclude") else []
        targets += [options[key] for key in ("file", "diff") if options.get(key)]
        literal = name != "include" or "literal" in options or "code" in options
        for target in (t.strip() for t in targets):
            if not target or (target.startswith("<") and target.endswith(">")):
                continue
            srcdir = self.scope.srcdir.resolve()
            base = srcdir if target.startswith("/") else self.scope.base
            path = (base / target.lstrip("/")).resolve()
            if not path.is_relative_to(srcdir):
                self.refuse(
                    span,
                    f"{name}: {target!r} is outside the portfolio's folder; only files inside "
                    f"{srcdir} are read",
                )
                return
            if not literal:
                self.included.append(path)
            own = self.scope.page_visibility(path)
            if own is not None and not visible(own, self.scope.audience):
                self.cut(span)
                return
            if literal and self.scope.audience != "private" and self.scope.is_page(path):
                self.refuse(
                    span,
                    f"{name}: {target!r} is a page of the portfolio; its source is not shown "
                    "in a build for a mentor or the public",
                )
                return
            if literal and self.scope.audience != "private" and holds_portfolio_markup(path):
                # Shown as text, nothing in it can be withheld: the whole file waits.
                self.refuse(
                    span,
                    f"{name}: {target!r} holds CPD objects or a visibility, which shown as "
                    "text could not be withheld; it is left out of a build for a mentor or "
                    "the public (include it without :literal: to have it parsed)",
                )
                return

    def refuse(self, span: tuple[int, int], message: str) -> None:
        self.warn(span[0], "file", message)
        self.cut(span)
