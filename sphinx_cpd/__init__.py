"""sphinx-cpd: a continuing professional development portfolio, built with Sphinx.

``setup()`` wires the parts together and does nothing else; each part connects
the Sphinx events it needs in its own ``setup_*``. The build, in the order
Sphinx runs it:

========================  ==========================  ========================================
event (priority)          module                      why
========================  ==========================  ========================================
config-inited (400)       config, language            check ``cpd_*`` once; turn on colon fences
                                                      before MyST reads its configuration;
                                                      load the language's catalogue
config-inited (400)       catalogues                  make framework paths absolute, report
                                                      framework and model problems
config-inited             audience                    shared builds: no source copies
builder-inited            images, appearance          report a profile photo, licence link,
                                                      accent colour or font that cannot be used
env-get-outdated (100)    pages                       read every page's visibility; take the
                                                      withheld ones out of the project first
env-get-outdated          incremental                 fingerprint what each page shows of others
env-before-read-docs      outdir                      empty a folder built for another
(100)                                                 audience; write the marker first
source-read (100)         sources                     cut withheld blocks before parsing
include-read (100)        sources                     the same for included files
doctree-read (100)        audience                    shared builds: drop comments, messages,
                                                      kept markup
doctree-read (400)        images                      refuse files outside the folder, before
                                                      Sphinx's collectors (500) note them
doctree-read              objects                     heading levels of object titles
env-updated               domain                      portfolio order, ids, numbers, back-links
env-get-updated           incremental, outdir         pages whose view changed; all pages after
                                                      the folder was emptied
env-check-consistency     domain                      duplicate ids
doctree-resolved          objects, listings,          fill numbers, back-links, listings, word
                          wordcount                   counts
post-transform (210)      design                      name a dropdown written without a title
missing-reference (900)   audience                    shared builds: "an item not in this edition"
html-page-context         navigation, appearance,     profile, navigation, breadcrumbs and
                          feed, i18n                  the author's colours for the theme;
                                                      the feed's link; the theme's words
html-collect-pages        images                      publish the profile photo without metadata
build-finished            exports, feed, outdir,      exports and feed; prune stale copies and
                          images, audience            search words; strip picture metadata;
                                                      log counts
========================  ==========================  ========================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_cpd.appearance import setup_appearance
from sphinx_cpd.audience import setup_audience
from sphinx_cpd.catalogues import setup_catalogues
from sphinx_cpd.config import setup_config
from sphinx_cpd.design import setup_design
from sphinx_cpd.domain import setup_domain
from sphinx_cpd.exports import setup_exports
from sphinx_cpd.feed import setup_feed
from sphinx_cpd.i18n import setup_i18n
from sphinx_cpd.images import setup_images
from sphinx_cpd.incremental import setup_incremental
from sphinx_cpd.listings import setup_listings
from sphinx_cpd.navigation import setup_navigation
from sphinx_cpd.objects import setup_objects
from sphinx_cpd.outdir import setup_outdir
from sphinx_cpd.pages import setup_pages
from sphinx_cpd.pdf import setup_pdf
from sphinx_cpd.roles import setup_roles
from sphinx_cpd.singlehtml import setup_singlehtml
from sphinx_cpd.sources import setup_sources
from sphinx_cpd.tables import setup_tables
from sphinx_cpd.version import __version__
from sphinx_cpd.wordcount import setup_wordcount

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    app.setup_extension("sphinx_cpd.theme")
    setup_config(app)
    setup_catalogues(app)
    setup_domain(app)
    setup_roles(app)
    setup_objects(app)
    setup_listings(app)
    setup_wordcount(app)
    setup_exports(app)
    setup_feed(app)
    setup_pages(app)
    setup_sources(app)
    setup_audience(app)
    setup_outdir(app)
    setup_incremental(app)
    setup_images(app)
    setup_navigation(app)
    setup_appearance(app)
    setup_singlehtml(app)
    setup_tables(app)
    setup_design(app)
    setup_i18n(app)
    setup_pdf(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
