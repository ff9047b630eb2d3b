"""What this build's audience may see, decided before anything is parsed.

Privacy works on the text, before MyST or docutils see it:

* **Pages** narrower than the audience are left out of the project
  (:mod:`sphinx_cpd.pages`); a root page narrower than the audience becomes a
  neutral front page (:mod:`sphinx_cpd.frontpage`).
* **Objects** narrower than the audience are cut out of each page's text and
  of every file it includes (:mod:`sphinx_cpd.sources`, :mod:`sphinx_cpd.withhold`).
  The build keeps how many were cut, nothing else: no id, not even hashed.
* **Comments** are the author's notes to self: shared builds drop them, with
  error messages and the markup nodes keep of their source (this module).
* **References** to what a shared build does not hold read the same for every
  kind, and toctrees drop withheld pages without a warning (this module).
* **Output folders** hold one audience's files (:mod:`sphinx_cpd.outdir`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.directives.other import TocTree
from sphinx.util import docname_join, logging
from sphinx.util.matching import patfilter
from sphinx.util.nodes import explicit_title_re

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.i18n import _
from sphinx_cpd.visibility import NOT_IN_EDITION

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_cpd.scan import Scan

logger = logging.getLogger(__name__)

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def log_withheld(app: Sphinx, exception: Exception | None) -> None:
    scan = get_domain(app.env).scan
    if exception is not None or scan is None or scan.audience == "private":
        return
    objects = get_domain(app.env).withheld_count()
    pages = len(scan.withheld_pages)
    logger.info(
        f"sphinx-cpd: built for the {scan.audience} audience; withheld "
        f"{objects} object{'s' if objects != 1 else ''} and "
        f"{pages} page{'s' if pages != 1 else ''}"
    )


def withhold_sources(app: Sphinx, config: Config) -> None:
    """Publish no copies of source files in a build for a mentor or the public,
    and report no reference that a private build would resolve.

    A source file holds everything on its page: withheld objects, comments, and
    the names of withheld pages in its toctree.
    """
    if cpd_config.read(config).audience == "private":
        return
    config.html_copy_source = False
    # A link to a withheld label is not a mistake in a shared build; private
    # builds and ``sphinx-cpd check`` report the real mistakes.
    config.suppress_warnings = [*config.suppress_warnings, "myst.xref_missing"]


def drop_comments(app: Sphinx, doctree: nodes.document) -> None:
    """Comments are the author's notes to self: no reader of a shared build gets
    them, not even in the pickled doctree, as LaTeX comments or as HTML comments."""
    if cpd_config.read(app.config).audience == "private":
        return
    for comment in list(doctree.findall(nodes.comment)):
        comment.parent.remove(comment)
    # A directive docutils could not run is kept in its error message, whole; the
    # scanner may not have seen it (in a table cell, say). Messages are for the log.
    for message in list(doctree.findall(nodes.system_message)):
        message.parent.remove(message)
    doctree.parse_messages = []
    doctree.transform_messages = []
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "<!--" in text:
            kept = _HTML_COMMENT.sub("", text)
            if kept.strip():
                raw.replace_self(nodes.raw(kept, kept, format=raw.get("format", "")))
            else:
                raw.parent.remove(raw)
    # Nodes keep the markup they were parsed from, comments included (an
    # admonition keeps its whole body), and the doctree is pickled with it. Only
    # code needs it from here on: Sphinx highlights a literal block's source.
    for node in doctree.findall(nodes.Element):
        if node.rawsource and not isinstance(node, nodes.FixedTextElement):
            node.rawsource = ""


def not_in_edition(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Node | None:
    """In a shared build, a reference that does not resolve may be to something
    withheld: it reads the same for every kind, and is not a warning."""
    if cpd_config.read(app.config).audience == "private":
        return None
    if node.get("refdomain") not in ("std", "cpd", "", None):
        return None
    text = contnode.astext() if node.get("refexplicit") else _(NOT_IN_EDITION)
    return nodes.inline(text, text, classes=["cpd-withheld"])


class PortfolioTocTree(TocTree):
    """The toctree, without entries for pages withheld from this audience."""

    def run(self) -> list[Node]:
        scan = get_domain(self.env).scan
        if scan is not None and scan.withheld_pages:
            kept = StringList()
            for line, (source, offset) in zip(self.content, self.content.items, strict=True):
                if not self._withheld(line, scan):
                    kept.append(line, source, offset)
            self.content = kept
        return super().run()

    def _withheld(self, entry: str, scan: Scan) -> bool:
        """Whether an entry names only pages withheld from this audience."""
        entry = entry.strip()
        if not entry:
            return False
        explicit = explicit_title_re.match(entry)
        ref = explicit.group(2) if explicit else entry
        for suffix in self.config.source_suffix:
            if ref.endswith(suffix):
                ref = ref.removesuffix(suffix)
                break
        target = docname_join(self.env.docname, ref)
        if target in scan.withheld_pages:
            return True
        if "glob" in self.options and not explicit and any(c in ref for c in "*?["):
            visible_match = set(patfilter(self.env.found_docs, target)) - {self.env.docname}
            return not visible_match and bool(list(patfilter(scan.withheld_pages, target)))
        return False


def setup_audience(app: Sphinx) -> None:
    app.connect("build-finished", log_withheld)
    app.connect("config-inited", withhold_sources)
    app.connect("doctree-read", drop_comments, priority=100)
    app.connect("missing-reference", not_in_edition, priority=900)
    app.add_directive("toctree", PortfolioTocTree, override=True)
