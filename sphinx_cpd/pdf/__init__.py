"""The PDF portfolio: the ``cpdpdf`` builder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_cpd.pdf.builder import CPDPDFBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_pdf(app: Sphinx) -> None:
    app.add_builder(CPDPDFBuilder)
