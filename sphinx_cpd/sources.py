"""Cut what an audience may not see out of each page, and each file it includes,
before MyST or docutils parse it (the scanner is :mod:`sphinx_cpd.withhold`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_cpd.domain import get_domain
from sphinx_cpd.frontpage import neutral_root
from sphinx_cpd.pages import is_myst, make_scanner
from sphinx_cpd.visibility import narrowest, visible

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Per-page count of each included file, and how many times a file may be
#: included in one page before it is taken to include itself.
INCLUDE_COUNTS = "cpd:includes"
MAX_INCLUDES = 20


def filter_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Cut the blocks this audience may not see out of a page, before it is parsed."""
    scan = get_domain(app.env).scan
    if scan is None or docname not in scan.pages:
        return
    path = Path(app.env.doc2path(docname))
    page = scan.pages[docname]
    if docname == scan.root and not visible(page, scan.audience):
        source[0] = neutral_root(app, scan, docname, path, source[0])
        return
    if scan.audience == "private" and "include" not in source[0]:
        return
    scanner = make_scanner(app, scan, docname, path, page)
    result = scanner.scan(source[0], myst=is_myst(app.config, path))
    report(result.warnings)
    get_domain(app.env).note_withheld(docname, result.withheld)
    source[0] = result.text


def filter_include(app: Sphinx, relative: Path, parent: str, content: list[str]) -> None:
    """The same, for text a page includes: all of it when the file itself is narrower."""
    scan = get_domain(app.env).scan
    if scan is None:
        return
    env = app.env
    docname = env.docname
    path = (scan.srcdir / relative).resolve()
    if not path.is_relative_to(scan.srcdir):
        content[0] = ""
        logger.warning(
            f"{relative} is outside the portfolio's folder; it is not included",
            type="cpd",
            subtype="file",
            location=(docname, None),
        )
        return
    from sphinx_cpd.objects.stack import enclosing_visibility

    # MyST has no guard against a file that includes itself, directly or not.
    counts = env.current_document.get(INCLUDE_COUNTS) or {}
    counts[path] = counts.get(path, 0) + 1
    env.current_document[INCLUDE_COUNTS] = counts
    if counts[path] > MAX_INCLUDES:
        content[0] = ""
        if counts[path] == MAX_INCLUDES + 1:
            logger.warning(
                f"{relative} is included more than {MAX_INCLUDES} times in this page, so it "
                "includes itself; the rest is left out",
                type="cpd",
                subtype="include",
                location=(docname, None),
            )
        return
    own = scan.own_visibility(path, app.config.source_encoding)
    page = narrowest(scan.pages.get(docname, "private"), own) or "private"
    enclosing = enclosing_visibility(env)
    if not visible(narrowest(page, enclosing), scan.audience):
        content[0] = ""
        return
    if scan.audience == "private" and "include" not in content[0]:
        return
    scanner = make_scanner(app, scan, docname, path, page)
    result = scanner.scan(content[0], myst=is_myst(app.config, path), parent=enclosing)
    report(result.warnings)
    get_domain(env).note_withheld(docname, result.withheld)
    content[0] = result.text


def report(warnings: list[Any]) -> None:
    for warning in warnings:
        logger.warning(
            warning.message,
            type="cpd",
            subtype=warning.subtype,
            location=f"{warning.source}:{warning.line}",
        )


def setup_sources(app: Sphinx) -> None:
    app.connect("source-read", filter_source, priority=100)
    app.connect("include-read", filter_include, priority=100)
