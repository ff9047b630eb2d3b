"""The output folder: only this build's audience's files, and nothing of anyone else's.

The file ``.sphinx-cpd-audience``, written before anything else in every build,
says which audience (and which set of withheld pages) the folder holds. When
that changes, or when a shared build finds a folder Sphinx built without it, the
folder is emptied first. Builders that do not write page by page (EPUB, LaTeX,
text, man) start from an empty folder in every shared build, so that an image
since made private cannot ride along. Files that were in a folder before its
first build are the owner's: they are recorded in the marker and never removed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import SphinxError
from sphinx.util import logging

from sphinx_cpd.domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

MARKER = ".sphinx-cpd-audience"
#: Builders that write pages incrementally and whose copies are pruned; every
#: other builder starts from an empty folder in a shared build.
INCREMENTAL = frozenset({"html", "dirhtml", "singlehtml", "json", "pickle", "cpdpdf", "dummy"})
SEARCH_INDEXES = ("searchindex.js", "searchindex.json", "searchindex.pickle")


def prepare_outdir(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Empty the output folder when it may hold another audience's files, then mark it."""
    scan = get_domain(env).scan
    if scan is None:
        return
    outdir = Path(app.outdir)
    marker = outdir / MARKER
    state: str | None = None
    kept: list[str] = []
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
            state, kept = str(recorded["state"]), [str(name) for name in recorded.get("kept", [])]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            state = "unreadable"
    shared = scan.audience != "private"
    ours = state is not None
    # A folder Sphinx built before (with no marker: an older or a plain build).
    sphinx_built = any(
        (outdir / name).exists()
        for name in (".buildinfo", "objects.inv", "searchindex.js", ".doctrees/environment.pickle")
    )
    if not ours and not sphinx_built and outdir.is_dir():
        # Someone's own folder: what is in it now is theirs, for good.
        kept = sorted(child.name for child in outdir.iterdir())
    if (
        (ours and state != scan.state())
        or (shared and not ours and sphinx_built)
        or (shared and app.builder.name not in INCREMENTAL and (ours or sphinx_built))
    ):
        empty(app, outdir, set(kept))
        scan.rewrite = True
    elif shared:
        # Sphinx adds to the search index of the last build, and keeps the words
        # no page holds any more; the json and pickle builders never replace their
        # copy of the environment. A shared build writes these afresh, and every
        # page again so that the index is whole.
        for name in (*SEARCH_INDEXES, "environment.pickle", "globalcontext.json"):
            if name not in kept:
                (outdir / name).unlink(missing_ok=True)
        scan.rewrite = True
    if outdir.is_dir():
        record = {"audience": scan.audience, "state": scan.state(), "kept": kept}
        marker.write_text(json.dumps(record) + "\n", encoding="utf-8")


def empty(app: Sphinx, outdir: Path, kept: set[str]) -> None:
    """Remove the build's files from the output folder: never the doctrees, the
    sources or what the folder held before it was first built into."""
    if not outdir.is_dir() or not any(outdir.iterdir()):
        return
    keep = Path(app.doctreedir).resolve()
    for precious in (Path(app.srcdir).resolve(), Path(app.confdir).resolve()):
        if precious.is_relative_to(outdir.resolve()):
            raise SphinxError(
                f"the output folder {outdir} holds the portfolio's own files, so it cannot "
                "be emptied of another audience's pages; build into a folder of its own"
            )
    for child in outdir.iterdir():
        resolved = child.resolve()
        if (
            resolved == keep
            or keep.is_relative_to(resolved)
            or child.name == MARKER
            or child.name in kept
        ):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    logger.info("sphinx-cpd: the output folder held another build's files; emptied")


def rewrite_all(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """After emptying the folder, every page is written again."""
    scan = get_domain(env).scan
    return sorted(env.found_docs) if scan is not None and scan.rewrite else []


def prune_copies(app: Sphinx, exception: Exception | None) -> None:
    """Remove copied sources, images and downloads that no page of this build uses.

    Sphinx keeps copies from earlier builds; one may belong to an object or page
    that has since been withheld.
    """
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    env = app.env
    sources = Path(app.outdir, "_sources")
    if not app.config.html_copy_source and sources.is_dir():
        shutil.rmtree(sources)
    kept: dict[str, set[str]] = {
        "_images": {str(unique) for _docs, unique in env.images.values()},
        "_downloads": {str(dest) for _docs, dest in env.dlfiles.values()},
    }
    for folder, names in kept.items():
        root = Path(app.outdir, folder)
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in names:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def tidy_search_index(app: Sphinx, exception: Exception | None) -> None:
    """Drop the words no page holds any more from the search index.

    Sphinx keeps a word whose pages were all rewritten without it, with an empty
    list: after an object turns private, its words would stay searchable by name.
    """
    from sphinx.search import js_index

    formats = {"searchindex.js": js_index, "searchindex.json": json}
    path = next((Path(app.outdir, n) for n in formats if Path(app.outdir, n).is_file()), None)
    if exception is not None or path is None:
        return
    dumper: Any = formats[path.name]
    try:
        data = dumper.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return
    changed = False
    for key in ("terms", "titleterms"):
        words = data.get(key, {})
        empty = [word for word, pages in words.items() if pages == []]
        for word in empty:
            del words[word]
        changed = changed or bool(empty)
    if changed:
        path.write_text(dumper.dumps(data), encoding="utf-8")


def keep_marker_out_of_epub(app: Sphinx, config: Any) -> None:
    """The EPUB builder packs every file of the output folder it knows the type
    of, and warns about the rest: the marker is not part of the book."""
    excluded = list(getattr(config, "epub_exclude_files", None) or [])
    if MARKER not in excluded:
        config.epub_exclude_files = [*excluded, MARKER]


def setup_outdir(app: Sphinx) -> None:
    app.connect("config-inited", keep_marker_out_of_epub)
    app.connect("env-before-read-docs", prepare_outdir, priority=100)
    app.connect("env-get-updated", rewrite_all)
    app.connect("build-finished", prune_copies)
    app.connect("build-finished", tidy_search_index)
