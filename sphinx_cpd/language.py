"""The portfolio's language: Sphinx's ``language``, as Babel reads it.

Sphinx hands ``language`` to Babel for its dates, and so do the objects'
dates (:func:`sphinx_cpd.model.long_date`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sphinx_cpd.model import set_date_language

if TYPE_CHECKING:
    from sphinx.config import Config


def check_language(config: Config, warn: Callable[[str], None]) -> None:
    """Say once if Babel cannot read ``language``, and accept ``en-GB`` for
    ``en_GB`` as people write it."""
    from babel import Locale, UnknownLocaleError

    language = config.language
    # English until Babel is known to read the language.
    set_date_language("en")
    if not language or language == "en":
        return
    for candidate in (language, language.replace("-", "_")):
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        config.language = candidate
        set_date_language(candidate)
        return
    warn(
        f"language {language!r} is not a language Babel knows; write a code such as "
        "'en', 'en_GB' or 'cy'"
    )
