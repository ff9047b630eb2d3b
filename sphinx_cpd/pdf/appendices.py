"""Evidence as numbered appendices of the PDF.

A PDF file's pages are placed, scaled to fit, onto pages that the layout
reserved for them (so they keep the header, "Page N of M" and their place in
the contents and outline); an image is embedded; a text file is reproduced;
any other file is listed with a note saying where to find it.
"""

from __future__ import annotations

import io
import logging as stdlib_logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
_MM = 72 / 25.4


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
        return f"Appendix E{self.number}: {self.title}"

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
        text += "\n[... the rest of the file is in the portfolio's web version]"
    return text


def pdf_problem(path: Path) -> tuple[str, int]:
    """Why an evidence PDF cannot be placed in the portfolio (or ""), and its pages.

    Encrypted files, pages without a size and files pypdf cannot read are
    listed in their appendix instead of placed.
    """
    with quiet("pypdf"):
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                return "it is encrypted; attach an unprotected copy", 0
            for page in reader.pages:
                box = page.mediabox
                width, height = float(box.width), float(box.height)
                if not (0 < width < 20000 and 0 < height < 20000):
                    return "one of its pages has no usable size", 0
            return "", len(reader.pages)
        except Exception as exc:  # any file may be handed in: never stop the build
            return f"it cannot be read as a PDF ({type(exc).__name__})", 0


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


def place_pages(
    page_of: dict[str, tuple[int, float]],
    data: bytes,
    appendices: list[Appendix],
    paper_mm: tuple[float, float],
    margins_mm: dict[str, float],
) -> bytes:
    """Put each evidence PDF page onto the place reserved for it (a page, and how
    far down it starts, in points), scaled to fit what is left of the page."""
    wanted = [item for item in appendices if item.kind == "pdf" and item.pages]
    if not wanted:
        return data
    # An incremental update: the laid-out pages stay as they are, and only the
    # pages that receive evidence are written again (a full copy of a long
    # portfolio took most of the PDF's time).
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    width, height = paper_mm[0] * _MM, paper_mm[1] * _MM
    box = (
        margins_mm["left"] * _MM,
        margins_mm["bottom"] * _MM,
        width - (margins_mm["left"] + margins_mm["right"]) * _MM,
        height - (margins_mm["top"] + margins_mm["bottom"]) * _MM,
    )
    for item in wanted:
        assert item.path is not None
        # A writer of its own, so that rotated pages can be straightened in place.
        try:
            with quiet("pypdf"):
                source = PdfWriter(clone_from=item.path)
        except Exception:  # checked when listed; a file changed since is left out
            continue
        for number, page in enumerate(source.pages, start=1):
            place = page_of.get(reserved_anchor(item.number, number))
            if place is None:
                continue
            index, top = place
            # Below what the page already holds (the appendix's heading), if anything.
            used = max(0.0, top - margins_mm["top"] * _MM)
            area = (box[0], box[1], box[2], box[3] - used)
            if page.rotation:
                page.transfer_rotation_to_content()
            left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
            page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
            scale = min(area[2] / page_width, area[3] / page_height)
            x = area[0] + (area[2] - page_width * scale) / 2 - left * scale
            y = area[1] + (area[3] - page_height * scale) / 2 - bottom * scale
            writer.pages[index].merge_transformed_page(
                page, Transformation().scale(scale, scale).translate(x, y)
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
