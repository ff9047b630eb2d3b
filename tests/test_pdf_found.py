"""What an attack on the PDF by parts found, kept as tests: words that vanished,
PDFs that were not made, page numbers and links that went to the wrong page."""

from __future__ import annotations

import json
import re

from pypdf import PdfReader

from tests.conftest import Portfolio
from tests.test_pdf import flat_outline
from tests.test_pdf_structure import check

PUBLIC = "---\ncpd-visibility: public\n---\n"


def pdf_of(portfolio: Portfolio, **overrides: str) -> PdfReader:
    build = portfolio.build("cpdpdf", **overrides)
    assert not build.of("pdf"), [w.message for w in build.of("pdf")]
    reader = PdfReader(build.outdir / "test-portfolio.pdf")
    check(reader)
    return reader


def words(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_with(reader: PdfReader, heading: str) -> int:
    """The page (from 1) a line reading exactly ``heading`` is on, after the contents."""
    for number, page in enumerate(reader.pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        if number > 2 and heading in lines:
            return number
    raise AssertionError(f"{heading!r} is on no page")


def test_numbers_with_a_full_stop_stay_text(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{toctree}\n\nnum\n```\n")
    portfolio.write(
        "num.md",
        "# 1. Introduction\n\n## 2. Background\n\n| Step | What |\n|---|---|\n"
        "| 1. First | 2. Second |\n\n2011\\. was a good year.\n",
    )
    text = words(pdf_of(portfolio))
    for expected in ("1. Introduction", "2. Background", "1. First", "2. Second"):
        assert text.count(expected) >= 1, expected
    assert "2011. was a good year." in text
    # In the contents too, with their page (the cover, the contents, Home, then this).
    assert re.search(r"1\. Introduction\.{3,}\s*4", text)


def test_captions_of_code_and_empty_pages_still_give_a_pdf(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "Welcome, with no heading.\n\n```{toctree}\n\ncode\nempty\n```\n")
    portfolio.write(
        "code.md", "# Code\n\n```{code-block} python\n:caption: example.py\n\nprint(1)\n```\n"
    )
    portfolio.write("empty.md", "")
    text = words(pdf_of(portfolio))
    assert "example.py" in text and "print(1)" in text and "Welcome, with no heading." in text


def test_a_chapter_all_withheld_leaves_a_pdf(portfolio: Portfolio) -> None:
    portfolio.write("index.md", PUBLIC + "# Home\n\n```{toctree}\n\nthoughts\n```\n")
    portfolio.write(
        "thoughts.md",
        PUBLIC + ":::{reflection} Inner thoughts\n:visibility: private\n\nSecretwords.\n:::\n",
    )
    reader = pdf_of(portfolio, cpd_audience="public")
    assert "Secretwords" not in words(reader)


def test_headings_and_references_name_the_page_they_are_on(portfolio: Portfolio) -> None:
    portfolio.add_conf("myst_heading_anchors = 3")
    portfolio.write("index.md", "# Home\n\n```{toctree}\n\na\nb\nc\n```\n")
    portfolio.write("a.md", "# A\n\n## What I learned\n\nFrom A.\n")
    portfolio.write(
        "b.md", "# B first\n\n## What I learned\n\nFrom B.\n\n(second-b)=\n# B second\n\nMore.\n"
    )
    portfolio.write(
        "c.md", "# C\n\nSee {ref}`second-b` and [what B taught](b.md#what-i-learned).\n"
    )
    reader = pdf_of(portfolio)
    text = words(reader)
    second, learned_b = page_with(reader, "B second"), page_with(reader, "B first")
    assert f"See B second, p. {second}" in text
    assert f"what B taught, p. {learned_b}" in text
    # The bookmarks, and the links' destinations, agree with the pages.
    outline = flat_outline(reader)
    assert ("B second", second) in outline
    assert [page for title, page in outline if title == "What I learned"] == [
        page_with(reader, "A"),
        learned_b,
    ]


def test_a_damaged_plan_is_thrown_away(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{toctree}\n\nb\n```\n")
    portfolio.write("b.md", "# B\n\nWords.\n")
    first = portfolio.build("cpdpdf")
    plan = first.outdir.parent / "doctrees" / "cpdpdf-parts" / "plan.json"
    data = json.loads(plan.read_text())
    plan.write_text(json.dumps({**data, "counts": [-1] * len(data["counts"])}))
    portfolio.write("b.md", "# B\n\nOther words.\n")
    assert "Other words." in words(pdf_of(portfolio))


def test_a_very_long_word_breaks_instead_of_running_off_the_page(portfolio: Portfolio) -> None:
    word = "Supercalifragilistic" * 8  # 160 letters, no place to break
    portfolio.write("index.md", f"# Home\n\nThe word {word} ends here.\n")
    reader = pdf_of(portfolio)
    lines: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if "Supercali" in text or "fragilistic" in text:
            lines.add(round(tm[5] * cm[3] + cm[5]))

    reader.pages[2].extract_text(visitor_text=visit)
    # Over two lines or more, not one running off the page; every letter is there.
    assert len(lines) >= 2, lines
    assert word in words(reader).replace("\u200b", "").replace(" ", "")
