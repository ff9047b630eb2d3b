"""What users found in the listings, each fixed where they found it: evidence
numbers that stay put, overdue actions marked where they are written, the
participatory column of the log, where a photo is shown."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Portfolio, cell_text

EVIDENCE = """\
# Evidence

:::{evidence} Certificate
:url: https://example.org/certificate
:::

:::{evidence} Presentation slides
:url: https://example.org/slides
:number: 1
:::

:::{evidence} Feedback form
:url: https://example.org/feedback
:::

:::{evidence} Poster
:url: https://example.org/poster
:number: 1
:::
"""


def test_an_evidence_number_can_be_fixed(portfolio: Portfolio) -> None:
    portfolio.write("index.md", EVIDENCE)
    build = portfolio.build()
    numbers = [n.get_text() for n in build.html("index.html").select(".cpd-number")]
    # The slides keep E1; the others are numbered around it, the poster's
    # second claim on 1 is refused with a warning.
    assert numbers == ["E2", "E1", "E3", "E4"]
    clashes = build.of("number")
    assert len(clashes) == 1 and clashes[0].line == 16, build.warnings_text
    assert "'Presentation slides'" in clashes[0].message and "E4" in clashes[0].message
    portfolio.write(
        "index.md",
        EVIDENCE.replace(
            ":number: 1\n:::\n\n:::{evidence} Feedback", ":number: x\n:::\n\n:::{evidence} Feedback"
        ),
    )
    build = portfolio.build()
    assert any("not a whole number from 1 to 9999" in w.message for w in build.of("number"))


def test_an_overdue_action_is_marked_where_it_is_written(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    portfolio.write(
        "index.md",
        "# Actions\n\n:::{action} Late\n:due: 2026-11-30\n:::\n\n"
        ":::{action} Not yet\n:due: 2026-12-01\n:::\n\n"
        ":::{action} Done late\n:due: 2026-01-01\n:done: 2026-02-01\n:::\n",
    )
    build = portfolio.build()
    cards = build.html("index.html").select(".cpd-card")
    marked = [bool(card.select(".cpd-status-overdue")) for card in cards]
    assert marked == [True, False, False]
    # The next day, with nothing edited, "Not yet" is overdue too.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1796083200 + 2 * 86400))
    build = portfolio.build()
    cards = build.html("index.html").select(".cpd-card")
    assert [bool(card.select(".cpd-status-overdue")) for card in cards] == [True, True, False]


def test_the_log_has_a_participatory_column(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Log\n\n```{cpd-log}\n```\n\n"
        ":::{event} Day\n:date: 2024-01-01\n:hours: 6\n:participatory: 2:30\n:::\n\n"
        ":::{event} Talk\n:date: 2024-02-01\n:hours: 1\n:participatory: yes\n:::\n",
    )
    build = portfolio.build()
    table = build.html("index.html").select_one("table.cpd-log-table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    column = headers.index("Participatory")
    values = [cell_text(tr.select("td")[column]) for tr in table.select("tbody tr")]
    assert values == ["2.5", "1", "3.5"]


def test_the_credits_say_which_page_shows_a_photo(portfolio: Portfolio) -> None:
    from tests.conftest import PNG

    (portfolio.srcdir / "tree.png").write_bytes(PNG)
    portfolio.write("index.md", "# Home\n\n```{toctree}\ntrips\n```\n\n```{cpd-credits}\n```\n")
    portfolio.write(
        "trips.md",
        "# Library visits\n\n```{photo} tree.png\n:alt: A tree\n:title: Oak\n"
        ":author: Kim\n:licence: CC-BY-4.0\n```\n",
    )
    build = portfolio.build()
    text = build.html("index.html").select_one(".cpd-credits-list").get_text(" ", strip=True)
    assert "Shown on Library visits ." in text


def test_log_for_a_year_without_events_says_so(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n:::{event} Day\n:date: 2024-01-01\n:hours: 1\n:::\n")
    command = [sys.executable, "-m", "sphinx_cpd.cli", "log", str(portfolio.srcdir)]
    result = subprocess.run([*command, "--year", "1999"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "No events in the CPD year 1999." in result.stderr
    assert "CPD log" not in result.stdout and "Hours per CPD year" not in result.stdout
