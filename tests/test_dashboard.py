"""The dashboard and the charts: the listings' numbers, in pictures and words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given
from hypothesis import strategies as st

from sphinx_cpd import charts
from sphinx_cpd.theme import palette
from tests.conftest import Portfolio, cell_text

SVG = "{http://www.w3.org/2000/svg}"

CONF = """
cpd_hours_target = 20
cpd_year_start = "04-01"
cpd_frameworks = ["pksb", "cilip-chartership"]
"""

INDEX = """\
---
cpd-visibility: public
---
# Home

```{cpd-dashboard}
:year: 2021
```

```{toctree}
:caption: Records

log
matrix
actions
work
```
"""

LOG = """\
---
cpd-visibility: public
---
# Log

```{cpd-hours}
```

```{cpd-log}
```
"""

MATRIX = """\
---
cpd-visibility: public
---
# Matrix

```{cpd-matrix}
:framework: pksb
```

```{cpd-matrix}
:framework: cilip-chartership
```
"""

ACTIONS = """\
---
cpd-visibility: public
---
# Actions

```{cpd-actions}
```
"""

WORK = """\
---
cpd-visibility: public
---
# Work

:::{event} Cataloguing course
:date: 2021-05-10
:hours: 6
:type: course
:participatory: yes
:criteria: pksb:1
:::

:::{event} Reading week
:date: 2021-09-01
:hours: 4.5
:type: reading
:criteria: pksb:1, cilip-chartership:2
:::

:::{event} Conference
:date: 2020-03-20
:hours: 7
:type: conference
:participatory: yes
:::

:::{event} Secret retreat
:date: 2021-06-01
:hours: 9
:visibility: private
:::

:::{reflection} What the course changed
:date: 2021-06-02
:criteria: pksb:2
:::

:::{reflection} Secretreflection
:date: 2021-07-02
:visibility: private
:::

:::{action} Write it up
:due: 2021-07-01
:::

:::{action} Share the notes
:due: 2030-01-01
:::

:::{action} Done already
:status: done
:::

:::{evidence} Certificate
:url: https://example.org/cert
:criteria: pksb:3
:::

:::{rating}
:criterion: pksb:5
:score: 1
:date: 2021-04-10
:::

:::{rating}
:criterion: pksb:5
:score: 3
:date: 2021-12-10
:::

```{cpd-ratings}
```
"""


@pytest.fixture
def built(portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch) -> Portfolio:
    # 2022-01-15: the 2021 action is overdue, the 2030 one is not.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642204800")
    portfolio.add_conf(CONF)
    for name, text in (
        ("index.md", INDEX),
        ("log.md", LOG),
        ("matrix.md", MATRIX),
        ("actions.md", ACTIONS),
        ("work.md", WORK),
    ):
        portfolio.write(name, text)
    return portfolio


def tile(soup: BeautifulSoup, kind: str) -> Tag:
    found = soup.select_one(f"div.cpd-dashboard div.cpd-tile--{kind}")
    assert found is not None, kind
    return found


def described(svg: Tag) -> tuple[str, str]:
    assert svg["role"] == "img"
    return svg.find("title").get_text(), svg.find("desc").get_text()


def test_the_dashboard_says_what_the_listings_say(built: Portfolio) -> None:
    build = built.build(cpd_audience="private")
    assert build.warnings == [], build.warnings_text
    soup = build.html("index.html")
    log = build.html("log.html")
    hours_rows = {
        cell_text(row.select("td")[0]): [cell_text(td) for td in row.select("td")]
        for row in log.select("table.cpd-hours-table tbody tr")
    }

    # This CPD year (2021-22): 6 + 4.5 + the private 9, against 20.
    hours = tile(soup, "hours")
    title, desc = described(hours.select_one("svg.cpd-chart--progress"))
    assert "2021–22" in title
    assert desc == "19.5 of 20 hours: 0.5 to go."
    assert hours_rows["2021–22"][2] == "19.5"
    assert hours.select_one(".cpd-tile-summary").get_text() == desc
    assert hours.select_one("a")["href"] == "log.html"

    # Hours per CPD year: every year from the first, as in the hours table.
    years = tile(soup, "years")
    _, desc = described(years.select_one("svg.cpd-chart--bars"))
    for label, row in hours_rows.items():
        assert f"{label}: {row[2]} hours, {row[3]} participatory" in desc
    # 2020-21 had no events: the chart shows the gap.
    assert "2020–21: 0 hours, 0 participatory" in desc
    assert desc.count("hours,") == 3
    # 2019-20 all participatory, 2021-22 in two parts, and the legend's two keys.
    assert len(years.select("svg rect.cpd-chart-fill, svg rect.cpd-chart-soft")) == 5

    # Coverage, as the matrices count it.
    matrix = build.html("matrix.html")
    evidence = tile(soup, "evidence")
    strips = evidence.select("svg.cpd-chart--heat")
    assert len(strips) == 2
    summaries = [s.get_text() for s in matrix.select("p.cpd-matrix-summary")]
    for strip, summary in zip(strips, summaries, strict=True):
        _, desc = described(strip)
        covered, total = re.search(r"(\d+) of (\d+) criteria", desc).groups()
        gaps = int(re.search(r"(\d+) of", summary).group(1)) if "nothing" in summary else 0
        assert int(total) - int(covered) == gaps
        assert len(strip.select("g.cpd-heat-0")) == gaps
    assert "1 item of evidence." in evidence.get_text()

    # Actions: one open and overdue, one open, one done.
    actions = tile(soup, "actions")
    assert "2 open, 1 overdue, 1 done." in actions.get_text()
    assert [a.get_text() for a in actions.select("li a")] == ["Write it up", "Share the notes"]

    reflections = tile(soup, "reflections")
    assert [a.get_text() for a in reflections.select("li a")] == [
        "Secretreflection",
        "What the course changed",
    ]


def test_the_dashboard_counts_only_what_the_audience_sees(built: Portfolio) -> None:
    build = built.build(cpd_audience="public")
    soup = build.html("index.html")
    board = soup.select_one("div.cpd-dashboard")
    assert "10.5 of 20 hours: 9.5 to go." in board.get_text()
    assert "Secret" not in str(board)
    assert "1 reflection in all." in board.get_text()


def test_other_builders_keep_the_words(built: Portfolio) -> None:
    build = built.build("text", cpd_audience="private")
    text = build.text("index.txt")
    assert "19.5 of 20 hours: 0.5 to go." in text
    assert "2 open, 1 overdue, 1 done." in text
    assert "2021–22: 19.5 hours, 6 participatory" in text
    assert "<svg" not in text


def test_ratings_are_drawn_beside_their_table(built: Portfolio) -> None:
    build = built.build(cpd_audience="private")
    figure = build.html("work.html").select_one("div.cpd-ratings-figure")
    assert figure.select_one("table.cpd-ratings-table")
    title, desc = described(figure.select_one("svg.cpd-chart--pairs"))
    assert "Professional Knowledge and Skills Base" in title
    assert desc == "PKSB 5: first 1, latest 3."
    first, latest = figure.select("svg circle")[:2]
    assert float(first["cx"]) < float(latest["cx"])


def test_charts_carry_print_colours_under_the_theme(built: Portfolio) -> None:
    built.add_conf('html_theme_options = {"accent_color": "#7a1f5c"}')
    build = built.build(cpd_audience="private")
    svg = build.html("index.html").select_one("svg.cpd-chart--progress")
    fills = {rect.get("fill") for rect in svg.select("rect.cpd-chart-fill")}
    assert fills == {"#7a1f5c"}
    assert palette("light")["surface"] in str(svg)


TEXT = st.text(max_size=30)


@given(
    title=TEXT,
    desc=TEXT,
    cells=st.lists(st.tuples(TEXT, TEXT, st.integers(0, 9)), max_size=30),
    bars=st.lists(
        st.tuples(TEXT, st.decimals(0, 1000, places=2), st.decimals(0, 1000, places=2)),
        max_size=12,
    ),
)
def test_charts_are_well_formed_whatever_they_are_given(
    title: str,
    desc: str,
    cells: list[tuple[str, str, int]],
    bars: list[tuple[str, Decimal, Decimal]],
) -> None:
    style = charts.Style.of(palette("light"))
    drawn = [
        charts.heat_strip([charts.Cell(*c) for c in cells], title, desc, style),
        charts.bar_chart(
            [charts.Bar(label, total, min(part, total)) for label, total, part in bars],
            Decimal(20),
            title,
            desc,
            style,
        ),
        charts.progress_bar(Decimal(3), Decimal(20), title, desc, style),
    ]
    allowed = {"svg", "title", "desc", "g", "rect", "line", "text", "circle", "path"}
    for svg in drawn:
        root = ET.fromstring(svg)
        assert {el.tag.removeprefix(SVG) for el in root.iter()} <= allowed
        assert (root.find(f"{SVG}title").text or "") == as_xml_reads(title)
        assert (root.find(f"{SVG}desc").text or "") == as_xml_reads(desc)


def as_xml_reads(text: str) -> str:
    """What an XML parser reads back: the chart's text, line ends normalised."""
    return charts.clean(text).replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("year", ["abc", "-5", "0", "10000"])
def test_a_year_that_is_not_one_is_a_warning(portfolio: Portfolio, year: str) -> None:
    portfolio.write("index.md", f"# Home\n\n```{{cpd-dashboard}}\n:year: {year}\n```\n")
    build = portfolio.build()
    [warning] = build.of("option")
    assert f":year: {year!r} is not a year from 1900 to 2999" in warning.message
    assert warning.line == 3
    assert build.html("index.html").select_one("div.cpd-dashboard") is not None


def test_ticks_stay_few_and_round() -> None:
    assert charts.ticks(0, 4) == [0, 1, 2, 3, 4]
    assert charts.ticks(0, 100) == list(range(0, 101, 10))
    assert charts.ticks(1, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert len(charts.ticks(-3, 1000)) <= 11


@given(st.text(min_size=1, max_size=80), st.floats(20, 200))
def test_fitted_labels_fit_and_keep_their_end(label: str, width: float) -> None:
    fitted = charts.fit(label, width)
    assert fitted == label or charts.text_width(fitted) <= width
    assert label.endswith(fitted.removeprefix("\u2026"))


def test_labels_that_do_not_fit_are_left_to_the_description() -> None:
    style = charts.Style.of(palette("light"))
    cells = [charts.Cell(code, code, 1) for code in ("1", "22", "ethics", "字字字字", "WWWW")]
    svg = ET.fromstring(charts.heat_strip(cells, "t", "d", style))
    labels = [el.text for el in svg.iter(f"{SVG}text")]
    assert labels == ["1", "22"]
    # A long target goes to a key row of its own instead of past the edge.
    bars = [charts.Bar("2020", Decimal(5))]
    short = ET.fromstring(charts.bar_chart(bars, Decimal(20), "t", "d", style, ("A", "B")))
    long = ET.fromstring(
        charts.bar_chart(bars, Decimal("1234.75"), "t", "d", style, ("Participatory", "Other"))
    )
    assert float(long.get("height")) > float(short.get("height"))
    for text in long.iter(f"{SVG}text"):
        assert float(text.get("x")) + charts.text_width(text.text or "") <= charts.WIDTH + 1
