"""The single document the PDF is made from: the portfolio's pages put
together, a chapter for each top-level page, and written as Typst markup.

Sphinx resolves a document by walking the whole of it for each of its
post-transforms and ``doctree-resolved`` handlers: at 500 entries, 3.3 s of a
single process's time on the single document's 130,000 nodes, and writing the
markup 1.8 s more. Nothing of that needs more than a chapter at a time, so
each chapter is resolved and written as a document of its own (whatever
``-j`` says, so that the markup is the same either way), and with ``-j`` the
chapters are shared out among forked processes, as Sphinx writes HTML pages:
each is given the chapters' numbers, and gives back markup, not trees.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.logging import get_node_location

from sphinx_cpd.domain import get_domain
from sphinx_cpd.listings.base import listing
from sphinx_cpd.pdf.forked import Failed, side_by_side
from sphinx_cpd.pdf.memory import release
from sphinx_cpd.pdf.typst_parts import Written, groups, write
from sphinx_cpd.pictures import drawable, strip_metadata

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Nodes below which the chapters are written here: forking the builder's
#: process costs more than a small portfolio's chapters take (the example's
#: document has about 9,000 nodes, the 500-entry benchmark's 130,000).
FORK_NODES = 40_000


def inline_pages(env: BuildEnvironment, docname: str, traversed: list[str]) -> nodes.document:
    """A page's doctree with the pages of its toctrees in their place, as
    Sphinx's ``inline_all_toctrees`` does, without copying each tree again
    (every doctree read from the environment is already a fresh one; the
    copies took a quarter of the assembling of a long portfolio)."""
    tree = env.get_doctree(docname)
    for toctree in list(tree.findall(addnodes.toctree)):
        inlined = []
        for included in map(str, toctree["includefiles"]):
            if included in traversed or included not in env.all_docs:
                continue  # Sphinx warned of a missing page when it read the toctree
            traversed.append(included)
            start = addnodes.start_of_file(docname=included)
            start.children = inline_pages(env, included, traversed).children
            for child in start.children:
                child.parent = start
            for section in start.findall(nodes.section):
                section.setdefault("docname", included)
            inlined.append(start)
        toctree.parent.replace(toctree, inlined)
    return tree


def toctree_depths(env: BuildEnvironment, root: str) -> dict[str, int]:
    """How many toctrees down from the root each page is (the root's own are 1)."""
    depth = {root: 0}
    queue = [root]
    while queue:
        docname = queue.pop(0)
        for child in env.toctree_includes.get(docname, []):
            if child not in depth:
                depth[child] = depth[docname] + 1
                queue.append(child)
    return depth


def make_chapters(tree: nodes.document, depth: dict[str, int]) -> None:
    """One chapter per top-level document: lift each out of the root's section."""
    # The front page's own section; a front page without a heading has none,
    # and its pages are lifted out of the document itself.
    root = next((n for n in tree.children if isinstance(n, nodes.section)), None)
    # Every page, in reading order: one listed under another's toctree is
    # taken out of it and follows it.
    top = list((root or tree).findall(addnodes.start_of_file))
    for start in top:
        start.parent.remove(start)
    index = tree.index(root) if root is not None else len(tree) - 1
    listed = {name for name, level in depth.items() if level == 1}
    wrapper: nodes.container | None = None
    for start in top:
        if wrapper is None or start["docname"] in listed:
            wrapper = nodes.container(classes=["cpd-chapter"])
            index += 1
            tree.insert(index, wrapper)
        else:
            # Listed by a chapter's own page (an event under Events): it follows
            # on within that chapter, its headings a level down for each step.
            start["cpd_depth"] = max(0, depth.get(start["docname"], 1) - 1)
        wrapper += start


class Pictures:
    """The pictures a document shows, written to ``work`` without their
    metadata, by the name the HTML builders give them (``builder.images``)."""

    def __init__(self, builder: Builder, work: Path) -> None:
        self.builder = builder
        self.work = work
        #: Each picture's address in the portfolio: where it is in ``work``.
        self.shown: dict[str, str] = {}
        #: Those that cannot be drawn.
        self.undrawable: set[str] = set()
        #: Those of the last tree taken that cannot be drawn, and where each is
        #: first shown in it: :func:`written_chapters` says each once, where
        #: it is first shown in the document, whichever process saw it.
        self.broken: dict[str, str | None] = {}

    def take(self, tree: nodes.Node) -> None:
        """Write the pictures of ``tree`` not written yet."""
        srcdir = Path(self.builder.srcdir)
        self.broken = {}
        for node in tree.findall(nodes.image):
            uri = node.get("uri", "")
            if uri not in self.builder.images or uri in self.shown:
                continue
            if uri not in self.undrawable:
                data = strip_metadata((srcdir / uri).read_bytes())
                if drawable(data):
                    name = f"_images/{self.builder.images[uri]}"
                    written(self.work / name, data, self.work.parent)
                    self.shown[uri] = name
                    continue
                self.undrawable.add(uri)
            self.broken.setdefault(uri, get_node_location(node))


def written(path: Path, data: bytes, spare: Path) -> None:
    """``data`` in ``path``, whole (two processes may write the same picture),
    by way of a file in ``spare`` (not in the folder whose files are the
    PDF's inputs: a process killed while writing leaves it there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=spare, prefix=".cpd-writing-")
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    Path(temporary).replace(path)


def link_evidence(tree: nodes.Node, targets: dict[str, str]) -> None:
    """Evidence files point to their appendix in the PDF, not to a download.
    ``targets``: the appendix of each evidence card, by the card's id."""
    for container in tree.findall(nodes.container):
        target = targets.get(next(iter(container["ids"]), ""))
        if target is None:
            continue
        for download in list(container.findall(addnodes.download_reference)):
            link = nodes.reference("", "", refid=target)
            link["classes"].append("cpd-appendix-link")
            link.extend(download.children)
            download.replace_self(link)


def resolve(builder: Builder, document: nodes.document, targets: dict[str, str]) -> None:
    """What Sphinx does to a document before it is written (its references
    resolved, its post-transforms and ``doctree-resolved`` handlers run), and
    what the PDF asks besides: evidence linked to its appendix (``targets``),
    bare addresses marked, and each picture's file recorded, as the HTML
    builders record it."""
    builder.env.resolve_references(document, builder.config.root_doc, builder)
    link_evidence(document, targets)
    for reference in document.findall(nodes.reference):
        # A link whose text is its address needs no address printed after it.
        if reference.get("refuri", "") == reference.astext():
            reference["classes"].append("cpd-bare-url")
    builder.post_process_images(document)


def chapter_document(tree: nodes.document, group: list[nodes.Node]) -> nodes.document:
    """A document of its own holding ``group`` (taken out of ``tree``)."""
    document = tree.copy()  # its settings, reporter and attributes; no children
    document.extend(group)
    return document


def chapter_sizes(builder: Builder, chapters: list[list[nodes.Node]]) -> list[int]:
    """How much work each chapter is to resolve and write, in nodes. A
    listing is one node until it is filled in with a row or more for each
    record (measured: about two nodes' worth of work a record): at 500
    entries its chapter of eight took longer than any year of entries."""
    records = 2 * sum(1 for _ in get_domain(builder.env).all_records())
    return [
        sum(records if isinstance(node, listing) else 1 for top in group for node in top.findall())
        for group in chapters
    ]


def written_chapters(
    builder: Builder,
    tree: nodes.document,
    pictures: Pictures,
    targets: dict[str, str],
    known: Iterable[str],
    again: Callable[[], nodes.document],
    here: bool = False,
) -> list[Written]:
    """Each chapter of the assembled ``tree`` resolved and written as Typst
    markup, in order; ``tree`` is taken apart. If the forked processes fail
    (one killed for want of memory, say), the document is assembled ``again``
    and written ``here``, in this process."""
    chapters = groups(tree)
    tree.children = []
    known = list(known)

    def write_one(index: int) -> tuple[Written, dict[str, str | None]]:
        document = chapter_document(tree, chapters[index])
        resolve(builder, document, targets)
        pictures.take(document)
        written = write(document, pictures.shown.get, known)
        release(document)
        return written, pictures.broken

    def let_go() -> None:
        # The chapters are the processes' now; here they would be freed only by
        # a full collection (nodes point to their parents), 1.9 s at 500 entries.
        for group in chapters:
            for node in group:
                release(node)

    jobs = 1 if here or not builder.parallel_ok else builder.app.parallel
    # How much work each chapter is, to share them out: not counted (a walk of
    # the whole document) when they are written here, one after the other.
    sizes = chapter_sizes(builder, chapters) if jobs > 1 else [0] * len(chapters)
    try:
        found = side_by_side(write_one, sizes, jobs, FORK_NODES, let_go)
    except Failed as error:
        logger.info(f"sphinx-cpd: writing the chapters side by side failed ({error}); again here")
        fresh = Pictures(builder, pictures.work)
        return written_chapters(builder, again(), fresh, targets, known, again, here=True)
    said: set[str] = set()
    for _, broken in found:
        for uri, location in broken.items():
            if uri not in said:
                said.add(uri)
                logger.warning(
                    f"{uri} cannot be drawn (a damaged picture, or an SVG that links "
                    "to other files); the PDF leaves it out",
                    type="cpd",
                    subtype="pdf",
                    location=location,
                )
    return [written for written, _ in found]
