"""Schemes: what a professional body asks for, checked against a portfolio whose
numbers were worked out by hand (in the comments beside them)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_cpd.catalogues import schemes
from sphinx_cpd.requirements import Period, parse_period
from sphinx_cpd.schema import portfolio_schema
from tests.conftest import Portfolio, cell_text

SCHEMA = portfolio_schema()
NURSE_CONF = """\
cpd_profile = {"name": "Sam Okafor"}
cpd_scheme = "nmc-revalidation"
cpd_renewal_date = "2027-03-31"
cpd_declarations = {"indemnity": "2026-12-01", "health-and-character": "2023-06-01"}
"""

NURSE_EVENTS = """\
# CPD

:::{event} Before the period
:date: 2024-03-31
:hours: 10
:participatory: yes
:::

:::{event} Sepsis study day
:id: sepsis
:date: 2024-04-01
:hours: 7
:participatory: 3
:type: course
:::

:::{event} Tissue viability e-learning
:date: 2025-09-09
:hours: 2:30
:participatory: no
:type: self-study
:::

:::{event} Regional nursing conference
:date: 2026-05-05
:hours: 12:30
:participatory: 6:15
:type: conference
:::

:::{event} Reflective discussion with a colleague
:id: discussion
:date: 2027-03-01
:hours: 1
:participatory: yes
:type: reflective-discussion
:::

:::{event} After the renewal date
:date: 2027-04-01
:hours: 20
:participatory: yes
:::
"""


def accounts() -> str:
    text = "# Accounts\n\n"
    for n in range(1, 6):
        text += (
            f":::{{reflection}} Account {n}\n:date: 2025-0{n}-10\n:model: nmc\n\nWords.\n:::\n\n"
        )
    # Not an NMC account: another model, and one before the period.
    text += ":::{reflection} Gibbs\n:date: 2025-07-01\n:model: gibbs\n\nWords.\n:::\n\n"
    text += ":::{reflection} Old account\n:date: 2023-01-01\n:model: nmc\n\nWords.\n:::\n"
    return text


def feedback() -> str:
    text = "# Feedback\n\n```{cpd-feedback}\n```\n\n"
    for n, who in enumerate(("A patient's relative", "Ward manager", "anonymous", "Student"), 1):
        text += f":::{{feedback}}\n:from: {who}\n:date: 2025-0{n + 5}-01\n:on: sepsis\n"
        text += "\nThanks.\n:::\n\n"
    return text


@pytest.fixture
def nurse(portfolio: Portfolio) -> Portfolio:
    portfolio.add_conf(NURSE_CONF)
    portfolio.write(
        "index.md",
        "# Revalidation\n\n```{cpd-requirements}\n```\n\n"
        "```{toctree}\nevents\naccounts\nfeedback\nlog\n```\n",
    )
    portfolio.write("events.md", NURSE_EVENTS)
    portfolio.write("accounts.md", accounts())
    portfolio.write("feedback.md", feedback())
    portfolio.write("log.md", "# Log\n\n```{cpd-hours}\n```\n\n```{cpd-log}\n```\n")
    return portfolio


#: Worked out by hand for the period 2024-04-01 to 2027-03-31: events on the
#: first and last day count, the ones a day outside do not.
NURSE_EXPECTED = {
    # 7 + 2.5 + 12.5 + 1
    "cpd-hours": (35, 23, False),
    # 3 + 0 + 6.25 + 1
    "participatory-hours": (20, 10.25, False),
    # five with the nmc model in the period (not the Gibbs one, not the 2023 one)
    "reflective-accounts": (5, 5, True),
    "feedback": (5, 4, False),
    "reflective-discussion": (1, 1, True),
    "practice-hours": (1, 0, False),
    # declared, but before the period began
    "health-and-character": (1, 0, False),
    "indemnity": (1, 1, True),
    "confirmation": (1, 0, False),
}


def as_table(requirements: list[dict[str, Any]]) -> dict[str, tuple[Any, Any, bool]]:
    return {r["key"]: (r["need"], r["have"], r["met"]) for r in requirements}


def test_a_nurses_portfolio_against_nmc_revalidation(nurse: Portfolio) -> None:
    build = nurse.build()
    assert not build.warnings, build.warnings_text
    data = json.loads((build.outdir / "portfolio.json").read_text())
    checker = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert not list(checker.iter_errors(data))
    assert data["scheme"] == {
        "id": "nmc-revalidation",
        "title": "NMC revalidation",
        "start": "2024-04-01",
        "end": "2027-03-31",
    }
    assert as_table(data["requirements"]) == NURSE_EXPECTED
    assert [r["kind"] for r in data["requirements"]][:5] == [
        "hours",
        "participatory-hours",
        "count",
        "count",
        "count",
    ]
    # The checklist says the same, in words, with what is still to do marked.
    page = build.html("index.html")
    rows = [
        [cell_text(c) for c in tr.select("td")]
        for tr in page.select(".cpd-requirements-table tbody tr")
    ]
    assert rows[0] == ["CPD hours", "35 hours", "23 hours", "12 hours to go"]
    assert rows[1] == ["Participatory CPD hours", "20 hours", "10.25 hours", "9.75 hours to go"]
    assert rows[3][3] == "1 to go"
    assert rows[6][2:] == ["1 June 2023", "not declared in this period"]
    assert rows[7][3] == "met"
    assert len(page.select(".cpd-requirements-table .cpd-unmet")) == 6
    summary = page.select_one(".cpd-requirements-summary").get_text()
    assert "1 April 2024 to 31 March 2027: 3 of 9 requirements met" in summary
    # Each requirement that a listing shows links to it.
    assert page.select_one(".cpd-requirements-table a[href='log.html']") is not None
    assert page.select_one(".cpd-requirements-table a[href='feedback.html']") is not None
    # The hours listing shows the period's totals against the scheme's targets.
    log = build.html("log.html").get_text(" ", strip=True)
    assert "Over the period 1 April 2024 to 31 March 2027: CPD hours 23 (12 to go of 35)" in log
    feedback_rows = build.html("feedback.html").select(".cpd-feedback-table tbody tr")
    assert [cell_text(tr.select("td")[1]) for tr in feedback_rows] == [
        "A patient's relative",
        "Ward manager",
        "anonymous",
        "Student",
    ]
    assert all("Sepsis study day" in cell_text(tr.select("td")[2]) for tr in feedback_rows)


def test_status_gives_the_same_numbers_in_the_terminal(nurse: Portfolio) -> None:
    command = [sys.executable, "-m", "sphinx_cpd.cli", "status", str(nurse.srcdir)]
    result = subprocess.run([*command, "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scheme"]["start"] == "2024-04-01"
    assert as_table(data["requirements"]) == NURSE_EXPECTED
    table = subprocess.run(command, capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert "3 of 9 requirements met." in table.stdout
    assert "12 hours to go" in table.stdout


def test_a_mentors_build_counts_only_what_the_mentor_sees(nurse: Portfolio) -> None:
    nurse.write(
        "accounts.md",
        accounts().replace(
            ":model: nmc\n\nWords.", ":model: nmc\n:visibility: private\n\nWords.", 1
        ),
    )
    build = nurse.build(cpd_audience="mentor")
    data = json.loads((build.outdir / "portfolio.json").read_text())
    assert as_table(data["requirements"])["reflective-accounts"] == (5, 4, False)
    # The shared build names the confirmer, as the NMC does.
    header = build.html("index.html").select_one(".cpd-edition")
    assert header is not None and "For my confirmer" in header.get_text()


def test_a_period_chosen_on_the_checklist(nurse: Portfolio) -> None:
    nurse.write(
        "index.md",
        "# Revalidation\n\n```{cpd-requirements}\n:period: 2025-01-01\u20132025-12-31\n```\n\n"
        "```{toctree}\nevents\naccounts\nfeedback\nlog\n```\n",
    )
    build = nurse.build()
    assert not build.warnings, build.warnings_text
    rows = build.html("index.html").select(".cpd-requirements-table tbody tr")
    # Only the e-learning (2.5 hours) falls in 2025; all five accounts do.
    assert cell_text(rows[0].select("td")[2]) == "2.5 hours"
    assert cell_text(rows[2].select("td")[3]) == "met"


def test_hcpc_word_limits_on_the_profile_pages(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_scheme = "hcpc-cpd"\ncpd_renewal_date = "2027-03-31"\n')
    portfolio.write(
        "index.md",
        "# Profile\n\n```{cpd-requirements}\n```\n\n```{toctree}\nsummary\nstatement\n```\n",
    )
    # 11 words, a reference counting as the words written in it ("my log").
    portfolio.write(
        "summary.md", "# Summary\n\nI am a physiotherapist on a busy ward, see [my log](index).\n"
    )
    portfolio.write("statement.md", "# Statement\n\n" + "word " * 1501 + "\n")
    build = portfolio.build()
    data = json.loads((build.outdir / "portfolio.json").read_text())
    assert data["scheme"]["start"] == "2025-04-01"
    table = as_table(data["requirements"])
    assert table["summary-of-practice"] == (500, 11, True)
    assert table["statement"] == (1500, 1501, False)
    rows = build.html("index.html").select(".cpd-requirements-table tbody tr")
    assert cell_text(rows[1].select("td")[3]) == "1 word over the limit"


def test_cilip_revalidation_counts_the_current_cpd_year(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built on 1 December 2026; the CPD year runs from April: 2026-04-01 to 2027-03-31.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    portfolio.add_conf('cpd_scheme = "cilip-revalidation"\ncpd_year_start = "04-01"\n')
    portfolio.write(
        "index.md",
        "# Revalidation\n\n```{cpd-requirements}\n```\n\n```{cpd-hours}\n```\n\n"
        "```{toctree}\nstatement\n```\n\n"
        ":::{event} Last year\n:date: 2026-03-31\n:hours: 8\n:::\n\n"
        ":::{event} This year\n:date: 2026-04-01\n:hours: 12.5\n:::\n",
    )
    portfolio.write("statement.md", "# Statement\n\n" + "word " * 240 + "\n")
    build = portfolio.build()
    assert not build.warnings, build.warnings_text
    data = json.loads((build.outdir / "portfolio.json").read_text())
    assert data["scheme"]["start"] == "2026-04-01" and data["scheme"]["end"] == "2027-03-31"
    assert as_table(data["requirements"]) == {
        "cpd-hours": (20, 12.5, False),
        "reflective-statement": (250, 240, True),
    }
    # The scheme's yearly target is the hours listing's target too.
    text = build.html("index.html").get_text(" ", strip=True)
    assert "7.5 to go of 20" in text and "12 to go of 20" in text


def test_problems_in_a_scheme_are_config_warnings(portfolio: Portfolio) -> None:
    portfolio.write(
        "scheme.toml",
        'id = "mine"\ntitle = "My body"\ncolour = "red"\n\n[period]\nyears = 2\n\n'
        '[[requirements]]\nkey = "hours"\nkind = "hours"\nneed = "lots"\n\n'
        '[[requirements]]\nkey = "talks"\nkind = "count"\ncount = "talk"\nneed = 2\n\n'
        '[[requirements]]\nkey = "reading"\nkind = "count"\ncount = "event"\n'
        'type = "reading"\nneed = 3\n',
    )
    portfolio.add_conf('cpd_scheme = "scheme.toml"\ncpd_declarations = {"indemnity": "soon"}\n')
    portfolio.write("index.md", "# Home\n\n```{cpd-requirements}\n```\n")
    build = portfolio.build()
    messages = [w.message for w in build.of("config")]
    assert any("unknown key 'colour'" in m for m in messages), messages
    assert any("'need' 'lots' is not a number" in m for m in messages), messages
    assert any("count 'talk' is not one of" in m for m in messages), messages
    assert any("set cpd_renewal_date" in m for m in messages), messages
    assert any("'soon' is not a date" in m for m in messages), messages
    assert any("'indemnity' is not a declaration" in m for m in messages), messages
    # What could be read still counts.
    data = json.loads((build.outdir / "portfolio.json").read_text())
    assert [r["key"] for r in data["requirements"]] == ["reading"]


def test_an_unknown_scheme_and_a_file_outside_the_folder(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{cpd-requirements}\n```\n")
    portfolio.add_conf('cpd_scheme = "nmc"\n')
    build = portfolio.build()
    assert any("unknown scheme 'nmc'" in w.message for w in build.of("config"))
    portfolio.add_conf('cpd_scheme = "../elsewhere.toml"\n')
    build = portfolio.build()
    assert any("outside the portfolio's folder" in w.message for w in build.of("file"))


def test_text_that_reads_in_another_order_is_left_out() -> None:
    found, problems = schemes.load({"id": "x", "title": "Evil\u202eterces"}, "")
    assert found is not None and found.title == "Evil terces"
    assert any("bidirectional overrides" in p.message for p in problems)


def test_period_parsing() -> None:
    expected = Period(date(2024, 4, 1), date(2027, 3, 31))
    for text in ("2024-04-01\u20132027-03-31", "2024-04-01 to 2027-03-31", "2024-04-01/2027-03-31"):
        assert parse_period(text) == expected
    for bad in ("2024-04-01", "2027-03-31\u20132024-04-01", "soon\u2013later"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_every_bundled_scheme_loads_cleanly() -> None:
    for ident in schemes.BUNDLED_IDS:
        found, problems = schemes.load(ident, "")
        assert found is not None and not problems, (ident, problems)
        assert found.source_url.startswith("https://")
    nmc = schemes.load("nmc-revalidation", "")[0]
    assert nmc is not None and nmc.years == 3 and nmc.renewal
    assert {r.key: r.need for r in nmc.requirements if r.need} == {
        "cpd-hours": Decimal(35),
        "participatory-hours": Decimal(20),
        "reflective-accounts": Decimal(5),
        "feedback": Decimal(5),
        "reflective-discussion": Decimal(1),
    }


#: Anything a dict in conf.py could hold.
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "id": st.text(max_size=6),
            "requirements": st.lists(
                st.dictionaries(
                    st.sampled_from(
                        ["key", "kind", "need", "count", "page", "limit", "model", "x"]
                    ),
                    JSONISH | st.sampled_from(["hours", "count", "words", "declaration", "event"]),
                    max_size=6,
                ),
                max_size=4,
            ),
        },
        optional={"period": JSONISH, "source": JSONISH, "shared-audience": JSONISH},
    )
)
def test_any_scheme_dict_is_read_or_refused_without_raising(value: dict[str, Any]) -> None:
    found, problems = schemes.load(value, "")
    if found is not None:
        for requirement in found.requirements:
            assert requirement.kind in schemes.KINDS
            if requirement.kind in ("hours", "participatory-hours", "count"):
                assert requirement.need is not None and requirement.need > 0
    assert all(problem.message for problem in problems)


def test_what_users_and_attackers_found(portfolio: Portfolio, tmp_path: Any) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('id = "stolen"\ntitle = "Stolen"\n[[criteria]]\ncode = "1"\ntitle = "x"\n')
    portfolio.write(
        "scheme.toml",
        f'id = "mine"\ntitle = "Mine"\nframeworks = ["{outside}", "hcpc-cpd"]\n'
        '[[requirements]]\nkey = "r"\ntitle = ["not", "text"]\nkind = "count"\ncount = "event"\n'
        'model = "nmc"\nneed = 1\n',
    )
    portfolio.add_conf('cpd_scheme = "scheme.toml"\ncpd_frameworks = ["pksb"]\n')
    portfolio.write("index.md", "# Home\n\n```{cpd-requirements}\n```\n")
    build = portfolio.build()
    messages = [w.message for w in build.of("config")]
    # A framework is named by id: a path would skip cpd_frameworks' checks.
    assert any("neither bundled nor loaded" in m for m in messages), messages
    assert "Stolen" not in (build.outdir / "portfolio.json").read_text()
    assert "hcpc-cpd" in (build.outdir / "portfolio.json").read_text()
    assert any("'title' must be text, not list" in m for m in messages), messages
    assert any("'model' applies to a count of reflections only" in m for m in messages)
    # Values no check foresaw: warnings, not tracebacks.
    for conf in (
        'cpd_scheme = ["nmc-revalidation"]\n',
        'cpd_scheme = "nmc-revalidation"\ncpd_renewal_date = "0001-01-01"\n',
    ):
        portfolio.conf(BASE + conf)
        build = portfolio.build()
        assert build.of("config"), conf


BASE = 'project = "P"\nextensions = ["sphinx_cpd"]\nexclude_patterns = ["_build"]\n'


def test_the_checklist_follows_an_edited_scheme_file(portfolio: Portfolio) -> None:
    scheme = '[period]\nyears = 1\n[[requirements]]\nkey = "h"\nkind = "hours"\nneed = {need}\n'
    portfolio.write("scheme.toml", 'id = "s"\ntitle = "S"\n' + scheme.format(need=10))
    portfolio.add_conf('cpd_scheme = "scheme.toml"\n')
    portfolio.write("index.md", "# Home\n\n```{toctree}\nother\n```\n")
    portfolio.write("other.md", "# Other\n\n```{cpd-requirements}\n```\n")
    build = portfolio.build()
    assert "Needed 10 hours" in build.html("other.html").get_text(" ", strip=True)
    portfolio.write("scheme.toml", 'id = "s"\ntitle = "S"\n' + scheme.format(need=100))
    build = portfolio.build()
    assert "Needed 100 hours" in build.html("other.html").get_text(" ", strip=True)


def test_the_checklist_counts_words_as_the_page_does(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_scheme = "cilip-revalidation"\n')
    portfolio.write(
        "index.md", "# Home\n\n```{cpd-requirements}\n```\n\n```{toctree}\nstatement\n```\n"
    )
    portfolio.write(
        "statement.md",
        "---\ncpd-word-limit: 250\ncpd-visibility: mentor\n---\n\n(top)=\n# Statement\n\n"
        "I went to {event}`study-day` and learned a lot[^a], see [](#top), {ref}`top`,\n"
        "{doc}`index` and {criterion}`pksb:8`.\n\n[^a]: A footnote of six words here.\n\n"
        "```{only} latex\nOnly in print.\n```\n\n"
        ":::{event} A long study day on metadata\n:id: study-day\n:date: 2020-01-01\n:::\n\n"
        "# A second top-level heading\n\nNot counted by the page's own counter.\n",
    )
    build = portfolio.build()
    assert not build.warnings, build.warnings_text
    own = build.html("statement.html").select_one(".cpd-word-count").get_text()
    data = json.loads((build.outdir / "portfolio.json").read_text())
    have = next(r["have"] for r in data["requirements"] if r["kind"] == "words")
    assert own == f"{have} / 250 words", (own, have)


def test_a_new_template_has_nothing_written_yet(portfolio: Portfolio) -> None:
    from sphinx_cpd.templates import render

    for name, text in render("hcpc").items():
        portfolio.write(name, text)
    build = portfolio.build()
    data = json.loads((build.outdir / "portfolio.json").read_text())
    words = [r for r in data["requirements"] if r["kind"] == "words"]
    assert [r["met"] for r in words] == [False, False] and all(r["have"] == 0 for r in words)


def test_a_declaration_dated_ahead_is_not_made_yet(
    nurse: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    nurse.add_conf('cpd_declarations = {"indemnity": "2026-12-02"}\n')
    build = nurse.build()
    data = json.loads((build.outdir / "portfolio.json").read_text())
    assert as_table(data["requirements"])["indemnity"] == (1, 0, False)


def test_a_word_limit_on_a_page_that_is_not_there(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_scheme = "cilip-revalidation"\n')
    portfolio.write("index.md", "# Home\n\n```{cpd-requirements}\n```\n")
    build = portfolio.build()
    assert any("the page 'statement', which is not in" in w.message for w in build.of("config"))


def test_a_mentors_json_names_no_private_object_or_page(nurse: Portfolio) -> None:
    nurse.write(
        "events.md",
        NURSE_EVENTS.replace(":id: sepsis\n", ":id: sepsis\n:visibility: private\n"),
    )
    build = nurse.build(cpd_audience="mentor")
    text = (build.outdir / "portfolio.json").read_text()
    data = json.loads(text)
    assert all(item["on"] is None for item in data["feedback"])
    assert '"sepsis"' not in text and "Sepsis" not in text


def test_check_lists_every_problem_of_a_scheme_file(portfolio: Portfolio) -> None:
    portfolio.write(
        "scheme.toml",
        'id = "s"\ntitle = "S"\nfoo = 1\nbar = 2\n[[requirements]]\nkey = "a"\nkind = "x"\n',
    )
    portfolio.add_conf('cpd_scheme = "scheme.toml"\n')
    portfolio.write("index.md", "# Home\n")
    command = [sys.executable, "-m", "sphinx_cpd.cli", "check", str(portfolio.srcdir)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    for expected in ("unknown key 'foo'", "unknown key 'bar'", "kind 'x' is not one of"):
        assert expected in result.stdout + result.stderr, result.stdout + result.stderr


def test_the_checklist_follows_an_edited_statement(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_scheme = "cilip-revalidation"\n')
    portfolio.write("index.md", "# Home\n\n```{toctree}\nlog\nstatement\n```\n")
    portfolio.write("log.md", "# Log\n\n```{cpd-requirements}\n```\n")
    portfolio.write("statement.md", "# Statement\n\nThree words here.\n")
    build = portfolio.build()
    assert "Have 3 words" in build.html("log.html").get_text(" ", strip=True)
    portfolio.write("statement.md", "# Statement\n\nNow there are five words.\n")
    build = portfolio.build()
    assert "Have 5 words" in build.html("log.html").get_text(" ", strip=True)
