"""Catalogues the objects are checked against: licences, frameworks, reflective models,
and the criterion references that point into frameworks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sphinx import locale
from sphinx.util import logging

from sphinx_cpd.catalogues import frameworks, models, schemes
from sphinx_cpd.i18n import CATALOGUE, _
from sphinx_cpd.visibility import SHARED_DEFAULT

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

T = TypeVar("T")


def catalogue(config: Config) -> frameworks.Catalogue:
    """The frameworks ``cpd_frameworks`` names, loaded once per configuration,
    the bundled ones in the portfolio's language.

    Relative file paths were made absolute when the configuration was read
    (:func:`resolve_framework_files`), as the config itself does not know its folder.
    """
    return in_language("catalogue", frameworks.load(config.cpd_frameworks, ""), _catalogue)


def scheme(config: Config) -> schemes.Scheme | None:
    """The scheme ``cpd_scheme`` names, if any (its file path made absolute when
    the configuration was read, as for frameworks), a bundled one in the
    portfolio's language."""
    found = schemes.load(config.cpd_scheme, "")[0]
    if found is None or not found.origin.startswith("bundled "):
        return found
    return in_language("scheme", found, _scheme)


def shared_label(config: Config) -> str:
    """What the audience a build is shared with is called: the scheme's
    ``shared-audience`` (``confirmer`` for the NMC), else ``mentor``."""
    found = scheme(config)
    return found.shared_label if found is not None else SHARED_DEFAULT


def reflective_models(config: Config) -> dict[str, models.Model]:
    """The bundled reflective models (in the portfolio's language) and those of
    ``cpd_reflection_models``."""
    found = models.build_models(config.cpd_reflection_models)[0]
    bundled = in_language("models", models.BUNDLED, _models)
    return {
        key: bundled[key] if model is models.BUNDLED.get(key) else model
        for key, model in found.items()
    }


#: What each catalogue was last translated into: (translator, untranslated,
#: translated). The translator is the one loaded for the current build, so a
#: build in another language (in the same process) translates afresh.
_TRANSLATED: dict[str, tuple[object, object, object]] = {}


def in_language(kind: str, found: T, translate: Callable[[T], T]) -> T:
    """``found`` as ``translate`` gives it in the current build's language,
    worked out once per build. The catalogues' own caches hold the text as
    written (English): that is what warnings, ids and keys use."""
    if not locale.is_translator_registered(CATALOGUE):
        return found  # no language loaded yet: nothing to translate into
    translator = locale.get_translator(CATALOGUE)
    held = _TRANSLATED.get(kind)
    if held is not None and held[0] is translator and held[1] is found:
        return held[2]  # type: ignore[return-value]
    result = translate(found)
    _TRANSLATED[kind] = (translator, found, result)
    return result


def _catalogue(found: frameworks.Catalogue) -> frameworks.Catalogue:
    """The bundled frameworks' titles, short names, criteria and scale labels
    translated; codes and ids as they are. Frameworks of the author's own are
    in the author's words already."""
    shown = {
        ident: _framework(framework) if framework.source.startswith("bundled ") else framework
        for ident, framework in found.frameworks.items()
    }
    return dataclasses.replace(found, frameworks=shown)


def _framework(framework: frameworks.Framework) -> frameworks.Framework:
    scale = framework.scale
    labels = {score: _(label) if label else label for score, label in scale.labels.items()}
    return dataclasses.replace(
        framework,
        title=_(framework.title),
        short=_(framework.short),
        scale=dataclasses.replace(scale, labels=labels),
        criteria=tuple(
            # A criterion without a title shows its code, which stays a code.
            dataclasses.replace(c, title=_(c.title)) if c.title != c.code else c
            for c in framework.criteria
        ),
    )


def _scheme(found: schemes.Scheme) -> schemes.Scheme:
    """A bundled scheme's title and requirements' titles translated; its source
    is the title of the body's own publication, cited as it is published."""
    return dataclasses.replace(
        found,
        title=_(found.title),
        requirements=tuple(
            dataclasses.replace(r, title=_(r.title)) if r.title != r.key else r
            for r in found.requirements
        ),
    )


def _models(bundled: dict[str, models.Model]) -> dict[str, models.Model]:
    return {key: models.translated(model) for key, model in bundled.items()}


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
    if title == code:
        return f"{short} {code}"
    # Translators: a criterion of a framework, e.g. "PKSB 3: Knowledge management".
    return _("%(framework)s %(code)s: %(title)s") % {
        "framework": short,
        "code": code,
        "title": title,
    }


def resolve_framework_files(app: Sphinx, config: Config) -> None:
    """Make framework paths absolute (they are relative to ``conf.py``, which the
    config does not remember), read only files inside the portfolio's folder,
    and report what is wrong in ``cpd_frameworks`` and ``cpd_reflection_models``."""
    from sphinx_cpd.config import location, warn_at

    entries = config.cpd_frameworks
    if isinstance(entries, (list, tuple)):
        kept = []
        for entry in entries:
            if isinstance(entry, str) and entry.lower().endswith(frameworks.SUFFIXES):
                entry = inside(app, "cpd_frameworks", entry)
                if entry is None:
                    continue
            kept.append(entry)
        config.cpd_frameworks = kept
    resolve_scheme(app, config)
    report(catalogue(config).problems, location(app.confdir, "cpd_frameworks"))
    for message in models.build_models(config.cpd_reflection_models)[1]:
        warn_at(app.confdir, "cpd_reflection_models", message)


def report(problems: Iterable[frameworks.Problem], where: str) -> None:
    """Problems of a framework or scheme: at their file's line, or at the line
    of ``conf.py`` that names it (``where``)."""
    for problem in problems:
        logger.warning(
            problem.message,
            type="cpd",
            subtype=problem.kind,
            location=f"{problem.file}:{problem.line}" if problem.file else where,
        )


def inside(app: Sphinx, name: str, entry: str) -> str | None:
    """A file named in ``conf.py`` as an absolute path, if it is inside the
    portfolio's folder (else a warning, and None)."""
    from sphinx_cpd.config import warn_at

    path = Path(app.confdir, entry).resolve()
    if path.is_relative_to(Path(app.srcdir).resolve()):
        return str(path)
    warn_at(
        app.confdir,
        name,
        f"{name}: {entry!r} is outside the portfolio's folder; only files inside it are read",
        "file",
    )
    return None


def resolve_scheme(app: Sphinx, config: Config) -> None:
    """Read ``cpd_scheme``, say what is wrong with it, and make sure the
    frameworks it uses are loaded (so that ``nmc-code:2`` works in a nurse's
    portfolio whatever ``cpd_frameworks`` lists)."""
    from sphinx_cpd.config import location, warn_at

    value = config.cpd_scheme
    if isinstance(value, str) and value.lower().endswith(frameworks.SUFFIXES):
        config.cpd_scheme = value = inside(app, "cpd_scheme", value)
    found, problems = schemes.load(value, "")
    report(problems, location(app.confdir, "cpd_scheme"))
    declared = config.cpd_declarations if isinstance(config.cpd_declarations, dict) else {}
    if found is None:
        if declared or config.cpd_renewal_date:
            warn_at(
                app.confdir,
                "cpd_declarations" if declared else "cpd_renewal_date",
                "cpd_declarations and cpd_renewal_date are read against a scheme; "
                "set cpd_scheme too",
            )
        return
    # A scheme names frameworks by id: bundled ones are added, others must be
    # loaded by cpd_frameworks (a path here would bypass its checks).
    loaded = set(catalogue(config).frameworks)
    listed = config.cpd_frameworks
    for framework in found.frameworks:
        if framework in loaded:
            continue
        if framework in frameworks.BUNDLED_IDS and isinstance(listed, list):
            listed.append(framework)
        else:
            warn_at(
                app.confdir,
                "cpd_scheme",
                f"cpd_scheme: {found.title} uses the framework {framework!r}, which is "
                "neither bundled nor loaded by cpd_frameworks",
            )
    # The kinds of event it counts (an NMC reflective discussion) are kinds
    # an event may have.
    types = config.cpd_event_types
    counted = [r.type for r in found.requirements if r.count == "event" and r.type]
    if isinstance(types, (list, tuple)):
        config.cpd_event_types = [*types, *(t for t in counted if t not in types)]
    known = models.build_models(config.cpd_reflection_models)[0]
    wanted_models = [*found.models, *(r.model for r in found.requirements if r.model)]
    for model in dict.fromkeys(wanted_models):
        if model not in known:
            warn_at(
                app.confdir,
                "cpd_scheme",
                f"cpd_scheme: {found.id} uses the reflective model {model!r}, which is "
                "neither bundled nor in cpd_reflection_models",
            )
    if found.renewal and not config.cpd_renewal_date:
        warn_at(
            app.confdir,
            "cpd_scheme",
            f"cpd_scheme: the period of {found.title} ends on your renewal date; set "
            'cpd_renewal_date = "YYYY-MM-DD" (until then the period ends with this CPD year)',
        )
    wanted = {r.key for r in found.requirements if r.kind == "declaration"}
    for key in declared:
        if str(key).strip().lower() not in wanted:
            known_keys = ", ".join(sorted(wanted)) or "none"
            warn_at(
                app.confdir,
                "cpd_declarations",
                f"cpd_declarations: {key!r} is not a declaration {found.title} asks for "
                f"(it asks for: {known_keys})",
            )


def setup_catalogues(app: Sphinx) -> None:
    app.connect("config-inited", resolve_framework_files, priority=400)
