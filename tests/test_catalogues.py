"""Frameworks, licences, reflective models, and the values users write."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from sphinx_cpd.catalogues import licences
from sphinx_cpd.catalogues.frameworks import BUNDLED_IDS, load
from sphinx_cpd.catalogues.models import BUNDLED
from sphinx_cpd.model import InputError, format_hours, parse_hours
from tests.conftest import Portfolio

# -- hours ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1.5", "1.5"),
        ("3", "3"),
        ("2:45", "2.75"),
        ("0:30", "0.5"),
        ("24.750", "24.75"),
        (".5", "0.5"),
    ],
)
def test_hours_are_read_and_shown_exactly(written: str, shown: str) -> None:
    assert format_hours(parse_hours(written)) == shown


def test_hours_add_without_drift() -> None:
    total = sum((parse_hours(h) for h in ["0.1", "0.2", "0:15", "1:45"]), Decimal(0))
    assert format_hours(total) == "2.3"


@pytest.mark.parametrize("written", ["three", "-1", "1:60", "1.5h", ""])
def test_bad_hours_are_refused(written: str) -> None:
    with pytest.raises(InputError):
        parse_hours(written)


# -- licences ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "spdx", "url", "flags"),
    [
        ("CC-BY-4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", ""),
        (
            "cc-by-sa-2.0-uk",
            "CC-BY-SA-2.0-UK",
            "https://creativecommons.org/licenses/by-sa/2.0/uk/",
            "sa",
        ),
        (
            "CC BY-NC-ND 3.0",
            "CC-BY-NC-ND-3.0",
            "https://creativecommons.org/licenses/by-nc-nd/3.0/",
            "nc nd",
        ),
        (
            "CC-BY-NC-SA-2.5-AU",
            "CC-BY-NC-SA-2.5-AU",
            "https://creativecommons.org/licenses/by-nc-sa/2.5/au/",
            "nc sa",
        ),
        (
            "CC-BY-NC-ND-1.0",
            "CC-BY-NC-ND-1.0",
            "https://creativecommons.org/licenses/by-nd-nc/1.0/",
            "nc nd",
        ),
        ("CC-BY-3.0-IGO", "CC-BY-3.0-IGO", "https://creativecommons.org/licenses/by/3.0/igo/", ""),
        (
            "CC-BY-SA-2.1-JP",
            "CC-BY-SA-2.1-JP",
            "https://creativecommons.org/licenses/by-sa/2.1/jp/",
            "sa",
        ),
        ("cc0-1.0", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", ""),
        ("CC-PDM-1.0", "CC-PDM-1.0", "https://creativecommons.org/publicdomain/mark/1.0/", ""),
    ],
)
def test_licence_catalogue(written: str, spdx: str, url: str, flags: str) -> None:
    licence = licences.lookup(written)
    assert licence is not None
    assert licence.spdx == spdx
    assert licence.url == url
    assert licence.non_commercial == ("nc" in flags.split())
    assert licence.no_derivatives == ("nd" in flags.split())
    assert licence.share_alike == ("sa" in flags.split())


@pytest.mark.parametrize(
    "written", ["CC-BY-5.0", "CC-BY-4.0-UK", "CC-BY-2.1", "CC-SA-2.0", "CC-BY-2.0-XX", "GPL-3.0"]
)
def test_unknown_licences(written: str) -> None:
    assert licences.lookup(written) is None


def test_all_rights_reserved_needs_permission() -> None:
    licence = licences.lookup("all-rights-reserved")
    assert licence is not None and licence.needs_permission and licence.url is None


# -- reflective models ---------------------------------------------------------


def test_bundled_models_have_their_stages_in_order() -> None:
    keys = {key: [s.key for s in model.stages] for key, model in BUNDLED.items()}
    assert keys["gibbs"] == [
        "description",
        "feelings",
        "evaluation",
        "analysis",
        "conclusion",
        "action-plan",
    ]
    assert keys["kolb"] == ["experience", "observation", "conceptualisation", "experimentation"]
    for key in ("rolfe", "borton", "driscoll"):
        assert keys[key] == ["what", "so-what", "now-what"]
    assert keys["johns"] == ["description", "reflection", "influences", "alternatives", "learning"]
    for model in BUNDLED.values():
        assert all(stage.label and stage.prompt for stage in model.stages)


# -- frameworks ----------------------------------------------------------------


def test_bundled_frameworks() -> None:
    catalogue = load(list(BUNDLED_IDS), "")
    assert catalogue.problems == ()
    frameworks = catalogue.frameworks
    for ident in ("cilip-certification", "cilip-chartership", "cilip-fellowship"):
        assert [c.code for c in frameworks[ident].criteria] == ["1", "2", "3"]
    assert [c.code for c in frameworks["cpd23"].criteria] == [str(n) for n in range(1, 24)]
    assert [c.title for c in frameworks["nmc-code"].criteria] == [
        "Prioritise people",
        "Practise effectively",
        "Preserve safety",
        "Promote professionalism and trust",
    ]
    assert frameworks["pksb"].criterion("ethics") is not None
    assert (frameworks["pksb"].scale.min, frameworks["pksb"].scale.max) == (0, 4)
    # Names and short titles only: no descriptive text copied from the bodies.
    for framework in frameworks.values():
        assert all(not c.description for c in framework.criteria)


FRAMEWORK_TOML = """\
id = "team-skills"
title = "Our team's skills"
version = "2024"

[scale]
min = 1
max = 3
labels = { 1 = "Learning", 2 = "Doing", 3 = "Teaching" }

[[criteria]]
code = 1
title = "Enquiries"

[[criteria.criteria]]
code = "1a"
title = "Enquiries by chat"

[[criteria]]
code = 2
title = "Teaching"
"""

FRAMEWORK_YAML = """\
id: hcpc
title: HCPC standards for CPD
criteria:
  - code: 1
    title: Keep a record
  - code: 2
    title: Mix of activities
"""


def test_framework_files_in_every_format(portfolio: Portfolio) -> None:
    portfolio.write("frameworks/team.toml", FRAMEWORK_TOML)
    portfolio.write("frameworks/hcpc.yaml", FRAMEWORK_YAML)
    portfolio.write(
        "frameworks/alia.json",
        json.dumps(
            {"id": "alia", "title": "ALIA PD", "criteria": [{"code": "A", "title": "Ethics"}]}
        ),
    )
    portfolio.add_conf(
        """\
        cpd_frameworks = [
            "pksb",
            "frameworks/team.toml",
            "frameworks/hcpc.yaml",
            "frameworks/alia.json",
            {"id": "own", "title": "My own", "criteria": [{"code": "x", "title": "Curiosity"}]},
        ]
        """
    )
    portfolio.write(
        "index.md",
        """\
        # Home

        {criterion}`team-skills:1a` {criterion}`hcpc:2` {criterion}`alia:A`
        {criterion}`own:x` {criterion}`pksb:8`

        :::{rating}
        :criterion: team-skills:1
        :score: 3
        :date: 2024-01-01
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    soup = build.html("index.html")
    texts = [span.get_text() for span in soup.select("section > p span.cpd-criterion")]
    assert texts == [
        "Our team's skills 1a: Enquiries by chat",
        "HCPC standards for CPD 2: Mix of activities",
        "ALIA PD A: Ethics",
        "My own x: Curiosity",
        "PKSB 8: Literacies and learning",
    ]
    assert "3 of 3 (Teaching)" in soup.select_one("div.cpd-card--rating").get_text()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('title = "No id"\n[[criteria]]\ncode = "1"\ntitle = "A"\n', "has no 'id'"),
        ('id = "x"\ntitle = "X"\n', "has no criteria"),
        ('id = "x"\ntitle = "X"\n[[criteria]]\ntitle = "No code"\n', "has no 'code'"),
        (
            'id = "x"\ntitle = "X"\n[[criteria]]\ncode = "1"\ntitle = "A"\n'
            '[[criteria]]\ncode = "1"\ntitle = "B"\n',
            "appears twice",
        ),
        (
            'id = "x"\ntitle = "X"\n[scale]\nmin = 4\nmax = 1\n'
            '[[criteria]]\ncode = "1"\ntitle = "A"\n',
            "not below max",
        ),
        ("id = [unclosed\n", "not valid TOML"),
        (
            'id = "x"\ntitle = "X"\n[[criteria]]\ncode = "1"\ntitle = "A\\u001b[31m"\n',
            "control characters",
        ),
    ],
)
def test_problems_in_framework_files_name_the_file(
    portfolio: Portfolio, content: str, problem: str
) -> None:
    portfolio.write("mine.toml", content)
    portfolio.add_conf('cpd_frameworks = ["pksb", "mine.toml"]')
    portfolio.write("index.md", "# Home\n\n{criterion}`pksb:8`\n")
    build = portfolio.build()
    config = build.of("config")
    assert len(config) == 1, build.warnings_text
    assert "mine.toml" in config[0].message
    assert problem in config[0].message
    # The rest of the portfolio is unaffected.
    assert build.html("index.html").select_one("span.cpd-criterion") is not None


def test_missing_framework_file_and_unknown_id(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_frameworks = ["pksb", "nowhere.yaml", "nmc"]')
    portfolio.write("index.md", "# Home\n")
    build = portfolio.build()
    messages = [w.message for w in build.of("config")]
    assert len(messages) == 2
    assert any("nowhere.yaml" in m and "cannot be read" in m for m in messages)
    assert any("unknown framework 'nmc'" in m for m in messages)


@pytest.mark.parametrize(
    ("setting", "name"),
    [
        ('cpd_default_visibility = "secret"', "cpd_default_visibility"),
        ('cpd_year_start = "July"', "cpd_year_start"),
        ('cpd_hours_target = "lots"', "cpd_hours_target"),
        ("cpd_hours_target = 0", "cpd_hours_target"),
        ('cpd_pdf_paper = "A5"', "cpd_pdf_paper"),
        ('cpd_profile = {"nmae": "Typo"}', "cpd_profile"),
        ('cpd_reflection_models = {"star": "not a list"}', "cpd_reflection_models"),
    ],
)
def test_bad_config_values_are_named(portfolio: Portfolio, setting: str, name: str) -> None:
    portfolio.add_conf(setting)
    portfolio.write("index.md", "# Home\n\nStill builds.\n")
    build = portfolio.build()
    config = build.of("config")
    assert len(config) == 1, build.warnings_text
    assert config[0].message.startswith(name) or name in config[0].message
    assert "Still builds." in build.html("index.html").get_text()


def test_text_no_output_can_hold_is_left_out_of_a_framework(portfolio: Portfolio) -> None:
    # A lone surrogate (which no encoder writes) and a terminal escape.
    portfolio.write(
        "odd.json",
        '{"id": "odd", "title": "Odd", "criteria": '
        '[{"code": "a\\u0001b", "title": "emoji \\ud83d"}, {"code": "c", "title": "C"}]}',
    )
    portfolio.add_conf('cpd_frameworks = ["odd.json"]\nversion = "1"\ncopyright = "2024, Me"')
    portfolio.write(
        "index.md",
        "# Home\n\n{criterion}`odd:a b`\n\n```{cpd-dashboard}\n```\n\n"
        "```{cpd-matrix}\n:framework: odd\n```\n",
    )
    for builder in ("html", "text", "latex", "epub"):
        build = portfolio.build(builder)
        assert [w.type for w in build.warnings] == ["cpd.config"], build.warnings_text
    text = (portfolio.builddir / "text" / "index.txt").read_text()
    assert "Odd a b: emoji" in text
    assert "\x01" not in text and "\x1b" not in text
