"""Published images and downloads: inside the portfolio, and without metadata.

Sphinx copies images and downloads itself: files outside the portfolio's folder
are refused before it notes them, and what it copied is cleaned in the output
when the build has finished (see :mod:`sphinx_cpd.pictures`), inside an EPUB's
zip too, which is packed before that. The profile photo is published the same
way.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.filechecks import holds_portfolio_markup
from sphinx_cpd.pictures import picture_format, strip_metadata

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def clean_file(path: Path) -> None:
    with path.open("rb") as handle:
        kind = picture_format(handle.read(2048))
    # The theme's own drawings are left as they are; the author's are cleaned.
    if kind is None or (kind == "svg" and not {"_images", "_downloads"} & set(path.parts)):
        return
    data = path.read_bytes()
    cleaned = strip_metadata(data)
    if cleaned != data:
        if not cleaned:
            logger.warning(
                f"{path.name} could not be read as an image, so it is not published; "
                "save it again with an image editor",
                type="cpd",
                subtype="image",
            )
        path.write_bytes(cleaned)


def clean_outputs(app: Sphinx, exception: Exception | None) -> None:
    """Strip metadata from every picture this build wrote or copied.

    By content, not by name (a ``.jfif`` or a download without a suffix is a
    JPEG too), and everywhere in the output: images, downloads, static files.
    """
    if exception is not None:
        return
    outdir = Path(app.outdir)
    doctrees = Path(app.doctreedir).resolve()
    for path in outdir.rglob("*"):
        if path.is_file() and not path.is_symlink() and not path.resolve().is_relative_to(doctrees):
            clean_file(path)
    if app.builder.name == "epub":
        for epub in outdir.glob("*.epub"):
            clean_zip(epub)


def clean_zip(path: Path) -> None:
    """The same inside a zip (an EPUB), keeping each entry's order and compression."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    if not any(picture_format(data) for _, data in entries):
        return
    temporary = path.with_suffix(".cleaning")
    with zipfile.ZipFile(temporary, "w") as target:
        for info, data in entries:
            if picture_format(data):
                data = strip_metadata(data)
            target.writestr(info, data, compress_type=info.compress_type)
    shutil.move(temporary, path)


def profile_photo(app: Sphinx) -> tuple[Path, str] | None:
    """The profile photo's file and its name in the output, if it can be published."""
    photo = cpd_config.read(app.config).profile.get("photo")
    if not photo:
        return None
    srcdir = Path(app.srcdir).resolve()
    source = (srcdir / photo).resolve()
    if not source.is_relative_to(srcdir) or not source.is_file():
        return None
    with source.open("rb") as handle:
        if picture_format(handle.read(2048)) is None:
            return None
    return source, f"_static/cpd-profile{source.suffix.lower()}"


def copy_profile_photo(app: Sphinx) -> list[tuple[str, dict[str, object], str]]:
    """At the end of an HTML build: the profile photo, without its metadata."""
    found = profile_photo(app)
    if found is not None and app.builder.format == "html":
        target = Path(app.outdir, found[1])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(strip_metadata(found[0].read_bytes()))
    return []


def check_profile_photo(app: Sphinx) -> None:
    """Say once, at the start, when the profile photo cannot be published."""
    photo = cpd_config.read(app.config).profile.get("photo")
    if photo and profile_photo(app) is None:
        cpd_config.warn_at(
            app.confdir,
            "cpd_profile",
            f"cpd_profile: photo {photo!r} is not a file inside the portfolio's folder; "
            "it is left out",
            "file",
        )


def refuse_outside_files(app: Sphinx, doctree: nodes.document) -> None:
    """Images and downloads must be files inside the portfolio's folder.

    Sphinx copies whatever path an image or download names, ``../`` and links
    included; a file outside the folder is never copied, embedded or appended.
    Runs before Sphinx collects images and downloads.
    """
    env = app.env
    srcdir = Path(app.srcdir).resolve()

    shared = cpd_config.read(app.config).audience != "private"

    def resolved(target: str) -> Path | None:
        """The file a target names, through any link (None: not a local file)."""
        if not target or "://" in target or target.startswith("data:"):
            return None
        return Path(env.relfn2path(target.removesuffix("*"), env.docname)[1]).resolve()

    def outside(target: str) -> bool:
        path = resolved(target)
        return path is not None and not path.is_relative_to(srcdir)

    def unshown(target: str) -> str:
        """Why the file a target names may not be copied into this build, or "":
        judged by the file itself, not by the name that links to it."""
        path = resolved(target)
        if path is None:
            return ""
        if path.suffix in app.config.source_suffix:
            # A page's source holds everything on that page, withheld objects too.
            return "is the source of a page of the portfolio"
        if shared and path.is_file() and holds_portfolio_markup(path):
            # Copied whole, nothing in it could be withheld (as for literalinclude).
            return "holds CPD objects or a visibility, which in a copied file could not be withheld"
        return ""

    def warn(node: nodes.Node, target: str) -> None:
        logger.warning(
            f"{target!r} is outside the portfolio's folder ({srcdir}); it is not published",
            type="cpd",
            subtype="file",
            location=node,
        )

    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if outside(uri):
            warn(image, uri)
        elif why := unshown(uri):
            logger.warning(
                f"{uri!r} {why}; it is not published as a picture",
                type="cpd",
                subtype="image",
                location=image,
            )
        else:
            continue
        alt = image.get("alt", "")
        image.replace_self(nodes.inline(alt, alt, classes=["cpd-missing-image"]))
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if outside(target):
            warn(download, target)
        elif shared and (why := unshown(target)):
            logger.warning(
                f"{target!r} {why}; it is not published in a build for a mentor or the public",
                type="cpd",
                subtype="file",
                location=download,
            )
        else:
            continue
        download.replace_self(nodes.literal(download.astext(), download.astext()))


def setup_images(app: Sphinx) -> None:
    # Before Sphinx's collectors (500) note images and downloads to copy.
    app.connect("doctree-read", refuse_outside_files, priority=400)
    app.connect("builder-inited", check_profile_photo)
    app.connect("html-collect-pages", copy_profile_photo)
    app.connect("build-finished", clean_outputs)
