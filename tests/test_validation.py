"""Every problem in a source is one warning, at its file and line, with a cpd.* type.

Each case writes a page whose third line starts the faulty object, followed by a
paragraph that must still reach the output: bad input never stops the rest of
the page from rendering.
"""

from __future__ import annotations

import pytest
from sphinx.cmd.build import build_main

from tests.conftest import PNG, Portfolio

AFTER = "The rest of this page still renders."

IMAGE = "pic.png"


def page(body: str) -> str:
    return f"# Page\n\n{body.strip()}\n\n{AFTER}\n"


# (id, kind, line of the warning, page body starting at line 3, extra conf)
CASES: list[tuple[str, str, int, str, str]] = [
    ("event-without-date", "date", 3, ":::{event} Talk\n:hours: 1\n:::", ""),
    ("malformed-date", "date", 3, ":::{event} Talk\n:date: 14/11/2011\n:::", ""),
    ("impossible-date", "date", 3, ":::{event} Talk\n:date: 2011-02-30\n:::", ""),
    (
        "hours-not-a-number",
        "hours",
        3,
        ":::{event} Talk\n:date: 2011-11-14\n:hours: three\n:::",
        "",
    ),
    ("negative-hours", "hours", 3, ":::{event} Talk\n:date: 2011-11-14\n:hours: -2\n:::", ""),
    ("bad-minutes", "hours", 3, ":::{event} Talk\n:date: 2011-11-14\n:hours: 1:75\n:::", ""),
    (
        "end-before-start",
        "end",
        3,
        ":::{event} Talk\n:date: 2011-11-14\n:end: 2011-11-13\n:::",
        "",
    ),
    ("unknown-type", "type", 3, ":::{event} Talk\n:date: 2011-11-14\n:type: party\n:::", ""),
    (
        "unknown-model",
        "model",
        3,
        ":::{reflection} Thoughts\n:date: 2011-11-14\n:model: freud\n:::",
        "",
    ),
    (
        "stage-not-in-model",
        "stage",
        7,
        "::::{reflection} Thoughts\n:date: 2011-11-14\n:model: rolfe\n\n"
        ":::{stage} feelings\nI felt fine.\n:::\n::::",
        "",
    ),
    (
        "stage-out-of-order",
        "stage",
        11,
        "::::{reflection} Thoughts\n:date: 2011-11-14\n:model: rolfe\n\n"
        ":::{stage} now-what\nNext.\n:::\n\n:::{stage} what\nFirst.\n:::\n::::",
        "",
    ),
    (
        "stage-repeated",
        "stage",
        11,
        "::::{reflection} Thoughts\n:date: 2011-11-14\n:model: rolfe\n\n"
        ":::{stage} what\nOne.\n:::\n\n:::{stage} what\nTwo.\n:::\n::::",
        "",
    ),
    ("stage-outside-reflection", "stage", 3, ":::{stage} what\nLonely.\n:::", ""),
    (
        "unknown-licence",
        "licence",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:author: A. Person\n:licence: CC-BY-7.0\n:::",
        "",
    ),
    (
        "missing-licence",
        "licence",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:author: A. Person\n:::",
        "",
    ),
    (
        "unknown-framework",
        "framework",
        3,
        ":::{event} Talk\n:date: 2011-11-14\n:criteria: nosuch:1\n:::",
        "",
    ),
    (
        "unknown-criterion",
        "criterion",
        3,
        ":::{event} Talk\n:date: 2011-11-14\n:criteria: cilip-chartership:9\n:::",
        "",
    ),
    (
        "criterion-role-unknown",
        "criterion",
        3,
        "This maps to {criterion}`pksb:99`.",
        "",
    ),
    (
        "duplicate-id",
        "duplicate",
        7,
        ":::{event} Talk\n:id: talk\n:date: 2011-11-14\n:::\n"
        ":::{event} Another talk\n:id: talk\n:date: 2011-11-15\n:::",
        "",
    ),
    ("unknown-reference", "ref", 3, "See {event}`no-such-event`.", ""),
    (
        "reference-of-wrong-kind",
        "ref",
        7,
        ":::{action} Do it\n:id: do-it\n:::\n\nSee {event}`do-it`.",
        "",
    ),
    (
        "missing-image",
        "image",
        3,
        ":::{photo} missing.png\n:alt: A picture\n:author: A. Person\n:licence: CC-BY-4.0\n:::",
        "",
    ),
    (
        "missing-evidence-file",
        "file",
        3,
        ":::{evidence} Certificate\n:file: certificate.pdf\n:::",
        "",
    ),
    (
        "photo-without-alt",
        "alt",
        3,
        f":::{{photo}} {IMAGE}\n:author: A. Person\n:licence: CC-BY-4.0\n:::",
        "",
    ),
    (
        "by-without-author",
        "author",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:licence: CC-BY-SA-2.0-UK\n:::",
        "",
    ),
    (
        "modified-nd",
        "modified",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:author: A. Person\n"
        ":licence: CC-BY-NC-ND-3.0\n:modified: cropped\n:::",
        "",
    ),
    (
        "nc-commercial",
        "commercial",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:author: A. Person\n:licence: cc-by-nc-4.0\n:::",
        "cpd_commercial = True",
    ),
    (
        "all-rights-reserved-without-permission",
        "permission",
        3,
        f":::{{photo}} {IMAGE}\n:alt: A picture\n:author: A. Person\n"
        ":licence: all-rights-reserved\n:::",
        "",
    ),
    (
        "score-off-scale",
        "score",
        3,
        ":::{rating}\n:criterion: pksb:8\n:score: 9\n:date: 2011-11-14\n:::",
        "",
    ),
    (
        "rating-without-criterion",
        "criterion",
        3,
        ":::{rating}\n:score: 2\n:date: 2011-11-14\n:::",
        "",
    ),
    (
        "unknown-visibility",
        "visibility",
        3,
        ":::{event} Talk\n:date: 2011-11-14\n:visibility: secret\n:::",
        "",
    ),
    ("unknown-status", "status", 3, ":::{action} Do it\n:status: pending\n:::", ""),
    ("malformed-id", "id", 3, ":::{action} Do it\n:id: do it now!\n:::", ""),
    ("malformed-due-date", "date", 3, ":::{action} Do it\n:due: next week\n:::", ""),
    ("feedback-without-from", "option", 3, ":::{feedback}\n:date: 2011-11-14\nWell done.\n:::", ""),
]


@pytest.mark.parametrize(
    ("kind", "line", "body", "conf"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_problem_is_one_warning_at_its_line(
    portfolio: Portfolio, kind: str, line: int, body: str, conf: str
) -> None:
    portfolio.write("index.md", page(body))
    (portfolio.srcdir / IMAGE).write_bytes(PNG)
    if conf:
        portfolio.add_conf(conf)

    build = portfolio.build()

    cpd = [w for w in build.warnings if (w.type or "").startswith("cpd.")]
    assert len(cpd) == 1, build.warnings_text
    warning = cpd[0]
    assert warning.type == f"cpd.{kind}", build.warnings_text
    assert warning.file.endswith("index.md")
    assert warning.line == line, build.warnings_text
    assert len(warning.message) > 30, "the message should say how to fix the problem"
    assert "Traceback" not in build.warnings_text
    assert AFTER in build.html("index.html").get_text()


def test_problems_can_be_suppressed_by_kind(portfolio: Portfolio) -> None:
    portfolio.write("index.md", page(":::{event} Talk\n:date: someday\n:::"))
    portfolio.add_conf('suppress_warnings = ["cpd.date"]')
    build = portfolio.build()
    assert build.of("date") == []
    assert "someday" not in build.warnings_text


def test_warnings_fail_a_strict_build(portfolio: Portfolio) -> None:
    portfolio.write("index.md", page(":::{event} Talk\n:date: someday\n:::"))
    out = portfolio.builddir / "strict"
    assert build_main(["-q", "-W", "-b", "html", str(portfolio.srcdir), str(out)]) == 1
    assert (out / "index.html").is_file(), "the rest of the portfolio is still written"


def test_object_with_bad_options_still_shows_what_is_good(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        page(
            ":::{event} Copyright session\n:date: 2011-11-14\n:hours: lots\n"
            ":organiser: CILIP in London\n\nAbout copyright.\n:::"
        ),
    )
    build = portfolio.build()
    event = build.html("index.html").select_one("div.cpd-card--event")
    assert event is not None
    text = event.get_text(" ", strip=True)
    assert "Copyright session" in text
    assert "CILIP in London" in text
    assert "About copyright." in text
    assert "lots" not in text


def test_the_configuration_is_checked_again_when_a_value_changes() -> None:
    """Every directive reads the configuration, and gets the last checked
    values while the raw ones are the same; a value changed, even in place or
    only in its type (``1`` is not ``True``), is checked again."""
    from sphinx.config import Config

    from sphinx_cpd import config as cpd_config

    conf = Config({})
    for setting in cpd_config.SETTINGS:
        default = list(setting.default) if isinstance(setting.default, tuple) else setting.default
        conf.add(setting.name, default, "env", frozenset(setting.types))
    conf.cpd_commercial = 1
    assert cpd_config.read(conf).commercial is False
    conf.cpd_commercial = True
    assert cpd_config.read(conf).commercial is True
    conf.cpd_profile = {"name": "Alex Doe"}
    first = cpd_config.read(conf)
    conf.cpd_profile["role"] = "Librarian"
    assert cpd_config.read(conf).profile == {"name": "Alex Doe", "role": "Librarian"}
    # A reader that changes its tables changes no one else's.
    first.profile["name"] = "Someone else"
    assert cpd_config.read(conf).profile["name"] == "Alex Doe"
