"""Entries of a Leap2A e-portfolio export (what Mahara writes): a zip holding
``leap2a.xml`` (an Atom feed) and the files it names.

Each ``entry`` says what it is with ``<rdf:type rdf:resource="leap2:…">``:
``activity`` and ``achievement`` become events (their ``leap2:date`` with
``leap2:point="start"``/``"end"`` giving the dates); an ``entry`` in a journal
(a ``selection`` of the category ``Blog``, which it is ``leap2:is_part_of``)
or an ``entry`` or ``ability`` of its own becomes a reflection; a ``resource``
with a file (``<content src="files/…">`` or ``<link rel="enclosure">``)
becomes evidence, its file copied. Selections themselves (journals, views,
collections) are containers, not content. Everything is private: what was
shared on a Mahara is not known from its export.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from sphinx_cpd.importing.model import (
    ATOM,
    MAX_XML_BYTES,
    Entry,
    ImportProblem,
    checked_url,
    child_text,
    children,
    clean_tag,
    content_html,
    local,
    read_date,
)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
#: Files larger than this are left out (and said so); a zip holding more in
#: all is refused: a portfolio's evidence is documents and pictures.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
EVENTS = {"activity", "achievement"}
REFLECTIONS = {"entry", "ability"}


def is_leap2a(root: Element) -> bool:
    return root.tag == f"{{{ATOM}}}feed" and any(
        local(element.tag) == "type" and element.tag.startswith("{" + RDF)
        for element in root.iter()
    )


def entry_type(entry: Element) -> str:
    """``activity`` of ``leap2:activity`` or ``http://terms.leapspecs.org/activity``."""
    for element in children(entry, "type", RDF):
        resource = element.get(f"{{{RDF}}}resource", "")
        return resource.removeprefix(LEAP2).removeprefix("leap2:")
    return ""


def read_zip(data: bytes) -> tuple[bytes, str, zipfile.ZipFile]:
    """The zip's ``leap2a.xml``, the folder it is in (which the names of files
    in it are relative to) and the zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportProblem(
            f"the file is not a readable zip ({exc}); nothing was imported"
        ) from None
    if sum(info.file_size for info in members.values()) > MAX_TOTAL_BYTES:
        raise ImportProblem(
            f"the zip unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; nothing was imported"
        )
    found = [name for name in members if posixpath.basename(name) == "leap2a.xml"]
    if not found:
        raise ImportProblem("the zip holds no leap2a.xml: is it a Leap2A export?")
    name = min(found, key=len)
    try:
        xml = read_member(archive, members[name], MAX_XML_BYTES)
    except UNREADABLE as exc:
        raise ImportProblem(
            f"its leap2a.xml cannot be read ({type(exc).__name__}: {exc}); nothing was imported"
        ) from None
    return xml, posixpath.dirname(name), archive


#: What reading a damaged, encrypted or lying zip member raises.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
)


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = MAX_FILE_BYTES
) -> bytes:
    """A member's bytes, never more than it says it holds (a zip may lie) or ``limit``."""
    if info.file_size > limit:
        raise ValueError(f"it is larger than {limit // 2**20} MB")
    with archive.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ValueError("it holds more than the zip says")
    return data


def leap2a(root: Element, archive: zipfile.ZipFile | None, base: str = "") -> list[Entry]:
    """Every entry of the feed ``root``; files are read from ``archive``, by
    names relative to ``base`` (the folder of ``leap2a.xml`` in the zip)."""
    members = {info.filename: info for info in archive.infolist()} if archive else {}
    # An entry's id (portfolio:artefact52) is its site's: with the site and
    # the author it is no other portfolio's.
    site = urlsplit(child_text(root, "id", ATOM)).netloc
    authors = children(root, "author", ATOM)
    owner = child_text(authors[0], "name", ATOM) if authors else ""
    files: dict[str, bytes] = {}
    journals = set()
    for entry in children(root, "entry", ATOM):
        terms = {c.get("term", "").casefold() for c in children(entry, "category", ATOM)}
        if entry_type(entry) == "selection" and "blog" in terms:
            journals.add(child_text(entry, "id", ATOM))
    entries = []
    for entry in children(root, "entry", ATOM):
        key = f"{site}/{owner}/{child_text(entry, 'id', ATOM)}"
        title = child_text(entry, "title", ATOM)
        kind = entry_type(entry)
        links = children(entry, "link", ATOM)
        parents = {link.get("href", "") for link in links if link.get("rel") == "leap2:is_part_of"}
        tags = [
            clean_tag(c.get("term", ""))
            for c in children(entry, "category", ATOM)
            # Leap2A's own categories have a scheme ("categories:…"); tags do not.
            if not c.get("scheme")
        ]
        starts = {
            d.get(f"{{{LEAP2}}}point", ""): read_date(d.text or "")
            for d in children(entry, "date", LEAP2)
        }
        date = (
            starts.get("start")
            or read_date(child_text(entry, "published", ATOM))
            or read_date(child_text(entry, "updated", ATOM))
        )
        found = Entry(
            source="leap2a",
            key=key,
            kind="reflection",
            title=title,
            date=date,
            html=content_html(entry),
            tags=[tag for tag in dict.fromkeys(tags) if tag],
            private=True,
        )
        if kind in EVENTS:
            found.kind, found.end = "event", starts.get("end")
        elif kind in REFLECTIONS:
            if parents & journals:
                found.tags.append("journal")
        elif kind == "resource":
            found.kind = "evidence"
            found.skipped = attach(found, entry, members, archive, base, files)
        elif kind == "selection":
            continue  # a journal, view or collection: a container
        else:
            found.skipped = (
                f"a Leap2A {kind or 'entry without a type'}, which has no counterpart here"
            )
        entries.append(found)
    return entries


def attach(
    found: Entry,
    entry: Element,
    members: dict[str, zipfile.ZipInfo],
    archive: zipfile.ZipFile | None,
    base: str,
    files: dict[str, bytes],
) -> str:
    """Give ``found`` its file from the zip; why not, if it cannot have it."""
    sources = [c.get("src", "") for c in children(entry, "content", ATOM) if c.get("src")]
    sources += [
        link.get("href", "")
        for link in children(entry, "link", ATOM)
        if link.get("rel") == "enclosure"
    ]
    for source in sources:
        if "://" in source:
            found.url = checked_url(source)
            continue
        name = posixpath.normpath(posixpath.join(base, source))
        info = members.get(name)
        if info is None or archive is None or name.startswith(("../", "/")):
            return f"its file {source!r} is not in the zip"
        try:
            # One member named by many entries is read once (the zip's size
            # was checked member by member).
            data = files[name] if name in files else read_member(archive, info)
        except UNREADABLE as exc:
            return f"its file {source!r} could not be read ({type(exc).__name__}: {exc})"
        files[name] = data
        found.file = (posixpath.basename(name), data)
        return ""
    return "" if found.url else "it names no file"
