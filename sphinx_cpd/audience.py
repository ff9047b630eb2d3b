"""What this build's audience may see, decided before anything is parsed.

Privacy works on the text, before MyST or docutils see it:

* **Pages.** Every page's own ``cpd-visibility`` is read (see
  :mod:`sphinx_cpd.pagemeta`) before reading starts. A page narrower than the
  audience is left out of the project (through Sphinx's public
  ``Project.discover``), so it is never parsed, pickled, indexed, copied or
  linked; toctrees drop it without a warning. A root page narrower than the
  audience is replaced by a neutral front page: the portfolio's title, the
  profile and the contents, never its prose.
* **Objects.** Object blocks narrower than the audience are cut out of each
  page's text, and out of every file it includes (see :mod:`sphinx_cpd.withhold`).
  The build keeps how many were cut, nothing else: no id, not even hashed.
* **Comments** are the author's notes to self: shared builds drop them.
* **Output folders** remember, in ``.sphinx-cpd-audience`` (written before
  anything else), which audience and which set of withheld pages they were built
  for; when that changes, or for a folder Sphinx built before without one,
  everything in it is removed first. Builders that are not incremental HTML
  builders start from an empty folder in every shared build, so stale images
  cannot ride along in an EPUB or a LaTeX folder.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.directives.other import TocTree
from sphinx.util import docname_join, logging
from sphinx.util.matching import patfilter
from sphinx.util.nodes import explicit_title_re

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.pagemeta import REPLACING, page_meta
from sphinx_cpd.visibility import NOT_IN_EDITION, narrowest, visible
from sphinx_cpd.withhold import Scanner, Scope

if TYPE_CHECKING:
    from docutils.nodes import Node
    from markdown_it import MarkdownIt
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Per-page count of each included file, and how many times a file may be
#: included in one page before it is taken to include itself.
INCLUDE_COUNTS = "cpd:includes"
MAX_INCLUDES = 20
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


@dataclass
class Scan:
    """The pages of this build, by visibility: in memory only, never pickled."""

    audience: str
    root: str
    srcdir: Path
    #: docname -> the page's visibility (its own, else cpd_default_visibility)
    pages: dict[str, str] = field(default_factory=dict)
    withheld_pages: set[str] = field(default_factory=set)
    #: Pages that other pages include: parts of those pages, not pages of their own.
    fragments: set[str] = field(default_factory=set)
    #: Pages that cannot be read at all (undecodable, or outside the folder).
    unreadable: set[str] = field(default_factory=set)
    #: Every page must be written again (the output folder was emptied or its
    #: search index dropped; see :mod:`sphinx_cpd.outdir`).
    rewrite: bool = False
    #: Own visibility of any file, by resolved path (for includes).
    own: dict[Path, str | None] = field(default_factory=dict)
    #: ``source_suffix``: which parser reads a file of each suffix.
    suffixes: dict[str, str] = field(default_factory=dict)

    @property
    def excluded(self) -> set[str]:
        return self.withheld_pages | self.fragments | self.unreadable

    def state(self) -> str:
        """What the output folder was built for; a change means starting it afresh.

        The names of withheld pages are kept only as a keyed hash, with a key that
        never leaves this computer: a plain hash of short names could be checked
        against guesses by anyone holding the build.
        """
        names = repr(sorted(self.excluded)).encode()
        digest = hmac.new(machine_key(), names, hashlib.sha256).hexdigest()
        return f"{self.audience}:{digest}"

    def own_visibility(self, path: Path, encoding: str) -> str | None:
        """A file's own ``cpd-visibility`` (read once per build)."""
        path = path.resolve()
        if path not in self.own:
            # Read both ways: an included file is parsed as the page that includes it is.
            meta = page_meta(path, myst=None, encoding=encoding)
            self.own[path] = "private" if meta.undecodable else meta.visibility
        return self.own[path]

    def page_visibility(self, docname: str, source: str | None, encoding: str) -> str:
        """The visibility of the page being read, narrowed by the file the text
        comes from when that is a file the page includes."""
        page = self.pages.get(docname, "private")
        if source and docname in self.pages:
            path = Path(source).resolve()
            if path.is_file() and path.is_relative_to(self.srcdir):
                own = self.own_visibility(path, encoding)
                page = narrowest(page, own) or page
        return page


# -- before reading: which pages -------------------------------------------------------


@cache
def machine_key() -> bytes:
    """A random key kept in the user's cache folder (one per computer and user).

    Without a usable cache folder, a key for this process only: every build then
    counts as a new state, which is safe (the output folder is emptied).
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sphinx-cpd"
    path = folder / "state-key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError), path.open("xb") as handle:
            path.chmod(0o600)
            handle.write(secrets.token_bytes(32))
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    return secrets.token_bytes(32)


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


# -- while reading: which blocks ---------------------------------------------------------


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
    from sphinx_cpd.objects.base import enclosing_visibility

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


def neutral_root(app: Sphinx, scan: Scan, docname: str, path: Path, text: str) -> str:
    """A front page for an audience that may not read the root page's prose: the
    portfolio's title, the profile, and the contents (the root's toctrees)."""
    myst = is_myst(app.config, path)
    # Every object on the page is withheld with it, and toctrees inside them too.
    scanner = make_scanner(app, scan, docname, path, scan.pages[docname])
    toctrees = scanner.scan(text, myst=myst).toctrees
    profile = cpd_config.read(app.config).profile
    line = ", ".join(
        part
        for part in (
            " ".join(p for p in (profile.get("name"), profile.get("post-nominals")) if p),
            profile.get("role"),
            profile.get("organisation"),
        )
        if part
    )
    title = app.config.project or "Portfolio"
    if myst:
        parts = [f"# {escape_markdown(title)}"] + ([escape_markdown(line)] if line else [])
    else:
        heading = escape_rst(title)
        parts = [f"{heading}\n{'=' * max(len(heading), 3)}"] + ([escape_rst(line)] if line else [])
    parts += [neutral_toctree(_dedent_block(block), myst) for block in toctrees]
    return "\n\n".join(parts) + "\n"


#: Toctree options that say nothing in the author's words.
_PLAIN_TOCTREE_OPTIONS = (
    "maxdepth",
    "hidden",
    "glob",
    "titlesonly",
    "numbered",
    "reversed",
    "includehidden",
)


def neutral_toctree(block: str, myst: bool) -> str:
    """A toctree of the same pages without the author's words: no caption, no
    name, no entry titles, no links elsewhere."""
    lines = block.split("\n")
    options: list[str] = []
    entries: list[str] = []
    in_yaml = False
    for line in lines[1:]:
        text = line.strip()
        if text.startswith("---"):
            in_yaml = not in_yaml
            continue
        if not text or text.startswith(("```", "~~~", ":::")):
            continue
        option = re.match(r"^:([\w-]+):" if not in_yaml else r"^([\w-]+):", text)
        if option is not None:
            name = option.group(1).lower()
            value = text[option.end() :].strip()
            if name in _PLAIN_TOCTREE_OPTIONS and value.lower() not in ("false", "no"):
                flag = value.lower() in ("true", "yes") or name not in ("maxdepth", "numbered")
                options.append(f":{name}:" if flag else f":{name}: {value}")
            continue
        explicit = explicit_title_re.match(text)
        target = explicit.group(2) if explicit else text
        if "://" not in target and not target.startswith("mailto:"):
            entries.append(target)
    if myst:
        return "\n".join(["```{toctree}", *options, "", *entries, "```"])
    indent = "   "
    return "\n".join(
        [".. toctree::", *(indent + o for o in options), "", *(indent + e for e in entries)]
    )


def escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~:$%&=^\"'])", r"\\\1", " ".join(text.split()))


def escape_rst(text: str) -> str:
    return re.sub(r"([\\`*_|:<>\[\]])", r"\\\1", " ".join(text.split()))


def _dedent_block(block: str) -> str:
    lines = block.split("\n")
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[margin:] for line in lines)


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
    text = contnode.astext() if node.get("refexplicit") else NOT_IN_EDITION
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
    # Before other handlers of this event: later ones see the project as filtered.
    app.connect("env-get-outdated", scan_pages, priority=100)
    app.connect("source-read", filter_source, priority=100)
    app.connect("include-read", filter_include, priority=100)
    app.connect("build-finished", log_withheld)
    app.connect("config-inited", withhold_sources)
    app.connect("doctree-read", drop_comments, priority=100)
    app.connect("missing-reference", not_in_edition, priority=900)
    app.add_directive("toctree", PortfolioTocTree, override=True)
