"""What the theme is given on every page: the author's profile, the navigation
grouped by the root toctree's captions, and the breadcrumbs.

The portfolio's shape (groups, parents, children) is worked out once per build
and process; each page then takes only its own branch, so the navigation of a
portfolio of thousands of pages stays small on every page and linear to build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import shared_label
from sphinx_cpd.domain import get_domain
from sphinx_cpd.images import profile_photo
from sphinx_cpd.visibility import edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A section with more pages than this shows a window of them around the current
#: page, and a link to the section's own page for the rest.
MAX_CHILDREN = 12
#: How many neighbours on each side of the current page that window holds.
WINDOW = 5


@dataclass
class Shape:
    """The portfolio as the navigation sees it."""

    #: The root toctrees' captions (None: no caption), each with its entries as
    #: (docname, explicit title or None).
    groups: list[tuple[str | None, list[tuple[str, str | None]]]] = field(default_factory=list)
    #: Each page's parent: the first page whose toctree holds it.
    parents: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)


def root_groups(env: BuildEnvironment) -> list[tuple[str | None, list[tuple[str, str | None]]]]:
    """The root page's toctrees by caption, in order; toctrees with the same
    caption (or none) are one group. Only pages of this build are kept."""
    root = env.config.root_doc
    if root not in env.all_docs:
        return []
    groups: dict[str | None, list[tuple[str, str | None]]] = {}
    for caption, toc_entries in get_domain(env).data["tocs"].get(root, ()):
        entries = groups.setdefault(caption, [])
        for title, ref in toc_entries:
            if ref in env.all_docs and ref != root:
                entries.append((ref, title))
    return [(caption, entries) for caption, entries in groups.items() if entries]


def portfolio_shape(env: BuildEnvironment) -> Shape:
    shape = Shape(groups=root_groups(env))
    root = env.config.root_doc
    # Breadth first from the root, so that a page's parent is the nearest page
    # that lists it, whatever other toctrees name it too.
    queue = [root]
    seen = {root}
    while queue:
        docname = queue.pop(0)
        kept = []
        for child in env.toctree_includes.get(docname, []):
            if child in seen or child not in env.all_docs:
                continue
            seen.add(child)
            shape.parents[child] = docname
            kept.append(child)
            queue.append(child)
        if kept and docname != root:
            shape.children[docname] = kept
    return shape


#: The shape for this process's build, keyed by the environment it was made from.
_SHAPES: dict[int, Shape] = {}


def shape_of(env: BuildEnvironment) -> Shape:
    key = id(env)
    if key not in _SHAPES:
        _SHAPES.clear()
        _SHAPES[key] = portfolio_shape(env)
    return _SHAPES[key]


def forget_shape(app: Sphinx, env: BuildEnvironment) -> list[str]:
    # A new build (also a second one in the same process, as in the tests).
    _SHAPES.clear()
    return []


def branch(shape: Shape, pagename: str) -> list[str]:
    """The pages from the top-level entry down to ``pagename`` (empty for the
    root and for pages no toctree holds)."""
    chain: list[str] = []
    docname: str | None = pagename
    while docname is not None and docname in shape.parents:
        chain.append(docname)
        docname = shape.parents.get(docname)
        if len(chain) > len(shape.parents):  # a toctree loop: not a branch
            return []
    return chain[::-1]


def window(children: list[str], current: str | None) -> list[str]:
    if len(children) <= MAX_CHILDREN:
        return children
    at = children.index(current) if current in children else 0
    start = max(0, min(at - WINDOW, len(children) - 2 * WINDOW - 1))
    return children[start : start + 2 * WINDOW + 1]


def nav_context(app: Sphinx, pagename: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The navigation groups and the breadcrumbs of one page."""
    env = app.builder.env
    shape = shape_of(env)
    chain = branch(shape, pagename)

    def title(docname: str, explicit: str | None = None) -> str:
        if explicit:
            return explicit
        return env.titles[docname].astext() if docname in env.titles else docname

    def link(docname: str) -> str:
        return app.builder.get_relative_uri(pagename, docname)

    def item(docname: str, explicit: str | None = None, depth: int = 0) -> dict[str, Any]:
        on_branch = depth < len(chain) and chain[depth] == docname
        entry: dict[str, Any] = {
            "title": title(docname, explicit),
            "link": link(docname),
            "current": on_branch,
            "page": docname == pagename,
            "children": [],
            "more": None,
        }
        kids = shape.children.get(docname, [])
        if on_branch and kids:
            below = chain[depth + 1] if depth + 1 < len(chain) else None
            shown = window(kids, below)
            entry["children"] = [item(kid, None, depth + 1) for kid in shown]
            if len(shown) < len(kids):
                entry["more"] = {"link": link(docname), "count": len(kids)}
        return entry

    groups = []
    top = chain[0] if chain else None
    for caption, entries in shape.groups:
        items = [item(docname, explicit) for docname, explicit in entries]
        holds_current = any(docname == top for docname, _ in entries)
        groups.append(
            {
                "caption": caption,
                # The current section open, the others closed; all open on the
                # root page, where no section is current.
                "open": holds_current or top is None,
                "pages": items,
            }
        )
    crumbs = [{"title": title(env.config.root_doc), "link": link(env.config.root_doc)}]
    crumbs += [{"title": title(docname), "link": link(docname)} for docname in chain[:-1]]
    # Breadcrumbs below the top level only: above it they would say nothing new.
    return groups, crumbs if len(chain) > 1 else []


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the theme the author's profile, the navigation and the breadcrumbs."""
    settings = cpd_config.read(app.config)
    context["cpd_profile"] = settings.profile
    # A shared build says whom it is for; the author's own and a public one need not.
    shared = settings.audience == "mentor"
    context["cpd_edition"] = edition("mentor", shared_label(app.config)) if shared else ""
    photo = profile_photo(app)
    context["cpd_profile_photo"] = photo[1] if photo else None
    context["cpd_nav"], context["cpd_breadcrumbs"] = nav_context(app, pagename)


def caption_headings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A toctree's caption as a heading of its page (a level below the title),
    not a paragraph with a heading role and no level (WCAG 4.1.2). Runs before
    Sphinx turns toctrees into lists, which would make the caption a paragraph."""
    if app.builder.format != "html":
        return
    for toctree in list(doctree.findall(addnodes.toctree)):
        caption = toctree.get("caption")
        if not caption or toctree.get("hidden"):
            continue
        heading = nodes.rubric(caption, caption, classes=["caption"])
        heading["heading-level"] = 2
        toctree.parent.insert(toctree.parent.index(toctree), heading)
        del toctree["caption"]


def setup_navigation(app: Sphinx) -> None:
    app.connect("doctree-resolved", caption_headings)
    app.connect("env-updated", forget_shape)
    app.connect("html-page-context", page_context)
