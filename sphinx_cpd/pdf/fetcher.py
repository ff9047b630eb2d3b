"""What WeasyPrint may load while laying out the PDF: files of this build only.

Files are given stable, made-up addresses instead of their paths, because
WeasyPrint names images after their address: with real paths, the same
portfolio built in another folder would give different bytes. Nothing is
fetched from the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

from sphinx_cpd.pdf.appendices import OUTPUT, SOURCE
from sphinx_cpd.pictures import strip_metadata


class PortfolioFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serves this build's output folder (not its doctrees) and, from the sources,
    only the files the PDF places itself (evidence images): raw HTML that names
    any other file of the portfolio gets nothing."""

    def __init__(self, outdir: Path, srcdir: Path, sources: set[Path], doctrees: Path) -> None:
        super().__init__(allowed_protocols={"https", "data"})
        self.roots = {OUTPUT: outdir.resolve(), SOURCE: srcdir.resolve()}
        self.sources = {path.resolve() for path in sources}
        self.doctrees = doctrees.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        for prefix, root in self.roots.items():
            if url.startswith(prefix):
                relative = unquote(url[len(prefix) :].split("#")[0].split("?")[0])
                path = (root / relative).resolve()
                allowed = (
                    path in self.sources
                    if prefix == SOURCE
                    else path.is_relative_to(root) and not path.is_relative_to(self.doctrees)
                )
                if not allowed or not path.is_file():
                    break
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                # Photos go into the PDF as they are published: without metadata.
                data = strip_metadata(path.read_bytes())
                return URLFetcherResponse(url, data, {"Content-Type": kind})
        raise ValueError(f"the PDF loads no resources from elsewhere: {url}")
