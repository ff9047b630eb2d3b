"""The PDF portfolio: the ``cpdpdf`` builder and its print template."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_cpd.pdf.builder import CPDPDFBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_pdf(app: Sphinx) -> None:
    app.add_builder(CPDPDFBuilder)
    app.add_html_theme("sphinx_cpd_pdf", str(Path(__file__).parent / "theme"))
