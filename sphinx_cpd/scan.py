"""The pages of one build, by visibility (held in memory only, never pickled,
because it names pages the build's audience may not see), and the scope of a
text the scanner reads."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sphinx_cpd.pagemeta import page_meta
from sphinx_cpd.visibility import narrowest


@dataclass
class Scan:
    """The pages of this build, by visibility: in memory only, never pickled."""

    audience: str
    root: str
    srcdir: Path
    #: docname -> the page's visibility (its own, else cpd_default_visibility)
    pages: dict[str, str] = field(default_factory=dict)
    withheld_pages: set[str] = field(default_factory=set)
    #: Pages that other pages include: parts of those pages, not pages of their own.
    fragments: set[str] = field(default_factory=set)
    #: Pages that cannot be read at all (undecodable, or outside the folder).
    unreadable: set[str] = field(default_factory=set)
    #: Every page must be written again (the output folder was emptied or its
    #: search index dropped; see :mod:`sphinx_cpd.outdir`).
    rewrite: bool = False
    #: Own visibility of any file, by resolved path (for includes).
    own: dict[Path, str | None] = field(default_factory=dict)
    #: The same, by the source name docutils gives (see :meth:`source_visibility`).
    sources: dict[str, str | None] = field(default_factory=dict)
    #: ``source_suffix``: which parser reads a file of each suffix.
    suffixes: dict[str, str] = field(default_factory=dict)

    @property
    def excluded(self) -> set[str]:
        return self.withheld_pages | self.fragments | self.unreadable

    def state(self) -> str:
        """What the output folder was built for; a change means starting it afresh.

        The names of withheld pages are kept only as a keyed hash, with a key that
        never leaves this computer: a plain hash of short names could be checked
        against guesses by anyone holding the build.
        """
        names = repr(sorted(self.excluded)).encode()
        digest = hmac.new(machine_key(), names, hashlib.sha256).hexdigest()
        return f"{self.audience}:{digest}"

    def own_visibility(self, path: Path, encoding: str) -> str | None:
        """A file's own ``cpd-visibility`` (read once per build)."""
        path = path.resolve()
        if path not in self.own:
            # Read both ways: an included file is parsed as the page that includes it is.
            meta = page_meta(path, myst=None, encoding=encoding)
            self.own[path] = "private" if meta.undecodable else meta.visibility
        return self.own[path]

    def page_visibility(self, docname: str, source: str | None, encoding: str) -> str:
        """The visibility of the page being read, narrowed by the file the text
        comes from when that is a file the page includes."""
        page = self.pages.get(docname, "private")
        if source and docname in self.pages:
            page = narrowest(page, self.source_visibility(source, encoding)) or page
        return page

    def source_visibility(self, source: str, encoding: str) -> str | None:
        """The own visibility of the file a source name (as docutils gives it)
        is, None if it sets none or is no file of the portfolio; asked for every
        object of every page, so each name is resolved once per build."""
        if source not in self.sources:
            path = Path(source).resolve()
            inside = path.is_file() and path.is_relative_to(self.srcdir)
            self.sources[source] = self.own_visibility(path, encoding) if inside else None
        return self.sources[source]


@cache
def machine_key() -> bytes:
    """A random key kept in the user's cache folder (one per computer and user).

    Without a usable cache folder, a key for this process only: every build then
    counts as a new state, which is safe (the output folder is emptied).
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sphinx-cpd"
    path = folder / "state-key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError), path.open("xb") as handle:
            path.chmod(0o600)
            handle.write(secrets.token_bytes(32))
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    return secrets.token_bytes(32)


@dataclass
class Scope:
    """Where a text sits: its file, its page's visibility, and the audience."""

    audience: str
    #: The effective visibility of the page (or included file) the text is in.
    page: str
    #: The file the text comes from, for warnings.
    source: Path
    #: The folder paths in directives are relative to: the page's (even in an
    #: included file, as Sphinx and MyST resolve them).
    base: Path
    srcdir: Path
    #: The own visibility of another page of the portfolio, by its path (for includes).
    page_visibility: Callable[[Path], str | None]
    #: Whether a file is the source of a page (by its suffix).
    is_page: Callable[[Path], bool]
