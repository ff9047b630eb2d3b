"""``feed.xml``: an Atom 1.0 feed of the latest reflections (and what else
``cpd_feed`` names) at the root of a public website, for the community that
follows a portfolio written in the open.

It holds only the objects this build holds (what its audience may see; the
rest was withheld before the pages were read), is linked from every page's
``<head>``, and is the same bytes for the same sources: its dates are the
objects' own, and ids are made from each object's id and the portfolio's
address, which do not change between builds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.model import kind_name, per_build, slugify

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_cpd.kinds import Record

logger = logging.getLogger(__name__)
NAME = "feed.xml"
#: Builders of a website with a page per document (a single page has no
#: address for each object that a link could hold with its anchor).
FEED_BUILDERS = ("html", "dirhtml")
#: Characters of a body shown as an entry's summary when it has no first paragraph short enough.
SUMMARY_CHARS = 600


def wanted(app: Sphinx) -> bool:
    """Whether this build writes a feed (its audience is one ``cpd_feed`` names)."""
    settings = cpd_config.read(app.config)
    return (
        app.builder.name in FEED_BUILDERS
        and settings.feed.enabled
        and settings.audience in settings.feed.audiences
    )


def base_url(app: Sphinx) -> str | None:
    """``html_baseurl``, ending in ``/``, if it is an http(s) address."""
    base = str(app.config.html_baseurl or "").strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return base if base.endswith("/") else base + "/"


def feed_base(app: Sphinx) -> str | None:
    """The address the feed's links start with if this build writes a feed,
    else None (decided once a build: every page asks)."""
    memo = per_build(app, "feed")
    if "base" not in memo:
        memo["base"] = base_url(app) if wanted(app) else None
    base: str | None = memo["base"]
    return base


def summary(text: str) -> str:
    """The first paragraph of a body that is a sentence, not a stage's heading
    ("What?", "Description"): the first of six words or more, else the first."""
    parts = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    first = next((part for part in parts if len(part.split()) >= 6), parts[0] if parts else "")
    if len(first) > SUMMARY_CHARS:
        first = first[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return first


def chosen(app: Sphinx) -> list[Record]:
    """The latest objects of the kinds ``cpd_feed`` names, newest first."""
    settings = cpd_config.read(app.config).feed
    domain = get_domain(app.env)
    records = [r for r in domain.all_records() if r.kind in settings.kinds and r.date is not None]
    records.sort(key=lambda r: (r.date, domain.final_id(r)), reverse=True)
    return records[: settings.limit]


def feed_bytes(app: Sphinx, base: str) -> bytes:
    # Imported when a feed is written: most builds write none.
    from feedgen.feed import FeedGenerator

    settings = cpd_config.read(app.config)
    domain = get_domain(app.env)
    profile = settings.profile
    records = chosen(app)
    host = urlsplit(base).netloc
    generator = FeedGenerator()
    generator.id(f"tag:{host},2000:{slugify(app.config.project) or 'portfolio'}")
    generator.title(app.config.project)
    generator.link(href=urljoin(base, NAME), rel="self", type="application/atom+xml")
    generator.link(
        href=urljoin(base, app.builder.get_target_uri(app.config.root_doc)), rel="alternate"
    )
    # A language tag (cy-GB), not the form Babel reads (cy_GB).
    generator.language(str(app.config.language or "en").replace("_", "-"))
    # Atom asks for an author: the profile's, else conf.py's, else the portfolio's title.
    author: dict[str, Any] = {
        "name": profile.get("name") or str(app.config.author or "") or app.config.project
    }
    if profile.get("email"):
        author["email"] = profile["email"]
    generator.author(author)
    # The newest entry's day, not the time of the build: the same feed for the same sources.
    newest = max((r.date for r in records if r.date), default=dt.date(2000, 1, 1))
    generator.updated(_moment(newest))
    generator.generator("sphinx-cpd", uri="https://pypi.org/project/sphinx-cpd/")
    # feedgen lists entries in the reverse order of adding them.
    for record in reversed(records):
        assert record.date is not None
        entry = generator.add_entry()
        ident = domain.final_id(record)
        entry.id(f"tag:{host},{record.date.isoformat()}:{record.kind}/{ident}")
        entry.title(record.title or kind_name(record.kind))
        href = f"{app.builder.get_target_uri(record.docname)}#{record.anchor}"
        entry.link(href=urljoin(base, href), rel="alternate")
        entry.published(_moment(record.date))
        entry.updated(_moment(record.date))
        text = summary(record.text)
        if text:
            entry.summary(text)
        for tag in record.tags:
            entry.category(term=tag)
    data: bytes = generator.atom_str(pretty=True)
    return data


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    target = Path(app.outdir, NAME)
    if exception is not None or app.builder.name not in FEED_BUILDERS:
        return
    if not wanted(app):
        # A feed an earlier build left would outlive what it should not show.
        target.unlink(missing_ok=True)
        return
    base = base_url(app)
    if base is None:
        target.unlink(missing_ok=True)
        cpd_config.warn_at(
            app.confdir,
            "html_baseurl",
            f"{NAME} is not written: a feed needs the address the website is published "
            'at, in html_baseurl (e.g. "https://example.org/portfolio/")',
        )
        return
    try:
        data = feed_bytes(app, base)
    except Exception as exc:  # the pages are published all the same
        logger.warning(
            f"{NAME} could not be written ({type(exc).__name__}: {exc})",
            type="cpd",
            subtype="export",
        )
        return
    target.write_bytes(data)


def head_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Every page says where its feed is (readers find it from any page)."""
    if feed_base(app) is None:
        return
    href = context["pathto"](NAME, 1)
    title = (
        str(app.config.project).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    )
    link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}" />\n'
    context["metatags"] = context.get("metatags", "") + link


def setup_feed(app: Sphinx) -> None:
    app.connect("build-finished", write_feed)
    app.connect("html-page-context", head_link)
