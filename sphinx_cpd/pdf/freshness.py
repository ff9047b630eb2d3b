"""Whether the PDF must be laid out again.

Two digests, each kept beside the doctrees after a PDF is written:

- the *sources* digest, of what the PDF is assembled from (every page's doctree
  as read, the environment, the files pages depend on, the build's date and
  audience, and the code that assembles and lays out). It is quick to compute,
  so an unchanged portfolio is not even assembled;
- the *inputs* digest, of the Typst source itself and the files it draws. When
  the sources changed but the PDF would not (a page rewritten with the same
  words), it saves the layout.

Either may differ when nothing that matters changed (then the PDF is made
again, the same); neither is the same when something that matters changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_cpd.model import build_date

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: The packages whose versions change what the PDF holds or how it is laid out.
PACKAGES = ("sphinx-cpd", "sphinx", "docutils", "myst-parser", "sphinx-design", "typst", "pypdf")
CODE = Path(__file__).resolve().parent.parent


class Digest:
    def __init__(self) -> None:
        self.hash = hashlib.sha256()

    def text(self, *parts: str) -> None:
        for part in parts:
            encoded = part.encode("utf-8", "surrogateescape")
            self.hash.update(len(encoded).to_bytes(8, "big") + encoded)

    def files(self, paths: Iterable[Path]) -> None:
        for path in sorted(set(paths)):
            self.text(str(path))
            if path.is_file():
                self.hash.update(hashlib.sha256(path.read_bytes()).digest())

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def sources_digest(builder: Builder, audience: str) -> str:
    env = builder.env
    digest = Digest()
    digest.text(build_date().isoformat(), audience)
    digest.text(*(f"{name} {version(name)}" for name in PACKAGES))
    # An editable install changes its code without changing its version.
    digest.files(CODE.rglob("*.py"))
    doctrees = Path(builder.doctreedir)
    digest.files([doctrees / "environment.pickle"])
    digest.files(doctrees / f"{docname}.doctree" for docname in sorted(env.all_docs))
    srcdir = Path(env.srcdir)
    depended = {Path(path) for paths in env.dependencies.values() for path in paths}
    # Pictures and downloads (evidence files) are read when the PDF is made.
    depended |= {srcdir / name for name in env.images}
    depended |= {srcdir / name for name in env.dlfiles}
    digest.files(depended)
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of the files in ``folder`` (the pictures the PDF draws), by
    their names in it and their bytes: read once per build, for the PDF's
    inputs digest and for the kept parts' keys."""
    digest = Digest()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.text(path.relative_to(folder).as_posix())
        digest.hash.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_digest(source: str, pictures: str, evidence: Iterable[Path]) -> str:
    """A digest of everything the PDF is made from: its source, the pictures
    (their :func:`folder_digest`) and evidence it holds, and the versions that
    lay it out."""
    digest = Digest()
    digest.text(source, pictures)
    digest.text(*(f"{name} {version(name)}" for name in PACKAGES))
    digest.files(evidence)
    return digest.hexdigest()


class Stamps:
    """The digests of the PDF last written, in the doctree folder."""

    def __init__(self, doctreedir: str | Path) -> None:
        self.sources = Path(doctreedir, "cpdpdf-sources.sha256")
        self.inputs = Path(doctreedir, "cpdpdf-inputs.sha256")

    @staticmethod
    def matches(stamp: Path, digest: str) -> bool:
        return stamp.is_file() and stamp.read_text(encoding="ascii", errors="replace") == digest

    def forget(self) -> None:
        self.sources.unlink(missing_ok=True)
        self.inputs.unlink(missing_ok=True)

    def record(self, sources: str, inputs: str) -> None:
        self.inputs.write_text(inputs, encoding="ascii")
        self.sources.write_text(sources, encoding="ascii")
