"""Dates in the portfolio's language (Sphinx's ``language``), by Babel."""

from __future__ import annotations

import pytest

from tests.conftest import Portfolio

PAGE = """\
# Events

:::{event} Networking evening
:date: 2011-11-28
:end: 2011-11-29
:hours: 2
:::
"""


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "28 November 2011 to 29 November 2011"),
        ("en-GB", "28 November 2011 to 29 November 2011"),
        ("cy", "28 Tachwedd 2011 i 29 Tachwedd 2011"),
        ("fr", "28 novembre 2011 to 29 novembre 2011"),
    ],
)
def test_an_event_is_dated_in_the_portfolios_language(
    portfolio: Portfolio, language: str, shown: str
) -> None:
    portfolio.add_conf(f'language = "{language}"\n')
    portfolio.write("index.md", PAGE)
    build = portfolio.build()
    # Docutils' own note that it has no Welsh (information, not a warning:
    # sphinx-build -W passes) is all there is.
    problems = [w for w in build.warnings if "not supported" not in w.message]
    assert problems == [], build.warnings_text
    text = " ".join(build.html("index.html").select_one(".cpd-card--event").get_text().split())
    assert shown in text


def test_english_dates_are_english_whatever_the_machines_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sphinx sets the process's locale from the environment: a French machine's
    month names must not appear in an English portfolio."""
    import datetime as dt
    import time

    from sphinx_cpd import language
    from sphinx_cpd.language import long_date

    # (The language of the last build in this process stays set.)
    monkeypatch.setattr(language, "_LANGUAGE", ["en_GB"])
    monkeypatch.setattr(time, "strftime", lambda *_: "novembre")
    assert long_date(dt.date(2011, 11, 28)) == "28 November 2011"
    assert long_date(dt.date(2012, 1, 1), local=False) == "1 January 2012"
