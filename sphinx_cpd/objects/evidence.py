"""The ``evidence`` directive: a file or link that shows something, annotated.

The file is copied into the output as a download; its number (``E3``) follows the
portfolio order and is filled in once every document has been read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from sphinx_cpd.model import Record
from sphinx_cpd.objects.base import CPDObject, format_date, join, link, text, xref

if TYPE_CHECKING:
    from collections.abc import Callable

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


class EvidenceDirective(CPDObject):
    kind = "evidence"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "file": directives.unchanged,
        "url": directives.unchanged,
        "date": directives.unchanged,
        "event": directives.unchanged,
    }

    def read_options(self) -> dict[str, Any]:
        file = self.option("file")
        size: int | None = None
        if file is not None:
            if "://" in file:
                self.warn(
                    "file",
                    f"{self.describe()}: :file: {file!r} is a web address; use :url: for links",
                )
                file = None
            else:
                path = self.local_file(":file:", file)
                if path is None:
                    file = None
                elif path.is_file():
                    size = path.stat().st_size
                    self.env.note_dependency(str(path))
                else:
                    self.warn(
                        "file",
                        f"{self.describe()}: evidence file {file!r} not found (looked for "
                        f"{path}); the path is relative to this document",
                    )
                    file = None
        return {
            "date": self.date_option(),
            "events": self.event_refs(),
            "file": file,
            "size": size,
            "file_type": FILE_TYPES.get(Path(file).suffix.lower(), "File") if file else None,
            "url": self.url_option("url"),
        }

    def label(self) -> str:
        return "Evidence"

    def title_node(self, record: Record) -> nodes.Element:
        rubric = super().title_node(record)
        # "Evidence E3: Certificate of attendance"
        rubric[0] = nodes.inline("Evidence", "Evidence ", classes=["cpd-kind"])
        rubric.insert(1, evidence_number("", "", record=record.key, classes=["cpd-number"]))
        rubric.insert(2, nodes.Text(":"))
        return rubric

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if options["file"]:
            name = Path(options["file"]).name
            download = addnodes.download_reference(
                "",
                "",
                reftarget=options["file"],
                refdoc=self.env.docname,
                refexplicit=True,
                classes=["cpd-download"],
            )
            download += nodes.literal(name, name)
            about = f" ({options['file_type']}, {human_size(options['size'])})"
            rows.append(("File", [download, nodes.Text(about)]))
        if self.option("url"):
            rows.append(("Link", link(self.option("url"))))
        if options["date"]:
            rows.append(("Date", text(format_date(options["date"]))))
        if options["events"]:
            rows.append(("Event", join([xref("event", e) for e in options["events"]])))
        return rows
