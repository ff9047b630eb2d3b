"""The example portfolio through every builder, in parallel, and incrementally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from tests.conftest import EXAMPLE, Portfolio


def html_pages(outdir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(outdir)): path.read_text(encoding="utf-8")
        for path in sorted(outdir.rglob("*.html"))
    }


def test_example_builds_strictly(tmp_path: Path) -> None:
    status = build_main(
        ["-q", "-W", "--keep-going", "-b", "html", str(EXAMPLE), str(tmp_path / "html")]
    )
    assert status == 0
    assert (tmp_path / "html" / "index.html").is_file()


def test_parallel_build_gives_the_same_html(tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert build_main(["-q", "-W", "-b", "html", str(EXAMPLE), str(serial)]) == 0
    assert build_main(["-q", "-W", "-j", "2", "-b", "html", str(EXAMPLE), str(parallel)]) == 0
    serial_pages, parallel_pages = html_pages(serial), html_pages(parallel)
    assert serial_pages.keys() == parallel_pages.keys()
    for name, text in serial_pages.items():
        assert parallel_pages[name] == text, name


# Text from each kind of object in the example, which every builder must show.
CONTENT = [
    "CILIP in London networking evening",
    "Stopping to think, at the right moment",
    "Update the copyright notices by the photocopiers",
    "Certificate of attendance",
    "Jo Castellan",
    "Priya Natarajan",
]


@pytest.mark.parametrize(
    ("builder", "pattern"),
    [
        ("text", "**/*.txt"),
        ("latex", "*.tex"),
        ("singlehtml", "index.html"),
        ("epub", "**/*.xhtml"),
        ("man", "**/*.1"),
        ("dirhtml", "**/index.html"),
    ],
)
def test_every_builder_shows_the_objects(example: Portfolio, builder: str, pattern: str) -> None:
    build = example.build(builder)
    assert [w for w in build.warnings if w.type and w.type.startswith("cpd")] == []
    errors = [w for w in build.warnings if "error" in w.message.lower()]
    assert errors == []
    output = "\n".join(
        path.read_text(encoding="utf-8", errors="replace") for path in build.outdir.glob(pattern)
    )
    # LaTeX and man pages escape or break some characters; compare every word.
    flat = " ".join(output.replace("\\", " ").split())
    found = set(re.findall(r"[A-Za-z]{3,}", flat))
    for text in CONTENT:
        missing = set(re.findall(r"[A-Za-z]{3,}", text)) - found
        assert not missing, (builder, text, missing)
    if builder in {"text", "singlehtml", "dirhtml"}:
        for text in CONTENT:
            assert text in flat, (builder, text)


def test_singlehtml_anchors_are_unique(example: Portfolio) -> None:
    build = example.build("singlehtml")
    soup = build.html("index.html")
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    for link in soup.select("a.reference.internal[href^='#']"):
        assert soup.find(id=link["href"][1:]) is not None, link


EVENT_PAGE = "events/networking-evening.md"


def test_incremental_edit_updates_every_page_that_shows_the_event(example: Portfolio) -> None:
    example.build()
    page = example.srcdir / EVENT_PAGE
    page.write_text(
        page.read_text()
        .replace("CILIP in London networking evening", "Regional networking evening")
        .replace(":hours: 2\n", ":hours: 2.5\n"),
        encoding="utf-8",
    )
    build = example.build()

    event = build.html("events/networking-evening.html").select_one("div.cpd-card--event")
    assert "Regional networking evening" in event.get_text()
    assert "2.5 hours" in event.get_text()
    # The reflection on it and the evidence for it show the new title.
    assert (
        "Regional networking evening"
        in build.html("reflections/networking-evening.html")
        .select_one("div.cpd-card--reflection dl")
        .get_text()
    )
    assert "Regional networking evening" in build.html("evidence.html").get_text()

    fresh = example.build(fresh=True, builddir=example.builddir.parent / "fresh")
    assert html_pages(build.outdir) == html_pages(fresh.outdir)


def test_incremental_add_and_delete_keep_back_links_current(example: Portfolio) -> None:
    example.build()
    example.write(
        "reflections/later.md",
        """\
        # A later thought

        :::{reflection} Six months on
        :id: six-months-on
        :date: 2012-05-28
        :event: networking-evening

        Looking back at the evening.
        :::
        """,
    )
    index = example.srcdir / "index.md"
    index.write_text(
        index.read_text().replace(
            "reflections/year-of-change\n", "reflections/year-of-change\nreflections/later\n"
        ),
        encoding="utf-8",
    )
    build = example.build()
    back = build.html("events/networking-evening.html").select_one("div.cpd-backlinks")
    assert "Six months on" in back.get_text()
    fresh = example.build(fresh=True, builddir=example.builddir.parent / "fresh1")
    assert html_pages(build.outdir) == html_pages(fresh.outdir)

    (example.srcdir / "reflections/later.md").unlink()
    index.write_text(index.read_text().replace("reflections/later\n", ""), encoding="utf-8")
    build = example.build()
    back = build.html("events/networking-evening.html").select_one("div.cpd-backlinks")
    assert "Six months on" not in back.get_text()
    fresh = example.build(fresh=True, builddir=example.builddir.parent / "fresh2")
    pages = html_pages(build.outdir)
    # Sphinx leaves the deleted page's old HTML behind; every other page must match.
    pages.pop("reflections/later.html")
    assert pages == html_pages(fresh.outdir)


def test_incremental_parallel_build_matches_fresh(example: Portfolio) -> None:
    example.build(parallel=2)
    page = example.srcdir / EVENT_PAGE
    page.write_text(page.read_text().replace(":hours: 2\n", ":hours: 1:45\n"), encoding="utf-8")
    build = example.build(parallel=2)
    assert "1.75 hours" in build.html("events/networking-evening.html").get_text()
    fresh = example.build(fresh=True, builddir=example.builddir.parent / "fresh")
    assert html_pages(build.outdir) == html_pages(fresh.outdir)
