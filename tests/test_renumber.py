"""Page numbers set in a laid-out part (sphinx_cpd.pdf.renumber): the result
must be what Typst makes when it lays the part out with those numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import typst
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from sphinx_cpd.pdf.part_file import literal_end
from sphinx_cpd.pdf.parts import digits
from sphinx_cpd.pdf.renumber import Unexpected, renumber, unescape, unicode_map
from sphinx_cpd.pdf.typst_text import LINK_END, PAGE, TOTAL, link_start, links, number
from sphinx_cpd.pdf.typst_worker import MARKS

DOCUMENT = """#set document(title: "Renumbered")
#set text(font: "DejaVu Sans", size: 10pt)
#set page(width: 120mm, height: 80mm, footer: context {{
  set text(size: 8pt)
  align(center)[Page {page} of {total}]
}})
#counter(page).update({first})
Digits 0123456789. #strong[Bold 0123456789.]

See the plan, p.~{plan}, and #strong[the log, p.~{log}].

#pagebreak()
Again: the plan, p.~{plan}.
"""


def lay_out(tmp_path: Path, name: str, **numbers: str) -> tuple[bytes, list[Any]]:
    """The document laid out with these numbers (as markup), and its marks."""
    source = tmp_path / f"{name}.typ"
    source.write_text(DOCUMENT.format(**numbers), encoding="utf-8")
    compiler = typst.Compiler(str(source), root=str(tmp_path))
    pdf = compiler.compile(pdf_standards="ua-1", timestamp=1322438400)
    marks = [(v, p - 1, x, y) for v, p, x, y in json.loads(compiler.eval(MARKS, format="json"))]
    return pdf, marks


def runs(pdf: bytes) -> list[list[tuple[str, float]]]:
    """Each page's pieces of text and where they start across the page."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces: list[tuple[str, float]] = []

        def seen(text: str, cm: Any, tm: Any, *_: Any, into: list[Any] = pieces) -> None:
            if text.strip():
                into.append((text, round(cm[4] + tm[4], 2)))

        page.extract_text(visitor_text=seen)
        found.append(pieces)
    return found


def numbers_of(numbers: dict[str, str]) -> Any:
    """The digits of each number of the document laid out with ``numbers``."""
    return digits(int(numbers["first"]), int(numbers["total"]), numbers.__getitem__)


def marked(numbers: dict[str, str]) -> dict[str, str]:
    return {
        "page": number(PAGE, "#counter(page).display()"),
        "total": number(TOTAL, numbers["total"]),
        "plan": number("plan", numbers["plan"]),
        "log": number("log", numbers["log"]),
        "first": numbers["first"],
    }


@pytest.mark.parametrize(
    ("laid", "wanted"),
    [
        # The footer's numbers grow and shrink; those in the text keep their width.
        (
            {"first": "8", "total": "1234567890", "plan": "00", "log": "000"},
            {"first": "99", "total": "104", "plan": "12", "log": "345"},
        ),
        (
            {"first": "1", "total": "9", "plan": "7", "log": "123"},
            {"first": "1000", "total": "12000", "plan": "8", "log": "999"},
        ),
    ],
)
def test_numbers_set_in_are_those_a_layout_with_them_has(
    tmp_path: Path, laid: dict[str, str], wanted: dict[str, str]
) -> None:
    pdf, marks = lay_out(tmp_path, "laid", **marked(laid))
    expected, _ = lay_out(tmp_path, "wanted", **marked(wanted))

    result = renumber(pdf, marks, numbers_of(wanted), numbers_of(laid))
    assert [page.extract_text() for page in PdfReader(io.BytesIO(result)).pages] == [
        page.extract_text() for page in PdfReader(io.BytesIO(expected)).pages
    ]
    # Every piece of text starts where Typst put it: the footer is centred.
    assert runs(result) == runs(expected)
    # An update of what Typst wrote: its bytes are kept, the pages follow.
    assert result.startswith(pdf)


def test_what_is_not_as_laid_out_is_refused(tmp_path: Path) -> None:
    """Anything but what this module expects raises, and the part is laid
    out with its numbers instead: never a wrong number."""
    numbers = {"first": "1", "total": "1234567890", "plan": "00", "log": "000"}
    pdf, marks = lay_out(tmp_path, "laid", **marked(numbers))
    laid = numbers_of(numbers)
    # A number in the text with another width.
    wider = numbers_of({**numbers, "plan": "100"})
    with pytest.raises(Unexpected, match="in place"):
        renumber(pdf, marks, wider, laid)
    # A mark with nothing drawn where it says.
    moved = [(what, page, x + 1, y) for what, page, x, y in marks]
    with pytest.raises(Unexpected, match="not where its mark is"):
        renumber(pdf, moved, laid, laid)
    # A run that does not show what the part was laid out with.
    with pytest.raises(Unexpected, match="was laid out"):
        renumber(pdf, marks, laid, numbers_of({**numbers, "log": "999"}))
    # Marks lost (a kept part's facts damaged): its footers would keep their zeros.
    for kept in ([], [m for m in marks if m[0] != TOTAL], [m for m in marks if m[1] == 0]):
        with pytest.raises(Unexpected, match="footer"):
            renumber(pdf, kept, laid, laid)
    assert renumber(pdf, marks, laid, laid).startswith(pdf)


@given(st.binary(max_size=40))
def test_literal_strings_are_read_back_as_written(data: bytes) -> None:
    """Every way a PDF writer may write a string's bytes: each escaped, only
    the parentheses and backslashes escaped, or balanced parentheses as they
    are (as Typst writes them)."""
    octal = b"".join(b"\\%03o" % byte for byte in data)
    plain = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    for written in (octal, plain, b"(" + plain + b")"):
        content = b"[(" + written + b")]TJ"
        end = literal_end(content, 1)
        assert content[end:] == b"]TJ"
        read = unescape(content[2 : end - 1])
        assert read == (b"(" + data + b")" if written.startswith(b"(") else data)


def test_a_tounicode_map_is_read_in_single_codes_and_ranges() -> None:
    cmap = (
        b"2 beginbfchar\n<0001> <0031>\n<0002> <00E9>\nendbfchar\n"
        b"1 beginbfrange\n<0010> <0012> <0035>\nendbfrange\n"
    )
    assert unicode_map(cmap) == {
        b"\x00\x01": "1",
        b"\x00\x02": "\u00e9",
        b"\x00\x10": "5",
        b"\x00\x11": "6",
        b"\x00\x12": "7",
    }


def test_parts_are_laid_out_longest_first_by_the_time_they_took() -> None:
    """A page of tables takes twice a page of prose: once a part has been laid
    out, the time it took orders it, not the size of its source."""
    from sphinx_cpd.pdf.processes import batches

    sizes = {0: 900_000, 1: 800_000, 2: 880_000, 3: 20_000}
    assert batches(sizes, 2) == [[0], [2], [1], [3]]
    took = {0: 4.0, 1: 5.5, 2: 2.3}
    assert batches(sizes, 2, took) == [[1], [0], [2], [3]]
    # A part not laid out before is reckoned at the others' pace by its size.
    assert batches({**sizes, 4: 1_000_000}, 2, took)[0] == [1]


def test_shorter_parts_share_a_process_up_to_its_limit() -> None:
    from sphinx_cpd.pdf.processes import PROCESS_SOURCE, batches

    # Ten years of entries and the listings, as the 500-entry benchmark's parts.
    sizes = {0: 15_000, 1: 972_000, **{n: 220_000 for n in range(2, 12)}, 12: 125_000}
    groups = batches(sizes, 2)
    assert sorted(i for group in groups for i in group) == list(range(13))
    assert groups[0] == [1]  # the longest, alone and first
    assert all(sum(sizes[i] for i in group) <= PROCESS_SOURCE for group in groups[1:])
    assert len(groups) == 7  # ten years two by two, the two short ones together
    # However short, parts are laid out in as many processes as run at once.
    assert batches({0: 10, 1: 20, 2: 30}, 2) == [[2], [1, 0]]


FIXED_DOCUMENT = """#set document(title: "Room for digits")
#set text(font: "DejaVu Sans", size: 10pt)
#set page(width: 120mm, height: 80mm)
Digits 0123456789.

#par[Where it is written down: the plan, p.~{plan}]

#par[After it, the log, p.~{log}, and more.]
"""


def test_a_number_ending_a_paragraph_may_have_fewer_digits(tmp_path: Path) -> None:
    """A page number that ends a paragraph is laid out with room for the last
    page's (FIXED) and may be set in with fewer digits: nothing else moves."""
    from sphinx_cpd.pdf.typst_text import FIXED

    def laid_out(name: str, plan: str, log: str) -> tuple[bytes, list[Any]]:
        source = tmp_path / f"{name}.typ"
        markup = {"plan": number(FIXED + "plan", plan), "log": number("log", log)}
        source.write_text(FIXED_DOCUMENT.format(**markup), encoding="utf-8")
        compiler = typst.Compiler(str(source), root=str(tmp_path))
        pdf = compiler.compile(pdf_standards="ua-1", timestamp=1322438400)
        marks = [(v, p - 1, x, y) for v, p, x, y in json.loads(compiler.eval(MARKS, format="json"))]
        return pdf, marks

    pdf, marks = laid_out("laid", "0000", "00")
    expected, _ = laid_out("wanted", "7", "12")
    laid = {FIXED + "plan": "0000", "log": "00"}
    result = renumber(
        pdf,
        marks,
        lambda what, _: {FIXED + "plan": "7", "log": "12"}[what],
        lambda what, _: laid[what],
    )
    text = PdfReader(io.BytesIO(result)).pages[0].extract_text()
    text = text.replace("\xa0", " ")
    assert "the plan, p. 7" in text and "the log, p. 12, and more." in text
    # Every piece of text starts where Typst puts it with those numbers.
    assert runs(result) == runs(expected)
    # Only a number with room for more digits may have fewer; none may have more.
    with pytest.raises(Unexpected, match="in place"):
        renumber(
            pdf, marks, lambda what, _: "1" if what == "log" else "7", lambda what, _: laid[what]
        )
    with pytest.raises(Unexpected, match="in place"):
        renumber(
            pdf,
            marks,
            lambda what, _: "12345" if what != "log" else "12",
            lambda what, _: laid[what],
        )


def test_the_first_guess_counts_text_not_markup() -> None:
    """Links between parts name long labels: a page of tables full of them
    is guessed by its words, as a page of prose is."""
    from sphinx_cpd.pdf.produce import SHOWN_PER_PAGE, guess

    def row(label: str) -> str:
        # As the translator writes it: the page number's place not filled in yet.
        return links(f"#par[{link_start(label)}An event{LINK_END}]\n", {f"<{label}>"})

    short = "".join(row(f"e{n}") for n in range(2000))
    long = "".join(
        row(f"entries-entry-{n:05}:cpd-entries-entry-{n:05}-event-{n}") for n in range(2000)
    )
    prose = "#par[" + "Words of a reflection. " * 3000 + "]\n"
    code = '#raw(block: true, "' + "print(words)\\n" * 3000 + '")\n'
    # A block of code is text too (less its brackets).
    assert guess([code]).counts[0] >= len("print(words)\\n" * 3000) // SHOWN_PER_PAGE * 3 // 4
    assert guess([short]).counts == guess([long]).counts
    assert guess([prose]).counts == [len("Words of a reflection. " * 3000) // SHOWN_PER_PAGE]
    # Each label is guessed on the page its words reach, the parts one after the other.
    places = guess([prose + "#metadata(none)<end>", short]).places
    assert places["end"][0] == guess([prose]).counts[0] - 1
