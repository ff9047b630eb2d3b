"""The words sphinx-cpd writes into a portfolio, in the portfolio's language.

Marked the Sphinx way: ``_("Hours")`` looks the text up in the ``sphinx_cpd``
message catalogue, ``locales/<language>/LC_MESSAGES/sphinx_cpd.mo``, for
Sphinx's ``language`` (loaded by :func:`load_catalogue` once the configuration
is read). ``make messages`` gathers every marked text into
``locales/sphinx_cpd.pot`` and brings each language's ``.po`` up to date.

Two rules keep a build in one language:

- ``_`` is called when a text is written, never when a module is imported: a
  module may be imported before the catalogue is loaded, or by an earlier
  build in another language in the same process. Texts kept in tables are
  marked with :func:`N_` and translated where they are shown.
- Warnings and the command line stay in English: they are read by the author
  at a terminal, and a message searched for on the web is found in English.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
from collections.abc import Sequence
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx import locale
from sphinx.locale import get_translation
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOGUE = "sphinx_cpd"
LOCALES = Path(__file__).with_name("locales")

logger = logging.getLogger(__name__)

_translate = get_translation(CATALOGUE)


def _(message: str) -> str:
    """``message`` in the portfolio's language (English if it has no catalogue)."""
    # str(): before a catalogue is loaded Sphinx gives a lazy proxy, which
    # ``"".join`` and JSON refuse.
    return str(_translate(message))


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


#: The theme's own default words (theme.toml), translated where a template shows them.
THEME_WORDS = (N_("Portfolio"),)


def load_catalogue(language: str | None, own: Sequence[Path] = (), root: Path | None = None) -> str:
    """Load this language's catalogue, in place of any loaded before (Sphinx's
    ``init`` adds to a catalogue already loaded, so a second build in one
    process would otherwise keep the first build's language).

    ``own``: the portfolio's ``locale_dirs``. A ``<language>/LC_MESSAGES/sphinx_cpd.po``
    in one of them comes first (read as it is, no ``.mo`` needed), so an author
    can translate into a language sphinx-cpd lacks, or change a word of one it has:
    as Sphinx does, the first folder wins, and ``cy_GB`` falls back to ``cy``.
    Files outside ``root`` (the portfolio's folder) are not read.

    Returns a digest of the author's catalogues read, "" if none: a build whose
    words changed must be written again (:func:`setup_i18n`).
    """
    locale.translators.pop(("general", CATALOGUE), None)
    language = language or "en"
    translator, _found = locale.init([LOCALES], language, CATALOGUE)
    # "cy_GB" also finds "cy", as gettext does. (English has no bundled
    # catalogue, but an author may change an English word with their own.)
    names = dict.fromkeys([language, language.split("_")[0]])
    found = [
        (folder / name / "LC_MESSAGES" / f"{CATALOGUE}.po", name)
        for folder in own
        for name in names
    ]
    digest = hashlib.sha256()
    chain: list[GNUTranslations] = []
    for path, name in found:
        if not path.is_file():
            continue
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            _warn(path, 1, "it is outside the portfolio's folder; it is not read")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            _warn(path, 1, f"{path.name} cannot be read ({exc.strerror}); it is not used")
            continue
        digest.update(f"{path}\0{len(data)}\0".encode() + data)
        mine = _read_po(path, name, data)
        if mine is not None:
            chain.append(mine)
    if not chain:
        locale.translators["general", CATALOGUE] = translator
        return ""
    # Each falls back to the next, the last to the bundled catalogue.
    for first, then in zip(chain, [*chain[1:], translator], strict=True):
        first.add_fallback(then)
    locale.translators["general", CATALOGUE] = chain[0]
    return digest.hexdigest()


#: A place in a message (``%(name)s``): filled in with ``%``, or split at by
#: the writers that put nodes or markup there.
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fits(message: str, translation: str) -> bool:
    """Whether a translation can stand in for its message, which is filled in
    with ``%`` (or split at its places): it may name only the message's own
    places, plainly (no width or precision), and hold no other ``%`` but ``%%``
    (and none at all where the message has no places)."""
    names = set(PLACEHOLDER.findall(message))
    rest = PLACEHOLDER.sub("", translation)
    if not names:
        return "%" not in rest
    return set(PLACEHOLDER.findall(translation)) <= names and "%" not in rest.replace("%%", "")


def _warn(path: Path, line: int | None, message: str) -> None:
    # "path:line": a bare path would be read as a page's name.
    logger.warning(message, type="cpd", subtype="config", location=f"{path}:{line or 1}")


def _read_po(path: Path, language: str, data: bytes) -> GNUTranslations | None:
    """An author's ``.po`` as a translator, compiled in memory; entries that
    cannot be used are said at their line and left out."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        # An editor's byte-order mark is not an error.
        source = io.BytesIO(data.removeprefix(b"\xef\xbb\xbf"))
        catalog = read_po(source, locale=language, domain=CATALOGUE, abort_invalid=True)
    except Exception as exc:  # any damage to the file: said, and the bundled words used
        _warn(path, 1, f"{path.name} cannot be read as a message catalogue ({exc}); it is not used")
        return None
    usable = Catalog(locale=language, domain=CATALOGUE)
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue  # the header, and what gettext would not use either
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            _warn(
                path, message.lineno, f"{message.id!r}: sphinx-cpd has no plural messages; left out"
            )
        elif not fits(message.id, message.string):
            _warn(
                path,
                message.lineno,
                f"the translation of {message.id!r} is not used: it may name only the message's "
                "own %(name)s places, as they are written, and hold no other % (write %% for a "
                "percent sign where the message has places)",
            )
        else:
            usable.add(message.id, message.string, context=message.context)
    compiled = io.BytesIO()
    write_mo(compiled, usable)
    compiled.seek(0)
    return GNUTranslations(compiled)


@functools.lru_cache(maxsize=1)
def template_gettext(ours: NullTranslations, sphinx: NullTranslations) -> Any:
    """The theme's ``_()``: sphinx-cpd's catalogue, then Sphinx's own (the
    theme extends Sphinx's templates, whose words Sphinx translates). Made
    once for a build's pair of catalogues, not for every page."""

    def gettext(message: str) -> str:
        found = ours.gettext(message)
        if found == message:
            # Sphinx's own words as Sphinx writes them (its templates expect that).
            theirs = sphinx.gettext(message)
            if theirs != message:
                return theirs
        # Templates put the words into HTML as they are: ours (an author's own
        # translation, perhaps, or the author's nav_label) are text, never markup.
        return html.escape(found)

    return gettext


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # A page's own "_" comes before the one Sphinx gave the template engine.
    context["_"] = template_gettext(locale.get_translator(CATALOGUE), app.translator)


def setup_i18n(app: Sphinx) -> None:
    # A digest of the author's own catalogues (set with the language, see
    # sphinx_cpd.language): when their words change, every page is read again.
    app.add_config_value("cpd_own_catalogue", "", "env", types=frozenset({str}))
    app.connect("html-page-context", page_context)
