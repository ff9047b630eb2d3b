"""The ``evidence`` directive: a file or link that shows something, annotated.

The file is copied into the output as a download; its number (``E3``) follows the
portfolio order and is filled in once every document has been read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import EvidenceData, Record
from sphinx_cpd.model import kind_name
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import join, link, xref

if TYPE_CHECKING:
    from docutils.nodes import Node

#: What each kind of file is called: exported in English as ``file-type``, and
#: translated where a card shows it.
FILE_TYPES = {
    ".pdf": N_("PDF document"),
    ".doc": N_("Word document"),
    ".docx": N_("Word document"),
    ".odt": N_("OpenDocument text"),
    ".xlsx": N_("Excel workbook"),
    ".csv": N_("CSV table"),
    ".pptx": N_("PowerPoint presentation"),
    ".txt": N_("Text file"),
    ".md": N_("Markdown text"),
    ".png": N_("PNG image"),
    ".jpg": N_("JPEG image"),
    ".jpeg": N_("JPEG image"),
    ".gif": N_("GIF image"),
    ".svg": N_("SVG image"),
    ".webp": N_("WebP image"),
}
#: A file of a kind not listed above.
OTHER_FILE = N_("File")


class evidence_number(nodes.inline):
    """Where the evidence number goes; a plain inline if a writer ever meets it."""


def human_size(size: int) -> str:
    """A file's size as readers see it: ``512 bytes``, ``24 KB``, ``1.5 MB``."""
    if size < 1024:
        return _("%(size)s bytes") % {"size": size}
    if size < 1024 * 1024:
        # Translators: kilobytes.
        return _("%(size)s KB") % {"size": f"{size / 1024:.0f}"}
    # Translators: megabytes.
    return _("%(size)s MB") % {"size": f"{size / (1024 * 1024):.1f}"}


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
        data.file_type = FILE_TYPES.get(Path(file).suffix.lower(), OTHER_FILE)

    def label(self) -> str:
        return kind_name("evidence")

    def title_node(self, record: Record) -> nodes.Element:
        rubric = super().title_node(record)
        # "Evidence E3: Certificate of attendance"; the number is filled in later.
        # Translators: before a piece of evidence's title; %(number)s is its number, "E3".
        before, _sep, after = _("Evidence %(number)s:").replace("%%", "%").partition("%(number)s")
        rubric[0] = nodes.inline(before.strip(), before, classes=["cpd-kind"])
        rubric.insert(1, evidence_number("", "", record=record.key, classes=["cpd-number"]))
        rubric.insert(2, nodes.Text(after))
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
        kind = _(data.file_type or OTHER_FILE)
        # Translators: after a file's name: what kind of file it is, and its size.
        about = _("(%(type)s, %(size)s)") % {"type": kind, "size": human_size(data.size or 0)}
        return [download, nodes.Text(" " + about)]

    def show_url(self, value: str | None, data: EvidenceData) -> list[Node]:
        return link(self.option("url")) if self.option("url") else []

    def show_event(self, value: tuple[str, ...], data: EvidenceData) -> list[Node]:
        return join([xref("event", e) for e in value])
