"""The Typst source around the portfolio's body (from
:mod:`sphinx_cpd.pdf.typst_markup`): each part's page set-up, the cover, the
contents, and the evidence appendices, with a page reserved for each page of
an evidence PDF.

Each reserved page records where it is (``cpd-reserved`` metadata, read by
:mod:`sphinx_cpd.pdf.typst_worker`), and the evidence is drawn there afterwards
(:mod:`sphinx_cpd.pdf.placing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sphinx_cpd.i18n import _
from sphinx_cpd.language import long_date
from sphinx_cpd.pdf.appendices import Appendix, reserved_anchor
from sphinx_cpd.pdf.marks import GOTO, Area, Bookmark
from sphinx_cpd.pdf.typst_text import (
    PAGE,
    TOTAL,
    label,
    number,
    page_of,
    sentence,
    string,
    text,
)

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Setup:
    """What the pages and the cover say, and how the pages are made."""

    title: str
    author: str
    language: str
    date: dt.date
    paper_mm: tuple[float, float]
    margins_mm: dict[str, float]
    header: str
    edition: str
    cover_lines: tuple[str, ...] = ()
    keywords: tuple[str, ...] = field(default_factory=tuple)
    description: str = ""
    #: The first of these the machine has; Typst brings Libertinus Serif itself.
    fonts: tuple[str, ...] = ("DejaVu Sans", "Libertinus Serif")

    @property
    def page_height(self) -> float:
        """In points, as a PDF measures."""
        return self.paper_mm[1] * POINTS_PER_MM

    @property
    def body_top(self) -> float:
        """How far the body starts below the page's top edge, in points."""
        return self.margins_mm["top"] * POINTS_PER_MM

    @property
    def body(self) -> Area:
        """The page inside its margins, in points from the bottom left."""
        width, height = self.paper_mm
        margins = self.margins_mm
        return Area(
            margins["left"] * POINTS_PER_MM,
            margins["bottom"] * POINTS_PER_MM,
            (width - margins["left"] - margins["right"]) * POINTS_PER_MM,
            (height - margins["top"] - margins["bottom"]) * POINTS_PER_MM,
        )


def preamble(setup: Setup, first: int, total: int) -> str:
    """What every part starts with: the page set-up, its first page's number
    and the number of pages in all (for "Page N of M")."""
    width, height = setup.paper_mm
    margins = ", ".join(f"{side}: {value}mm" for side, value in setup.margins_mm.items())
    keywords = ", ".join(string(k) for k in setup.keywords)
    fonts = ", ".join(string(f) for f in setup.fonts)
    page = _("Page %(page)s of %(total)s")
    # Every page has the header and footer but the first, the cover, which
    # sets none (so a part's numbers can be laid out from any first page).
    page_of_total = sentence(
        page,
        page=number(PAGE, "#counter(page).display()"),
        total=number(TOTAL, str(total)),
    )
    return f"""#set document(
  title: {string(setup.title)},
  author: {string(setup.author)},
  description: {string(setup.description)},
  keywords: ({keywords}{"," if len(setup.keywords) == 1 else ""}),
  date: datetime(year: {setup.date.year}, month: {setup.date.month}, day: {setup.date.day}),
)
#set text(lang: {string(setup.language or "en")}, font: ({fonts}), size: 10pt)
#set page(
  width: {width}mm, height: {height}mm, margin: ({margins}),
  header: {{
    set text(size: 8pt, fill: luma(90))
    align(center)[{text(setup.header)}]
  }},
  footer: context {{
    set text(size: 8pt, fill: luma(90))
    align(center)[{page_of_total}]
  }},
)
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it }}
// The bookmarks are made when the parts are joined, for all of them.
#set heading(bookmarked: false)
#counter(page).update({first})
"""


def cover(setup: Setup) -> str:
    lines = "".join(f"#text(size: 12pt)[{text(line)}]\n\n" for line in setup.cover_lines)
    kind = text(_("Continuing professional development portfolio"))
    built = text(_("Built on %(date)s") % {"date": long_date(setup.date)})
    return f"""#page(header: none, footer: none)[
#v(25%)
#text(size: 11pt, fill: luma(90))[{kind}]

#text(size: 24pt, weight: "bold")[{text(setup.title)}]

{lines}#text(size: 12pt, weight: "bold")[{text(setup.edition)}]

#text(size: 12pt)[{built}]
]
"""


def contents(headings: Sequence[Bookmark], spread: float = 0.0) -> str:
    """The contents: each heading of the first two levels, linked, with its page
    (filled in when the parts are laid out). ``spread`` is space added after
    each entry, so that the last page of the contents is not left with a few
    lines."""
    lines = [
        "#metadata(none)<cpd-contents-start>",
        "#heading(level: 1, outlined: false)[" + text(_("Contents")) + "]",
        "#[",
        "#set par(spacing: 0.7em, justify: false)",
    ]
    for heading in headings:
        if heading.level > 2:
            continue
        title = text(heading.title)
        if heading.level == 1:
            title = f"#strong[{title}]"
        lines.append(
            ("#v(0.5em)" if heading.level == 1 else "")
            + f"#par(hanging-indent: 1.5em)[#h({(heading.level - 1) * 1.5}em)"
            + f"#link({string(GOTO + heading.label)})[{title}];"
            + f"#box(width: 1fr, repeat(gap: 0.15em)[.])~{page_of(heading.label)}]"
            + (f"#v({spread:.3f}pt)" if spread else "")
        )
    lines += ["]", "#metadata(none)<cpd-contents-end>", ""]
    return "\n".join(lines)


def appendix(item: Appendix, image_path: str | None) -> str:
    parts = [f"\n#heading(level: 1)[{text(item.heading)}] {label(item.anchor)}\n"]
    if item.text:
        parts.append(f"\n#emph[{text(item.text)}]\n")
    name_text = item.path.name if item.path else ""
    if item.kind == "pdf":
        shown = (
            _("The file %(file)s: its page is shown below.")
            if item.pages == 1
            else _("The file %(file)s: its %(pages)s pages, from below.")
        )
        file = f"#raw({string(item.path.name if item.path else '')})"
        parts.append(f"\n{sentence(shown, file=file, pages=str(item.pages))}\n")
        for page in range(1, item.pages + 1):
            # A place that records its page and how far down it is, for the
            # evidence to go on: the first page under its appendix's heading (on a
            # page of its own if too little of the heading's page is left), the
            # others each on a page of their own.
            record = f'(kind: "cpd-reserved", name: {string(reserved_anchor(item.number, page))}'
            where = "page: here().page(), top: here().position().y / 1pt"
            marker = f"#context [#metadata({record}, {where}))]"
            if page == 1:
                parts.append(f"\n#block(height: 45%, breakable: false)[]\n#v(-45%)\n{marker}\n")
            else:
                parts.append(f"\n#page[{marker}]\n")
    elif item.kind == "image" and image_path is not None:
        parts.append(f"\n#image({string(image_path)}, width: 100%, alt: {string(item.title)})\n")
    elif item.kind == "text":
        said = _("The file %(file)s (%(size)s):") % {"file": name_text, "size": item.size}
        parts.append(f"\n{text(said)}\n")
        parts.append(f"\n#raw(block: true, {string(item.content)})\n")
    elif item.kind == "link" and item.url:
        link = f"#link({string(item.url)})[{text(item.url)}]"
        online = sentence(_("Online at %(link)s."), link=link)
        parts.append(f"\n{online}\n")
    elif item.kind == "file":
        message = (
            _(
                "The file %(file)s (%(size)s) is not reproduced in this PDF; "
                "it comes with the portfolio's web version."
            )
            if item.size
            else _(
                "The file %(file)s is not reproduced in this PDF; "
                "it comes with the portfolio's web version."
            )
        )
        said = message % {"file": name_text, "size": item.size}
        if item.problem:
            said += " " + _("It could not be read: %(problem)s.") % {"problem": _(item.problem)}
        parts.append(f"\n{text(said)}\n")
    else:
        parts.append("\n" + text(_("No file is attached to this evidence.")) + "\n")
    return "".join(parts)


def contents_spread(
    places: dict[str, tuple[int, float]], entries: int, body_top: float, body_height: float
) -> float:
    """More space to add after each contents entry (points) so that the
    contents' last page is at least a quarter full; 0 when it already is."""
    start, end = places.get("cpd-contents-start"), places.get("cpd-contents-end")
    if start is None or end is None:
        return 0.0
    used = end[1] - body_top
    if end[0] == start[0] or used >= body_height / 4:
        return 0.0
    # The lines the last page lacks, and some more, shared among all the entries:
    # the pages before give up a line or so each, and no page is added.
    return (body_height / 4 - used + body_height / 20) / max(entries, 1)
