"""Listings are always current: after each edit, an incremental build's listing pages
equal those of a fresh build, serially and in parallel."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.conftest import PNG, Portfolio

LISTINGS_PAGE = """\
# Listings

```{cpd-hours}
```

```{cpd-log}
```

```{cpd-matrix}
:framework: cilip-chartership
```

```{cpd-credits}
```

```{cpd-actions}
```

```{cpd-timeline}
```

```{cpd-ratings}
```

```{cpd-dashboard}
:year: 2020
```
"""

INDEX = "# Home\n\n```{toctree}\nlistings\na\nb\n```\n"

PAGE_A = """\
# A

:::{event} Conference
:id: conference
:date: 2020-07-01
:hours: 6
:type: conference
:criteria: cilip-chartership:3
:::

::::{reflection} On the conference
:date: 2020-07-02
:event: conference

Text.

:::{action} Write it up
:due: 2020-08-01
:::
::::
"""

PAGE_B = """\
# B

:::{event} Webinar
:date: 2021-02-01
:hours: 1:30
:type: webinar
:::

:::{photo} pic.png
:alt: A picture.
:title: Picture
:author: A. Person
:licence: CC-BY-4.0
:::

:::{rating}
:criterion: pksb:8
:score: 1
:date: 2020-01-01
:::
"""

PAGE_C = """\
# C

:::{event} Workshop
:date: 2021-03-01
:hours: 2.5
:type: workshop
:criteria: cilip-chartership:2
:::

:::{rating}
:criterion: pksb:8
:score: 3
:date: 2021-03-02
:::

:::{evidence} Certificate
:date: 2021-03-01
:::
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


STEPS = [
    ("change hours", lambda src: edit(src / "a.md", ":hours: 6", ":hours: 7.25")),
    ("rename an event", lambda src: edit(src / "b.md", "Webinar\n", "Evening webinar\n")),
    (
        "close an action",
        lambda src: edit(src / "a.md", ":due: 2020-08-01", ":due: 2020-08-01\n:status: done"),
    ),
    (
        "map a criterion",
        lambda src: edit(
            src / "b.md", ":type: webinar", ":type: webinar\n:criteria: cilip-chartership:1"
        ),
    ),
    (
        "add a page",
        lambda src: (
            (src / "c.md").write_text(PAGE_C, encoding="utf-8"),
            edit(src / "index.md", "b\n```", "b\nc\n```"),
        ),
    ),
    ("change a credit", lambda src: edit(src / "b.md", ":author: A. Person", ":author: B. Person")),
    (
        "delete a page",
        lambda src: (
            (src / "c.md").unlink(),
            edit(src / "index.md", "b\nc\n```", "b\n```"),
        ),
    ),
    (
        "remove an object",
        lambda src: edit(
            src / "a.md", ":::{action} Write it up\n:due: 2020-08-01\n:status: done\n:::\n", ""
        ),
    ),
]


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel"])
def test_listings_stay_current_through_edits(portfolio: Portfolio, parallel: int) -> None:
    portfolio.write("index.md", INDEX)
    portfolio.write("listings.md", LISTINGS_PAGE)
    portfolio.write("a.md", PAGE_A)
    portfolio.write("b.md", PAGE_B)
    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    portfolio.build(parallel=parallel)

    fresh_dirs = (portfolio.builddir.parent / f"fresh{n}" for n in itertools.count())
    for name, step in STEPS:
        step(portfolio.srcdir)
        build = portfolio.build(parallel=parallel)
        assert build.warnings == [], (name, build.warnings_text)
        fresh = portfolio.build(fresh=True, builddir=next(fresh_dirs))
        incremental = build.html("listings.html").select_one("div.body")
        expected = fresh.html("listings.html").select_one("div.body")
        assert str(incremental) == str(expected), name


def test_an_edit_rewrites_only_its_page_and_the_listing_pages(portfolio: Portfolio) -> None:
    portfolio.write("index.md", INDEX)
    portfolio.write("listings.md", LISTINGS_PAGE)
    portfolio.write("a.md", PAGE_A)
    portfolio.write("b.md", PAGE_B)
    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    portfolio.build()
    edit(portfolio.srcdir / "b.md", ":hours: 1:30", ":hours: 2")
    build = portfolio.build()
    status = build.app.status.getvalue()
    written = status.split("writing output...")[-1]
    assert "b" in written and "listings" in written
    assert " a\n" not in written and "[100%] a" not in written
