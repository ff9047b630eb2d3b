"""The navigation: grouped by the root's toctree captions, only the current
branch expanded, a window of a long section, breadcrumbs below the top level."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from sphinx_cpd.navigation import MAX_CHILDREN, WINDOW
from tests.conftest import Build, Portfolio

PUBLIC = "---\ncpd-visibility: public\n---\n"
EVENTS = 40


@pytest.fixture
def built(portfolio: Portfolio) -> Build:
    portfolio.add_conf('html_title = "My portfolio"')
    portfolio.write(
        "index.md",
        PUBLIC
        + "# My portfolio\n\n"
        + "```{toctree}\n:caption: Chartership\n\nstatement\nnotes/index\n```\n\n"
        + "```{toctree}\n:caption: Learning\n\nevents/index\nlog\n```\n",
    )
    portfolio.write("statement.md", PUBLIC + "# Statement\n\nWords.\n")
    portfolio.write("log.md", PUBLIC + "# Log\n\n```{cpd-log}\n```\n")
    portfolio.write(
        "notes/index.md",
        PUBLIC + "# Notes\n\n```{toctree}\none\ntwo\n```\n",
    )
    portfolio.write("notes/one.md", PUBLIC + "# Note one\n")
    portfolio.write("notes/two.md", PUBLIC + "# Note two\n")
    names = [f"e{n:03d}" for n in range(EVENTS)]
    portfolio.write(
        "events/index.md",
        PUBLIC + "# Events\n\n```{toctree}\n" + "\n".join(names) + "\n```\n",
    )
    for n, name in enumerate(names):
        portfolio.write(
            f"events/{name}.md",
            PUBLIC
            + f"# Event {n}\n\n:::{{event}} Talk {n}\n:date: 2020-01-{n % 28 + 1:02d}\n:::\n",
        )
    build = portfolio.build()
    assert build.warnings == [], build.warnings_text
    return build


def nav(soup: BeautifulSoup) -> Tag:
    found = soup.select_one("nav.cpd-nav")
    assert found is not None
    return found


def groups(soup: BeautifulSoup) -> dict[str, Tag]:
    return {
        group.summary.get_text(strip=True): group
        for group in nav(soup).select("details.cpd-nav-group")
    }


def test_groups_follow_the_captions_and_only_the_current_one_is_open(built: Build) -> None:
    soup = built.html("statement.html")
    found = groups(soup)
    assert list(found) == ["Chartership", "Learning"]
    assert found["Chartership"].has_attr("open")
    assert not found["Learning"].has_attr("open")
    current = nav(soup).select("a[aria-current=page]")
    assert [a.get_text() for a in current] == ["Statement"]
    # On the root page every group is open: no section is current.
    assert all(g.has_attr("open") for g in groups(built.html("index.html")).values())


def test_only_the_current_branch_is_expanded(built: Build) -> None:
    soup = built.html("notes/one.html")
    links = [a.get_text() for a in nav(soup).select("a")]
    assert "Note one" in links and "Note two" in links
    # Another section's pages are not in this page's navigation.
    assert not [text for text in links if text.startswith("Event ")]
    assert "Events" in links


def test_a_long_section_shows_a_window_and_a_link_to_the_rest(built: Build) -> None:
    middle = EVENTS // 2
    soup = built.html(f"events/e{middle:03d}.html")
    events = [a.get_text() for a in nav(soup).select("a") if a.get_text().startswith("Event ")]
    assert len(events) == 2 * WINDOW + 1 < MAX_CHILDREN < EVENTS
    assert f"Event {middle}" in events
    assert events[0] == f"Event {middle - WINDOW}" and events[-1] == f"Event {middle + WINDOW}"
    more = nav(soup).select_one("a.cpd-nav-more")
    assert more is not None and more["href"] == "index.html"
    assert f"All {EVENTS} pages" in more.get_text()
    # The navigation stays the same small size on every page of the section.
    sizes = {len(str(nav(built.html(f"events/e{n:03d}.html")))) for n in range(0, EVENTS, 7)}
    assert max(sizes) < 2 * min(sizes)


def test_breadcrumbs_below_the_top_level_only(built: Build) -> None:
    crumbs = built.html("events/e005.html").select_one("nav.cpd-breadcrumbs")
    assert crumbs is not None
    assert [a.get_text() for a in crumbs.select("a")] == ["My portfolio", "Events"]
    assert built.html("statement.html").select_one("nav.cpd-breadcrumbs") is None
    assert built.html("index.html").select_one("nav.cpd-breadcrumbs") is None


def test_header_search_and_titles(built: Build) -> None:
    soup = built.html("events/e001.html")
    form = soup.select_one("header form[role=search]")
    assert form is not None and form["action"] == "../search.html"
    assert form.select_one("input[name=q]") is not None
    # The root page's title is not "X — X".
    assert built.html("index.html").title.get_text(strip=True) == "My portfolio"
    assert soup.title.get_text(strip=True) == "Event 1 — My portfolio"
    # On a phone the navigation sits behind one button.
    assert nav(soup).select_one("details.cpd-menu > summary").get_text(strip=True) == "Menu"
