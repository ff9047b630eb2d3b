"""What the theme is given on every page: the author's profile and the
portfolio's main sections (worked out once per build by the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.images import profile_photo
from sphinx_cpd.model import safe_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def check_theme_links(app: Sphinx) -> None:
    url = (app.config.html_theme_options or {}).get("license_url")
    if url and safe_url(str(url)) is None:
        cpd_config.warn_at(
            app.confdir,
            "html_theme_options",
            f"html_theme_options: license_url {url!r} is not an http, https or mailto "
            "address; the licence is shown without a link",
            "url",
        )


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the theme the author's profile and the portfolio's main sections."""
    context["cpd_profile"] = cpd_config.read(app.config).profile
    photo = profile_photo(app)
    context["cpd_profile_photo"] = photo[1] if photo else None
    if context.get("theme_license_url"):
        # Reported once by check_theme_links; never a link to anything else.
        context["theme_license_url"] = safe_url(context["theme_license_url"]) or ""
    env = app.env
    section = get_domain(env).data["sections"].get(pagename)
    nav = []
    for docname in env.toctree_includes.get(app.config.root_doc, []):
        if docname not in env.titles:
            continue
        nav.append(
            {
                "title": env.titles[docname].astext(),
                "link": app.builder.get_relative_uri(pagename, docname),
                "current": docname == section,
                "page": docname == pagename,
            }
        )
    context["cpd_nav"] = nav


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
    app.connect("builder-inited", check_theme_links)
    app.connect("html-page-context", page_context)
