"""sphinx-cpd: a continuing professional development portfolio, built with Sphinx.

``setup()`` wires the parts together and does nothing else: configuration
(:mod:`.config`), the records and references (:mod:`.domain`), the object
directives (:mod:`.objects`) and the theme (:mod:`.theme`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.audience import setup_audience
from sphinx_cpd.catalogues import catalogue, models
from sphinx_cpd.catalogues.frameworks import SUFFIXES as FRAMEWORK_SUFFIXES
from sphinx_cpd.domain import CPDDomain, get_domain, heading_levels, setup_roles
from sphinx_cpd.exports import setup_exports
from sphinx_cpd.images import (
    check_profile_photo,
    clean_outputs,
    copy_profile_photo,
    profile_photo,
    refuse_outside_files,
)
from sphinx_cpd.listings import setup_listings
from sphinx_cpd.model import safe_url
from sphinx_cpd.objects import setup_objects
from sphinx_cpd.outdir import setup_outdir
from sphinx_cpd.pages import setup_pages
from sphinx_cpd.pdf import setup_pdf
from sphinx_cpd.singlehtml import setup_singlehtml
from sphinx_cpd.sources import setup_sources
from sphinx_cpd.tables import setup_tables
from sphinx_cpd.version import __version__
from sphinx_cpd.wordcount import setup_wordcount

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    app.setup_extension("sphinx_cpd.theme")
    cpd_config.register(app)
    app.add_domain(CPDDomain)
    setup_roles(app)
    setup_objects(app)
    setup_listings(app)
    setup_wordcount(app)
    setup_exports(app)
    setup_pages(app)
    setup_sources(app)
    setup_audience(app)
    setup_outdir(app)
    setup_singlehtml(app)
    setup_tables(app)
    setup_pdf(app)
    # Runs before MyST reads its configuration (at builder-inited).
    app.connect("config-inited", config_inited, priority=400)
    app.connect("env-get-outdated", snapshot_views)
    app.connect("env-updated", finalise)
    app.connect("env-get-updated", changed_views)
    app.connect("env-check-consistency", check_consistency)
    app.connect("doctree-read", doctree_read)
    # Before Sphinx's collectors (500) note images and downloads to copy.
    app.connect("doctree-read", refuse_outside_files, priority=400)
    app.connect("builder-inited", check_profile_photo)
    app.connect("builder-inited", check_theme_links)
    app.connect("html-collect-pages", copy_profile_photo)
    app.connect("build-finished", clean_outputs)
    app.connect("html-page-context", page_context)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def config_inited(app: Sphinx, config: Config) -> None:
    """Check the ``cpd_*`` values once, and turn on what our syntax needs."""
    extensions = list(config.myst_enable_extensions or [])
    if "colon_fence" not in extensions:
        config.myst_enable_extensions = [*extensions, "colon_fence"]
    cpd_config.read(config, confdir=app.confdir)
    if config.html_last_updated_fmt is None:
        # The theme's footer says when a page was last built.
        config.html_last_updated_fmt = "%d %B %Y"
    # Framework paths are relative to conf.py's folder, which the config does not
    # remember: make them absolute while we know it. Only files inside the
    # portfolio's folder are read.
    frameworks = config.cpd_frameworks
    if isinstance(frameworks, (list, tuple)):
        kept = []
        srcdir = Path(app.srcdir).resolve()
        for entry in frameworks:
            if isinstance(entry, str) and entry.lower().endswith(FRAMEWORK_SUFFIXES):
                path = Path(app.confdir, entry).resolve()
                if not path.is_relative_to(srcdir):
                    logger.warning(
                        f"cpd_frameworks: {entry!r} is outside the portfolio's folder; "
                        "only files inside it are read",
                        type="cpd",
                        subtype="file",
                        location=cpd_config.location(app.confdir, "cpd_frameworks"),
                    )
                    continue
                entry = str(path)
            kept.append(entry)
        config.cpd_frameworks = kept
    where = cpd_config.location(app.confdir, "cpd_frameworks")
    for problem in catalogue(config).problems:
        logger.warning(
            problem.message,
            type="cpd",
            subtype=problem.kind,
            location=f"{problem.file}:{problem.line}" if problem.file else where,
        )
    for message in models.build_models(config.cpd_reflection_models)[1]:
        logger.warning(
            message,
            type="cpd",
            subtype="config",
            location=cpd_config.location(app.confdir, "cpd_reflection_models"),
        )
    check_language(app, config)


def check_language(app: Sphinx, config: Config) -> None:
    """Sphinx hands ``language`` to Babel for dates; say so once if Babel cannot
    read it, and accept ``en-GB`` for ``en_GB`` as people write it."""
    from babel import Locale, UnknownLocaleError

    language = config.language
    if not language or language == "en":
        return
    for candidate in (language, language.replace("-", "_")):
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        config.language = candidate
        return
    logger.warning(
        f"language {language!r} is not a language Babel knows; write a code such as "
        "'en', 'en_GB' or 'cy'",
        type="cpd",
        subtype="config",
        location=cpd_config.location(app.confdir, "language"),
    )


def snapshot_views(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember what every page showed of other pages before anything is re-read."""
    get_domain(env).snapshot(env)
    return []


def finalise(app: Sphinx, env: BuildEnvironment) -> list[str]:
    get_domain(env).finalise(env)
    return []


def changed_views(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages not re-read whose references or back-links now show something else."""
    return get_domain(env).changed_views(env)


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    get_domain(env).report_duplicates()


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    heading_levels(doctree)


def check_theme_links(app: Sphinx) -> None:
    url = (app.config.html_theme_options or {}).get("license_url")
    if url and safe_url(str(url)) is None:
        logger.warning(
            f"html_theme_options: license_url {url!r} is not an http, https or mailto "
            "address; the licence is shown without a link",
            type="cpd",
            subtype="url",
            location=cpd_config.location(app.confdir, "html_theme_options"),
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
