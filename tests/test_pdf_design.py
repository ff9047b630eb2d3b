"""sphinx-design's components in the PDF, read back as a reader would see them."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.conftest import Portfolio

#: Written the way every supported sphinx-design reads it: the card's footer
#: with "+++" (the newest prefers a card-footer directive, which 0.6 lacks),
#: and a target in a grid's row (which 0.6 warns of, and keeps).
SUPPRESSED = ["design.card_legacy", "design.grid"]

COMPONENTS = """\
# Components

```{article-info}
:author: Morgan Ashby
:date: Nov 28, 2011
:read-time: 5 min read
```

::::{grid} 4
:::{grid-item}
Alpha
:::
:::{grid-item}
Bravo
:::
:::{grid-item}
Charlie
:::
:::{grid-item}
Delta
:::
::::

::::{grid} 2
(left-card)=
:::{grid-item-card} Left card
Left words.
:::
:::{grid-item-card} Right card
Right words.
:::
::::

:::{card} Linked card
:link: https://example.org/linked

Linked card text.
:::

:::{card} Card title
Card body text.
+++
Card footer
:::

::::{tab-set}
:::{tab-item} Before
Before panel text.
:::
:::{tab-item} After
After panel text.
:::
::::

:::{dropdown} Long notes
Hidden notes text.
:::

See {ref}`the left card <left-card>`. {bdg-primary}`badge text` and {octicon}`star` after the icon.

{bdg-secondary}`second` {bdg-success}`ok` {bdg-info}`info` {bdg-warning}`warn`
{bdg-danger}`danger` {bdg-light}`light` {bdg-dark}`dark` {bdg-muted}`muted`
{bdg-primary-line}`outlined`

```{button-link} https://example.org
:color: primary

A button
```

:::{dropdown}
Untitled dropdown text.
:::
"""


def test_components_print_as_a_reader_expects(portfolio: Portfolio) -> None:
    portfolio.write("index.md", COMPONENTS)
    portfolio.add_conf(f"suppress_warnings = {SUPPRESSED!r}\n")
    build = portfolio.build("cpdpdf")
    assert build.warnings == [], build.warnings_text
    (pdf,) = build.outdir.glob("*.pdf")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    laid_out = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    lines = [" ".join(line.split()) for line in laid_out.splitlines()]
    # A four-column grid keeps its columns: its items share a line.
    assert "Alpha Bravo Charlie Delta" in lines
    assert "Morgan Ashby Nov 28, 2011 5 min read" in lines
    assert any("Left card" in line and "Right card" in line for line in lines)
    text = " ".join(lines)
    for words in (
        "Card title", "Card body text.", "Card footer",
        "Before", "Before panel text.", "After", "After panel text.",
        "Long notes", "Hidden notes text.", "badge text", "A button",
        "Untitled dropdown text.",
    ):  # fmt: skip
        assert words in text, words
    # A dropdown without a title has a name on the website only; a linked card
    # gives its address once, as a link on paper does, not its hidden link text too.
    assert "Show more" not in text
    assert "Linked card text." in text and text.count("example.org/linked") == 1
    # Every tab under its label, in order; no form controls (the tabs' radio buttons).
    assert text.index("Before") < text.index("Before panel text.") < text.index("After panel")
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert not any("/Annots" in page and any(
        annot.get_object().get("/Subtype") == "/Widget" for annot in page["/Annots"]
    ) for page in reader.pages)  # fmt: skip
