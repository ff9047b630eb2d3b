"""The whole PDF as one Typst document: page set-up, cover, contents, the
portfolio's body (from :mod:`sphinx_cpd.pdf.typst_markup`) and the evidence
appendices, with a page reserved for each page of an evidence PDF.

The pages reserved for evidence are found afterwards with :func:`reserved_pages`
(each reserved page records its own number), and pypdf places the evidence
there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx_cpd.pdf.appendices import Appendix, reserved_anchor
from sphinx_cpd.pdf.typst_text import label, string, text

if TYPE_CHECKING:
    import typst


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


def spread_line(points: float) -> str:
    """The line of the preamble that spreads the contents' lines (points added
    after each entry), so that their last page is not left with a few lines.
    It is changed in the source, not given as an input: an input is read by
    everything, and Typst would lay the whole document out again."""
    return f"#let CONTENTS_SPREAD = {points:.3f}\n"


def preamble(setup: Setup) -> str:
    width, height = setup.paper_mm
    margins = ", ".join(f"{side}: {value}mm" for side, value in setup.margins_mm.items())
    keywords = ", ".join(string(k) for k in setup.keywords)
    fonts = ", ".join(string(f) for f in setup.fonts)
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
  header: context {{
    if counter(page).get().first() > 1 {{
      set text(size: 8pt, fill: luma(90))
      align(center)[{text(setup.header)}]
    }}
  }},
  footer: context {{
    if counter(page).get().first() > 1 {{
      set text(size: 8pt, fill: luma(90))
      align(center)[Page #counter(page).display() of #counter(page).final().first()]
    }}
  }},
)
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it }}
{spread_line(0)}"""


def cover(setup: Setup) -> str:
    lines = "".join(f"#text(size: 12pt)[{text(line)}]\n\n" for line in setup.cover_lines)
    return f"""#page(header: none, footer: none)[
#v(25%)
#text(size: 11pt, fill: luma(90))[Continuing professional development portfolio]

#text(size: 24pt, weight: "bold")[{text(setup.title)}]

{lines}#text(size: 12pt, weight: "bold")[{text(setup.edition)}]

#text(size: 12pt)[Built on {setup.date.day} {setup.date.strftime("%B %Y")}]
]
#metadata(none)<cpd-contents-start>
#[
  // Scoped: a change of spread restyles the contents, not what follows them.
  #show outline.entry: it => {{ it; v(CONTENTS_SPREAD * 1pt) }}
  #outline(title: [Contents], depth: 2)
]
#metadata(none)<cpd-contents-end>
"""


def appendix(item: Appendix, image_path: str | None) -> str:
    parts = [f"\n#heading(level: 1)[{text(item.heading)}] {label(item.anchor)}\n"]
    if item.text:
        parts.append(f"\n#emph[{text(item.text)}]\n")
    name = text(item.path.name) if item.path else ""
    if item.kind == "pdf":
        parts.append(
            f"\nThe file #raw({string(item.path.name if item.path else '')}): its "
            + ("page is shown below." if item.pages == 1 else f"{item.pages} pages, from below.")
            + "\n"
        )
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
        parts.append(f"\nThe file {name} ({text(item.size)}):\n")
        parts.append(f"\n#raw(block: true, {string(item.content)})\n")
    elif item.kind == "link" and item.url:
        parts.append(f"\nOnline at #link({string(item.url)})[{text(item.url)}].\n")
    elif item.kind == "file":
        size = f" ({text(item.size)})" if item.size else ""
        parts.append(
            f"\nThe file {name}{size} is not reproduced in this PDF; it comes with the "
            "portfolio's web version."
            + (f" It could not be read: {text(item.problem)}." if item.problem else "")
            + "\n"
        )
    else:
        parts.append("\nNo file is attached to this evidence.\n")
    return "".join(parts)


def document(
    setup: Setup,
    body: str,
    evidence: Sequence[Appendix] = (),
    image_path: dict[int, str] | None = None,
) -> str:
    """The Typst source of the whole PDF."""
    images = image_path or {}
    appendices = "".join(appendix(item, images.get(item.number)) for item in evidence)
    return preamble(setup) + cover(setup) + body + appendices


def reserved_pages(compiler: typst.Compiler) -> dict[str, tuple[int, float]]:
    """Where each reserved evidence page landed, by name: the page (counted from 0)
    and how far down it starts, in points. One query of the document's metadata."""
    found: dict[str, tuple[int, float]] = {}
    for value in json.loads(compiler.query("metadata", field="value")):
        if isinstance(value, dict) and value.get("kind") == "cpd-reserved":
            found[str(value["name"])] = (int(value["page"]) - 1, float(value["top"]))
    return found


def contents_spread(compiler: typst.Compiler, body_top: float, body_height: float) -> float:
    """The space to add after each contents entry (points) so that the contents'
    last page is at least a quarter full; 0 when it already is."""
    start, end = json.loads(
        compiler.eval(
            "(locate(<cpd-contents-start>).position(), locate(<cpd-contents-end>).position())",
            format="json",
        )
    )
    used = float(str(end["y"]).removesuffix("pt")) - body_top
    if end["page"] == start["page"] or used >= body_height / 4:
        return 0.0
    entries = int(
        compiler.eval(
            "query(heading.where(outlined: true)).filter(h => h.level <= 2).len()", format="json"
        )
    )
    # The lines the last page lacks, and some more, shared among all the entries:
    # the pages before give up a line or so each, and no page is added.
    return (body_height / 4 - used + body_height / 20) / max(entries, 1)
