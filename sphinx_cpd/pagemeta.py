"""A page's own ``cpd-visibility``, read exactly where Sphinx and MyST read metadata.

Pages are scanned before Sphinx reads them, so that a withheld page is never
parsed. The scanner must therefore find the visibility wherever Sphinx would:

* MyST pages: the YAML front matter, read with MyST's own ``read_topmatter``
  (closed by ``---`` or ``...``).
* reST pages: the first field list of the document, after any comments,
  targets and substitution definitions, found by docutils' own parser (the
  way docutils' DocInfo transform finds it).

Anything that cannot be read (broken YAML, a value that is not a visibility, a
key that looks like a misspelt ``cpd-visibility``, bytes that do not decode)
makes the page private, with the reason.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from itertools import dropwhile
from pathlib import Path
from typing import Any

from sphinx.util.docutils import CustomReSTDispatcher

from sphinx_cpd.visibility import PAGE_KEY, VISIBILITIES, narrowest, near_miss, read_visibility

#: The codec Sphinx reads pages with when the root page is not valid text: it
#: replaces undecodable bytes instead of stopping the build.
REPLACING = "sphinx-cpd-utf-8-replace"


def _replacing(name: str) -> codecs.CodecInfo | None:
    if name not in (REPLACING, REPLACING.replace("-", "_")):
        return None
    sig = codecs.lookup("utf-8-sig")

    def decode(data: Any, errors: str = "strict", /) -> tuple[str, int]:
        return sig.decode(data, "replace")

    class Decoder(sig.incrementaldecoder):  # type: ignore[name-defined,misc]
        def __init__(self, errors: str = "strict") -> None:
            super().__init__("replace")

    return codecs.CodecInfo(
        sig.encode,
        decode,
        name=REPLACING,
        incrementalencoder=sig.incrementalencoder,
        incrementaldecoder=Decoder,
    )


codecs.register(_replacing)


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about its own visibility."""

    #: The page's own visibility, or None when it sets none.
    visibility: str | None
    #: Why the page is treated as private against what it says, if it is.
    problems: tuple[str, ...] = ()
    #: The text could not be decoded: the page cannot be built at all.
    undecodable: bool = False
    #: The page's text (with a BOM removed), for the block scanner.
    text: str = field(default="", repr=False)


def read_text(path: Path, encoding: str = "utf-8-sig") -> tuple[str | None, str | None]:
    """The file's text, or None and why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, (
            f"is not valid {encoding.removesuffix('-sig').upper()} text (byte {exc.start}: "
            f"{exc.reason}); save it as UTF-8"
        )


def page_meta(
    path: Path, *, myst: bool | None, fieldlist: bool = False, encoding: str = "utf-8-sig"
) -> PageMeta:
    """Read a page's metadata; see the module's docstring for where it is looked for.

    ``myst`` None means the file may be read either way (an included file): it
    is read both ways and the narrower reading wins.
    """
    text, problem = read_text(path, encoding)
    if text is None:
        return PageMeta("private", (f"the file {problem}",), undecodable=True)
    if myst is None:
        readings = [meta_of_text(text, is_rst=rst, fieldlist=True) for rst in (False, True)]
        return min(readings, key=lambda m: VISIBILITIES.index(m.visibility or "public"))
    return meta_of_text(text, is_rst=not myst, fieldlist=fieldlist)


def meta_of_text(text: str, *, is_rst: bool, fieldlist: bool = False) -> PageMeta:
    """A page's visibility from its text.

    ``fieldlist``: MyST reads a field list at the top of a page as metadata
    (its ``fieldlist`` extension is on).
    """
    text = text.removeprefix("\ufeff")
    try:
        fields = _rst_fields(text) if is_rst else _myst_front_matter(text, fieldlist)
    except Exception as exc:  # anything unreadable fails closed
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        kind = "field list" if is_rst else "front matter"
        return PageMeta("private", (f"its {kind} cannot be read ({reason})",), text=text)
    problems: list[str] = []
    visibility: str | None = None
    read_as_fields = 0
    for key, value in fields.items():
        if not isinstance(key, str):
            continue
        if key.startswith(":"):  # written as a field (``:cpd-visibility: x``)
            key = key[1:]
            read_as_fields += _stray_field(f":{key}:")
        if key == PAGE_KEY:
            own, problem = read_visibility(value)
            visibility = narrowest(visibility, own)
            if problem:
                problems.append(f"{PAGE_KEY}: {problem}")
        elif near_miss(key):
            problems.append(f"the key {key!r} looks like a misspelt {PAGE_KEY!r}")
    stray = sum(1 for line in text.split("\n") if _stray_field(line))
    if stray > read_as_fields:
        problems.append(
            f"a {PAGE_KEY} field stands where it is not read as the page's metadata; "
            "put it in the front matter (MyST) or the first field list at the top (reST)"
        )
    if _stray_keys(text, is_rst=is_rst):
        problems.append(
            f"a {PAGE_KEY} line stands outside the front matter (after the title or a "
            "comment, in a second block, or as TOML), where it is not read; move it into "
            "the front matter at the very top of the page"
        )
    late = not is_rst and not text.startswith("---") and text.lstrip().startswith("---")
    if late and _myst_front_matter(text.lstrip(), False):
        problems.append("the front matter does not start on the first line, so it is not read")
    if problems:
        visibility = "private"
    return PageMeta(visibility, tuple(problems), text=text)


_FIELD_LINE = re.compile(r"^\s*:([^:\s][^:]*):(\s|$)")


def _stray_field(line: str) -> bool:
    """A line that writes the page's visibility as a field (or a near miss of it)."""
    match = _FIELD_LINE.match(line)
    if match is None:
        return False
    normal = match.group(1).strip().lower().replace("_", "-")
    return normal not in ("visibility", "visible") and (normal == PAGE_KEY or near_miss(normal))


_KEY_LINE = re.compile(r"^\s*['\"]?([A-Za-z][\w -]*?)['\"]?\s*[:=]")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _stray_keys(text: str, *, is_rst: bool) -> bool:
    """Whether the page writes its visibility as a ``key: value`` line anywhere but
    in the front matter at its top; examples in code blocks do not count."""
    lines = text.split("\n")
    start = 0
    if not is_rst and lines[0].startswith("---"):
        start = next(
            (n + 1 for n, line in enumerate(lines[1:], 1) if line.startswith(("---", "..."))),
            len(lines),
        )
    fence: str | None = None
    for line in lines[start:]:
        if not is_rst:
            if match := _FENCE.match(line):
                mark = match.group(1)
                if fence is None:
                    fence = mark
                elif mark[0] == fence[0] and len(mark) >= len(fence):
                    fence = None
                continue
            if fence is not None:
                continue
        elif line[:1].isspace():  # reST: a literal block or a directive's content
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        normal = match.group(1).strip().lower().replace("_", "-").replace(" ", "-")
        if normal not in ("visibility", "visible") and (normal == PAGE_KEY or near_miss(normal)):
            return True
    return False


def _myst_front_matter(text: str, fieldlist: bool) -> dict[object, object]:
    """The front matter, as MyST reads it, and with ``fieldlist`` the field list
    after it (its names marked with a leading ``:``)."""
    from myst_parser.config.main import read_topmatter

    matter = read_topmatter(text) or {}
    lines = text.split("\n")
    if matter or text.startswith("---"):
        # YAML keeps the last of a repeated key; a repeated visibility is in doubt.
        closing = next(
            (n for n, line in enumerate(lines[1:], 1) if line.startswith(("---", "..."))),
            len(lines),
        )
        written = [
            line for line in lines[1:closing] if re.match(rf"\s*['\"]?{PAGE_KEY}['\"]?\s*:", line)
        ]
        if len(written) > 1:
            raise ValueError(f"{PAGE_KEY} is given more than once")
        lines = lines[closing + 1 :]
        enabled = (
            (matter.get("myst") or {}).get("enable_extensions")
            if isinstance(matter.get("myst"), dict)
            else None
        )
        if enabled is not None:
            fieldlist = "fieldlist" in enabled
    fields: dict[object, object] = dict(matter.items())
    if fieldlist:
        for line in dropwhile(lambda line: not line.strip(), lines):
            match = re.match(r"^:([^:\s][^:]*):\s*(.*)$", line)
            if match is None:
                break
            fields[":" + match.group(1)] = match.group(2).strip()
    return fields


def _rst_fields(text: str) -> dict[str, str]:
    """The fields of a reST document's metadata field list, as Sphinx would find them."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    settings = get_default_settings(Parser)
    # Parse only: no files read, no raw output, no messages printed, never halt.
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    document = new_document("<page>", settings)
    # No directive or role runs (Sphinx's need a build environment): each becomes
    # an error message, which, like a comment, does not hide a field list after
    # it. So a page may be read as private where Sphinx sees no metadata; never
    # the other way round.
    with _NoDirectives():
        Parser().parse(text, document)
    index = document.first_child_not_matching_class(nodes.PreBibliographic)  # type: ignore[arg-type]
    if index is None or not isinstance(document[index], nodes.field_list):
        return {}
    fields: dict[str, str] = {}
    for item in document[index].children:
        if isinstance(item, nodes.field) and len(item) == 2:
            name = ":" + item[0].astext().strip()
            if name in fields and (name[1:] == PAGE_KEY or near_miss(name[1:])):
                # docutils keeps both: an ambiguous page is private.
                raise ValueError(f"the field {name[1:]!r} is given twice")
            fields[name] = item[1].astext().strip()
    return fields


class _NoDirectives(CustomReSTDispatcher):
    def directive(self, *args: object) -> tuple[None, list[object]]:  # type: ignore[override]
        return None, []

    def role(self, *args: object) -> tuple[None, list[object]]:  # type: ignore[override]
        return None, []
