"""References between objects: ids, default link text, evidence numbers, back-links."""

from __future__ import annotations

from tests.conftest import Portfolio

INDEX = """\
# Home

```{toctree}
events
reflections
evidence
```

See {event}`networking`, {reflection}`on-networking`, {evidence}`certificate`,
{evidence}`the notes <notes>`, {action}`follow-up` and {criterion}`cpd23:7`.
"""

EVENTS = """\
# Events

:::{event} Networking evening
:id: networking
:date: 2011-10-12
:hours: 2
:::
"""

REFLECTIONS = """\
# Reflections

::::{reflection} Networking, or a community?
:id: on-networking
:date: 2011-11-28
:event: networking

Text.

:::{action} Follow up within a week
:id: follow-up
:::
::::
"""

EVIDENCE = """\
# Evidence

:::{evidence} Session notes
:id: notes
:event: networking
:::

:::{evidence} Certificate of attendance
:id: certificate
:::
"""


def write_all(portfolio: Portfolio) -> None:
    portfolio.write("index.md", INDEX)
    portfolio.write("events.md", EVENTS)
    portfolio.write("reflections.md", REFLECTIONS)
    portfolio.write("evidence.md", EVIDENCE)


def test_roles_link_with_titles_as_text(portfolio: Portfolio) -> None:
    write_all(portfolio)
    build = portfolio.build()
    assert build.warnings == []
    links = {
        a["href"]: a.get_text() for a in build.html("index.html").select("p a.reference.internal")
    }
    assert links == {
        "events.html#cpd-events-networking": "Networking evening",
        "reflections.html#cpd-reflections-on-networking": "Networking, or a community?",
        "evidence.html#cpd-evidence-certificate": "E2 Certificate of attendance",
        "evidence.html#cpd-evidence-notes": "the notes",
        "reflections.html#cpd-reflections-follow-up": "Follow up within a week",
    }
    criterion = build.html("index.html").select_one("span.cpd-criterion")
    assert criterion.get_text() == ("CPD23 7: Face-to-face networks and professional organisations")


def test_evidence_is_numbered_in_toctree_order(portfolio: Portfolio) -> None:
    write_all(portfolio)
    # A page earlier in the toctree gets the lower number, whatever its name.
    portfolio.write("zzz-early.md", "# Early\n\n:::{evidence} Early thing\n:::\n")
    portfolio.write("index.md", INDEX.replace("```{toctree}\n", "```{toctree}\nzzz-early\n"))
    build = portfolio.build()
    numbers = [n.get_text() for n in build.html("zzz-early.html").select(".cpd-number")]
    assert numbers == ["E1"]
    numbers = [n.get_text() for n in build.html("evidence.html").select(".cpd-number")]
    assert numbers == ["E2", "E3"]


def test_event_lists_what_links_back_to_it(portfolio: Portfolio) -> None:
    write_all(portfolio)
    build = portfolio.build()
    back = build.html("events.html").select_one("div.cpd-card--event div.cpd-backlinks")
    assert back is not None
    items = [li.get_text(" ", strip=True) for li in back.select("li")]
    assert items == [
        "Reflection: Networking, or a community?",
        "Action: Follow up within a week",
        "Evidence: E1 Session notes",
    ]
    hrefs = [a["href"] for a in back.select("a")]
    assert hrefs == [
        "reflections.html#cpd-reflections-on-networking",
        "reflections.html#cpd-reflections-follow-up",
        "evidence.html#cpd-evidence-notes",
    ]


def test_derived_ids_are_made_unique_in_portfolio_order(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n```{toctree}\nb\na\n```\n\n"
        "See {event}`2011-11-14-talk` and {event}`2011-11-14-talk-2`.\n",
    )
    portfolio.write("a.md", "# A\n\n:::{event} Talk\n:date: 2011-11-14\n\nIn A.\n:::\n")
    portfolio.write("b.md", "# B\n\n:::{event} Talk\n:date: 2011-11-14\n\nIn B.\n:::\n")
    build = portfolio.build()
    assert build.warnings == []
    hrefs = [a["href"] for a in build.html("index.html").select("p a.reference.internal")]
    # b comes first in the toctree, so it keeps the plain id.
    assert hrefs == ["b.html#cpd-b-2011-11-14-talk", "a.html#cpd-a-2011-11-14-talk"]


def test_same_title_twice_in_one_page(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n:::{action} Read more\n:::\n\n:::{action} Read more\n:::\n\n"
        "{action}`action-read-more` {action}`action-read-more-2`\n",
    )
    build = portfolio.build()
    assert build.warnings == []
    soup = build.html("index.html")
    ids = [div["id"] for div in soup.select("div.cpd-card--action")]
    assert len(set(ids)) == 2
    hrefs = [a["href"] for a in soup.select("p a.reference.internal")]
    assert hrefs == [f"#{ids[0]}", f"#{ids[1]}"]


def test_duplicate_explicit_id_across_pages(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{toctree}\na\nb\n```\n\n{event}`talk`\n")
    portfolio.write("a.md", "# A\n\n:::{event} First talk\n:id: talk\n:date: 2011-11-14\n:::\n")
    portfolio.write("b.md", "# B\n\n:::{event} Second talk\n:id: talk\n:date: 2011-11-15\n:::\n")
    build = portfolio.build()
    [warning] = build.of("duplicate")
    assert warning.file.endswith("b.md")
    assert warning.line == 3
    assert "a" in warning.message and "line 3" in warning.message
    # The first keeps the id, so references stay stable.
    assert (
        build.html("index.html").select_one("p a.reference.internal")["href"] == "a.html#cpd-a-talk"
    )


def test_objects_inventory_lists_objects(portfolio: Portfolio) -> None:
    write_all(portfolio)
    build = portfolio.build()
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads((build.outdir / "objects.inv").read_bytes(), uri="")
    assert "cpd:event" in inventory.data
    assert "networking" in inventory.data["cpd:event"]
    assert inventory.data["cpd:evidence"]["certificate"].display_name == (
        "E2 Certificate of attendance"
    )
