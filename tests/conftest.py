"""Shared helpers: write a small portfolio into a folder, build it, look at the output."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinx_cpd.runner import Problem, collecting

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "example-portfolio"

# A real 2x2 PNG: small enough to write anywhere, valid enough to publish.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73000000164944"
    "4154789c633c51a1c1c0c0c0c4c0c0c0c0c0000011aa016c79c676260000000049454e44ae426082"
)

BASE_CONF = """\
project = "Test portfolio"
extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"
exclude_patterns = ["_build"]
# Where a public build would be published (its feed's links need it).
html_baseurl = "https://portfolio.example.org/"
"""


def cell_text(cell: Any) -> str:
    """A table cell's text as the desktop shows it: without the column label
    the theme repeats in each cell for phones."""
    value = cell.select_one(".cpd-cell-value")
    return str((value or cell).get_text(" ", strip=True))


@dataclass
class Build:
    app: Any
    outdir: Path
    warnings_text: str
    warnings: list[Problem] = field(default_factory=list)

    def of(self, kind: str) -> list[Problem]:
        """The warnings of type ``cpd.<kind>`` (or exactly ``kind`` when it has a dot)."""
        wanted = kind if "." in kind else f"cpd.{kind}"
        return [w for w in self.warnings if w.type == wanted]

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")

    def text(self, page: str) -> str:
        return (self.outdir / page).read_text(encoding="utf-8")


class Portfolio:
    """A portfolio in a temporary folder, built with Sphinx's own test application."""

    def __init__(self, root: Path, make_app: Callable[..., Any]) -> None:
        self.srcdir = root / "src"
        self.builddir = root / "build"
        self.srcdir.mkdir(parents=True, exist_ok=True)
        self._make_app = make_app
        self.conf(BASE_CONF)

    def conf(self, text: str) -> None:
        self.write("conf.py", text)

    def add_conf(self, text: str) -> None:
        with (self.srcdir / "conf.py").open("a", encoding="utf-8") as handle:
            handle.write("\n" + textwrap.dedent(text))

    def write(self, name: str, text: str) -> Path:
        path = self.srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def copy_from(self, source: Path) -> None:
        shutil.copytree(
            source, self.srcdir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_build")
        )

    def build(
        self,
        builder: str = "html",
        *,
        parallel: int = 0,
        fresh: bool = False,
        builddir: Path | None = None,
        **confoverrides: Any,
    ) -> Build:
        # Warnings collected as the command line collects them (sphinx_cpd.runner).
        with collecting() as collectors:
            app = self._make_app(
                builder,
                srcdir=self.srcdir,
                builddir=builddir or self.builddir,
                freshenv=fresh,
                confoverrides=confoverrides or None,
                parallel=parallel,
            )
            try:
                app.build()
            finally:
                # Unregister this app's nodes and roles before the next build in the test.
                app.cleanup()
        problems = [problem for collector in collectors for problem in collector.problems]
        return Build(
            app=app,
            outdir=Path(app.outdir),
            warnings_text="\n".join(str(p) for p in problems),
            warnings=problems,
        )


@pytest.fixture
def portfolio(tmp_path: Path, make_app: Callable[..., Any]) -> Portfolio:
    return Portfolio(tmp_path, make_app)


@pytest.fixture
def example(tmp_path: Path, make_app: Callable[..., Any]) -> Portfolio:
    """A copy of the example portfolio, so tests may edit it."""
    folio = Portfolio(tmp_path, make_app)
    folio.copy_from(EXAMPLE)
    return folio


def require_tool(name: str, found: bool) -> None:
    """Skip a test that needs a missing tool, except in CI, where that must fail."""
    if found:
        return
    if os.environ.get("CPD_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required here (CPD_REQUIRE_TOOLS is set) but was not found")
    pytest.skip(f"{name} not available")


# -- looking for what must not be there --------------------------------------------------


def _pdf_text(data: bytes) -> str:
    """Everything a PDF holds as text: page text, every string, every stream decoded."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        TextStringObject,
    )

    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() or "" for page in reader.pages]
    size = int(reader.trailer.get("/Size", 0))
    seen: set[int] = set()

    def walk(obj: Any, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            with contextlib.suppress(Exception):
                parts.append(obj.get_data().decode("latin-1"))
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                parts.append(str(key))
                walk(value, depth + 1)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value, depth + 1)
        elif isinstance(obj, TextStringObject | str):
            parts.append(str(obj))

    for number in range(1, size):
        try:
            walk(IndirectObject(number, 0, reader))
        except Exception:
            continue
    return "\n".join(parts)


def readable(name: str, data: bytes) -> str:
    """A file's content as searchable text: compressed formats opened, PDFs read."""
    import io
    import zipfile
    import zlib

    text = data.decode("utf-8", errors="replace")
    if name.endswith("objects.inv"):
        header, _, body = data.partition(b"zlib.\n")
        text = (header + zlib.decompress(body)).decode("utf-8", errors="replace")
    elif name.endswith(".pdf") or data.startswith(b"%PDF"):
        text += _pdf_text(data) + data.decode("latin-1")
    elif data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text += "\n".join(
                entry + "\n" + readable(entry, archive.read(entry)) for entry in archive.namelist()
            )
    return text.lower()


def leaked(folders: list[Path], canaries: list[str]) -> dict[str, list[str]]:
    """Which canaries appear in any byte of these folders (names included), and where.

    The search index holds words by their stem ("canary" as "canari"): those count.
    """
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("porter")
    forms = {canary: {canary, stemmer.stemWord(canary)} for canary in canaries}
    hits: dict[str, list[str]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            name = str(path.relative_to(folder)).lower()
            text = readable(name, path.read_bytes()) if path.is_file() else ""
            for canary, variants in forms.items():
                if any(form in name or form in text for form in variants):
                    hits.setdefault(canary, []).append(str(path))
    return hits


def sphinx_build(
    src: Path, out: Path, *options: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -q -b html`` in a process of its own, as a user runs it
    (Sphinx caches some things per process); more options replace the builder."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        *(options or ("-b", "html")),
        str(src),
        str(out),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=check)
