"""The PDF's chapters resolved and written one at a time, side by side in
forked processes with ``-j`` (:mod:`sphinx_cpd.pdf.assembly`): the same PDF
as one process writes, links between chapters decided once every chapter is
written, and what a chapter's process warns said once, where it was written."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader

from sphinx_cpd.pdf import assembly, forked
from sphinx_cpd.pdf.typst_text import FIXED, LINK_END, link_start, links, page_of, text
from tests.conftest import Portfolio
from tests.test_pdf import texts


def test_a_link_is_a_link_only_to_a_label_some_chapter_places() -> None:
    source = (
        f"See {link_start('events:week-1')}Week 1{LINK_END} and {link_start('gone')}x{LINK_END}."
    )
    decided = links(source, {"<events:week-1>"})
    assert decided.startswith(
        'See #link("cpd-goto:events:week-1")[Week 1];, p.~\ue000events:week-1'
    )
    assert decided.endswith(" and x.")
    # Ending a paragraph, its page number has room for the last page's (FIXED).
    ending = links(
        f"#par[See {link_start('events:week-1')}Week 1{LINK_END}]\n", {"<events:week-1>"}
    )
    assert ending.endswith(f"p.~{page_of(FIXED + 'events:week-1')}]\n")
    assert f"\ue000{FIXED}" not in decided
    # Not in a figure's caption, which is centred: room to spare would show.
    centred = links(f"#par[{link_start('x', left=False)}X{LINK_END}]\n", {"<x>"})
    assert f"\ue000{FIXED}" not in centred and centred.endswith("p.~\ue000x\ue001]\n")
    # An author cannot write the marks of a link (or any other of ours).
    assert text("a\ue004b\ue005c\ue006d") == "abcd"


def started_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of processes of each pool of forked processes started."""
    started: list[int] = []

    class Pool(forked.ProcessPoolExecutor):
        def __init__(self, jobs: int, **kwargs: Any) -> None:
            started.append(jobs)
            super().__init__(jobs, **kwargs)

    monkeypatch.setattr(forked, "ProcessPoolExecutor", Pool)
    return started


@pytest.fixture
def two_chapters(portfolio: Portfolio) -> Portfolio:
    from tests.conftest import PNG

    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    (portfolio.srcdir / "fake.png").write_bytes(b"not png")
    (portfolio.srcdir / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really\n")
    portfolio.write("index.md", "# Home\n\n```{toctree}\nfirst\nsecond\n```\n")
    portfolio.write(
        "first.md",
        "# First\n\n(first-target)=\n## Where it starts\n\nWords of the first chapter.\n\n"
        "See [the second](second-target) and [nowhere](#no-such-place).\n\n"
        "```{image} fake.png\n:alt: broken\n```\n\n![a picture](pic.png)\n",
    )
    portfolio.write(
        "second.md",
        "# Second\n\n(second-target)=\n## Where it goes\n\nWords of the second chapter.\n\n"
        "Back to [the first](first-target).\n\n```{image} fake.png\n:alt: broken\n```\n\n"
        ":::{evidence} Damaged\n:file: broken.pdf\n:::\n",
    )
    return portfolio


def test_chapters_written_side_by_side_give_the_same_pdf(
    two_chapters: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1322438400")
    serial = two_chapters.build("cpdpdf", builddir=two_chapters.builddir / "serial")
    # However small the portfolio, its chapters go to forked processes.
    monkeypatch.setattr(assembly, "FORK_NODES", 0)
    pools = started_pools(monkeypatch)
    parallel = two_chapters.build("cpdpdf", parallel=2, builddir=two_chapters.builddir / "parallel")
    assert pools == [2], "the chapters were not written side by side"
    data = (parallel.outdir / "test-portfolio.pdf").read_bytes()
    assert data == (serial.outdir / "test-portfolio.pdf").read_bytes()

    flat = " ".join(" ".join(texts(PdfReader(parallel.outdir / "test-portfolio.pdf"))).split())
    # A link to the other chapter, written in the other process, is a link
    # with its page; a link to nowhere is its text alone.
    assert "See the second, p. 5 and nowhere." in flat, flat
    assert "Back to the first, p. 4." in flat, flat
    reader = PdfReader(parallel.outdir / "test-portfolio.pdf")
    goto = [
        annotation.get_object()["/A"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A", {}).get("/S") == "/GoTo"
    ]
    assert len(goto) >= 2
    # The picture that cannot be drawn is said once, where it is first shown,
    # whichever process saw it (both chapters show it); the other is drawn.
    for build in (serial, parallel):
        broken = [w for w in build.of("pdf") if "fake.png cannot be drawn" in w.message]
        assert len(broken) == 1, broken
        assert broken[0].file.endswith("first.md") and broken[0].line == 10, broken
    assert any(page.images for page in reader.pages)


def test_chapters_are_written_here_if_a_process_dies(
    two_chapters: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed (for want of memory, say) once this one has let go of
    its chapters: the document is assembled again, and written here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1322438400")
    serial = two_chapters.build("cpdpdf", builddir=two_chapters.builddir / "serial")
    monkeypatch.setattr(assembly, "FORK_NODES", 0)
    here, resolve = os.getpid(), assembly.resolve

    def killed(*args: Any) -> None:
        if os.getpid() != here:
            os._exit(9)
        resolve(*args)

    monkeypatch.setattr(assembly, "resolve", killed)
    pools = started_pools(monkeypatch)
    parallel = two_chapters.build("cpdpdf", parallel=2, builddir=two_chapters.builddir / "parallel")
    assert pools == [2]
    data = (parallel.outdir / "test-portfolio.pdf").read_bytes()
    assert data == (serial.outdir / "test-portfolio.pdf").read_bytes()
    # Said once each, not again when the document is assembled again.
    assert [w.message for w in parallel.warnings] == [w.message for w in serial.warnings]
    assert any("is not placed in the PDF" in w.message for w in serial.warnings)


def test_a_process_that_dies_leaves_plain_work_here() -> None:
    """Without work to do meanwhile (which may let go of what the work needs),
    a dead process leaves the work to this one, as before."""
    here = os.getpid()

    def work(index: int) -> int:
        if os.getpid() != here:
            os._exit(9)
        return index * 2

    assert forked.side_by_side(work, [10, 20, 30], 2, least=0) == [0, 2, 4]


def test_a_picture_that_cannot_be_drawn_is_said_for_each_chapter_showing_it(
    tmp_path: Path,
) -> None:
    """A process may take a later chapter before an earlier one: each chapter
    says what it shows that cannot be drawn, and the first in the document
    is said (by written_chapters)."""
    from docutils import nodes

    (tmp_path / "fake.png").write_bytes(b"not png")
    builder = SimpleNamespace(srcdir=str(tmp_path), images={"fake.png": "fake.png"})
    pictures = assembly.Pictures(builder, tmp_path / "work")  # type: ignore[arg-type]

    def chapter(line: int) -> nodes.container:
        image = nodes.image(uri="fake.png")
        image.source, image.line = str(tmp_path / "page.md"), line
        return nodes.container("", image)

    pictures.take(chapter(30))
    assert pictures.broken == {"fake.png": f"{tmp_path / 'page.md'}:30"}
    pictures.take(chapter(5))
    assert pictures.broken == {"fake.png": f"{tmp_path / 'page.md'}:5"}
