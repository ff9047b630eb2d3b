"""The portfolio's language: Sphinx's ``language``, as Babel reads it, and the
dates and numbers sphinx-cpd writes in it.

Sphinx hands ``language`` to Babel for its own dates; sphinx-cpd does the same
for the objects' dates (:func:`long_date`) and numbers (:func:`shown_hours`,
:func:`shown_count`), and its own words come from its catalogue for that
language (:mod:`sphinx_cpd.i18n`). Each takes ``local=False`` for the
terminal's reports, which stay in English.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx import locale

from sphinx_cpd.i18n import N_, _, load_catalogue
from sphinx_cpd.model import format_hours

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The language of this build, as Babel reads it (set with the configuration).
_LANGUAGE: list[str] = ["en"]


def set_language(language: str | None) -> None:
    _LANGUAGE[0] = (language or "en").replace("-", "_")


def english(language: str) -> bool:
    return language == "en" or language.startswith("en_")


#: English month names, whatever the machine's language (Sphinx sets the
#: process's locale from the environment, which ``%B`` would follow).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _english_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_date(day: date, local: bool = True) -> str:
    """A day as the portfolio's readers write it: ``28 November 2011`` in
    English, ``28 Tachwedd 2011`` in Welsh (Babel's long form for a
    language other than English, which puts the day first here as in
    British and Australian use)."""
    language = _LANGUAGE[0] if local else "en"
    if english(language):
        return _english_date(day)
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return str(format_date(day, "long", locale=language))
    except (ValueError, LookupError, UnknownLocaleError):  # said at start-up
        return _english_date(day)


@functools.cache
def _symbols(language: str) -> tuple[str, str]:
    """The language's decimal sign and thousands separator."""
    if english(language):
        return ".", ","
    from babel.core import UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        return str(get_decimal_symbol(language)), str(get_group_symbol(language))
    except (ValueError, LookupError, UnknownLocaleError):  # said at start-up
        return ".", ","


def shown_hours(hours: Decimal, local: bool = True) -> str:
    """Hours as :func:`~sphinx_cpd.model.format_hours` gives them, exactly,
    with the language's decimal sign (``1,25`` in French)."""
    text = format_hours(hours)
    decimal, _group = _symbols(_LANGUAGE[0] if local else "en")
    return text.replace(".", decimal)


def shown_count(count: Decimal | int, local: bool = True) -> str:
    """A whole number with the language's thousands separator: ``1,500``."""
    _decimal, group = _symbols(_LANGUAGE[0] if local else "en")
    return f"{int(count):,}".replace(",", group)


def hours_text(hours: Decimal, translate: Callable[[str], str] = _) -> str:
    """Hours with their unit, as readers see them: ``1 hour``, ``2.5 hours``
    (in English for the terminal, given ``translate=N_``)."""
    shown = shown_hours(hours, local=translate is not N_)
    if format_hours(hours) == "1":
        return translate("1 hour")
    return translate("%(hours)s hours") % {"hours": shown}


def check_language(app: Sphinx, warn: Callable[[str], None]) -> None:
    """Say once if Babel cannot read ``language`` (and build in English), and
    accept ``en-GB`` for ``en_GB`` as people write it; load sphinx-cpd's words
    in that language (the portfolio's own catalogue first, from ``locale_dirs``)."""
    from babel import Locale, UnknownLocaleError

    language = app.config.language
    if not language or language == "en":
        use_language(app, "en")
        return
    for candidate in (language, language.replace("-", "_")):
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        use_language(app, candidate)
        return
    warn(
        f"language {language!r} is not a language Babel knows, so the portfolio is built in "
        "English; write a code such as 'en', 'en_GB' or 'cy'"
    )
    use_language(app, "en")


def use_language(app: Sphinx, language: str) -> None:
    config = app.config
    if language != config.language:
        # Sphinx loaded its own words for the language as written, before any
        # extension could read it: load them again for the one it is now.
        config.language = language
        if hasattr(app, "_init_i18n"):  # Sphinx's own, the same from 8.2 to 9
            locale.translators.pop(("general", "sphinx"), None)
            app._init_i18n()
    set_language(language)
    own = [Path(app.srcdir, folder) for folder in config.locale_dirs or []]
    config.cpd_own_catalogue = load_catalogue(language, own, Path(app.srcdir))
