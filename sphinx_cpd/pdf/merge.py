"""Parts of the portfolio, each laid out by Typst on its own, joined into one
tagged PDF.

Typst keeps every page it lays out in memory until the document is done, and a
single document lays its pages out twice or more (links and page references
wait for the layout to know where things are). Laying out each chapter as a
document of its own, in processes side by side, bounds the memory by the largest
chapter and uses every core; the parts' pages, fonts and structure trees are
then joined here without parsing their content:

- every object keeps its bytes, renumbered after the parts before it;
- each part's page tree root and structure root are replaced by the joined
  document's, so its pages and top-level structure elements hang from them;
- the structure trees' parent-tree keys are shifted to stay unique;
- links between parts, written by Typst as ``cpd-goto:<label>`` addresses,
  become links to the page and place of the label;
- the bookmarks are made here, from the headings the builder lists.

Reading a part's objects is :mod:`sphinx_cpd.pdf.part_file`'s.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from sphinx_cpd.pdf.forked import side_by_side
from sphinx_cpd.pdf.marks import GOTO, Bookmark, Place
from sphinx_cpd.pdf.part_file import MergeError, Part, rewrite, serialise, write_section

__all__ = ["GOTO", "Bookmark", "Merger", "Part", "Place"]

_GOTO = re.compile(rb"/A<</Type/Action/S/URI/URI\(cpd-goto:([A-Za-z0-9_.:-]+)\)>>")
_GOTO_CONTENTS = re.compile(rb"/Contents\(cpd-goto:[A-Za-z0-9_.:-]+\)")


def resolved(holder: PdfObject | None, key: str) -> PdfObject | None:
    """An entry of a dictionary, the object itself where it is a reference
    (``get`` gives the reference)."""
    if not isinstance(holder, DictionaryObject):
        return None
    value = holder.get(key)
    return value.get_object() if value is not None else None


class Renumbering:
    """A part's object numbers in the joined PDF: after the parts before it,
    except for its roots, which become the joined document's."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.mapped: dict[int, int] = {}

    def to(self, number: int | None, new: int) -> None:
        if number is not None:
            self.mapped[number] = new

    def __call__(self, number: int) -> int:
        return self.mapped.get(number, number + self.offset)


#: How a part joins: the part, its numbers in the joined PDF, the objects it
#: drops, and the shift of its parent-tree keys.
PartPlan = tuple[Part, Renumbering, set[int], int]
#: Where links go: each label's place, the pages' object numbers, the pages'
#: height, and the objects the joined document's own replace.
Links = tuple[dict[str, Place], list[int], float, tuple[int, ...]]


class Merger:
    """Joins parts into one PDF; new objects are numbered after all the parts'."""

    def __init__(self, parts: list[Part], jobs: int = 1) -> None:
        self.parts = parts
        #: Processes that may rewrite the parts' objects at once.
        self.jobs = jobs
        self.offsets: list[int] = []
        total = 0
        for part in parts:
            self.offsets.append(total)
            total += part.size
        self.next = total
        self.objects: dict[int, bytes] = {}

    def allocate(self) -> int:
        self.next += 1
        return self.next - 1

    def ref(self, number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def join(self, places: dict[str, Place], bookmarks: list[Bookmark], height: float) -> bytes:
        """The joined PDF: ``places`` says where each label is, ``bookmarks``
        what the outline holds; ``height`` is the pages' height in points."""
        pages_root, document, structure_root = (self.allocate() for _ in range(3))
        document_kids: list[PdfObject] = []
        parent_tree: list[PdfObject] = []
        role_map = DictionaryObject()
        page_refs: list[int] = []
        plans: list[PartPlan] = []
        key_shift = 0
        for part, offset in zip(self.parts, self.offsets, strict=True):
            catalog = resolved(part.trailer, "/Root")
            tree = resolved(catalog, "/StructTreeRoot")
            if not isinstance(catalog, DictionaryObject):
                raise MergeError("a part has no catalogue")
            if not isinstance(tree, DictionaryObject):
                # Nothing in the part to tag (a chapter whose words are all
                # withheld): its pages join, with no structure to add.
                tree = DictionaryObject()
            renumber = Renumbering(offset)
            renumber.to(part.number("/Pages", catalog), pages_root)
            renumber.to(part.number("/StructTreeRoot", catalog), document)
            roots = [part.number("/Root"), part.number("/Outlines", catalog)]
            if part is not self.parts[0]:
                roots += [part.number("/Info"), part.number("/Metadata", catalog)]
            dropped = {number for number in roots if number is not None}
            top = tree.raw_get("/K") if "/K" in tree else ArrayObject()
            top_kids = list(top) if isinstance(top, ArrayObject) else [top]
            if len(top_kids) == 1:
                element = top_kids[0].get_object()
                if isinstance(element, DictionaryObject) and element.get("/S") == "/Document":
                    # The part's Document element gives way to the joined one.
                    renumber.to(top_kids[0].idnum, document)
                    dropped.add(top_kids[0].idnum)
                    inner = element.raw_get("/K")
                    top_kids = list(inner) if isinstance(inner, ArrayObject) else [inner]
            document_kids += [self.ref(renumber(kid.idnum)) for kid in top_kids]
            for key, value in self.number_tree(tree.get("/ParentTree")):
                parent_tree += [NumberObject(key + key_shift), self.ref(renumber(value.idnum))]
            role_map.update(tree.get("/RoleMap", DictionaryObject()))
            page_refs += [renumber(number) for number in part.pages()]
            plans.append((part, renumber, dropped, key_shift))
            key_shift += int(str(tree.get("/ParentTreeNextKey", 0)))
        for found in self.rewrite_all(plans, (places, page_refs, height, (pages_root, document))):
            self.objects.update(found)
        self.put(
            pages_root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Count"): NumberObject(len(page_refs)),
                    NameObject("/Kids"): ArrayObject(self.ref(n) for n in page_refs),
                }
            ),
        )
        self.put(
            document,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Document"),
                    NameObject("/P"): self.ref(structure_root),
                    NameObject("/K"): ArrayObject(document_kids),
                }
            ),
        )
        self.put(
            structure_root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructTreeRoot"),
                    NameObject("/RoleMap"): role_map,
                    NameObject("/K"): ArrayObject([self.ref(document)]),
                    NameObject("/ParentTree"): DictionaryObject(
                        {NameObject("/Nums"): ArrayObject(parent_tree)}
                    ),
                    NameObject("/ParentTreeNextKey"): NumberObject(key_shift),
                }
            ),
        )
        outlines = self.outline(bookmarks, places, page_refs, height)
        first = self.parts[0]
        catalog = first.trailer["/Root"]
        assert isinstance(catalog, DictionaryObject)
        root = self.allocate()
        new_catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): self.ref(pages_root),
                NameObject("/StructTreeRoot"): self.ref(structure_root),
                NameObject("/Outlines"): self.ref(outlines),
                NameObject("/PageMode"): NameObject("/UseOutlines"),
            }
        )
        for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
            if entry in catalog:
                new_catalog[NameObject(entry)] = catalog[entry]
        metadata = first.number("/Metadata", catalog)
        if metadata is not None:
            new_catalog[NameObject("/Metadata")] = self.ref(metadata)
        self.put(root, new_catalog)
        return self.write(root, first)

    def rewritten(self, plan: PartPlan, links: Links) -> dict[int, bytes]:
        """A part's objects, renumbered, with its links made."""
        part, renumber, dropped, shift = plan
        places, page_refs, height, replaced = links
        found: dict[int, bytes] = {}
        for number, text, stream in part.objects():
            if number in dropped or renumber(number) in replaced:
                continue
            text = rewrite(text, renumber, shift)
            if b"cpd-goto:" in text and b"/Subtype/Link" in text:
                text = self.link(text, places, page_refs, height)
            found[renumber(number)] = text + stream
        return found

    def rewrite_all(self, plans: list[PartPlan], links: Links) -> list[dict[int, bytes]]:
        """Every part's objects (:meth:`rewritten`). For a long portfolio, in
        forked processes side by side, as many as lay the parts out
        (:func:`sphinx_cpd.pdf.forked.side_by_side`): most of the joining's time
        (7.5 s at 2,000 entries), and each part's on its own."""
        return side_by_side(
            lambda index: self.rewritten(plans[index], links),
            [len(part.data) for part, *_ in plans],
            self.jobs,
        )

    def put(self, number: int, obj: PdfObject) -> None:
        self.objects[number] = serialise(obj)

    def number_tree(self, tree: PdfObject | None) -> Iterable[tuple[int, IndirectObject]]:
        node = tree.get_object() if tree is not None else None
        if not isinstance(node, DictionaryObject):
            return
        if "/Nums" in node:
            nums = node.raw_get("/Nums").get_object()
            for index in range(0, len(nums), 2):
                value = nums[index + 1]
                if not isinstance(value, IndirectObject):
                    raise MergeError("a parent tree holds a direct object")
                yield int(nums[index]), value
        for kid in node.get("/Kids", ArrayObject()):
            yield from self.number_tree(kid)

    def destination(self, place: Place, page_refs: list[int], height: float) -> ArrayObject:
        return ArrayObject(
            [
                self.ref(page_refs[place.page]),
                NameObject("/XYZ"),
                FloatObject(0),
                FloatObject(round(height - place.top, 3)),
                NullObject(),
            ]
        )

    def link(
        self, text: bytes, places: dict[str, Place], page_refs: list[int], height: float
    ) -> bytes:
        """A link annotation to ``cpd-goto:<label>`` made a link to the label's place."""
        found = _GOTO.search(text)
        if found is None:
            return text
        place = places.get(found.group(1).decode("ascii"))
        if place is None:  # nowhere to go: the words stay, the link goes
            return _GOTO_CONTENTS.sub(b"", _GOTO.sub(b"", text))
        target = serialise(self.destination(place, page_refs, height))
        text = _GOTO.sub(lambda _: b"/A<</Type/Action/S/GoTo/D" + target + b">>", text)
        return _GOTO_CONTENTS.sub(b"/Contents(Go to page %d)" % (place.page + 1), text)

    def outline(
        self,
        bookmarks: list[Bookmark],
        places: dict[str, Place],
        page_refs: list[int],
        height: float,
    ) -> int:
        root = self.allocate()
        items = [(b, places[b.label]) for b in bookmarks if b.label in places]
        numbers = [self.allocate() for _ in items]
        # Each bookmark's parent: the nearest earlier one of a lower level.
        parents: list[int] = []
        stack: list[tuple[int, int]] = []  # (level, index)
        for index, (bookmark, _) in enumerate(items):
            while stack and stack[-1][0] >= bookmark.level:
                stack.pop()
            parents.append(stack[-1][1] if stack else -1)
            stack.append((bookmark.level, index))
        children: dict[int, list[int]] = {}
        for index, parent in enumerate(parents):
            children.setdefault(parent, []).append(index)

        def count(index: int) -> int:
            return sum(1 + count(kid) for kid in children.get(index, []))

        for index, (bookmark, place) in enumerate(items):
            siblings = children[parents[index]]
            position = siblings.index(index)
            entry = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(bookmark.title),
                    NameObject("/Parent"): self.ref(
                        root if parents[index] < 0 else numbers[parents[index]]
                    ),
                    NameObject("/Dest"): self.destination(place, page_refs, height),
                }
            )
            if position:
                entry[NameObject("/Prev")] = self.ref(numbers[siblings[position - 1]])
            if position + 1 < len(siblings):
                entry[NameObject("/Next")] = self.ref(numbers[siblings[position + 1]])
            kids = children.get(index, [])
            if kids:
                entry[NameObject("/First")] = self.ref(numbers[kids[0]])
                entry[NameObject("/Last")] = self.ref(numbers[kids[-1]])
                entry[NameObject("/Count")] = NumberObject(count(index))
            self.put(numbers[index], entry)
        top = children.get(-1, [])
        outline = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        if top:
            outline[NameObject("/First")] = self.ref(numbers[top[0]])
            outline[NameObject("/Last")] = self.ref(numbers[top[-1]])
            outline[NameObject("/Count")] = NumberObject(count(-1))
        self.put(root, outline)
        return root

    def write(self, root: int, first: Part) -> bytes:
        out = io.BytesIO()
        # The first part's header: its PDF version and binary-marker line.
        out.write(first.data[: first.data.index(b"\n", first.data.index(b"\n") + 1) + 1])
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(self.next),
                NameObject("/Root"): self.ref(root),
            }
        )
        info = first.number("/Info")
        if info is not None:
            trailer[NameObject("/Info")] = self.ref(info)
        if "/ID" in first.trailer:
            trailer[NameObject("/ID")] = first.trailer["/ID"]
        write_section(out, self.objects, trailer, update=False)
        return out.getvalue()
