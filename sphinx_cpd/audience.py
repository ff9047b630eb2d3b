"""What this build's audience may see, applied before anything is read or written.

Privacy works at two levels, and both act before any writer, search index or
copy of a source file can see the content:

* **Pages.** A page whose ``cpd-visibility`` is narrower than the audience is
  taken out of the project before reading, so it is never parsed, pickled,
  indexed, copied or linked; toctrees drop it, and its explicit ids are kept
  (in memory only) so that references to them render as plain text.
* **Objects.** An object narrower than the audience is parsed into a throwaway
  node and stored in the domain only as a redacted record: its kind, its
  visibility and a hash of its id (see :mod:`sphinx_cpd.objects.base`).

The output folder remembers, in ``.sphinx-cpd-audience``, which audience and
which withheld pages it was built for; when that changes, everything in it is
removed before the build, so no file from a wider build survives.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from myst_parser.config.main import TopmatterReadError, read_topmatter
from sphinx.directives.other import TocTree
from sphinx.util import docname_join, logging
from sphinx.util.nodes import explicit_title_re

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.model import VISIBILITIES, hash_id, visible

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

MARKER = ".sphinx-cpd-audience"
_RST_FIELD = re.compile(r"^:([\w-]+):\s*(.*)$")
_EXPLICIT_ID = re.compile(r"^\s*:id:\s*(\S+)\s*$")


@dataclass
class Scan:
    """The pages of this build, by visibility: in memory only, never pickled."""

    audience: str
    pages: dict[str, str | None] = field(default_factory=dict)
    withheld_pages: set[str] = field(default_factory=set)
    #: hashed explicit ids of objects on withheld pages -> (kind, visibility)
    withheld_ids: dict[str, tuple[str, str]] = field(default_factory=dict)

    def state(self) -> str:
        """What the output folder was built for; a change means starting it afresh."""
        digest = hashlib.sha256(repr(sorted(self.withheld_pages)).encode()).hexdigest()
        return f"{self.audience}:{digest}"


def read_page_visibility(path: Path, docname: str) -> tuple[str | None, str | None]:
    """A page's own ``cpd-visibility`` and, if it cannot be used, the problem."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            if path.suffix == ".rst":
                value = _rst_field(handle, "cpd-visibility")
            else:
                try:
                    matter = read_topmatter(line.rstrip("\n") for line in handle)
                except TopmatterReadError:
                    return "private", "the front matter is not valid YAML"
                value = matter.get("cpd-visibility") if matter else None
    except (OSError, UnicodeDecodeError) as exc:
        return "private", f"cannot be read ({exc})"
    if value is None:
        return None, None
    text = str(value).strip().lower()
    if text not in VISIBILITIES:
        return "private", f"cpd-visibility {value!r} is not one of {', '.join(VISIBILITIES)}"
    return text, None


def _rst_field(lines: Any, name: str) -> str | None:
    """A file-wide metadata field: the field list at the very start of an rst file."""
    for line in lines:
        match = _RST_FIELD.match(line.strip())
        if not match:
            return None
        if match.group(1).lower() == name:
            return match.group(2)
    return None


def explicit_ids(path: Path) -> list[str]:
    """Explicit ``:id:`` options on a withheld page.

    The page is never parsed, so this reads option lines as text. It only decides
    whether a reference to an unknown id is to something withheld (plain text) or
    a mistake (a warning); it cannot make anything visible.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return [match.group(1) for line in text.splitlines() if (match := _EXPLICIT_ID.match(line))]


def scan(env: BuildEnvironment, audience: str, default: str) -> Scan:
    result = Scan(audience)
    root = env.config.root_doc
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        own, problem = read_page_visibility(path, docname)
        if problem:
            logger.warning(
                f"{problem}; the page is treated as private until this is fixed",
                type="cpd",
                subtype="visibility",
                location=(docname, 1),
            )
        page = own or default
        result.pages[docname] = page
        if docname != root and not visible(page, audience):
            result.withheld_pages.add(docname)
            for ident in explicit_ids(path):
                result.withheld_ids[hash_id(ident)] = ("object", page)
    return result


def withhold_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Take withheld pages out of the project, and start afresh when they change."""
    settings = cpd_config.read(app.config)
    result = scan(env, settings.audience, settings.default_visibility)
    domain = get_domain(env)
    domain.scan = result
    project = env.project
    for docname in result.withheld_pages:
        added.discard(docname)
        changed.discard(docname)
        project.docnames.discard(docname)
        path = project._docname_to_path.pop(docname, None)
        if path is not None:
            project._path_to_docname.pop(path, None)
        if docname in env.all_docs:
            removed.add(docname)
        # A doctree pickled by an earlier, wider build holds the whole page.
        Path(app.doctreedir, f"{docname}.doctree").unlink(missing_ok=True)
    previous = domain.data.get("audience_state")
    domain.data["audience_state"] = result.state()
    if previous is not None and previous != result.state():
        # What is withheld changed: toctrees and references everywhere may differ.
        return sorted(project.docnames)
    return []


def clean_outdir(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Empty the output folder when it holds a build for another audience or page set."""
    scan_result = get_domain(env).scan
    if scan_result is None:
        return
    outdir = Path(app.outdir)
    marker = outdir / MARKER
    if not marker.is_file():
        return
    try:
        state = json.loads(marker.read_text(encoding="utf-8")).get("state")
    except (OSError, ValueError):
        state = None
    if state == scan_result.state():
        return
    doctreedir = Path(app.doctreedir).resolve()
    for child in outdir.iterdir():
        if child.resolve() == doctreedir or doctreedir.is_relative_to(child.resolve()):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    logger.info("sphinx-cpd: the audience or the withheld pages changed; output folder emptied")


def write_marker(app: Sphinx, exception: Exception | None) -> None:
    scan_result = get_domain(app.env).scan
    if exception is not None or scan_result is None:
        return
    outdir = Path(app.outdir)
    if outdir.is_dir():
        (outdir / MARKER).write_text(
            json.dumps({"audience": scan_result.audience, "state": scan_result.state()}) + "\n",
            encoding="utf-8",
        )
    domain = get_domain(app.env)
    objects = domain.withheld_count()
    pages = len(scan_result.withheld_pages)
    if scan_result.audience != "private":
        logger.info(
            f"sphinx-cpd: built for the {scan_result.audience} audience; withheld "
            f"{objects} object{'s' if objects != 1 else ''} and "
            f"{pages} page{'s' if pages != 1 else ''}"
        )


def withhold_sources(app: Sphinx, config: Config) -> None:
    """Publish no copies of source files in a build for a mentor or the public.

    A source file holds everything on its page: withheld objects, comments, and
    the names of withheld pages in its toctree. Only the author's own build,
    which withholds nothing, keeps the "show source" copies.
    """
    if cpd_config.read(config).audience != "private":
        config.html_copy_source = False


def drop_comments(app: Sphinx, doctree: nodes.document) -> None:
    """Comments are the author's notes to self: no reader of a shared build gets
    them, not even in the pickled doctree or as LaTeX comments."""
    if cpd_config.read(app.config).audience == "private":
        return
    for comment in list(doctree.findall(nodes.comment)):
        comment.parent.remove(comment)


def prune_copies(app: Sphinx, exception: Exception | None) -> None:
    """Remove copied sources, images and downloads that no page of this build uses.

    Sphinx keeps copies from earlier builds; one may belong to an object or page
    that has since been withheld.
    """
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    env = app.env
    sources = Path(app.outdir, "_sources")
    if not app.config.html_copy_source and sources.is_dir():
        shutil.rmtree(sources)
    kept: dict[str, set[str]] = {
        "_images": {str(unique) for _docs, unique in env.images.values()},
        "_downloads": {str(dest) for _docs, dest in env.dlfiles.values()},
    }
    for folder, names in kept.items():
        root = Path(app.outdir, folder)
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in names:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


class PortfolioTocTree(TocTree):
    """The toctree, without entries for pages withheld from this audience."""

    def run(self) -> list[Node]:
        scan_result = get_domain(self.env).scan
        if scan_result is not None and scan_result.withheld_pages:
            kept = StringList()
            for line, (source, offset) in zip(self.content, self.content.items, strict=True):
                if self._target(line) not in scan_result.withheld_pages:
                    kept.append(line, source, offset)
            self.content = kept
        return super().run()

    def _target(self, entry: str) -> str | None:
        """The document an entry names, as Sphinx's toctree works it out."""
        entry = entry.strip()
        if not entry:
            return None
        explicit = explicit_title_re.match(entry)
        ref = explicit.group(2) if explicit else entry
        for suffix in self.config.source_suffix:
            if ref.endswith(suffix):
                ref = ref.removesuffix(suffix)
                break
        return docname_join(self.env.docname, ref)


def setup_audience(app: Sphinx) -> None:
    # Before other handlers of this event: later ones see the project as filtered.
    app.connect("env-get-outdated", withhold_pages, priority=100)
    app.connect("env-before-read-docs", clean_outdir)
    app.connect("build-finished", write_marker)
    app.connect("build-finished", prune_copies)
    app.connect("config-inited", withhold_sources)
    app.connect("doctree-read", drop_comments, priority=100)
    app.add_directive("toctree", PortfolioTocTree, override=True)
