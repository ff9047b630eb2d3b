"""Evidence PDF pages drawn onto the laid-out portfolio by an incremental update.

Typst cannot embed another PDF while it makes PDF/UA-1, so the layout reserves
a page for each evidence page and the pages are drawn there afterwards. pypdf's
writer reads every object of the file before it writes even an incremental
update, which at portfolio scale (70,000 objects) took longer than the layout
itself; here only the pages that receive evidence are read and written again,
appended after the laid-out bytes, which stay exactly as Typst wrote them.

Each evidence page becomes a form XObject, drawn scaled to fit below what its
page already holds, and marked as an artifact: its words are not part of the
portfolio's structure tree (the appendix's heading and text say what it is),
and marked content inside it is removed so that nothing claims a place in a
structure tree it is not in.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from .appendices import Appendix, quiet, reserved_anchor
from .marks import Area
from .part_file import Part, serialise, write_section

#: Marked-content operators: an evidence file's own tags point into its own
#: structure tree, which is not copied.
_MARKING = frozenset({b"BDC", b"BMC", b"EMC", b"MP", b"DP"})
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class Update:
    """New and changed objects, written after a PDF's bytes with their own
    cross-reference section (ISO 32000-1, 7.5.6)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        # Only the objects looked at are read (pypdf's reader would first read
        # the header of every object of the file).
        self.part = Part.read(data)
        self.size = self.part.size
        self.objects: dict[int, PdfObject] = {}

    def page(self, index: int) -> tuple[int, DictionaryObject]:
        """Page ``index``: its object number, and the object."""
        number = self.pages[index]
        return number, cast(DictionaryObject, self.part.get_object(number))

    @functools.cached_property
    def pages(self) -> list[int]:
        return self.part.pages()

    def add(self, obj: PdfObject) -> IndirectObject:
        reference = IndirectObject(self.size, 0, self.part.resolver)
        self.size += 1
        self.objects[reference.idnum] = obj
        return reference

    def import_object(self, obj: PdfObject, memo: dict[int, IndirectObject]) -> PdfObject:
        """A copy of an object of another (in-memory) PDF, with the objects it
        refers to added to this update and renumbered."""
        if isinstance(obj, IndirectObject):
            if obj.idnum not in memo:
                memo[obj.idnum] = self.add(NumberObject(0))  # a cycle finds the number
                target = obj.get_object()
                self.objects[memo[obj.idnum].idnum] = (
                    NullObject() if target is None else self.import_object(target, memo)
                )
            return memo[obj.idnum]
        if isinstance(obj, DictionaryObject):
            # Streams keep their (encoded) data; a shallow copy, then its entries.
            new = copy.copy(obj) if isinstance(obj, StreamObject) else DictionaryObject()
            for key, value in obj.items():
                if key != "/Parent":  # a page tree is never drawn
                    new[NameObject(key)] = self.import_object(value, memo)
            return new
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.import_object(value, memo) for value in obj)
        return obj

    def stream(self, data: bytes) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.add(stream)

    def draw_on(self, index: int, forms: list[tuple[IndirectObject, str]]) -> None:
        """Draw forms (with their ``cm`` operands) after what page ``index`` holds."""
        page_number, page = self.page(index)
        new = DictionaryObject(page)
        contents = page.raw_get("/Contents") if "/Contents" in page else ArrayObject()
        kept = list(contents) if isinstance(contents, ArrayObject) else [contents]
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        drawing = [b"Q"]
        for number, (form, matrix) in enumerate(forms, start=1):
            name = f"/CpdEvidence{number}"
            xobjects[NameObject(name)] = form
            drawing.append(f"/Artifact BMC q {matrix} cm {name} Do Q EMC".encode())
        resources[NameObject("/XObject")] = xobjects
        new[NameObject("/Resources")] = resources
        new[NameObject("/Contents")] = ArrayObject(
            [self.stream(b"q"), *kept, self.stream(b"\n".join(drawing) + b"\n")]
        )
        self.objects[page_number] = new

    def write(self) -> bytes:
        out = io.BytesIO()
        out.write(self.data if self.data.endswith(b"\n") else self.data + b"\n")
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(self.size),
                NameObject("/Prev"): NumberObject(previous_xref(self.data)),
            }
        )
        for key in ("/Root", "/Info", "/ID"):
            if key in self.part.trailer:
                trailer[NameObject(key)] = self.part.trailer.raw_get(key)
        objects = {number: serialise(obj) for number, obj in self.objects.items()}
        write_section(out, objects, trailer, update=True)
        return out.getvalue()


def previous_xref(data: bytes) -> int:
    found = _STARTXREF.search(data[-64:])
    if found is None:
        raise ValueError("the laid-out PDF does not end with startxref")
    return int(found.group(1))


def as_form(writer: PdfWriter, index: int) -> tuple[StreamObject, list[float]]:
    """Page ``index`` of an evidence file as a form XObject (a stream, with
    references into ``writer``), upright and without marked content, and its box."""
    page = writer.pages[index]
    if page.rotation:
        page.transfer_rotation_to_content()
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    if contents is not None and any(op in data for op in (b"BDC", b"BMC", b"MP", b"DP")):
        stream = ContentStream(contents, writer)
        stream.operations = [(args, op) for args, op in stream.operations if op not in _MARKING]
        data = stream.get_data()
    media = page.mediabox
    xs, ys = sorted((float(media[0]), float(media[2]))), sorted((float(media[1]), float(media[3])))
    box = [xs[0], ys[0], xs[1], ys[1]]  # corner to corner either way round
    form = DecodedStreamObject()
    form.set_data(data)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(value) for value in box),
            NameObject("/Resources"): page.get("/Resources", DictionaryObject()),
        }
    )
    return form.flate_encode(), box


def fit(box: Sequence[float], area: Area) -> str:
    """The ``cm`` operands that scale a page's box to fit ``area``, centred."""
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    scale = min(area.width / width, area.height / height)
    x = area.left + (area.width - width * scale) / 2 - left * scale
    y = area.bottom + (area.height - height * scale) / 2 - bottom * scale
    return f"{scale:.6f} 0 0 {scale:.6f} {x:.4f} {y:.4f}"


def place_pages(
    page_of: dict[str, tuple[int, float]],
    data: bytes,
    appendices: list[Appendix],
    body: Area,
    body_top: float,
) -> bytes:
    """Put each evidence PDF page onto the place reserved for it (a page, and how
    far down it starts, in points), scaled to fit what is left of the ``body``
    (which starts ``body_top`` points below the page's top edge)."""
    wanted = [item for item in appendices if item.kind == "pdf" and item.pages]
    if not wanted:
        return data
    update = Update(data)
    drawn: dict[int, list[tuple[IndirectObject, str]]] = {}
    for item in wanted:
        assert item.path is not None
        try:
            with quiet("pypdf"):
                # A writer of its own, so that rotated pages can be straightened in place.
                source = PdfWriter(clone_from=item.path)
                memo: dict[int, IndirectObject] = {}
                for number in range(len(source.pages)):
                    place = page_of.get(reserved_anchor(item.number, number + 1))
                    if place is None:
                        continue
                    index, top = place
                    # Below what the page already holds (the appendix's heading), if anything.
                    used = max(0.0, top - body_top)
                    form, box = as_form(source, number)
                    matrix = fit(box, replace(body, height=body.height - used))
                    imported = update.import_object(form, memo)
                    drawn.setdefault(index, []).append((update.add(imported), matrix))
        except Exception:  # checked when listed; a file changed since is left out
            continue
    for index, forms in sorted(drawn.items()):
        update.draw_on(index, forms)
    return update.write()
