"""Evidence as numbered appendices of the PDF.

A PDF file's pages are placed, scaled to fit, onto pages that the layout
reserved for them (so they keep the header, "Page N of M" and their place in
the contents and outline); an image is embedded; a text file is reproduced;
any other file is listed with a note saying where to find it.
"""

from __future__ import annotations

import logging as stdlib_logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sphinx_cpd.i18n import N_, _

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def anchor(number: int) -> str:
    return f"cpd-appendix-e{number}"


def reserved_anchor(number: int, page: int) -> str:
    return f"cpd-appendix-e{number}-page-{page}"


@dataclass
class Appendix:
    number: int
    title: str
    text: str
    kind: str  # "pdf", "image", "text", "file", "link" or "none"
    path: Path | None = None
    size: str = ""
    url: str | None = None
    pages: int = 0
    problem: str = ""
    #: A text file's words, reproduced in the appendix.
    content: str = ""

    @property
    def heading(self) -> str:
        return _("Appendix E%(number)s: %(title)s") % {"number": self.number, "title": self.title}

    @property
    def anchor(self) -> str:
        return anchor(self.number)

    def reserved(self, page: int) -> str:
        return reserved_anchor(self.number, page)

    @classmethod
    def of(
        cls,
        number: int,
        title: str,
        text: str,
        path: Path | None,
        size: str,
        url: str | None,
    ) -> Appendix:
        if path is None:
            return cls(number, title, text, "link" if url else "none", url=url)
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            problem, pages = pdf_problem(path)
            if problem:
                return cls(number, title, text, "file", path, size, url, problem=problem)
            return cls(number, title, text, "pdf", path, size, url, pages=pages)
        if suffix in IMAGE_SUFFIXES:
            return cls(number, title, text, "image", path, size, url)
        if suffix in TEXT_SUFFIXES:
            return cls(number, title, text, "text", path, size, url, content=read_text(path))
        return cls(number, title, text, "file", path, size, url)


#: Evidence files reproduced as text in their appendix (notes, minutes, data).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".rst", ".csv", ".tsv"})
#: More text than this is cut, with a note: an appendix is not a dump.
TEXT_LIMIT = 100_000


def read_text(path: Path) -> str:
    """A text file's words, as many as an appendix holds, without characters no
    PDF text can hold."""
    data = path.read_bytes()[: TEXT_LIMIT + 1]
    text = data[:TEXT_LIMIT].decode("utf-8", errors="replace")
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if len(data) > TEXT_LIMIT:
        text += "\n" + _("[... the rest of the file is in the portfolio's web version]")
    return text


def pdf_problem(path: Path) -> tuple[str, int]:
    """Why an evidence PDF cannot be placed in the portfolio (or ""), and its pages.

    Encrypted files, pages without a size and files pypdf cannot read are
    listed in their appendix instead of placed.
    """
    with quiet("pypdf"):
        try:
            from pypdf import PdfReader  # read only when there is evidence to place

            reader = PdfReader(path)
            if reader.is_encrypted:
                return N_("it is encrypted; attach an unprotected copy"), 0
            if not reader.pages:
                return N_("it has no pages"), 0
            for page in reader.pages:
                box = page.mediabox
                # A box may be given corner to corner either way round.
                width, height = abs(float(box.width)), abs(float(box.height))
                if not (0 < width < 20000 and 0 < height < 20000):
                    return N_("one of its pages has no usable size"), 0
            return "", len(reader.pages)
        except Exception:  # any file may be handed in: never stop the build
            return N_("it cannot be read as a PDF"), 0


@contextmanager
def quiet(*names: str, level: int = stdlib_logging.CRITICAL) -> Iterator[None]:
    """Silence libraries' own logging (pypdf's notes on damaged files): what
    matters is reported as a located warning."""
    loggers = [stdlib_logging.getLogger(name) for name in names]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(level)
    try:
        yield
    finally:
        for log, level in zip(loggers, levels, strict=True):
            log.setLevel(level)
