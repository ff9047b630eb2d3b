"""Published images carry their pictures, not their metadata.

A phone's photo holds where it was taken (GPS), by whom and with what; a
portfolio that publishes the photo must not publish that. Metadata segments
are removed without re-encoding (so nothing is lost of the picture): EXIF, XMP,
IPTC and comments from JPEG; text, EXIF and time chunks from PNG; EXIF and XMP
chunks from WebP. A photo that only displays upright because of its EXIF
orientation is turned upright first (with Pillow), so it still displays as the
author saw it.

Sphinx copies images and downloads itself; they are cleaned in the output when
the build has finished, and inside an EPUB's zip, which is packed before that.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_cpd import config as cpd_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The PNG chunks a picture needs (its pixels, palette, transparency, colour and
# animation); every other chunk, text and private ones included, is dropped.
_PNG_KEPT = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"cHRM",
    b"gAMA",
    b"iCCP",
    b"sBIT",
    b"sRGB",
    b"cICP",
    b"mDCv",
    b"cLLi",
    b"bKGD",
    b"hIST",
    b"pHYs",
    b"acTL",
    b"fcTL",
    b"fdAT",
}


def strip_metadata(data: bytes) -> bytes:
    """The image without metadata; data that is not a known image is returned as it is."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _jpeg(_upright(data))
        if data.startswith(_PNG_SIGNATURE):
            return _png(_upright(data))
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (ValueError, struct.error, OSError):
        # A file that cannot be parsed is not published as it is: it might hold
        # anything. An empty file is safer than a leak; the warning says why.
        return b""
    return data


def _upright(data: bytes) -> bytes:
    """Apply an EXIF orientation to the pixels before the EXIF goes."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(0x0112)
        if orientation in (None, 1):
            return data
        turned = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        options = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
        if image.format == "JPEG":
            turned.save(out, "JPEG", quality=95, **options)
        else:
            turned.save(out, image.format or "PNG", **options)
        return out.getvalue()


def _jpeg(data: bytes) -> bytes:
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image: anything after it (thumbnails, trailers) goes
            out += b"\xff\xd9"
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos : pos + 2]
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            raise ValueError("bad JPEG segment length")
        segment = data[pos : pos + 2 + length]
        pos += 2 + length
        out += _jpeg_segment(marker, segment)
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            end = pos
            while end + 1 < len(data):
                if data[end] == 0xFF and data[end + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                end += 1
            out += data[pos:end]
            pos = end
    raise ValueError("a JPEG without an end")


def _jpeg_segment(marker: int, segment: bytes) -> bytes:
    """What of one JPEG segment the picture needs: all of a coding segment, the
    fixed fields of JFIF (APP0, without a thumbnail) and Adobe's colour transform
    (APP14), ICC colour profiles (APP2); nothing of comments or other APPn."""
    if not 0xE0 <= marker <= 0xEF and marker != 0xFE:
        return segment
    body = segment[4:]
    if marker == 0xE0 and body.startswith(b"JFIF\x00") and len(body) >= 12:
        fields = body[:12] + b"\x00\x00"  # no thumbnail
        return b"\xff\xe0" + struct.pack(">H", len(fields) + 2) + fields
    if marker == 0xEE and body.startswith(b"Adobe") and len(body) >= 12:
        return b"\xff\xee" + struct.pack(">H", 14) + body[:12]
    if marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
        return segment
    return b""


def _png(data: bytes) -> bytes:
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if len(chunk) != 12 + length:
            raise ValueError("a truncated PNG chunk")
        pos += 12 + length
        if kind in _PNG_KEPT:
            out += chunk
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("a PNG without an end")


def _webp(data: bytes) -> bytes:
    chunks = bytearray()
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        chunk = bytearray(data[pos : pos + 8 + length + (length & 1)])
        pos += 8 + length + (length & 1)
        if kind in (b"EXIF", b"XMP "):
            continue
        if kind == b"VP8X" and len(chunk) > 8:
            chunk[8] &= ~0x0C & 0xFF  # the flags that announce EXIF and XMP
        chunks += chunk
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)


def is_image(data: bytes) -> bool:
    """A JPEG, PNG or WebP picture, whatever its file is called."""
    return data.startswith((b"\xff\xd8", _PNG_SIGNATURE)) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def clean_file(path: Path) -> None:
    with path.open("rb") as handle:
        if not is_image(handle.read(12)):
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
    if not any(is_image(data[:12]) for _, data in entries):
        return
    temporary = path.with_suffix(".cleaning")
    with zipfile.ZipFile(temporary, "w") as target:
        for info, data in entries:
            if is_image(data[:12]):
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

    def outside(target: str) -> bool:
        if not target or "://" in target or target.startswith("data:"):
            return False
        path = Path(env.relfn2path(target.removesuffix("*"), env.docname)[1]).resolve()
        return not path.is_relative_to(srcdir)

    def warn(node: nodes.Node, target: str) -> None:
        logger.warning(
            f"{target!r} is outside the portfolio's folder ({srcdir}); it is not published",
            type="cpd",
            subtype="file",
            location=node,
        )

    for image in list(doctree.findall(nodes.image)):
        if outside(image.get("uri", "")):
            warn(image, image["uri"])
            alt = image.get("alt", "")
            image.replace_self(nodes.inline(alt, alt, classes=["cpd-missing-image"]))
    shared = cpd_config.read(app.config).audience != "private"
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if outside(target):
            warn(download, target)
        elif shared and Path(target).suffix in app.config.source_suffix:
            # A page's source holds everything on that page, withheld objects too.
            logger.warning(
                f"{target!r} is the source of a page; it is not published in a build for a "
                "mentor or the public",
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
