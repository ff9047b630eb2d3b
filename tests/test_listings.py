"""Generated listings, checked against totals worked out by hand."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import Portfolio, cell_text

# A July-June CPD year over three years. Totals by hand:
#   2019-20: 6.5 + 1:30 + 0:45           = 8.75, participatory 6.5
#   2020-21: 14 + 2.25 + 4               = 20.25, participatory 20.25
#   2021-22: 0.1 + 0.2                   = 0.3,  participatory 0.1
EVENTS = """\
# Events

:::{event} Cataloguing course
:date: 2019-08-10
:hours: 6.5
:type: course
:participatory: yes
:tags: cataloguing
:::

:::{event} Copyright webinar
:date: 2020-03-01
:hours: 1:30
:type: webinar
:participatory: no
:::

:::{event} Reading on reflective practice
:date: 2020-06-30
:hours: 0:45
:type: reading
:::

:::{event} Annual conference
:date: 2020-07-01
:end: 2020-07-03
:hours: 14
:type: conference
:participatory: yes
:organiser: CILIP
:criteria: cilip-chartership:3
:::

:::{event} Teaching workshop
:date: 2020-12-12
:hours: 2.25
:type: workshop
:participatory: yes
:criteria: cilip-chartership:1
:tags: teaching, cataloguing
:::

:::{event} Search skills course
:date: 2021-01-20
:hours: 4
:type: course
:participatory: yes
:::

:::{event} Coffee with a mentor
:date: 2021-07-15
:hours: 0.1
:type: networking
:participatory: yes
:::

:::{event} Tea with a mentor
:date: 2021-07-16
:hours: 0.2
:type: networking
:::
"""


def rows(table: Tag) -> list[list[str]]:
    return [[cell_text(cell) for cell in row.select("td")] for row in table.select("tbody tr")]


def listing(soup: BeautifulSoup, heading: str) -> Tag:
    """The section with this heading."""
    for section in soup.select("section"):
        title = section.find(["h1", "h2", "h3"], recursive=False)
        if title and title.get_text(strip=True).rstrip("¶") == heading:
            return section
    raise AssertionError(f"no section {heading!r}")


@pytest.fixture
def years(portfolio: Portfolio) -> Portfolio:
    portfolio.add_conf('cpd_year_start = "07-01"\ncpd_hours_target = 20\n')
    portfolio.write("events.md", EVENTS)
    return portfolio


def test_hours_per_cpd_year(years: Portfolio) -> None:
    years.write(
        "index.md",
        "# Home\n\n```{toctree}\nevents\n```\n\n## Hours\n\n```{cpd-hours}\n```\n",
    )
    build = years.build()
    assert build.warnings == []
    section = listing(build.html("index.html"), "Hours")
    summary, by_type = section.select("table")
    assert rows(summary) == [
        ["2019–20", "3", "8.75", "6.5", "11.25 to go of 20"],
        ["2020–21", "3", "20.25", "20.25", "target of 20 met"],
        ["2021–22", "2", "0.3", "0.1", "19.7 to go of 20"],
    ]
    assert rows(by_type) == [
        ["2019–20", "Course", "6.5"],
        ["2019–20", "Reading", "0.75"],
        ["2019–20", "Webinar", "1.5"],
        ["2020–21", "Conference", "14"],
        ["2020–21", "Course", "4"],
        ["2020–21", "Workshop", "2.25"],
        ["2021–22", "Networking", "0.3"],
    ]


def test_hours_between_dates(years: Portfolio) -> None:
    years.write(
        "index.md",
        "# Home\n\n```{toctree}\nevents\n```\n\n## Hours\n\n"
        "```{cpd-hours}\n:from: 2020-03-01\n:to: 2020-12-31\n```\n",
    )
    build = years.build()
    summary = listing(build.html("index.html"), "Hours").select_one("table")
    assert rows(summary) == [
        ["2019–20", "2", "2.25", "0", "17.75 to go of 20"],
        ["2020–21", "2", "16.25", "16.25", "3.75 to go of 20"],
    ]


@pytest.mark.parametrize(
    ("options", "titles", "total"),
    [
        ("", None, "29.3"),
        (
            ":year: 2020",
            ["Annual conference", "Teaching workshop", "Search skills course"],
            "20.25",
        ),
        (
            ":from: 2020-06-30\n:to: 2020-07-01",
            ["Reading on reflective practice", "Annual conference"],
            "14.75",
        ),
        (
            ":type: course, webinar",
            ["Cataloguing course", "Copyright webinar", "Search skills course"],
            "12",
        ),
        (":tags: cataloguing", ["Cataloguing course", "Teaching workshop"], "8.75"),
        (
            ":criteria: cilip-chartership:1, cilip-chartership:3",
            ["Annual conference", "Teaching workshop"],
            "16.25",
        ),
    ],
)
def test_log_filters(years: Portfolio, options: str, titles: list[str] | None, total: str) -> None:
    years.write(
        "index.md",
        f"# Home\n\n```{{toctree}}\nevents\n```\n\n## Log\n\n```{{cpd-log}}\n{options}\n```\n",
    )
    build = years.build()
    assert build.warnings == []
    table = listing(build.html("index.html"), "Log").select_one("table")
    body = rows(table)
    events, footer = body[:-1], body[-1]
    if titles is not None:
        assert [row[1] for row in events] == titles
    assert footer[1] == "Total" and footer[4] == total
    # Dates are in order, and each title links to its event.
    dates = [row[0] for row in events]
    assert dates == sorted(dates)
    assert all(a["href"].startswith("events.html#") for a in table.select("tbody a"))


def test_log_shows_details_and_links_to_exports(years: Portfolio) -> None:
    years.write(
        "index.md",
        "# Home\n\n```{toctree}\nevents\n```\n\n## Log\n\n```{cpd-log}\n:year: 2020\n```\n",
    )
    build = years.build()
    section = listing(build.html("index.html"), "Log")
    first = rows(section.select_one("table"))[0]
    assert first == [
        "2020-07-01",
        "Annual conference",
        "Conference",
        "CILIP",
        "14",
        "14",  # participatory: all of it
        "Chartership 3: Wider professional context",
    ]
    downloads = {a.get_text(): a["href"] for a in section.select(".cpd-exports a")}
    assert downloads == {
        "CPD log (CSV)": "cpd-log.csv",
        "calendar (iCalendar)": "cpd-events.ics",
        "whole portfolio (JSON)": "portfolio.json",
    }
    for href in downloads.values():
        assert (build.outdir / href).is_file()


def test_calendar_year_labels(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n" + EVENTS.split("\n", 1)[1] + "\n```{cpd-hours}\n```\n")
    build = portfolio.build()
    table = build.html("index.html").select_one("table")
    assert [row[0] for row in rows(table)] == ["2019", "2020", "2021"]
    # Calendar years: 2019: 6.5; 2020: 1.5 + 0.75 + 14 + 2.25; 2021: 4 + 0.1 + 0.2.
    assert [row[2] for row in rows(table)] == ["6.5", "18.5", "4.3"]
    assert len(rows(table)[0]) == 4, "no target column without cpd_hours_target"


MATRIX = """\
# Matrix

:::{event} Conference
:id: conf
:date: 2020-07-01
:criteria: cilip-chartership:3
:::

:::{reflection} On the conference
:date: 2020-07-05
:criteria: cilip-chartership:3, cilip-chartership:1
:::

:::{rating}
:criterion: cilip-chartership:1
:score: 2
:date: 2020-07-05
:::

## The matrix

```{cpd-matrix}
:framework: cilip-chartership
```
"""


def test_matrix_marks_and_counts_gaps(portfolio: Portfolio) -> None:
    portfolio.write("index.md", MATRIX)
    build = portfolio.build()
    assert build.warnings == []
    section = listing(build.html("index.html"), "The matrix")
    assert (
        "1 of 3 criteria have nothing mapped yet."
        in section.select_one(".cpd-matrix-summary").get_text()
    )
    table = rows(section.select_one("table"))
    assert table[0][0] == "1 Personal performance"
    # A self-rating is named beside the evidence, and not counted as evidence.
    assert table[0][1] == "Reflection : On the conference ( self-rated 2 of 4 )"
    assert table[0][2] == "1"
    assert table[1] == ["2 Organisational context", "Gap", "0"]
    assert table[2][1] == "Event : Conference ; Reflection : On the conference"
    assert len(section.select(".cpd-gap")) == 1


def test_matrix_counts_each_object_once_and_names_worded_codes(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n:::{event} Ethics day\n:date: 2021-01-01\n"
        ":criteria: pksb:ethics, pksb:ethics\n:::\n\n"
        ":::{rating}\n:criterion: pksb:ethics\n:criteria: pksb:ethics\n:score: 3\n"
        ":date: 2021-02-01\n:::\n\n```{cpd-matrix}\n:framework: pksb\n```\n",
    )
    build = portfolio.build()
    table = rows(build.html("index.html").select_one("table.cpd-matrix-table"))
    ethics = next(row for row in table if "Ethics" in row[0])
    assert ethics[0] == "Ethics and values"
    assert ethics[2] == "1", ethics
    assert ethics[1].count("Ethics day") == 1 and "self-rated 3 of 4" in ethics[1]


def test_matrix_needs_a_known_framework(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{cpd-matrix}\n:framework: nosuch\n```\n")
    build = portfolio.build()
    [warning] = build.of("framework")
    assert warning.line == 3 and "cilip-chartership" in warning.message


ACTIONS = """\
# Actions

:::{action} Renew notices
:due: 2011-12-09
:::

:::{action} Scan course packs
:due: 2012-01-20
:::

:::{action} Someday
:::

:::{action} Done already
:due: 2011-11-01
:status: done
:done: 2011-11-02
:::

:::{action} Dropped idea
:status: dropped
:::

## Open only

```{cpd-actions}
:status: open
```

## All

```{cpd-actions}
```
"""


def test_actions_overdue_relative_to_source_date_epoch(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2012-01-01: the first action is past due, the second is not.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1325376000")
    portfolio.write("index.md", ACTIONS)
    build = portfolio.build()
    assert build.warnings == []
    open_only = listing(build.html("index.html"), "Open only")
    assert [h.get_text() for h in open_only.select(".cpd-actions-status")] == ["Open (3)"]
    assert rows(open_only.select_one("table")) == [
        ["Renew notices", "2011-12-09", "Overdue", ""],
        ["Scan course packs", "2012-01-20", "Open", ""],
        ["Someday", "", "Open", ""],
    ]
    everything = listing(build.html("index.html"), "All")
    assert [h.get_text() for h in everything.select(".cpd-actions-status")] == [
        "Open (3)",
        "Done (1)",
        "Dropped (1)",
    ]
    assert rows(everything.select("table")[1]) == [
        ["Done already", "2011-11-01", "Done 2011-11-02", ""]
    ]


def test_overdue_follows_the_build_date_on_rebuild(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio.write("index.md", ACTIONS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1293840000")  # 2011-01-01: nothing overdue
    build = portfolio.build()
    assert not build.html("index.html").select(".cpd-overdue")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1356998400")  # 2013-01-01: two overdue
    build = portfolio.build()
    assert len(listing(build.html("index.html"), "Open only").select(".cpd-overdue")) == 2


def test_timeline_in_date_order_with_tags_and_limit(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Home

        :::{reflection} Later thoughts
        :date: 2011-11-28
        :tags: reflection
        :::

        :::{event} Session
        :date: 2011-11-14
        :tags: reflection
        :::

        :::{evidence} Notes
        :date: 2011-11-14
        :::

        :::{action} Not on the timeline
        :due: 2011-11-20
        :::

        ## All

        ```{cpd-timeline}
        ```

        ## Tagged

        ```{cpd-timeline}
        :tags: reflection
        :limit: 1
        ```
        """,
    )
    build = portfolio.build()
    soup = build.html("index.html")
    items = [li.get_text(" ", strip=True) for li in listing(soup, "All").select("li")]
    assert items == [
        "2011-11-14 Event: Session",
        "2011-11-14 Evidence: E1 Notes",
        "2011-11-28 Reflection: Later thoughts",
    ]
    tagged = [li.get_text(" ", strip=True) for li in listing(soup, "Tagged").select("li")]
    assert tagged == ["2011-11-28 Reflection: Later thoughts"]


def test_ratings_first_latest_and_change(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Ratings

        :::{rating}
        :criterion: pksb:8
        :score: 3
        :date: 2012-06-01
        :::

        :::{rating}
        :criterion: pksb:8
        :score: 1
        :date: 2011-09-01
        :::

        :::{rating}
        :criterion: pksb:8
        :score: 2
        :date: 2011-11-28
        :::

        :::{rating}
        :criterion: pksb:5
        :score: 2
        :date: 2011-11-28
        :::

        :::{rating}
        :criterion: cpd23:5
        :score: 4
        :date: 2011-11-28
        :::

        ## PKSB

        ```{cpd-ratings}
        :framework: pksb
        ```
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    table = listing(build.html("index.html"), "PKSB").select_one("table")
    assert rows(table) == [
        ["PKSB 5: Information governance and compliance", "2 (2011-11-28)", "2 (2011-11-28)", ""],
        ["PKSB 8: Literacies and learning", "1 (2011-09-01)", "3 (2012-06-01)", "+2"],
    ]


def test_credits_list_every_photo(portfolio: Portfolio) -> None:
    from tests.conftest import PNG

    (portfolio.srcdir / "a.png").write_bytes(PNG)
    portfolio.write(
        "index.md",
        """\
        # Home

        ```{toctree}
        photos
        ```

        ## Credits

        ```{cpd-credits}
        ```
        """,
    )
    portfolio.write(
        "photos.md",
        """\
        # Photos

        :::{photo} a.png
        :alt: A desk.
        :title: Desk
        :author: Jo Castellan
        :licence: CC-BY-NC-2.0
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    items = listing(build.html("index.html"), "Credits").select("li")
    assert len(items) == 1
    text = items[0].get_text(" ", strip=True)
    assert text.startswith("“Desk” by Jo Castellan, licensed under CC BY-NC 2.0")
    assert (
        items[0].select_one("a[rel='license']")["href"]
        == "https://creativecommons.org/licenses/by-nc/2.0/"
    )
    assert items[0].select_one("a[href^='photos.html#']") is not None


def test_listings_in_every_builder(years: Portfolio) -> None:
    years.write(
        "index.md",
        "# Home\n\n```{toctree}\nevents\n```\n\n```{cpd-hours}\n```\n\n```{cpd-log}\n```\n\n"
        "```{cpd-matrix}\n:framework: cilip-chartership\n```\n\n```{cpd-timeline}\n```\n",
    )
    for builder in ("text", "latex", "singlehtml", "man"):
        build = years.build(builder)
        assert build.warnings == [], (builder, build.warnings_text)
    text = years.build("text").text("index.txt")
    assert "20.25" in text and "target of 20 met" in text


PART_TIME = """\
# Events

:::{event} Whole day, all of it spent doing
:date: 2019-05-01
:hours: 3
:participatory: yes
:::

:::{event} Afternoon, part of it a workshop
:date: 2019-05-02
:hours: 2
:participatory: 1:30
:::

:::{event} Evening, claimed more than it lasted
:date: 2019-05-03
:hours: 4
:participatory: 5
:::

:::{event} A talk, listened to
:date: 2019-05-04
:hours: 1
:participatory: no
:::

:::{event} Unreadable participation
:date: 2019-05-05
:hours: 1
:participatory: maybe
:::
"""


def test_part_of_an_event_may_be_participatory(years: Portfolio) -> None:
    years.write("events.md", PART_TIME)
    years.write("index.md", "# Home\n\n```{toctree}\nevents\n```\n\n```{cpd-hours}\n```\n")
    build = years.build()
    # 3 + 1.5 + 4 (no more than the event's hours) + 0 + 0.
    summary = build.html("index.html").select("table")[0]
    assert rows(summary)[0][:4] == ["2018–19", "5", "11", "8.5"]
    page = build.html("events.html").get_text(" ", strip=True)
    assert "2 hours, 1.5 of them participatory" in page
    assert "4 hours, 4 of them participatory" in page
    messages = [w.message for w in build.warnings]
    assert any("is more than its :hours: 4" in m for m in messages), messages
    assert any("'maybe' is not yes, no or a number of hours" in m for m in messages), messages
    assert {w.type for w in build.warnings} <= {"cpd.hours", "cpd.option"}
    import csv

    with (build.outdir / "cpd-log.csv").open(encoding="utf-8", newline="") as handle:
        log = list(csv.DictReader(handle))
    assert [row["participatory"] for row in log[:4]] == ["yes", "1.5", "5", "no"]
