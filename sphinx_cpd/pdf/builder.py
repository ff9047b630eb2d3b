"""The ``cpdpdf`` builder: the portfolio as one PDF for appraisal.

It builds on Sphinx's single-page HTML builder for one assembled document (one
chapter per top-level document, evidence linked to its appendix). That document
is written as Typst, a part per chapter (:mod:`sphinx_cpd.pdf.typst_markup`, with
the cover, contents and appendices of :mod:`sphinx_cpd.pdf.typst_document`), and
:mod:`sphinx_cpd.pdf.produce` lays the parts out, joins them and sets the pages
of evidence PDFs in, so that every page carries the running header and
"Page N of M".
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import progress_message

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import shared_label
from sphinx_cpd.domain import get_domain
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import EvidenceData
from sphinx_cpd.model import build_date, slugify
from sphinx_cpd.objects.evidence import human_size
from sphinx_cpd.pdf import appendices, assembly, freshness
from sphinx_cpd.pdf.memory import Collection, collector_paused, release
from sphinx_cpd.pdf.typst_document import Setup
from sphinx_cpd.pdf.typst_parts import in_parts
from sphinx_cpd.pictures import drawable, strip_metadata
from sphinx_cpd.visibility import edition

if TYPE_CHECKING:
    from sphinx_cpd.kinds import Record
    from sphinx_cpd.pdf.produce import Sources

logger = logging.getLogger(__name__)

#: Page margins in millimetres (Setup gives them in points where a PDF needs them).
MARGINS_MM = {"top": 22.0, "right": 18.0, "bottom": 22.0, "left": 18.0}
PAPER_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}
#: The folders an earlier version wrote beside the PDF (the files of an HTML
#: page it was made from), and the one older sphinx-design releases write into
#: every builder's output folder: removed, so that only the PDF is left.
INTERMEDIATE_FOLDERS = ("_static", "_images", "_downloads", "_sphinx_design_static")


class CPDPDFBuilder(SingleFileHTMLBuilder):
    """Builds ``OUTDIR/<slug of project>.pdf``."""

    name = "cpdpdf"
    epilog = "The PDF portfolio is in %(outdir)s."
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/gif", "image/jpeg"]

    def init(self) -> None:
        super().init()
        self.add_permalinks = False
        self.evidence: list[appendices.Appendix] = []
        self.appendix_of: dict[str, str] = {}
        self.stamps = freshness.Stamps(self.doctreedir)
        self.sources = ""
        self.unchanged = False

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        # Sphinx sets up templates for an HTML builder; no page is rendered with them.
        return "sphinx_cpd", {}

    @property
    def pdf_name(self) -> str:
        return f"{slugify(self.config.project) or 'portfolio'}.pdf"

    # -- the document --------------------------------------------------------------

    def assemble_doctree(self) -> nodes.document:
        """The portfolio's pages as one document, a chapter for each top-level
        page, not yet resolved (:func:`assembly.written_chapters` resolves it a
        chapter at a time)."""
        master = self.config.root_doc
        tree = assembly.inline_pages(self.env, master, [master])
        tree["docname"] = master
        assembly.make_chapters(tree, assembly.toctree_depths(self.env, master))
        return tree

    def gather_evidence(self) -> None:
        """The appendices, in the order of the evidence's numbers, and the
        appendix each evidence card's files point to in the PDF."""
        domain = get_domain(self.env)
        records = [r for r in domain.all_records() if r.kind == "evidence"]
        by_anchor = {r.anchor: r for r in records}
        self.evidence = [
            self.appendix_for(record)
            for record in sorted(by_anchor.values(), key=lambda r: domain.number(r) or 0)
        ]
        self.appendix_of = {
            card: appendices.anchor(domain.number(record) or 0)
            for card, record in by_anchor.items()
        }

    def appendix_for(self, record: Record) -> appendices.Appendix:
        domain = get_domain(self.env)
        number = domain.number(record) or 0
        data = record.of(EvidenceData)
        path = None
        if data.file:
            found = Path(self.env.relfn2path(data.file, record.docname)[1]).resolve()
            # The directive refused files outside the folder; this is the last gate.
            if found.is_relative_to(Path(self.srcdir).resolve()):
                path = found
        item = appendices.Appendix.of(
            number=number,
            title=record.title,
            text=record.text,
            path=path,
            size=human_size(data.size) if data.size else "",
            url=data.url,
        )
        if item.problem:
            # Said where the evidence is written, not only in the PDF's appendix.
            logger.warning(
                f"evidence {record.title!r}: {data.file} is not placed in the PDF: {item.problem}",
                type="cpd",
                subtype="pdf",
                location=(record.docname, record.lineno),
            )
        return item

    def keywords(self) -> list[str]:
        """The portfolio's frameworks and tags, for the PDF's metadata."""
        domain = get_domain(self.env)
        found: dict[str, None] = {}
        for record in domain.all_records():
            for criterion in record.criteria:
                found.setdefault(criterion.partition(":")[0], None)
            for tag in record.tags:
                found.setdefault(tag, None)
        return ["CPD", *found]

    # -- the PDF -----------------------------------------------------------------------

    def copy_assets(self) -> None:
        """Nothing to copy: pictures and evidence are read from the portfolio."""

    def write_documents(self, _docnames: Set[str]) -> None:
        """Assemble the single document; Typst lays it out in :meth:`finish`
        (no HTML page is written). Not even assembled when nothing it is made
        from has changed since the PDF was written."""
        self.sources = freshness.sources_digest(self, cpd_config.read(self.config).audience)
        self.unchanged = Path(self.outdir, self.pdf_name).is_file() and self.stamps.matches(
            self.stamps.sources, self.sources
        )
        if self.unchanged:
            return
        with progress_message("assembling single document", nonl=False), collector_paused():
            self.tree = self.assemble_doctree()
            self.gather_evidence()
        self.imgpath = ""

    def finish(self) -> None:
        self.write_pdf()
        self.remove_intermediates()

    def write_pdf(self) -> None:
        target = Path(self.outdir, self.pdf_name)
        if self.unchanged:
            logger.info(f"sphinx-cpd: nothing changed; the PDF portfolio is {target}")
            return
        work = Path(self.doctreedir, "cpdpdf")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with collector_paused():
            sources = self.typst_sources(work)
        # The assembled tree is not needed again.
        release(self.tree)
        del self.tree
        freeing = Collection()
        evidence = [item.path for item in self.evidence if item.path]
        pictures = freshness.folder_digest(work)
        digest = freshness.inputs_digest("\n".join(sources.texts()), pictures, evidence)
        if target.is_file() and self.stamps.matches(self.stamps.inputs, digest):
            # What the PDF is made from was read again, but is the same: laying
            # it out again would give the same bytes.
            self.stamps.record(self.sources, digest)
            logger.info(f"sphinx-cpd: nothing changed; the PDF portfolio is {target}")
        else:
            # An old PDF never stands in for one that could not be made: it may
            # hold what this edition no longer shows.
            self.stamps.forget()
            target.unlink(missing_ok=True)
            date = build_date()
            moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
            cache = self.parts_folder(cpd_config.read(self.config).audience)
            # Imported here, not with the extension: pypdf, which joins the
            # parts, is slow to import and no HTML build needs it.
            from sphinx_cpd.pdf import produce

            with progress_message(f"laying out {self.pdf_name}"):
                data = produce.make_pdf(
                    sources,
                    work,
                    cache,
                    int(moment.timestamp()),
                    self.layout_jobs(),
                    lambda message: logger.warning(message, type="cpd", subtype="pdf"),
                    logger.info,
                    pictures=pictures,
                    waiting=freeing,
                )
            if data is not None:
                target.write_bytes(data)
                self.stamps.record(self.sources, digest)
                logger.info(f"sphinx-cpd: PDF portfolio written to {target}")
        freeing()
        shutil.rmtree(work, ignore_errors=True)

    def typst_sources(self, work: Path) -> Sources:
        """The PDF's parts as Typst markup, with the pictures they show written
        to ``work`` without their metadata (the tree is taken apart)."""
        pictures: dict[int, str] = {}
        for item in self.evidence:
            if item.kind == "image" and item.path is not None:
                data = strip_metadata(item.path.read_bytes())
                if not drawable(data):
                    continue  # the appendix names the file instead
                name = f"_evidence/e{item.number}{item.path.suffix.lower()}"
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                (work / name).write_bytes(data)
                pictures[item.number] = name
        with progress_message("writing Typst markup"):
            written = assembly.written_chapters(
                self,
                self.tree,
                assembly.Pictures(self, work),
                self.appendix_of,
                [item.anchor for item in self.evidence],
                self.assemble_doctree,
            )
        bodies, headings = in_parts(written)
        from sphinx_cpd.pdf.produce import Sources

        return Sources(self.setup(), bodies, headings, self.evidence, pictures)

    def setup(self) -> Setup:
        settings = cpd_config.read(self.config)
        profile = settings.profile
        author = profile.get("name", "")
        project = self.config.project
        # "Morgan Ashby: chartership portfolio" names its author already.
        named = author and project.casefold().startswith(author.casefold())
        header = " \u00b7 ".join(part for part in (None if named else author, project) if part)
        name = " ".join(p for p in (author, profile.get("post-nominals", "")) if p)
        role = ", ".join(p for p in (profile.get("role", ""), profile.get("organisation", "")) if p)
        registration = profile.get("registration", "")
        return Setup(
            title=project,
            author=author,
            # Typst takes the language alone ("en" of "en_GB").
            language=(self.config.language or "en").replace("-", "_").split("_")[0].lower(),
            date=build_date(),
            paper_mm=PAPER_MM[settings.pdf_paper],
            margins_mm=MARGINS_MM,
            header=header,
            # Who this edition is for, on the cover: a private build is a draft.
            edition=edition(settings.audience, shared_label(self.config)),
            cover_lines=tuple(
                line
                for line in (
                    name,
                    role,
                    _("Working towards %(registration)s") % {"registration": registration}
                    if registration
                    else "",
                )
                if line
            ),
            keywords=tuple(self.keywords()),
            description=_("CPD portfolio for %(registration)s") % {"registration": registration}
            if registration
            else _("CPD portfolio"),
        )

    def remove_intermediates(self) -> None:
        """Only the PDF stays in the output folder (an earlier version of this
        builder wrote an HTML page and its files beside it)."""
        for name in ("index.html", "objects.inv"):
            Path(self.outdir, name).unlink(missing_ok=True)
        for folder in INTERMEDIATE_FOLDERS:
            shutil.rmtree(Path(self.outdir, folder), ignore_errors=True)

    def parts_folder(self, audience: str) -> Path:
        """The folder the laid-out parts are kept in between builds: emptied
        when the audience changes (another audience's parts are not kept beside
        this one's), and made afresh if it is not a plain folder of ours."""
        cache = Path(self.doctreedir, "cpdpdf-parts")
        marker = cache / "audience"
        if cache.is_symlink() or (cache.exists() and not cache.is_dir()):
            cache.unlink()
        elif cache.is_dir() and not (
            marker.is_file() and not marker.is_symlink() and marker.read_text() == audience
        ):
            shutil.rmtree(cache)
        cache.mkdir(parents=True, exist_ok=True)
        marker.write_text(audience, encoding="utf-8")
        return cache

    def layout_jobs(self) -> int:
        """How many parts are laid out at once: as many as ``-j`` asks for, or
        (by default) as many as there are cores, up to four."""
        if self.app.parallel > 1:
            return self.app.parallel
        return max(1, min(os.cpu_count() or 1, 4))
