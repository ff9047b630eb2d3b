"""The ``cpdpdf`` builder: the portfolio as one PDF for appraisal.

It builds on Sphinx's single-page HTML builder: the whole portfolio becomes one
HTML page in a print template (cover, contents, one chapter per top-level
document, appendices for evidence), WeasyPrint lays it out, and pypdf places the
pages of evidence PDFs onto pages WeasyPrint reserved for them, so that every
page carries the running header and "Page N of M".
"""

from __future__ import annotations

import logging as stdlib_logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import progress_message

from sphinx_cpd import config as cpd_config
from sphinx_cpd.domain import get_domain
from sphinx_cpd.kinds import EvidenceData
from sphinx_cpd.model import build_date, slugify
from sphinx_cpd.objects.evidence import human_size
from sphinx_cpd.pdf import appendices

if TYPE_CHECKING:
    from sphinx_cpd.kinds import Record

logger = logging.getLogger(__name__)

#: Page margins in millimetres; the stylesheet and the placing of evidence pages
#: both use them.
MARGINS_MM = {"top": 22.0, "right": 18.0, "bottom": 22.0, "left": 18.0}
PAPER_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}
#: The folders of files the single HTML page loads, written beside the PDF on
#: the way and removed after it.
INTERMEDIATE_FOLDERS = ("_static", "_images", "_downloads")
#: What the cover says of each audience's edition.
EDITIONS = {
    "private": "Draft \u2014 private: for the author only",
    "mentor": "For my mentor: not for publication",
    "public": "Public edition",
}
#: Tagged, accessible PDF (PDF/UA-1): a structure tree and the document language.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


@dataclass
class Chapter:
    title: str
    anchor: str
    sections: list[tuple[str, str]]


def css_string(text: str) -> str:
    """A CSS string literal, for text placed in the page margins.

    Everything but letters, digits and spaces is written as a CSS escape, so
    that nothing in it can end the string, the rule or the ``<style>`` element.
    """
    escaped = "".join(
        ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in " ".join(text.split())
    )
    return f'"{escaped}"'


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
        self.chapters: list[Chapter] = []
        self.evidence: list[appendices.Appendix] = []

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        # The print template, whatever the portfolio's HTML theme.
        return "sphinx_cpd_pdf", {}

    @property
    def pdf_name(self) -> str:
        return f"{slugify(self.config.project) or 'portfolio'}.pdf"

    # -- the document --------------------------------------------------------------

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        self.make_chapters(tree)
        self.link_evidence(tree)
        for reference in tree.findall(nodes.reference):
            # A link whose text is its address needs no address printed after it.
            if reference.get("refuri", "") == reference.astext():
                reference["classes"].append("cpd-bare-url")
        return tree

    def make_chapters(self, tree: nodes.document) -> None:
        """One chapter per top-level document: lift each out of the root's section."""
        root = next(iter(tree.findall(nodes.section)), None)
        if root is None:
            return
        chapters = [n for n in root.findall(addnodes.start_of_file) if n.parent is not None]
        top = [
            n
            for n in chapters
            if not any(isinstance(a, addnodes.start_of_file) for a in _ancestors(n))
        ]
        index = tree.index(root)
        self.chapters = [self.chapter_of(root, root["ids"][0] if root["ids"] else "")]
        for offset, start in enumerate(top, start=1):
            start.parent.remove(start)
            wrapper = nodes.container(classes=["cpd-chapter"])
            wrapper += start
            tree.insert(index + offset, wrapper)
            section = next(iter(start.findall(nodes.section)), None)
            if section is not None:
                self.chapters.append(self.chapter_of(section, f"document-{start['docname']}"))

    def chapter_of(self, section: nodes.section, anchor: str) -> Chapter:
        title = section[0].astext() if isinstance(section[0], nodes.title) else ""
        sections = [
            (child[0].astext(), child["ids"][0])
            for child in section.children
            if isinstance(child, nodes.section)
            and child["ids"]
            and isinstance(child[0], nodes.title)
        ]
        return Chapter(title, anchor, sections)

    def link_evidence(self, tree: nodes.document) -> None:
        """Evidence files point to their appendix in the PDF, not to a download."""
        domain = get_domain(self.env)
        by_anchor = {r.anchor: r for r in domain.all_records() if r.kind == "evidence"}
        self.evidence = []
        for record in sorted(by_anchor.values(), key=lambda r: domain.number(r) or 0):
            self.evidence.append(self.appendix_for(record))
        for container in tree.findall(nodes.container):
            evidence = by_anchor.get(next(iter(container["ids"]), ""))
            if evidence is None:
                continue
            target = appendices.anchor(domain.number(evidence) or 0)
            for download in list(container.findall(addnodes.download_reference)):
                link = nodes.reference("", "", refid=target)
                link["classes"].append("cpd-appendix-link")
                link.extend(download.children)
                download.replace_self(link)

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
        return appendices.Appendix.of(
            source=appendices.source_url(Path(self.srcdir), path) if path else None,
            number=number,
            title=record.title,
            text=record.text,
            path=path,
            size=human_size(data.size) if data.size else "",
            url=data.url,
        )

    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        context = super().get_doc_context(docname, body, metatags)
        settings = cpd_config.read(self.config)
        profile = settings.profile
        author = profile.get("name", "")
        project = self.config.project
        # "Morgan Ashby: chartership portfolio" names its author already.
        named = author and project.casefold().startswith(author.casefold())
        header = " \u00b7 ".join(part for part in (None if named else author, project) if part)
        width, height = PAPER_MM[settings.pdf_paper]
        context.update(
            cpd_profile=profile,
            cpd_date=build_date(),
            cpd_chapters=self.chapters,
            cpd_evidence=self.evidence,
            cpd_paper_mm=(width, height),
            cpd_margins_mm=MARGINS_MM,
            # A CSS string literal, for text placed in the page margins.
            cpd_header_css=css_string(header),
            cpd_keywords=", ".join(self.keywords()),
            # Who this edition is for, on the cover: a private build is a draft.
            cpd_edition=EDITIONS[settings.audience],
            cpd_subject=" ".join(
                part
                for part in (
                    "CPD portfolio",
                    f"for {profile['registration']}" if profile.get("registration") else "",
                )
                if part
            ),
        )
        return context

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

    def finish(self) -> None:
        super().finish()
        self.write_pdf()

    def write_pdf(self) -> None:
        source = Path(self.outdir, "index.html")
        target = Path(self.outdir, self.pdf_name)
        html = source.read_text(encoding="utf-8")
        stamp = Path(self.doctreedir, "cpdpdf-inputs.sha256")
        digest = self.inputs_digest(html)
        if target.is_file() and stamp.is_file() and stamp.read_text() == digest:
            # Nothing the PDF is made from has changed: laying it out again would
            # give the same bytes.
            logger.info(f"sphinx-cpd: nothing changed; the PDF portfolio is {target}")
        else:
            stamp.unlink(missing_ok=True)
            self.lay_out(html, target)
            stamp.write_text(digest)
        self.remove_intermediates()

    def inputs_digest(self, html: str) -> str:
        """A digest of everything the PDF is made from: the page, the files it
        loads (stylesheets, images, evidence) and the versions that lay it out."""
        import hashlib
        from importlib.metadata import version

        digest = hashlib.sha256(html.encode())
        for name in ("sphinx-cpd", "weasyprint", "pypdf"):
            digest.update(f"{name} {version(name)}".encode())
        files = [
            path
            for folder in INTERMEDIATE_FOLDERS
            for path in sorted(Path(self.outdir, folder).rglob("*"))
            if path.is_file()
        ]
        files += sorted({item.path for item in self.evidence if item.path and item.path.is_file()})
        for path in files:
            digest.update(str(path).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def remove_intermediates(self) -> None:
        """Only the PDF stays in the output folder: the single HTML page and the
        files it loaded were steps on the way (Sphinx's own hidden files stay)."""
        import shutil

        for name in ("index.html", "objects.inv"):
            Path(self.outdir, name).unlink(missing_ok=True)
        for folder in INTERMEDIATE_FOLDERS:
            shutil.rmtree(Path(self.outdir, folder), ignore_errors=True)

    def lay_out(self, html: str, target: Path) -> None:
        # WeasyPrint takes most of a second to import: only PDF builds pay for it.
        from weasyprint import HTML

        from sphinx_cpd.pdf.fetcher import PortfolioFetcher

        # WeasyPrint logs every CSS property it does not know; they are harmless.
        with appendices.quiet("weasyprint", "fontTools", level=stdlib_logging.ERROR):
            with progress_message(f"laying out {self.pdf_name}"):
                fetcher = PortfolioFetcher(
                    Path(self.outdir),
                    Path(self.srcdir),
                    {item.path for item in self.evidence if item.path and item.source},
                    Path(self.doctreedir),
                )
                document = HTML(
                    string=html,
                    base_url=appendices.OUTPUT,
                    url_fetcher=fetcher,
                ).render(**PDF_OPTIONS)
            with progress_message(f"writing {self.pdf_name}"):
                data = document.write_pdf(pdf_identifier=self.identifier(), **PDF_OPTIONS)
                paper = PAPER_MM[cpd_config.read(self.config).pdf_paper]
                data = appendices.place_pages(document, data, self.evidence, paper, MARGINS_MM)
                target.write_bytes(data)
        logger.info(f"sphinx-cpd: PDF portfolio written to {target}")

    def identifier(self) -> bytes:
        """A stable document id, so the same sources give the same bytes."""
        import hashlib

        return hashlib.md5(self.config.project.encode(), usedforsecurity=False).hexdigest().encode()


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found
