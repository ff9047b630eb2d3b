"""The doctree as Typst markup (sphinx_cpd.pdf.typst_markup): it compiles, it says
what the doctree says, and no text can become Typst code."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typst
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from sphinx_cpd.pdf.assembly import resolve
from sphinx_cpd.pdf.typst_document import Setup
from sphinx_cpd.pdf.typst_parts import to_typst
from sphinx_cpd.pdf.typst_text import PAGE, TOTAL, fill, string, text
from sphinx_cpd.pdf.typst_text import number as page_number
from tests.conftest import EXAMPLE

PREAMBLE = '#set text(font: "DejaVu Sans")\n'

RST = r"""
Title # with * markup _ chars
==============================

A paragraph with *emphasis*, **strong**, ``literal #code``, a link to
`Example <https://example.org/a_b>`_ and [brackets] $dollars$ @at <angle> = - + / ~ ' " \\.

.. _target-one:

Section two
-----------

- item one
- item two with *emph*

1. first
2. second

term
   definition here

+-------+-------+
| Head1 | Head2 |
+=======+=======+
| a     | b     |
+-------+-------+

Back to `the target <#target-one>`_.

::

   literal block # with $ signs
"""


def compile_text(markup: str, folder: Path) -> str:
    source = folder / "doc.typ"
    source.write_text(PREAMBLE + markup, encoding="utf-8")
    pdf = typst.compile(str(source))
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_a_document_compiles_and_says_what_it_said(tmp_path: Path) -> None:
    markup = fill(to_typst(publish_doctree(RST)), lambda name: "1")
    printed = compile_text(markup, tmp_path)
    for expected in (
        "Title # with * markup _ chars",
        "A paragraph with emphasis, strong, literal #code, a link to Example",
        "[brackets] $dollars$ @at <angle> = - + / ~ ' \" \\.",
        "Section two",
        "item one",
        "definition here",
        "Head1 Head2 a b",
        "Back to the target, p. 1.",
        "literal block # with $ signs",
    ):
        assert expected in printed
    # The address is printed after the link (the text layer may break it anywhere).
    assert "(https://example.org/a_b)" in printed.replace(" ", "")


# Letters, digits, punctuation and the characters Typst reads as markup; the
# fonts here have all of them, so the PDF's text is the input's.
ALPHABET = st.characters(
    codec="latin-1", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\xa0\xad"
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(ALPHABET, min_size=1, max_size=60))
def test_no_text_becomes_typst_code(tmp_path: Path, words: str) -> None:
    markup = f"#par[{text(words)}]\n"
    assert compile_text(markup, tmp_path) == " ".join(words.split())


@pytest.fixture
def example_tree(tmp_path: Path, make_app: Any) -> tuple[Path, Any, Any]:
    """The example built with cpdpdf: its folder, its single document, its builder."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    app = make_app("cpdpdf", srcdir=src, builddir=tmp_path / "build")
    try:
        app.build()
        # The single document resolved whole (the builder resolves it a chapter
        # at a time, in processes of their own).
        tree = app.builder.assemble_doctree()
        resolve(app.builder, tree, app.builder.appendix_of)
    finally:
        app.cleanup()
    return src, tree, app.builder


def test_the_example_portfolio_compiles_with_its_references_paged(
    example_tree: tuple[Path, Any, Any],
) -> None:
    """Every node type of the example, from the PDF builder's single document."""
    src, tree, _ = example_tree
    markup = to_typst(tree, lambda uri: uri if (src / uri).is_file() else None)
    markup = fill(markup, lambda name: "9")
    (src / "portfolio.typ").write_text(PREAMBLE + markup, encoding="utf-8")
    pdf = typst.compile(str(src / "portfolio.typ"), root=str(src))
    reader = PdfReader(io.BytesIO(pdf))
    printed = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert "Going to the Reflective practice: a half-day session, p." in printed
    assert "E1 Certificate of attendance, p." in printed
    # The dashboard's charts are drawn: their labels are in the text layer.
    assert "Participatory" in printed and "Target 20" in printed
    assert "[" not in printed.replace("[... ", "")


def test_the_fast_walk_writes_what_docutils_walk_writes(
    example_tree: tuple[Path, Any, Any],
) -> None:
    """The translator's own walk (no per-node debug calls) gives the markup
    docutils' ``walkabout`` gives, over every node type of the example."""
    from sphinx_cpd.pdf.typst_markup import TypstTranslator

    _, tree, builder = example_tree
    known = [item.anchor for item in builder.evidence]
    written = []
    for walk in (
        lambda translator: translator.walk(tree),
        lambda translator: tree.walkabout(translator),
    ):
        translator = TypstTranslator(tree, lambda uri: uri, known)
        walk(translator)
        written.append((translator.astext(), translator.headings))
    assert written[0] == written[1]
    assert len(written[0][0]) > 20_000 and len(written[0][1]) > 20


def test_a_released_tree_is_freed_without_the_cycle_collector() -> None:
    import gc
    import pickle
    import weakref

    from sphinx_cpd.pdf.memory import collector_paused, release

    # As Sphinx gives a page's tree: unpickled, with nothing of the parser's.
    document = pickle.loads(pickle.dumps(publish_doctree(SHAPES)))
    tracked = [weakref.ref(node) for node in document.findall(nodes.Element)]
    with collector_paused():
        release(document)
        del document
        assert len(tracked) > 20 and all(node() is None for node in tracked)
    gc.collect()


def test_the_fast_walk_skips_and_stops_as_docutils_does() -> None:
    from docutils.utils import new_document

    from sphinx_cpd.pdf.typst_walk import Walker

    document = new_document("<test>")
    raises = {
        "a": nodes.SkipNode,
        "b": nodes.SkipChildren,
        "c": nodes.SkipDeparture,
        "d": nodes.SkipSiblings,
        "f": nodes.StopTraversal,
    }
    for name in "abcdefg":
        outer = nodes.paragraph(name, "", nodes.emphasis("", f"{name}1"), nodes.strong("", "x"))
        document += nodes.section("", outer, nodes.paragraph("", f"after {name}"))

    class Record(Walker):
        def __init__(self, document: nodes.document) -> None:
            super().__init__(document)
            self.seen: list[str] = []

        def before(self, node: nodes.Node) -> None:
            self.seen.append(f"before {node.astext()[:8]}")

        def unknown_visit(self, node: nodes.Node) -> None:
            self.seen.append(f"visit {node.astext()[:8]}")
            if isinstance(node, nodes.paragraph) and node.rawsource in raises:
                raise raises[node.rawsource]

        def unknown_departure(self, node: nodes.Node) -> None:
            self.seen.append(f"depart {node.astext()[:8]}")

    walked, docutils_walked = Record(document), Record(document)
    assert walked.walk(document) == document.walkabout(docutils_walked)
    assert walked.seen == docutils_walked.seen
    assert "visit f1x" in walked.seen and "visit g1x" not in walked.seen


def test_the_whole_document_has_cover_contents_pages_and_appendices(
    example_tree: tuple[Path, Any, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from sphinx_cpd.pdf.produce import Sources, make_pdf
    from sphinx_cpd.pdf.typst_parts import to_parts

    src, tree, builder = example_tree
    setup = Setup(
        title="Morgan Ashby: chartership portfolio",
        author="Morgan Ashby",
        language="en",
        date=dt.date(2011, 11, 28),
        paper_mm=(210.0, 297.0),
        margins_mm={"top": 22.0, "right": 18.0, "bottom": 22.0, "left": 18.0},
        header="Morgan Ashby: chartership portfolio",
        edition="Draft — private: for the author only",
        cover_lines=("Morgan Ashby ACLIP", "Working towards Chartership"),
        keywords=("CPD", "pksb"),
    )
    bodies, headings = to_parts(tree, lambda uri: uri if (src / uri).is_file() else None)
    sources = Sources(setup, bodies, headings, builder.evidence, {})
    warnings: list[str] = []

    def pdf_of(cache: Path, jobs: int = 2) -> bytes:
        data = make_pdf(sources, src, cache, 1322438400, jobs, warnings.append)
        assert data is not None
        return data

    pdf = pdf_of(tmp_path / "cache")
    assert warnings == []
    reader = PdfReader(io.BytesIO(pdf))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert "Draft — private: for the author only" in pages[0] and "Page 1" not in pages[0]
    assert "Contents" in pages[1]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Appendix E1: Certificate of attendance" in titles
    # The certificate's one page goes under its appendix's heading.
    certificate = [n for n, page in enumerate(pages) if "This is to certify" in page]
    assert len(certificate) == 1 and "Appendix E1" in pages[certificate[0]]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    # The same sources, the same bytes: laid out afresh, or from the parts kept.
    assert pdf_of(tmp_path / "again") == pdf
    assert pdf_of(tmp_path / "cache") == pdf
    # One process, and the numbers set in and the parts joined in it: the
    # same. Both done in forked processes (as a long portfolio's are), or
    # here when those fail: the same.
    from concurrent.futures.process import BrokenProcessPool

    from sphinx_cpd.pdf import forked

    # (The parts laid out already are kept: only the numbers and the joining
    # are done again.)
    assert pdf_of(tmp_path / "cache", jobs=1) == pdf
    pools: list[int] = []

    class Counted(forked.ProcessPoolExecutor):
        def __init__(self, jobs: int, **options: Any) -> None:
            pools.append(jobs)
            super().__init__(jobs, **options)

    monkeypatch.setattr(forked, "FORK_BYTES", 0)
    monkeypatch.setattr(forked, "ProcessPoolExecutor", Counted)
    assert pdf_of(tmp_path / "cache") == pdf and pools == [2, 2]

    class Broken(Counted):
        def map(self, *_: Any, **__: Any) -> Any:
            raise BrokenProcessPool("killed")

    monkeypatch.setattr(forked, "ProcessPoolExecutor", Broken)
    assert pdf_of(tmp_path / "cache") == pdf and pools == [2, 2, 2, 2]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "See `conf`.py and `print`(x), **bold**(note), *em*.x; a `foo`; b",
            "See conf.py and print(x), bold(note), em.x; a foo; b",
        ),
        ("[l](https://e.com)(y)", "l (https://e.com)(y)"),
        ("PoC `x`.func()(str(sys.version))", "PoC x.func()(str(sys.version))"),
    ],
)
def test_text_after_markup_stays_text(tmp_path: Path, markdown: str, expected: str) -> None:
    from myst_parser.docutils_ import Parser

    tree = publish_doctree(markdown, parser=Parser())
    assert compile_text(to_typst(tree), tmp_path) == expected


def test_terms_with_labels_and_classifiers_compile(tmp_path: Path) -> None:
    from docutils import nodes

    tree = publish_doctree("CPD : a classifier\n   Continuing professional development.\n")
    term = next(iter(tree.findall(nodes.term)))
    term["ids"].append("term-cpd")  # as Sphinx's glossary gives its terms
    printed = compile_text(to_typst(tree), tmp_path)
    assert printed == "CPD : a classifier Continuing professional development."


SHAPES = r"""
3. third
4. fourth

| Ada Lovelace
| 12 Analytical Row

.. note:: Keep the receipts.

+-------+-------+
| Tall  | top   |
|       +-------+
|       | under |
+-------+-------+
"""


def settle_two_parts(tmp_path: Path, body: Callable[[int, Any], str]) -> tuple[Any, Any]:
    """Two one-page parts settled from a guess that knows no label (each
    number is given two digits), with their numbers set in:
    ``body(part, page_of)``; the parts' PDFs and the layout."""
    from sphinx_cpd.pdf.parts import Layout, Plan

    def render(index: int, first: int, total: int, page: Any) -> str:
        title = '#set document(title: "Parts")\n'
        return f"{PREAMBLE}{title}#counter(page).update({first})\n{body(index, page)}\n"

    work = tmp_path / "work"
    work.mkdir()
    layout = Layout(work, tmp_path / "cache", 1322438400, 2, "")
    plan = layout.settle(render, Plan([1, 1], {}, []), True)
    assert plan.settled
    return [result.pdf for result in layout.numbered(render, plan, True)], layout


def test_only_a_part_whose_numbers_change_width_is_laid_out_again(tmp_path: Path) -> None:
    """A layout holds for any numbers of the same widths (every digit is as
    wide): only the part whose guessed number had the wrong number of digits
    is laid out again, and every part's numbers are set in its PDF."""
    pdfs, layout = settle_two_parts(
        tmp_path,
        lambda index, page: (
            f"See page {page_number('x', page('x'))}. Room 2."
            if index == 0
            else "#metadata(none)<x>Here."
        ),
    )
    # "x" was given the width of two digits; it is on page 2.
    assert (layout.passes, layout.laid_out, layout.renumbered) == (2, 3, 2)
    assert "See page 2. Room 2." in PdfReader(io.BytesIO(pdfs[0])).pages[0].extract_text()


def test_a_part_whose_font_lacks_a_digit_is_laid_out_with_its_numbers(tmp_path: Path) -> None:
    """Numbers are set in with the glyphs a part's fonts already have: a part
    laid out with only zeros has no "2", and is laid out with its numbers."""

    def body(index: int, page: Any) -> str:
        mine, other = ("x", "y") if index == 0 else ("y", "x")
        room = "" if index == 0 else " Room 1."
        return f"#metadata(none)<{mine}>See page {page_number(other, page(other))}.{room}"

    pdfs, layout = settle_two_parts(tmp_path, body)
    texts = [PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in pdfs]
    assert texts == ["See page 2.", "See page 1. Room 1."]
    # Laid out twice (two digits guessed, one found), then part 0 once more
    # with its numbers: it had no "2". Part 1 had a "1" to set in.
    assert (layout.passes, layout.laid_out, layout.renumbered) == (2, 5, 1)


def test_parts_are_kept_for_the_next_build_and_numbers_set_in_again(tmp_path: Path) -> None:
    """A part is kept as laid out, with its numbers as zeros: the next build
    lays nothing out and sets the numbers in (the kept pages say where)."""
    from sphinx_cpd.pdf.parts import Layout, Plan

    def render(index: int, first: int, total: int, page: Any) -> str:
        title = '#set document(title: "Parts")\n'
        shown = page_number(PAGE, "#context counter(page).display()")
        footer = f"#set page(footer: align(center)[Page {shown} of "
        footer += f"{page_number(TOTAL, str(total))}])\n"
        return f"{PREAMBLE}{title}{footer}#counter(page).update({first})\nPart {index}\n"

    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    layout = Layout(work, cache, 1322438400, 2, "")
    plan = layout.settle(render, Plan([1, 1], {}, []), True)
    assert plan.settled and (layout.passes, layout.laid_out) == (1, 2)
    assert len(list(cache.glob("*.pdf"))) == 2
    again = Layout(work, cache, 1322438400, 2, "")
    plan = again.settle(render, Plan([1, 1], {}, []), True)
    pdfs = [result.pdf for result in again.numbered(render, plan, True)]
    assert plan.settled and (again.laid_out, again.renumbered) == (0, 2)
    texts = [PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in pdfs]
    # The footer's total was laid out with ten digits (every one), and has one.
    assert texts == ["Part 0\nPage 1 of 2", "Part 1\nPage 2 of 2"]


def test_list_numbers_line_blocks_notes_and_row_spans_as_written(tmp_path: Path) -> None:
    typst_source = to_typst(publish_doctree(SHAPES))
    assert "rowspan: 2" in typst_source
    source = tmp_path / "doc.typ"
    source.write_text(PREAMBLE + typst_source, encoding="utf-8")
    pages = PdfReader(io.BytesIO(typst.compile(str(source)))).pages
    lines = [line.strip() for line in pages[0].extract_text().splitlines()]
    # The list starts where the author started it; each line of the block is a line.
    assert lines[:4] == ["3. third", "4. fourth", "Ada Lovelace", "12 Analytical Row"]
    # A note is named; the tall cell spans both rows beside it.
    assert lines[4:6] == ["Note", "Keep the receipts."]
    # (The text layer may give a line's cells in either order.)
    assert sorted(lines[6].replace("Tall", " Tall ").split()) == ["Tall", "top"]
    assert lines[7:] == ["under"]


def test_a_long_part_is_cut_only_where_nothing_is_open(tmp_path: Path) -> None:
    from sphinx_cpd.pdf.typst_markup import TypstTranslator
    from sphinx_cpd.pdf.typst_parts import cut, to_parts
    from sphinx_cpd.pdf.typst_text import BREAK, BREAK_END

    sections = "".join(
        f"Section {n}\n{'-' * 12}\n\n" + "Words of the section. " * 40 + "\n\n" for n in range(1, 7)
    )
    # An author's text cannot mark a cut of its own.
    source = f"Chapter\n=======\n\nForged {BREAK}x{BREAK_END} mark.\n\n{sections}"
    tree = publish_doctree(source, settings_overrides={"doctitle_xform": False})
    tree.children[0]["classes"].append("cpd-chapter")
    (whole,), _ = to_parts(tree)
    assert BREAK not in whole and BREAK_END not in whole and "Forged x mark" in whole
    translator = TypstTranslator(tree)
    tree.children[0].walkabout(translator)
    marked = translator.astext()
    assert marked.count(BREAK) == 6  # before each section of the second level
    pieces = cut(marked, limit=len(whole) // 3)
    assert len(pieces) >= 3
    # Every piece after the first starts with the chapter's title again; without
    # those headings, the pieces are the whole part.
    again = "\n#heading(level: 1, outlined: false, bookmarked: false)[Chapter (continued)]\n"
    assert all(piece.startswith(again) for piece in pieces[1:])
    assert "".join(piece.replace(again, "", 1) for piece in pieces) == whole
    # Each piece is Typst that compiles and says its sections.
    for number, piece in enumerate(pieces):
        folder = tmp_path / str(number)
        folder.mkdir()
        printed = compile_text(fill(piece, lambda name: "1"), folder)
        assert "Words of the section." in printed
        assert number == 0 or printed.startswith("Chapter (continued) Section")
    # A part within the limit is not cut.
    assert cut(marked, limit=len(whole)) == [whole]


@given(
    sizes=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12),
    limit=st.integers(min_value=1, max_value=1500),
)
def test_cutting_keeps_every_section_once_and_in_order(sizes: list[int], limit: int) -> None:
    from sphinx_cpd.pdf.typst_parts import cut
    from sphinx_cpd.pdf.typst_text import BREAK, BREAK_END

    sections = [chr(ord("a") + n) * size for n, size in enumerate(sizes)]
    headings = [f"[again {n}]" for n in range(1, len(sizes))]
    part = sections[0] + "".join(
        BREAK + heading + BREAK_END + section
        for heading, section in zip(headings, sections[1:], strict=True)
    )
    pieces = cut(part, limit)
    assert all(BREAK not in piece and BREAK_END not in piece for piece in pieces)
    # Each piece after the first starts with the heading of the mark it was cut at.
    starts = [next(h for h in headings if piece.startswith(h)) for piece in pieces[1:]]
    assert starts == sorted(starts, key=headings.index)
    rejoined = pieces[0] + "".join(
        piece.removeprefix(start) for piece, start in zip(pieces[1:], starts, strict=True)
    )
    assert rejoined == "".join(sections)
    if sum(sizes) <= limit:
        assert pieces == ["".join(sections)]


def test_no_cut_inside_a_list_nor_under_another_chapters_title(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from docutils import nodes
    from sphinx import addnodes

    from sphinx_cpd.pdf import typst_parts
    from sphinx_cpd.pdf.typst_parts import to_parts

    monkeypatch.setattr(typst_parts, "LONG_PART", 1)  # every mark that is made, cut
    rst = "Chapter\n=======\n\nIntro.\n\nOne\n---\n\nFirst.\n\nTwo\n---\n\nSecond.\n"
    tree = publish_doctree(rst, settings_overrides={"doctitle_xform": False})
    first = nodes.container(classes=["cpd-chapter"])
    first += tree.children[0].deepcopy()
    # reST may put a section in a list (through "only"): no cut inside the list.
    section = first[0][-1]
    first[0].remove(section)
    first[0] += nodes.bullet_list("", nodes.list_item("", section))
    # A chapter whose page has no title: its pages' sections are not cut under
    # the title of the chapter before.
    second = nodes.container(classes=["cpd-chapter"])
    untitled = addnodes.start_of_file(docname="b")
    untitled += nodes.paragraph(text="No title here.")
    listed = addnodes.start_of_file(docname="b1", cpd_depth=1)
    listed += tree.children[0][2].deepcopy()  # a section ("One")
    untitled += listed
    second += untitled
    document = tree.copy()
    document += [first, second]
    bodies, _ = to_parts(document)
    assert len(bodies) == 3, bodies  # the first chapter cut once, before "One"
    assert bodies[1].startswith(
        "\n#heading(level: 1, outlined: false, bookmarked: false)[Chapter (continued)]\n"
    )
    assert "#list" in bodies[1] and "Two" in bodies[1]
    assert "continued" not in bodies[2] and "No title here." in bodies[2]
    for number, body in enumerate(bodies):
        folder = tmp_path / str(number)
        folder.mkdir()
        assert compile_text(fill(body, lambda name: "1"), folder)


def test_a_file_name_keeps_the_characters_text_may_not_hold(tmp_path: Path) -> None:
    from tests.conftest import PNG

    name = "pic\ue000\ue001\ue002\ue003.png"
    (tmp_path / name).write_bytes(PNG)
    # Text leaves them out (no font has them, and they would mark a cut or a
    # page number); a string (a file's name) keeps them as escapes.
    assert text(f"a{name}") == "apic.png"
    markup = f"#image({string(name)}, width: 1cm)\n\nDone."
    assert "\ue002" not in markup
    assert compile_text(markup, tmp_path) == "Done."
