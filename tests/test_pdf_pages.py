"""How the PDF fills its pages: chapters start a page, entries flow one after
another, no page is left nearly empty except where a chapter ends."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PageObject, PdfReader

from tests.conftest import EXAMPLE, Portfolio
from tests.test_pdf import PDF_NAME, build_pdf, flat_outline

_MM = 72 / 25.4
#: The body's top and bottom on an A4 page (margins of 22 mm; the running
#: header and "Page N of M" sit in the margins and are not counted).
TOP, BOTTOM = 297 * _MM - 22 * _MM, 22 * _MM


def lowest_line(page: PageObject) -> float | None:
    """How far down the page its body text reaches, in points from the bottom
    (None: no text in the body)."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        # The text's origin: its text matrix, then the current transformation.
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and BOTTOM - 1 < y < TOP + 1:
            found.append(y)

    page.extract_text(visitor_text=visit)
    return min(found) if found else None


def fill(page: PageObject) -> float:
    """The share of the body the page's text covers, from the top down."""
    low = lowest_line(page)
    return 0.0 if low is None else (TOP - low) / (TOP - BOTTOM)


def chapter_starts(reader: PdfReader) -> set[int]:
    """The pages (from 1) that top-level outline entries point to."""
    return {
        reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }


def thin_pages(reader: PdfReader) -> list[tuple[int, float]]:
    """Pages (after the cover) less than a quarter full that do not end a chapter."""
    starts = chapter_starts(reader)
    last = len(reader.pages)
    return [
        (number, round(share, 2))
        for number, page in enumerate(reader.pages, start=1)
        if number > 1 and number != last and number + 1 not in starts
        if (share := fill(page)) < 0.25
    ]


def test_no_page_of_the_example_is_nearly_empty_except_at_a_chapters_end(
    tmp_path: Path,
) -> None:
    reader = PdfReader(build_pdf(EXAMPLE, tmp_path / "out") / PDF_NAME)
    assert thin_pages(reader) == []
    # The measure is not blind: the contents' page is full enough, and the last
    # page of the first chapter is not the same as the one after it.
    assert 0.25 < fill(reader.pages[1]) <= 1.0


def event_page(number: int) -> str:
    day = 10 + number
    return f"""\
        # Workshop {number}

        :::{{event}} Workshop number {number} on cataloguing practice
        :id: workshop-{number}
        :date: 2011-10-{day}
        :hours: 2
        :type: workshop

        A morning of talks and exercises on metadata, with time to compare
        notes with colleagues from other libraries. The sessions covered the
        records we create, the standards behind them and the tools we use.
        :::
        """


def test_events_one_per_file_flow_on_and_are_not_one_per_page(portfolio: Portfolio) -> None:
    count = 8
    portfolio.write(
        "index.md",
        "# My portfolio\n\nWhat I did this year.\n\n```{toctree}\n\nevents/index\nlog\n```\n",
    )
    portfolio.write(
        "events/index.md",
        "# Events\n\nThe sessions I went to.\n\n```{toctree}\n\n"
        + "\n".join(f"workshop-{n}" for n in range(1, count + 1))
        + "\n```\n",
    )
    for number in range(1, count + 1):
        portfolio.write(f"events/workshop-{number}.md", event_page(number))
    portfolio.write("log.md", "# Log\n\n```{cpd-log}\n```\n")
    build = portfolio.build("cpdpdf")
    reader = PdfReader(build.outdir / "test-portfolio.pdf")
    pages = [page.extract_text() for page in reader.pages]
    on_page: dict[int, int] = {}  # each event's heading: the first page it is on
    for index, text in enumerate(pages, start=1):
        for n in range(1, count + 1):
            if re.search(rf"^Workshop {n}$", text, re.MULTILINE):
                on_page.setdefault(n, index)
    # Every event is in the PDF, and they share pages: eight short events take
    # at most two pages, not eight.
    assert sorted(on_page) == list(range(1, count + 1)), pages
    assert len(set(on_page.values())) <= 2, on_page
    # Cover, contents, the front page's chapter, the events and the log.
    assert len(pages) <= 6, len(pages)
    # Chapters still start on a page of their own, in the toctree's order.
    outline = dict(flat_outline(reader))
    assert outline["My portfolio"] < outline["Events"] <= min(on_page.values())
    assert outline["Log"] > max(on_page.values())
    assert thin_pages(reader) == []


def test_the_contents_never_end_with_a_few_lines_on_a_page(portfolio: Portfolio) -> None:
    # Fifty entries fill the first page of the contents and leave three lines
    # for a second; the contents are spread so that the second is not bare.
    portfolio.write("index.md", "# Home\n\nHello.\n\n```{toctree}\n\nnotes\n```\n")
    portfolio.write(
        "notes.md",
        "# Notes\n\n" + "".join(f"## Note number {n}\n\nA short note.\n\n" for n in range(50)),
    )
    reader = PdfReader(portfolio.build("cpdpdf").outdir / "test-portfolio.pdf")
    contents = range(2, min(chapter_starts(reader)))
    assert len(contents) == 2
    assert [fill(reader.pages[n - 1]) >= 0.25 for n in contents] == [True, True]
    text = " ".join(reader.pages[n - 1].extract_text() for n in contents)
    assert "Note number 0" in text and "Note number 49" in text


def test_an_edit_to_one_chapter_lays_out_that_chapter(tmp_path: Path) -> None:
    import shutil
    import time

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    out = build_pdf(src, tmp_path / "out")
    parts = out / ".doctrees" / "cpdpdf-parts"
    kept = {path.name for path in parts.glob("*.pdf")}
    before = (out / PDF_NAME).read_bytes()
    # A word changed: no page moves, so no other part changes.
    page = src / "self-assessment.md"
    page.write_text(page.read_text().replace("I rated myself", "I marked myself", 1))
    started = time.time_ns()
    build_pdf(src, out)
    laid = [path for path in parts.glob("*.pdf") if path.stat().st_mtime_ns >= started]
    assert len(laid) == 1, sorted(path.name for path in laid)
    assert len(kept) > 5
    after = PdfReader(out / PDF_NAME)
    assert (out / PDF_NAME).read_bytes() != before
    assert "I marked myself" in " ".join(p.extract_text() for p in after.pages)


def test_damaged_kept_parts_are_laid_out_again(tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    out = build_pdf(src, tmp_path / "out")
    first = (out / PDF_NAME).read_bytes()
    parts = out / ".doctrees" / "cpdpdf-parts"
    for number, path in enumerate(sorted(parts.glob("*.pdf"))):
        # Cut short, or not a PDF at all; the facts beside them garbled too.
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] if number % 2 else b"x")
    for path in sorted(parts.glob("*.json"))[:2]:
        path.write_text("{not json", encoding="utf-8")
    (out / ".doctrees" / "cpdpdf-sources.sha256").unlink()
    (out / PDF_NAME).unlink()
    build_pdf(src, out)
    assert (out / PDF_NAME).read_bytes() == first


def test_kept_parts_damaged_inside_still_make_the_same_pages(tmp_path: Path) -> None:
    """A kept part whole at both ends but garbled inside (its page numbers
    cannot be set in) is laid out again: no traceback, the same text."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    out = build_pdf(src, tmp_path / "out")
    first = [page.extract_text() for page in PdfReader(out / PDF_NAME).pages]
    for path in (out / ".doctrees" / "cpdpdf-parts").glob("*.pdf"):
        data = path.read_bytes()
        middle = len(data) // 2
        path.write_bytes(data[:middle] + b"\x00garbled" * 50 + data[middle + 500 :])
    (out / ".doctrees" / "cpdpdf-sources.sha256").unlink()
    (out / PDF_NAME).unlink()
    build_pdf(src, out)
    assert [page.extract_text() for page in PdfReader(out / PDF_NAME).pages] == first
