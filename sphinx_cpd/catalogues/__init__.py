"""Catalogues the objects are checked against: licences, frameworks, reflective models,
and the criterion references that point into frameworks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_cpd.catalogues import frameworks, models

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def catalogue(config: Config) -> frameworks.Catalogue:
    """The frameworks ``cpd_frameworks`` names, loaded once per configuration.

    Relative file paths were made absolute when the configuration was read
    (:func:`resolve_framework_files`), as the config itself does not know its folder.
    """
    return frameworks.load(config.cpd_frameworks, "")


def reflective_models(config: Config) -> dict[str, models.Model]:
    """The bundled reflective models and those of ``cpd_reflection_models``."""
    return models.build_models(config.cpd_reflection_models)[0]


def normalise_criterion(text: str) -> str:
    """``FRAMEWORK:CODE`` as references are compared: the framework in lower case,
    both parts without surrounding spaces; text without a colon as it is."""
    framework_id, colon, code = text.strip().partition(":")
    return f"{framework_id.strip().lower()}:{code.strip()}" if colon else text.strip()


def criterion_problem(env: BuildEnvironment, reference: str) -> tuple[str, str] | None:
    """Why ``FRAMEWORK:CODE`` names no criterion, as (warning kind, message); or None."""
    cat = catalogue(env.config)
    if ":" not in reference:
        return (
            "criterion",
            f"criterion {reference!r} must be written FRAMEWORK:CODE, e.g. cilip-chartership:1",
        )
    framework, criterion = cat.resolve(reference)
    framework_id = reference.partition(":")[0]
    if framework is None:
        known = ", ".join(sorted(cat.frameworks)) or "none"
        return (
            "framework",
            f"unknown framework {framework_id!r} in {reference!r}; frameworks in this "
            f"portfolio: {known} (add others with cpd_frameworks)",
        )
    for path in cat.files:
        env.note_dependency(path)
    if criterion is None:
        code = reference.partition(":")[2]
        codes = ", ".join(c.code for c in framework.criteria[:30])
        return ("criterion", f"{framework.id} has no criterion {code!r}; its codes are {codes}")
    return None


def criterion_label(short: str, code: str, title: str) -> str:
    return f"{short} {code}: {title}" if title != code else f"{short} {code}"


def resolve_framework_files(app: Sphinx, config: Config) -> None:
    """Make framework paths absolute (they are relative to ``conf.py``, which the
    config does not remember), read only files inside the portfolio's folder,
    and report what is wrong in ``cpd_frameworks`` and ``cpd_reflection_models``."""
    from sphinx_cpd.config import location, warn_at

    entries = config.cpd_frameworks
    if isinstance(entries, (list, tuple)):
        kept = []
        srcdir = Path(app.srcdir).resolve()
        for entry in entries:
            if isinstance(entry, str) and entry.lower().endswith(frameworks.SUFFIXES):
                path = Path(app.confdir, entry).resolve()
                if not path.is_relative_to(srcdir):
                    warn_at(
                        app.confdir,
                        "cpd_frameworks",
                        f"cpd_frameworks: {entry!r} is outside the portfolio's folder; "
                        "only files inside it are read",
                        "file",
                    )
                    continue
                entry = str(path)
            kept.append(entry)
        config.cpd_frameworks = kept
    where = location(app.confdir, "cpd_frameworks")
    for problem in catalogue(config).problems:
        logger.warning(
            problem.message,
            type="cpd",
            subtype=problem.kind,
            location=f"{problem.file}:{problem.line}" if problem.file else where,
        )
    for message in models.build_models(config.cpd_reflection_models)[1]:
        warn_at(app.confdir, "cpd_reflection_models", message)


def setup_catalogues(app: Sphinx) -> None:
    app.connect("config-inited", resolve_framework_files, priority=400)
