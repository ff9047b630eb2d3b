"""Which pages this build reads, decided before reading starts.

Every page's own ``cpd-visibility`` is read (see :mod:`sphinx_cpd.pagemeta`)
before Sphinx reads anything. A page narrower than the audience is left out of
the project (through Sphinx's public ``Project.discover``), so it is never
parsed, pickled, indexed, copied or linked. So is a page other pages include
(it is part of them) and a page that cannot be decoded. The result, a
:class:`Scan`, lives in memory only: it names pages the audience may not see.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.pagemeta import REPLACING, page_meta
from sphinx_cpd.scan import Scan, Scope
from sphinx_cpd.visibility import visible
from sphinx_cpd.withhold import Scanner

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def scan_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read every page's visibility, and take the pages this build may not read
    out of the project."""
    settings = cpd_config.read(app.config)
    srcdir = Path(app.srcdir).resolve()
    scan = Scan(
        settings.audience, app.config.root_doc, srcdir, suffixes=dict(app.config.source_suffix)
    )
    encoding = app.config.source_encoding
    env.settings["input_encoding"] = encoding
    myst_config = getattr(env, "myst_config", None)
    fieldlist = "fieldlist" in (getattr(myst_config, "enable_extensions", None) or ())
    included: set[Path] = set()
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if not path.resolve().is_relative_to(srcdir):
            scan.unreadable.add(docname)
            warn_page(
                path,
                "file",
                f"the page is a link to {path.resolve()}, outside the "
                "portfolio's folder; it is not built",
            )
            continue
        meta = page_meta(
            path, myst=is_myst(app.config, path), fieldlist=fieldlist, encoding=encoding
        )
        for problem in meta.problems:
            if meta.undecodable and docname == scan.root:
                # The root is always built: with its undecodable bytes replaced.
                env.settings["input_encoding"] = REPLACING
                warn_page(path, "encoding", f"{problem}; its undecodable bytes are replaced")
            elif meta.undecodable:
                scan.unreadable.add(docname)
                warn_page(path, "encoding", f"{problem}; the page is not built")
            else:
                warn_page(
                    path, "visibility", f"{problem}; the page is private until this is corrected"
                )
        scan.own[path.resolve()] = meta.visibility
        page = meta.visibility or settings.default_visibility
        scan.pages[docname] = page
        if docname != scan.root and not visible(page, settings.audience):
            scan.withheld_pages.add(docname)
        # Withheld pages too: what they include is part of them, never a page.
        if "include" in meta.text and docname not in scan.unreadable:
            included |= included_files(app, scan, docname, path, meta.text)
    scan.fragments = {
        docname
        for docname in env.found_docs
        if Path(env.doc2path(docname)).resolve() in included and docname != scan.root
    }
    get_domain(env).scan = scan
    if scan.excluded:
        exclude = [glob.escape(str(env.project.doc2path(d, absolute=False))) for d in scan.excluded]
        env.project.discover(
            [
                *app.config.exclude_patterns,
                *app.config.templates_path,
                *app.builder.get_asset_paths(),
                *exclude,
            ],
            app.config.include_patterns,
        )
    for docname in scan.excluded:
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
        # A doctree pickled by an earlier, wider build holds the whole page.
        Path(app.doctreedir, f"{docname}.doctree").unlink(missing_ok=True)
    domain = get_domain(env)
    previous = domain.data.get("audience_state")
    domain.data["audience_state"] = scan.state()
    if previous is not None and previous != scan.state():
        # What is withheld changed: toctrees and references everywhere may differ.
        return sorted(env.found_docs)
    return []


def warn_page(path: Path, subtype: str, message: str) -> None:
    # By path: a page taken out of the project has no docname Sphinx could map.
    logger.warning(message, type="cpd", subtype=subtype, location=f"{path}:1")


def included_files(app: Sphinx, scan: Scan, docname: str, path: Path, text: str) -> set[Path]:
    """The files a page includes (found by the block scanner, not by parsing)."""
    found: set[Path] = set()
    # As the author's build sees it: an include inside any object counts.
    scanner = make_scanner(app, scan, docname, path, scan.pages[docname], "private")
    scanner.scan(text, myst=is_myst(app.config, path))
    found.update(scanner.included)
    return found


def is_myst(config: Config, path: Path) -> bool:
    return config.source_suffix.get(path.suffix) == "markdown"  # type: ignore[no-any-return]


def make_scanner(
    app: Sphinx, scan: Scan, docname: str, source: Path, page: str, audience: str | None = None
) -> Scanner:
    from sphinx_cpd.objects import DIRECTIVES

    encoding = app.config.source_encoding
    scope = Scope(
        audience=audience or scan.audience,
        page=page,
        source=source,
        base=Path(app.env.doc2path(docname)).parent,
        srcdir=scan.srcdir,
        page_visibility=lambda path: scan.own_visibility(path, encoding),
        is_page=lambda path: path.suffix in scan.suffixes,
    )
    return Scanner(scope, DIRECTIVES, markdown_factory(app))


def markdown_factory(app: Sphinx) -> Callable[[str], MarkdownIt] | None:
    """MyST's markdown-it parser for a text, configured as MyST configures it
    (with the page's own ``myst`` front matter, if any)."""
    config = getattr(app.env, "myst_config", None)
    if config is None:
        return None
    from myst_parser.config.main import merge_file_level, read_topmatter
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers.mdit import create_md_parser

    shared: list[MarkdownIt] = []

    def widest(config: Any) -> MarkdownIt:
        # More syntax than the page may use, never less: a page whose own front
        # matter turns colon fences (or all directives) off would print a withheld
        # block as text.
        extensions = {*config.enable_extensions, "colon_fence"}
        wide = replace(config, commonmark_only=False, gfm_only=False, enable_extensions=extensions)
        return create_md_parser(wide, SphinxRenderer)

    def make(text: str) -> MarkdownIt:
        try:
            topmatter = read_topmatter(text)
        except Exception:
            topmatter = None
        if topmatter:
            return widest(merge_file_level(config, topmatter, lambda *args: None))
        if not shared:
            shared.append(widest(config))
        return shared[0]

    return make


def setup_pages(app: Sphinx) -> None:
    # Before other handlers of this event: later ones see the project as filtered.
    app.connect("env-get-outdated", scan_pages, priority=100)
