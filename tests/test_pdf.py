"""The PDF portfolio, read back with pypdf."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.conftest import EXAMPLE, Portfolio

PDF_NAME = "morgan-ashby-chartership-portfolio.pdf"
EPOCH = "1322438400"  # 28 November 2011


def build_pdf(src: Path, out: Path, *extra: str) -> Path:
    """Build as a user does, in a process of its own."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-W",
        "-b",
        "cpdpdf",
        *extra,
        str(src),
        str(out),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run(command, check=True, env=env)
    return out


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf(EXAMPLE, tmp_path_factory.mktemp("pdf") / "out")


@pytest.fixture(scope="module")
def reader(pdf_dir: Path) -> PdfReader:
    return PdfReader(pdf_dir / PDF_NAME)


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def flat_outline(reader: PdfReader, items: list | None = None) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += flat_outline(reader, item)
        else:
            found.append((item.title, reader.get_destination_page_number(item) + 1))
    return found


def test_file_is_named_after_the_project(pdf_dir: Path) -> None:
    assert (pdf_dir / PDF_NAME).is_file()


def test_cover(reader: PdfReader) -> None:
    cover = texts(reader)[0]
    for text in (
        "Morgan Ashby: chartership",
        "Morgan Ashby ACLIP",
        "Assistant librarian, Eastbrook University Library",
        "Working towards Chartership",
        # The example's own build is its author's: a draft, and says so.
        "Draft — private: for the author only",
        "Built on 28 November 2011",
    ):
        assert text in cover
    assert "Page 1" not in cover


def test_page_n_of_m_on_every_page_after_the_cover(reader: PdfReader) -> None:
    total = len(reader.pages)
    for number, text in enumerate(texts(reader)[1:], start=2):
        assert f"Page {number} of {total}" in text, number
        # The project's name starts with its author's: the header says it once.
        assert "Morgan Ashby: chartership portfolio" in text
        assert "Morgan Ashby · Morgan Ashby" not in text


def test_contents_page_numbers_are_where_sections_start(reader: PdfReader) -> None:
    pages = texts(reader)
    contents = pages[1]
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)$", contents, re.MULTILINE)
    assert len(entries) >= 20
    outline = dict(flat_outline(reader))
    for title, number in entries:
        title = title.strip(" .")
        assert title in outline, title
        assert outline[title] == int(number), title
        # The heading is on that page.
        assert " ".join(title.split()[:3]) in " ".join(pages[int(number) - 1].split()), title


def test_outline_has_chapters_and_appendices(reader: PdfReader) -> None:
    titles = [title for title, _ in flat_outline(reader)]
    for chapter in (
        "Evaluative statement",
        "Networking evening",
        "CPD log and hours",
        "Image credits",
    ):
        assert chapter in titles
    assert "Appendix E1: Certificate of attendance" in titles
    # No bookmark for every object: only chapters, sections and appendices.
    assert not any(title.startswith("Event:") for title in titles)


def test_evidence_pdf_pages_are_appended_and_bookmarked(reader: PdfReader) -> None:
    pages = texts(reader)
    outline = dict(flat_outline(reader))
    appendix = outline["Appendix E1: Certificate of attendance"]
    certificate = [n for n, text in enumerate(pages, start=1) if "This is to certify that" in text]
    # The certificate's page is set under its appendix's heading, on the same page.
    assert certificate == [appendix]
    assert f"Page {appendix} of {len(pages)}" in pages[appendix - 1]
    other = outline["Appendix E2: My notes from the reflective practice session"]
    # A text file is reproduced in its appendix, word for word.
    notes = (EXAMPLE / "evidence" / "session-notes.txt").read_text()
    printed = " ".join(pages[other - 1].split())
    assert "The file session-notes.txt" in printed
    assert " ".join(notes.split()[:12]) in printed


def test_references_carry_page_numbers(reader: PdfReader) -> None:
    outline = dict(flat_outline(reader))
    statement = " ".join(texts(reader)[outline["Evaluative statement"] - 1].split())
    # "E1 Certificate of attendance" is on the Evidence chapter's first page.
    assert f"E1 Certificate of attendance, p. {outline['Evidence']}" in statement
    # In the evidence itself, the file links to its appendix, with its page.
    evidence = " ".join(texts(reader)[outline["Evidence"] - 1].split())
    appendix = outline["Appendix E1: Certificate of attendance"]
    assert f"certificate-of-attendance.pdf, p. {appendix}" in evidence


def test_external_links_show_their_address(reader: PdfReader) -> None:
    # The address may break over two lines, as any long word may.
    flat = "".join(" ".join(texts(reader)).split())
    assert "(https://creativecommons.org/licenses/by/2.0/)" in flat


def test_tagged_with_language_and_metadata(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    meta = reader.metadata
    assert meta.title == "Morgan Ashby: chartership portfolio"
    assert meta.author == "Morgan Ashby"
    assert meta.subject == "CPD portfolio for Chartership"
    assert "cilip-chartership" in meta["/Keywords"]


def test_no_link_points_nowhere(reader: PdfReader) -> None:
    named = set(reader.named_destinations)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    checked = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            checked += 1
            action = annotation.get("/A")
            dest = annotation.get("/Dest")
            if action is not None and action.get("/S") == "/URI":
                assert str(action["/URI"]).startswith(("https://", "http://", "mailto:")), action
                # Never an address that only stands in for a file beside the PDF.
                assert ".invalid/" not in str(action["/URI"]), action
                continue
            if action is not None and action.get("/S") == "/GoTo":
                dest = action["/D"]
            assert dest is not None, annotation
            if isinstance(dest, str) or hasattr(dest, "original_bytes"):
                assert str(dest) in named, dest
            else:
                # An explicit destination: its first item is one of this PDF's pages.
                target = dest.page if isinstance(dest, Destination) else dest[0]
                assert target.get_object().indirect_reference.idnum in pages, dest
    assert checked > 30


def test_reproducible_with_source_date_epoch(pdf_dir: Path, tmp_path: Path) -> None:
    again = build_pdf(EXAMPLE, tmp_path / "again")
    assert (again / PDF_NAME).read_bytes() == (pdf_dir / PDF_NAME).read_bytes()


def test_letter_paper_and_mentor_audience(tmp_path: Path) -> None:
    out = build_pdf(
        EXAMPLE, tmp_path / "out", "-D", "cpd_pdf_paper=letter", "-D", "cpd_audience=mentor"
    )
    reader = PdfReader(out / PDF_NAME)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    flat = " ".join(" ".join(texts(reader)).split())
    assert "Stress-testing" not in flat and "year of change" not in flat.lower()
    assert "Priya Natarajan" in flat
    assert "For my mentor: not for publication" in texts(reader)[0]


def test_image_evidence_is_embedded(portfolio: Portfolio) -> None:
    from tests.conftest import PNG

    (portfolio.srcdir / "scan.png").write_bytes(PNG)
    portfolio.write(
        "index.md", "# Home\n\n:::{evidence} A scan\n:file: scan.png\n\nThe scan.\n:::\n"
    )
    out = build_pdf(portfolio.srcdir, portfolio.builddir / "pdf")
    reader = PdfReader(out / "test-portfolio.pdf")
    last = reader.pages[-1]
    assert "Appendix E1: A scan" in last.extract_text()
    assert last.images, "the image is embedded on its appendix page"


def test_the_dashboard_and_its_charts_are_in_the_pdf(reader: PdfReader) -> None:
    outline = dict(flat_outline(reader))
    start = outline["At a glance"] - 1
    flat = " ".join(" ".join(texts(reader)[start : start + 3]).split())
    assert "8 of 20 hours: 12 to go." in flat
    assert "Chartership: 3 of 3 criteria have something mapped." in flat
    # The charts are drawn, their labels set as text: the bar chart's key.
    assert "Participatory" in flat and "Target 20" in flat


def test_the_exports_are_named_not_linked(reader: PdfReader) -> None:
    flat = " ".join(" ".join(texts(reader)).split())
    assert "cpd-log.csv (CPD log (CSV))" in flat
    assert "Download:" not in flat


def test_only_the_pdf_is_left_and_is_not_laid_out_again_for_nothing(tmp_path: Path) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    out = build_pdf(src, tmp_path / "out")
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == [PDF_NAME]
    pdf = out / PDF_NAME
    first = pdf.stat().st_mtime_ns, pdf.read_bytes()
    build_pdf(src, out)
    assert (pdf.stat().st_mtime_ns, pdf.read_bytes()) == first
    # A changed evidence file is an input too: the PDF is laid out again.
    notes = src / "evidence" / "session-notes.txt"
    notes.write_text(notes.read_text() + "\nOne more line.\n")
    build_pdf(src, out)
    second = pdf.read_bytes()
    assert second != first[1]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [PDF_NAME]
    # So are the pages of an evidence PDF and a picture's pixels, though no page
    # that names them changed.
    from pypdf import PdfWriter

    from tests.conftest import PNG

    blank = PdfWriter()
    blank.add_blank_page(300, 200)
    blank.write(src / "evidence" / "certificate-of-attendance.pdf")
    build_pdf(src, out)
    third = pdf.read_bytes()
    assert third != second
    assert "This is to certify" not in " ".join(texts(PdfReader(pdf)))
    (src / "images" / "quiet-desk.png").write_bytes(PNG)
    build_pdf(src, out)
    assert pdf.read_bytes() != third


def test_an_authors_raw_svg_loads_nothing_into_the_pdf(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    from tests.conftest import PNG

    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    portfolio.write(
        "index.md",
        "# Home\n\n```{raw} html\n"
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{outside}" width="9" height="9"/>'
        "</svg>\n```\n\nWords.\n",
    )
    out = build_pdf(portfolio.srcdir, portfolio.builddir / "pdf")
    reader = PdfReader(out / "test-portfolio.pdf")
    assert "Words." in " ".join(texts(reader))
    assert not any(page.images for page in reader.pages)


def test_awkward_input_still_gives_a_pdf(portfolio: Portfolio) -> None:
    from tests.conftest import PNG

    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    (portfolio.srcdir / "fake.png").write_bytes(b"not png")
    portfolio.add_conf('language = "en_GB"')
    portfolio.write(
        "index.md",
        "# Home\n\nA party \U000f0000 and `conf`.py.\n\n![](pic.png)\n\n"
        "```{image} fake.png\n:alt: broken\n```\n",
    )
    build = portfolio.build("cpdpdf")
    reader = PdfReader(build.outdir / "test-portfolio.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "and conf.py." in " ".join(texts(reader))
    # The picture in the paragraph is drawn; the broken one is left out, and said.
    assert any(page.images for page in reader.pages)
    messages = [w.message for w in build.of("pdf")]
    assert any("fake.png cannot be drawn" in m for m in messages), messages
    # No font has a private-use character: the PDF is made, and says it is not PDF/UA-1.
    assert any("not PDF/UA-1" in m for m in messages), messages


def test_evidence_pdfs_that_cannot_be_placed_are_said_so(portfolio: Portfolio) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    with (portfolio.srcdir / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    (portfolio.srcdir / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really\n")
    portfolio.write(
        "index.md",
        "# Home\n\n:::{evidence} Locked\n:file: locked.pdf\n:::\n\n"
        ":::{evidence} Broken\n:file: broken.pdf\n:::\n",
    )
    build = portfolio.build("cpdpdf")
    warned = [w for w in build.of("pdf") if "is not placed in the PDF" in w.message]
    assert len(warned) == 2 and all(w.file.endswith("index.md") for w in warned)
    assert "encrypted" in warned[0].message
    flat = " ".join(" ".join(texts(PdfReader(build.outdir / "test-portfolio.pdf"))).split())
    assert "It could not be read: it is encrypted" in flat
