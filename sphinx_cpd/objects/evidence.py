"""The ``evidence`` directive: a file or link that shows something, annotated.

The file is copied into the output as a download; its number (``E3``) follows the
portfolio order and is filled in once every document has been read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from sphinx_cpd.kinds import EvidenceData, Record
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import join, link, xref

if TYPE_CHECKING:
    from docutils.nodes import Node

FILE_TYPES = {
    ".pdf": "PDF document",
    ".doc": "Word document",
    ".docx": "Word document",
    ".odt": "OpenDocument text",
    ".xlsx": "Excel workbook",
    ".csv": "CSV table",
    ".pptx": "PowerPoint presentation",
    ".txt": "Text file",
    ".md": "Markdown text",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".svg": "SVG image",
    ".webp": "WebP image",
}


class evidence_number(nodes.inline):
    """Where the evidence number goes; a plain inline if a writer ever meets it."""


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class EvidenceDirective(CPDObject[EvidenceData]):
    data_class = EvidenceData

    def check(self, data: EvidenceData) -> None:
        file = data.file
        if file is None:
            return
        data.file = None
        if "://" in file:
            self.warn(
                "file", f"{self.describe()}: :file: {file!r} is a web address; use :url: for links"
            )
            return
        path = self.local_file(":file:", file)
        if path is None:
            return
        if not path.is_file():
            self.warn(
                "file",
                f"{self.describe()}: evidence file {file!r} not found (looked for "
                f"{path}); the path is relative to this document",
            )
            return
        self.env.note_dependency(str(path))
        data.file = file
        data.size = path.stat().st_size
        data.file_type = FILE_TYPES.get(Path(file).suffix.lower(), "File")

    def label(self) -> str:
        return "Evidence"

    def title_node(self, record: Record) -> nodes.Element:
        rubric = super().title_node(record)
        # "Evidence E3: Certificate of attendance"
        rubric[0] = nodes.inline("Evidence", "Evidence ", classes=["cpd-kind"])
        rubric.insert(1, evidence_number("", "", record=record.key, classes=["cpd-number"]))
        rubric.insert(2, nodes.Text(":"))
        return rubric

    def show_file(self, value: str | None, data: EvidenceData) -> list[Node]:
        if not value:
            return []
        name = Path(value).name
        download = addnodes.download_reference(
            "",
            "",
            reftarget=value,
            refdoc=self.env.docname,
            refexplicit=True,
            classes=["cpd-download"],
        )
        download += nodes.literal(name, name)
        return [download, nodes.Text(f" ({data.file_type}, {human_size(data.size or 0)})")]

    def show_url(self, value: str | None, data: EvidenceData) -> list[Node]:
        return link(self.option("url")) if self.option("url") else []

    def show_event(self, value: tuple[str, ...], data: EvidenceData) -> list[Node]:
        return join([xref("event", e) for e in value])
