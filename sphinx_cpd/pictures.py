"""Pictures without their metadata, whatever their format and name.

A phone's photo holds where it was taken (GPS), by whom and with what; a
portfolio that publishes the photo must not publish that. Formats are told by
their content, not their file's name. JPEG, PNG, WebP and GIF lose their
metadata without being encoded again (nothing of the picture is lost): EXIF,
XMP, IPTC, comments and text chunks go; ICC colour profiles stay. A photo that
only displays upright because of its EXIF orientation is turned upright first.
SVG loses its ``<metadata>``, comments and editors' attributes. Other formats
Pillow can write (TIFF, AVIF, BMP) are written again from their pixels. What
cannot be cleaned is not published (an empty file, with a warning).
"""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ElementTree

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


def picture_format(data: bytes) -> str | None:
    """The picture format of some bytes, told by their content; None if not a picture."""
    head = data[:64]
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if head.startswith(_PNG_SIGNATURE):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM":
        return "bmp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis", b"heic", b"heix", b"mif1"):
        return "heif"
    text = data[:2048].lstrip().lower()
    if text.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in text:
        return "svg"
    return None


def drawable(data: bytes) -> bool:
    """Whether a picture can be drawn as it is: a raster image that decodes, or
    an SVG that names no other file (a renderer would try to load it)."""
    kind = picture_format(data)
    if kind == "svg":
        return b"href" not in data.replace(b'xmlns:xlink="', b"")
    if kind is None:
        return False
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
    except Exception:  # any damage: not drawn, with a warning by the caller
        return False
    return True


def strip_metadata(data: bytes) -> bytes:
    """The picture without metadata; bytes that are not a picture are returned as
    they are, and a picture that cannot be cleaned as nothing."""
    try:
        kind = picture_format(data)
        if kind == "jpeg":
            return _jpeg(_upright(data))
        if kind == "png":
            return _png(_upright(data))
        if kind == "webp":
            return _webp(data)
        if kind == "gif":
            return _gif(data)
        if kind == "svg":
            return _svg(data)
        if kind is not None:
            return _redrawn(data)
    except (ValueError, struct.error, OSError, ElementTree.ParseError):
        # A file that cannot be parsed is not published as it is: it might hold
        # anything. Nothing is safer than a leak; the caller's warning says why.
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


def _gif(data: bytes) -> bytes:
    """A GIF's header, colours, frames and looping; no comments, no other extensions."""
    (flags,) = struct.unpack("B", data[10:11])
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:pos])
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:  # trailer
            return bytes(out + b"\x3b")
        start = pos
        if block == 0x2C:  # an image: descriptor, local colours, LZW data
            (local,) = struct.unpack("B", data[pos + 9 : pos + 10])
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            keep = True
        elif block == 0x21:
            label = data[pos + 1]
            keep = label == 0xF9 or (
                label == 0xFF and data[pos + 3 : pos + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            )
            pos += 2
        else:
            raise ValueError("not a GIF block")
        while True:  # data sub-blocks, up to an empty one
            size = data[pos]
            pos += 1 + size
            if size == 0:
                break
        if keep:
            out += data[start:pos]
    raise ValueError("a GIF without an end")


# EXIF and TIFF tags that say who, where, when and with what (not how the picture
# is laid out): description, maker, model, software, time, artist, host, copyright,
# the EXIF and GPS directories, XMP, IPTC, comments and Windows' XP fields.
_METADATA_TAGS = {
    270,
    271,
    272,
    305,
    306,
    315,
    316,
    33432,
    34665,
    34853,
    700,
    33723,
    37510,
    40091,
    40092,
    40093,
    40094,
    40095,
}
_SVG_KEPT = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def _svg(data: bytes) -> bytes:
    """An SVG without ``<metadata>``, comments, or editors' elements and attributes."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ValueError("an SVG with a DOCTYPE is not read (its entities could be anything)")
    root = ElementTree.fromstring(data)  # comments are dropped as it is read
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")

    def foreign(name: str) -> bool:
        return name.startswith("{") and name[1:].partition("}")[0] not in _SVG_KEPT

    for parent in list(root.iter()):
        for child in list(parent):
            if (
                not isinstance(child.tag, str)
                or foreign(child.tag)
                or child.tag.endswith("}metadata")
            ):
                parent.remove(child)
        for name in [n for n in parent.attrib if foreign(n)]:
            del parent.attrib[name]
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _redrawn(data: bytes) -> bytes:
    """A picture in another format, written again from its pixels alone."""
    from PIL import Image

    Image.init()
    with Image.open(io.BytesIO(data)) as image:
        format = image.format or ""
        if format not in Image.SAVE:
            raise ValueError(f"{format or 'this'} pictures cannot be written here")
        frames = getattr(image, "n_frames", 1)
        clean = image.copy()
        clean.info = {}
        out = io.BytesIO()
        extra = {"save_all": True} if frames > 1 else {}
        clean.save(out, format, **extra)
    result = out.getvalue()
    with Image.open(io.BytesIO(result)) as check:
        exif = check.getexif()
        if set(exif) & _METADATA_TAGS or "xmp" in check.info or "comment" in check.info:
            raise ValueError("its metadata could not be left out")
    return result
