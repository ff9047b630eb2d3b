"""Word counts and limits on pages and reflections."""

from __future__ import annotations

from tests.conftest import PNG, Portfolio

# Counted, by hand: "One two three four five." (5), "See" (1) + the reference's
# shown title "Three Word Title" (3), "six seven" (2) around inline code, the
# reflection's "alpha beta gamma" (3) and its stage's "delta epsilon" (2), and
# the nested action's "zeta" (1): 17 words. Not counted: headings, object titles
# and details, the code, the caption and credit, the feedback and the listing.
PAGE = """\
---
cpd-word-limit: {limit}
---

# A heading that does not count

One two three four five.

See {{event}}`ev`.

six `not counted` seven

```python
print("code does not count")
```

:::{{event}} Three Word Title
:id: ev
:date: 2011-11-14
:organiser: Details do not count
:::

::::{{reflection}} Reflection title
:date: 2011-11-28
:model: rolfe
:word-limit: {reflection_limit}

alpha beta gamma

:::{{stage}} what
delta epsilon
:::

```{{action}} Action title
:due: 2012-01-01

zeta
```
::::

:::{{photo}} pic.png
:alt: Alt text does not count.
:author: Someone Else
:licence: CC-BY-4.0

A caption that does not count.
:::

:::{{feedback}}
:from: My mentor
:date: 2011-12-01

Feedback is someone else's words and does not count.
:::

```{{cpd-timeline}}
```
"""


def write(portfolio: Portfolio, limit: int, reflection_limit: int) -> None:
    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    portfolio.write("index.md", PAGE.format(limit=limit, reflection_limit=reflection_limit))


def test_counts_only_the_authors_prose(portfolio: Portfolio) -> None:
    write(portfolio, limit=100, reflection_limit=50)
    build = portfolio.build()
    assert build.warnings == []
    soup = build.html("index.html")
    counts = [p.get_text() for p in soup.select("p.cpd-word-count")]
    # The page's count comes first, under its heading; then the reflection's.
    assert counts == ["17 / 100 words", "6 / 50 words"]
    assert soup.select_one("section > p.cpd-word-count") is not None
    assert soup.select_one("div.cpd-card--reflection p.cpd-word-count") is not None
    assert not soup.select(".cpd-over-limit")


def test_over_the_limit_warns_at_the_first_line_and_the_directive(portfolio: Portfolio) -> None:
    write(portfolio, limit=10, reflection_limit=5)
    build = portfolio.build()
    warnings = build.of("word-limit")
    assert [(w.line, w.message.split(";")[0]) for w in warnings] == [
        (1, "the page has 17 words, over its limit of 10"),
        (23, "this reflection has 6 words, over its limit of 5"),
    ]
    assert all(w.file.endswith("index.md") for w in warnings)
    assert len(build.html("index.html").select(".cpd-over-limit")) == 2


def test_a_reference_counts_as_the_words_it_shows(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "---\ncpd-word-limit: 50\n---\n\n# Page\n\nSee {event}`ev` and {event}`one word <ev>`.\n\n"
        ":::{event} A much longer five word title\n:id: ev\n:date: 2011-11-14\n:::\n",
    )
    build = portfolio.build()
    # "See" + 6 title words + "and" + "one word" = 10
    assert build.html("index.html").select_one("p.cpd-word-count").get_text() == "10 / 50 words"


def test_bad_limits_are_reported(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "---\ncpd-word-limit: lots\n---\n\n# Page\n\n:::{reflection} R\n:date: 2011-11-28\n"
        ":word-limit: -5\n:::\n",
    )
    build = portfolio.build()
    assert sorted(w.line for w in build.of("word-limit")) == [1, 7]
