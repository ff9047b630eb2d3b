"""The PDF joined from parts laid out on their own is one sound tagged PDF:
every structure element hangs from the one document, every page and link
annotation finds its structure through the parent tree, and every link goes
somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.conftest import EXAMPLE, Portfolio
from tests.test_pdf import PDF_NAME, build_pdf, flat_outline


def structure(reader: PdfReader) -> tuple[dict[int, DictionaryObject], list[str]]:
    """Every structure element by object number, and what is wrong with the tree."""
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    elements: dict[int, DictionaryObject] = {}
    problems: list[str] = []
    todo = [(kid, root.indirect_reference) for kid in root["/K"]]
    while todo:
        reference, parent = todo.pop()
        element = reference.get_object()
        if not isinstance(reference, IndirectObject) or element.get("/Type") == "/OBJR":
            continue
        if reference.idnum in elements:
            problems.append(f"element {reference.idnum} reached twice")
            continue
        elements[reference.idnum] = element
        if element.raw_get("/P").idnum != parent.idnum:
            problems.append(f"element {reference.idnum} names another parent")
        kids = element.get("/K", ArrayObject())
        kids = kids if isinstance(kids, list) else [kids]
        todo += [(kid, reference) for kid in kids if isinstance(kid, IndirectObject)]
    return elements, problems


def parent_tree(reader: PdfReader) -> dict[int, object]:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]
    nums = tree["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert keys == sorted(set(keys)), "parent-tree keys repeat or are out of order"
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def check(reader: PdfReader) -> None:
    elements, problems = structure(reader)
    assert problems == []
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    (document,) = root["/K"]
    assert document.get_object()["/S"] == "/Document"
    tree = parent_tree(reader)
    assert int(root["/ParentTreeNextKey"]) > max(tree)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    for page in reader.pages:
        # A page with nothing tagged on it (its words withheld) has no key.
        marked = tree[int(page["/StructParents"])].get_object() if "/StructParents" in page else []
        for element in marked:
            if isinstance(element, IndirectObject):
                assert element.idnum in elements, "a page's content belongs to no element"
        for annotation in page.get("/Annots", []):
            found = annotation.get_object()
            if found.get("/Subtype") != "/Link":
                continue
            owner = tree[int(found["/StructParent"])]
            kids = owner.get_object()["/K"]
            objects = [k.raw_get("/Obj").idnum for k in kids if isinstance(k, DictionaryObject)]
            assert found.indirect_reference.idnum in objects, "a link is in no element"
            action = found["/A"]
            assert found.get("/Contents"), "a link without a description"
            if action["/S"] == "/GoTo":
                assert action["/D"][0].idnum in pages
            else:
                assert str(action["/URI"]).startswith(("http://", "https://", "mailto:"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    return PdfReader(build_pdf(EXAMPLE, tmp_path_factory.mktemp("pdf") / "out") / PDF_NAME)


def test_the_example_is_one_sound_tagged_pdf(example: PdfReader) -> None:
    check(example)
    assert example.trailer["/Root"]["/Pages"]["/Count"] == len(example.pages)


def test_parts_join_whatever_their_titles_say(portfolio: Portfolio, tmp_path: Path) -> None:
    # Titles that look like PDF syntax stay words, in the text, the tags and
    # the bookmarks; links between chapters go to the page they name.
    portfolio.write(
        "index.md",
        "# Home (12 0 R)\n\nSee [the budget](budget.md#the-plan).\n\n"
        "```{toctree}\n\nbudget\nnotes\n```\n",
    )
    portfolio.write(
        "budget.md",
        "# Budget (see 3 0 R) \\(\n\nWords.\n\n(the-plan)=\n## The plan /Parent 1 0 R\n\n"
        "Back [home](index.md).\n",
    )
    portfolio.write("notes.md", "# Notes >>stream\n\nThe end.\n")
    reader = PdfReader(portfolio.build("cpdpdf").outdir / "test-portfolio.pdf")
    check(reader)
    data = (portfolio.build("cpdpdf").outdir / "test-portfolio.pdf").read_bytes()
    assert b"cpd-goto:" not in data
    outline = dict(flat_outline(reader))
    assert outline["Budget (see 3 0 R) ("] < outline["Notes >>stream"]
    assert outline["The plan /Parent 1 0 R"] == outline["Budget (see 3 0 R) ("]
    text = " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "See the budget, p. 4" in text.replace("\n", " ")
    titles = [str(element.get("/T", "")) for element in structure(reader)[0].values()]
    assert "Home (12 0 R)" in titles


def test_a_long_chapter_is_cut_into_parts_that_go_on_under_its_title(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch, example: PdfReader
) -> None:
    # Chapters of more than LONG_PART characters of markup are laid out in
    # pieces (a memory bound for very long listings). With a small bound, the
    # example's chapters are cut: the PDF stays PDF/UA-1 (whose first heading
    # must be of the first level), sound, and outlined as the uncut one.
    from sphinx_cpd.pdf import typst_parts

    monkeypatch.setattr(typst_parts, "LONG_PART", 8000)
    portfolio.copy_from(EXAMPLE)
    build = portfolio.build("cpdpdf")
    assert build.of("pdf") == [], build.warnings_text
    reader = PdfReader(build.outdir / PDF_NAME)
    check(reader)
    continued = [
        number
        for number, page in enumerate(reader.pages, start=1)
        if "Events (continued)" in (page.extract_text() or "").split("\n")[:3]
    ]
    assert continued, "no piece of the Events chapter starts with its title again"
    # The title again is for the reader of that page, not another chapter.
    titles = [title for title, _ in flat_outline(reader)]
    assert titles == [title for title, _ in flat_outline(example)]
    assert not any("continued" in title for title in titles)
    # Each piece starts a page: a few more pages than the uncut PDF, not many.
    assert len(example.pages) < len(reader.pages) <= len(example.pages) + 6
