"""``feed.xml``: valid Atom of what the build's audience may see, linked from
every page, the same for the same sources, and only where it is asked for."""

from __future__ import annotations

import os
from pathlib import Path

import feedparser
import pytest

from tests.conftest import Portfolio, sphinx_build

BASE = 'html_baseurl = "https://alex.example.org/cpd/"\n'
PAGES = {
    "index.md": """\
        ---
        cpd-visibility: public
        ---
        # Alex's portfolio

        ```{toctree}
        open
        notes
        ```
        """,
    "open.md": """\
        ---
        cpd-visibility: public
        ---
        # In the open

        :::{event} Library camp
        :date: 2024-03-02
        :hours: 6
        :visibility: public
        :tags: unconference

        A day of sessions pitched on the spot.
        :::

        :::{reflection} What an unconference taught me
        :date: 2024-03-04
        :event: library-camp
        :visibility: public
        :tags: events, community

        Pitching a session with ten minutes' notice was less frightening than I
        expected, and the best conversation of the day came from it.
        :::
        """,
    "notes.md": """\
        # Notes

        :::{reflection} PRIVATE-CANARY about my manager
        :date: 2024-03-05
        :visibility: mentor

        MENTOR-CANARY text my mentor may read but the world may not.
        :::
        """,
}


def portfolio_with_feed(portfolio: Portfolio, conf: str = BASE) -> Portfolio:
    portfolio.add_conf(conf)
    for name, text in PAGES.items():
        portfolio.write(name, text)
    return portfolio


def test_a_public_build_has_a_valid_feed_of_what_the_public_sees(portfolio: Portfolio) -> None:
    folio = portfolio_with_feed(portfolio)
    build = folio.build(cpd_audience="public")
    assert build.of("config") == []
    data = (build.outdir / "feed.xml").read_bytes()
    assert b"CANARY" not in data
    feed = feedparser.parse(data)
    assert not feed.bozo and feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["What an unconference taught me"]
    entry = feed.entries[0]
    assert entry.link.startswith("https://alex.example.org/cpd/open.html#")
    assert entry.summary.startswith("Pitching a session with ten minutes")
    assert [tag.term for tag in entry.tags] == ["events", "community"]
    assert entry.published.startswith("2024-03-04")
    # Every page says where the feed is.
    for page in ("index.html", "open.html"):
        link = build.html(page).select_one('link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None and link["href"] == "feed.xml"


def test_the_feed_is_the_same_for_the_same_sources(tmp_path: Path, portfolio: Portfolio) -> None:
    folio = portfolio_with_feed(portfolio, BASE + 'cpd_feed = {"kinds": ["reflection", "event"]}\n')
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1709856000"}
    feeds = []
    for run in ("one", "two"):
        out = tmp_path / run
        sphinx_build(folio.srcdir, out, "-b", "html", "-D", "cpd_audience=public", env=env)
        feeds.append((out / "feed.xml").read_bytes())
    assert feeds[0] == feeds[1]
    parsed = feedparser.parse(feeds[0])
    assert [e.title for e in parsed.entries] == ["What an unconference taught me", "Library camp"]
    assert len({e.id for e in parsed.entries}) == 2


@pytest.mark.parametrize(
    ("conf", "audience", "written"),
    [
        (BASE, "mentor", False),
        (BASE, "private", False),
        (BASE + 'cpd_feed = {"audiences": ["public", "mentor"]}\n', "mentor", True),
        (BASE + "cpd_feed = None\n", "public", False),
        # Unreadable: a feed is published, so none.
        (BASE + 'cpd_feed = {"audiences": "everyone"}\n', "public", False),
    ],
)
def test_a_feed_only_where_asked_for(
    portfolio: Portfolio, conf: str, audience: str, written: bool
) -> None:
    build = portfolio_with_feed(portfolio, conf).build(cpd_audience=audience)
    assert (build.outdir / "feed.xml").is_file() == written
    head = build.html("index.html").select_one('link[type="application/atom+xml"]')
    assert (head is not None) == written
    if written:
        assert b"MENTOR-CANARY" in (build.outdir / "feed.xml").read_bytes()


def test_a_public_build_without_an_address_says_so(portfolio: Portfolio) -> None:
    build = portfolio_with_feed(portfolio, 'html_baseurl = ""\n').build(cpd_audience="public")
    assert not (build.outdir / "feed.xml").exists()
    (problem,) = build.of("config")
    assert "html_baseurl" in problem.message and str(problem.file).endswith("conf.py")


def test_a_misspelt_feed_setting_is_said(portfolio: Portfolio) -> None:
    conf = BASE + 'cpd_feed = {"limit": 0, "kinds": ["reflections"], "colour": 1}\n'
    build = portfolio_with_feed(portfolio, conf).build(cpd_audience="public")
    messages = " ".join(problem.message for problem in build.of("config"))
    assert "'colour'" in messages and "'reflections'" in messages and '"limit"' in messages
    # No kind of object left to show: no feed.
    assert not (build.outdir / "feed.xml").exists()


def test_a_feed_has_an_author_and_single_pages_have_none(portfolio: Portfolio) -> None:
    """Found by attack: Atom needs an author (none without a profile), and a
    single-page build has no address per object for its links."""
    folio = portfolio_with_feed(portfolio, BASE + 'author = "Alex Doe"\n')
    build = folio.build(cpd_audience="public")
    feed = feedparser.parse((build.outdir / "feed.xml").read_bytes())
    assert feed.feed.author == "Alex Doe"
    single = folio.build("singlehtml", cpd_audience="public", builddir=folio.builddir / "s")
    assert not (single.outdir / "feed.xml").exists()
