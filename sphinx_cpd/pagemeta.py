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

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.util.docutils import CustomReSTDispatcher

from sphinx_cpd.visibility import PAGE_KEY, near_miss, read_visibility


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


def page_meta(path: Path, *, myst: bool, encoding: str = "utf-8-sig") -> PageMeta:
    """Read a page's metadata; see the module's docstring for where it is looked for."""
    text, problem = read_text(path, encoding)
    if text is None:
        return PageMeta("private", (f"the file {problem}",), undecodable=True)
    return meta_of_text(text, is_rst=not myst)


def meta_of_text(text: str, *, is_rst: bool) -> PageMeta:
    text = text.removeprefix("\ufeff")
    try:
        fields = _rst_fields(text) if is_rst else _myst_front_matter(text)
    except Exception as exc:  # anything unreadable fails closed
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        kind = "field list" if is_rst else "front matter"
        return PageMeta("private", (f"its {kind} cannot be read ({reason})",), text=text)
    problems: list[str] = []
    visibility: str | None = None
    for key, value in fields.items():
        if not isinstance(key, str):
            continue
        if key == PAGE_KEY:
            visibility, problem = read_visibility(value)
            if problem:
                problems.append(f"{PAGE_KEY}: {problem}")
        elif near_miss(key):
            visibility = "private"
            problems.append(f"the key {key!r} looks like a misspelt {PAGE_KEY!r}")
    if problems:
        visibility = "private"
    return PageMeta(visibility, tuple(problems), text=text)


def _myst_front_matter(text: str) -> dict[Any, Any]:
    from myst_parser.config.main import read_topmatter

    return read_topmatter(text) or {}


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
            name = item[0].astext().strip()
            if name in fields and (name == PAGE_KEY or near_miss(name)):
                # docutils keeps both: an ambiguous page is private.
                raise ValueError(f"the field {name!r} is given twice")
            fields[name] = item[1].astext().strip()
    return fields


class _NoDirectives(CustomReSTDispatcher):
    def directive(self, *args: Any) -> tuple[None, list[Any]]:
        return None, []

    def role(self, *args: Any) -> tuple[None, list[Any]]:  # type: ignore[override]
        return None, []
