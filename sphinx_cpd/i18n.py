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

import html
import io
import re
from collections.abc import Sequence
from gettext import GNUTranslations
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


def load_catalogue(language: str | None, own: Sequence[Path] = ()) -> None:
    """Load this language's catalogue, in place of any loaded before (Sphinx's
    ``init`` adds to a catalogue already loaded, so a second build in one
    process would otherwise keep the first build's language).

    ``own``: the portfolio's ``locale_dirs``. A ``<language>/LC_MESSAGES/sphinx_cpd.po``
    in one of them comes first (read as it is, no ``.mo`` needed), so an author
    can translate into a language sphinx-cpd lacks, or change a word of one it has.
    """
    locale.translators.pop(("general", CATALOGUE), None)
    translator, _found = locale.init([LOCALES], language or "en", CATALOGUE)
    if not language or language == "en":
        return
    # "cy_GB" also finds "cy", as gettext does.
    wanted = dict.fromkeys([language, language.split("_")[0]])
    for folder in own:
        for name in wanted:
            path = folder / name / "LC_MESSAGES" / f"{CATALOGUE}.po"
            if path.is_file():
                mine = _read_po(path, name)
                if mine is not None:
                    mine.add_fallback(translator)
                    translator = mine
                break
    locale.translators["general", CATALOGUE] = translator


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fits(message: str, translation: str) -> bool:
    """Whether a translation can stand in for its message: a message with
    places is filled in with ``%`` (or split at them), so its translation may
    name only those places, and hold no other ``%`` but ``%%``."""
    names = set(PLACEHOLDER.findall(message))
    if not names:
        return True  # never filled in
    if not set(PLACEHOLDER.findall(translation)) <= names:
        return False
    try:
        translation % dict.fromkeys(names, "")
    except (KeyError, ValueError, TypeError):
        return False
    return True


def _read_po(path: Path, language: str) -> GNUTranslations | None:
    """An author's ``.po`` as a translator, compiled in memory."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=CATALOGUE, abort_invalid=True)
        for message in list(catalog):
            if message.id and message.string and not fits(str(message.id), str(message.string)):
                logger.warning(
                    f"the translation of {message.id!r} is not used: it may name only the "
                    "message's own %(name)s places, and hold no other % (write %% for a "
                    "percent sign)",
                    type="cpd",
                    subtype="config",
                    location=f"{path}:{message.lineno}",
                )
                catalog.delete(message.id, message.context)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        return GNUTranslations(compiled)
    except Exception as exc:  # any damage to the file: said, and the bundled words used
        logger.warning(
            f"{path.name} cannot be read as a message catalogue ({exc}); it is not used",
            type="cpd",
            subtype="config",
            # "path:line": a bare path would be read as a page's name.
            location=f"{path}:1",
        )
        return None


def template_gettext(app: Sphinx) -> Any:
    """The theme's ``_()``: sphinx-cpd's catalogue, then Sphinx's own (the
    theme extends Sphinx's templates, whose words Sphinx translates)."""
    ours = locale.get_translator(CATALOGUE)
    sphinx = app.translator

    def gettext(message: str) -> str:
        found = ours.gettext(message)
        if found == message:
            return sphinx.gettext(message)
        # Templates put the words into HTML as they are; a translation (an
        # author's own, perhaps) is text, never markup.
        return html.escape(found)

    return gettext


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # A page's own "_" comes before the one Sphinx gave the template engine.
    context["_"] = template_gettext(app)


def setup_i18n(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
