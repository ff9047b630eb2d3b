"""Catalogues the objects are checked against: licences, frameworks, reflective models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_cpd.catalogues import frameworks, models

if TYPE_CHECKING:
    from sphinx.config import Config


def catalogue(config: Config) -> frameworks.Catalogue:
    """The frameworks ``cpd_frameworks`` names, loaded once per configuration.

    Relative file paths were made absolute when the configuration was read
    (:func:`sphinx_cpd.setup`), as the config itself does not know its folder.
    """
    return frameworks.load(config.cpd_frameworks, "")


def reflective_models(config: Config) -> dict[str, models.Model]:
    """The bundled reflective models and those of ``cpd_reflection_models``."""
    return models.build_models(config.cpd_reflection_models)[0]
