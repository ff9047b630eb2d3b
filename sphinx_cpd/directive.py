"""What every sphinx-cpd directive shares: warnings placed at the directive, options
read as trimmed text."""

from __future__ import annotations

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


class CPDDirective(SphinxDirective):
    """A directive whose problems are ``cpd.*`` warnings at its own line."""

    #: Put before each warning's message, e.g. the listing's name.
    def warning_prefix(self) -> str:
        return ""

    def warn(self, kind: str, message: str, lineno: int | None = None) -> None:
        logger.warning(
            self.warning_prefix() + message,
            type="cpd",
            subtype=kind,
            location=(self.env.docname, lineno or self.lineno),
        )

    def option(self, name: str) -> str | None:
        """The option's text without surrounding space, or None when it is absent or
        blank (a blank option means the same as no option)."""
        value = self.options.get(name)
        text = str(value).strip() if value is not None else ""
        return text or None
