"""Reference tables generated from sphinx-cpd's own code, so the docs cannot drift.

Each directive reads a catalogue the package itself uses: the directives' option
specs, the registered config values, the reflective models, frameworks and
licences, and the click commands. A directive option or config value without a
description here is a warning, which ``make docs`` (``-W``) turns into an error.
"""

from __future__ import annotations

from typing import Any

import click
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_cpd import cli
from sphinx_cpd.catalogues import licences, schemes
from sphinx_cpd.catalogues.frameworks import BUNDLED_IDS, load
from sphinx_cpd.catalogues.models import BUNDLED
from sphinx_cpd.config import SETTINGS
from sphinx_cpd.listings import LISTINGS
from sphinx_cpd.listings.base import table as listing_table
from sphinx_cpd.objects import DIRECTIVES
from sphinx_cpd.options import COMMON, options

logger = logging.getLogger(__name__)

ARGUMENTS = {
    "event": "title",
    "reflection": "title",
    "stage": "stage key of the reflection's model",
    "action": "title",
    "evidence": "title",
    "photo": "image path",
    "rating": "none",
    "feedback": "none",
}


def table(headers: list[str], rows: list[list[str]], parse: Any) -> nodes.Element:
    """A reference table, built like the portfolio's own listings; cells are MyST."""
    cells = [[inline_markup(cell, parse) for cell in row] for row in rows]
    return listing_table(headers, cells, classes=["cpd-reference"], label=headers[0])


def inline_markup(text: str, parse: Any) -> list[nodes.Node]:
    """A cell's MyST as inline nodes (the table puts each cell in a paragraph)."""
    parsed = parse(text)
    return list(parsed[0].children) if parsed else []


class ReferenceDirective(SphinxDirective):
    has_content = False

    def parse(self, text: str) -> list[nodes.Node]:
        return self.parse_text_to_nodes(text)

    def missing(self, what: str) -> None:
        logger.warning(
            f"{what} has no description in docs/_ext/cpd_reference.py",
            location=(self.env.docname, self.lineno),
        )


def option_help(directive: Any) -> list[tuple[str, str]]:
    """Each option of a directive and what it means, from where it is declared."""
    data_class = getattr(directive, "data_class", None)
    if data_class is not None:
        declared = [*COMMON, *(o for _, o in options(data_class))]
        found = [(o.name, o.help) for o in declared]
        found += [(a, f"The same as `:{o.name}:`.") for o in declared for a in o.aliases]
        return found
    if hasattr(directive, "help"):
        return list(directive.help.items())
    # The stage: its one option is the objects' own.
    return [(o.name, o.help) for o in COMMON if o.name in (directive.option_spec or {})]


class DirectivesReference(ReferenceDirective):
    """One section per directive: its argument and every option."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        every = dict(DIRECTIVES) | {name: directive for name, (directive, _) in LISTINGS.items()}
        for name, directive in every.items():
            section = nodes.section(ids=[f"directive-{name}"])
            section += nodes.title(name, "", nodes.literal(name, name))
            if name in ARGUMENTS:
                section += nodes.paragraph("", "", nodes.Text(f"Argument: {ARGUMENTS[name]}."))
            rows = [
                [f"`:{name}:`", help_text] for name, help_text in sorted(option_help(directive))
            ]
            if rows:
                section += table(["Option", "Meaning"], rows, self.parse)
            else:
                section += nodes.paragraph("", "No options.")
            out.append(section)
        return out


class ConfigReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        rows = [
            [f"`{s.name}`", f"`{self.config.values[s.name].default!r}`", s.help] for s in SETTINGS
        ]
        return [table(["Name", "Default", "Meaning"], rows, self.parse)]


class ModelsReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        rows = [
            [f"`{key}`", model.title, ", ".join(f"`{s.key}` ({s.label})" for s in model.stages)]
            for key, model in BUNDLED.items()
        ]
        return [table(["Key", "Model", "Stages, in order"], rows, self.parse)]


class FrameworksReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        catalogue = load(list(BUNDLED_IDS), "")
        out: list[nodes.Node] = []
        for framework in catalogue.frameworks.values():
            section = nodes.section(ids=[f"framework-{framework.id}"])
            section += nodes.title(framework.id, "", nodes.literal(framework.id, framework.id))
            scale = f"Scale {framework.scale.min}–{framework.scale.max}"
            if framework.scale.labels:
                scale += ": " + ", ".join(
                    f"{k} {v}" for k, v in sorted(framework.scale.labels.items())
                )
            section += nodes.paragraph("", f"{framework.title}. {scale}.")
            rows = [[f"`{framework.id}:{c.code}`", c.title] for c in framework.criteria]
            section += table(["Reference", "Criterion"], rows, self.parse)
            out.append(section)
        return out


class SchemesReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for ident in schemes.BUNDLED_IDS:
            scheme = schemes.load(ident, "")[0]
            if scheme is None:
                logger.warning(
                    f"bundled scheme {ident} cannot be read",
                    location=(self.env.docname, self.lineno),
                )
                continue
            section = nodes.section(ids=[f"scheme-{scheme.id}"])
            section += nodes.title(scheme.id, "", nodes.literal(scheme.id, scheme.id))
            if scheme.years is None:
                period = "No period: the whole portfolio counts."
            elif scheme.renewal:
                period = f"Period: {scheme.years} years ending on `cpd_renewal_date`."
            else:
                period = "Period: the CPD year (`cpd_year_start`)."
            frameworks = ", ".join(f"`{f}`" for f in scheme.frameworks) or "none"
            source = f"[{scheme.source_title} ({scheme.source_year})]({scheme.source_url})"
            section += self.parse(
                f"{scheme.title}. {period} Frameworks: {frameworks}. "
                f"Shared audience called: {scheme.shared_label}. Encodes: {source}."
            )
            rows = [
                [f"`{r.key}`", r.title, f"`{r.kind}`", requirement_rule(r)]
                for r in scheme.requirements
            ]
            section += table(["Key", "Requirement", "Kind", "What counts"], rows, self.parse)
            out.append(section)
        return out


def requirement_rule(requirement: schemes.Requirement) -> str:
    """What a requirement counts, in words."""
    if requirement.kind == "hours":
        return f"at least {requirement.need} hours of events in the period"
    if requirement.kind == "participatory-hours":
        return f"at least {requirement.need} participatory hours in the period"
    if requirement.kind == "count":
        which = [f"model `{requirement.model}`"] if requirement.model else []
        which += [f"type `{requirement.type}`"] if requirement.type else []
        which += [f"tag `{requirement.tag}`"] if requirement.tag else []
        objects = {
            "event": "events",
            "reflection": "reflections",
            "evidence": "pieces of evidence",
            "feedback": "pieces of feedback",
            "rating": "self-ratings",
            "action": "actions done",
        }.get(requirement.count or "", "objects")
        return (
            f"at least {requirement.need} {objects}"
            + (f" with {', '.join(which)}" if which else "")
            + " dated in the period"
        )
    if requirement.kind == "words":
        limit = f"at most {requirement.limit} words" if requirement.limit else "any length"
        return f"the page `{requirement.page}`, written, {limit}"
    return f"a date in the period for `{requirement.key}` in `cpd_declarations`"


class LicencesReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        rows = []
        for ident in (
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "CC-BY-ND-4.0",
            "CC-BY-NC-4.0",
            "CC-BY-NC-SA-4.0",
            "CC-BY-NC-ND-4.0",
            "CC-BY-SA-2.0-UK",
            "CC-BY-3.0-IGO",
            "CC0-1.0",
            "CC-PDM-1.0",
            "all-rights-reserved",
        ):
            licence = licences.lookup(ident)
            assert licence is not None
            needs = [
                label
                for flag, label in (
                    (licence.attribution, "an author"),
                    (licence.needs_permission, "a permission note"),
                )
                if flag
            ]
            limits = [
                label
                for flag, label in (
                    (licence.non_commercial, "no commercial use"),
                    (licence.no_derivatives, "no changes"),
                    (licence.share_alike, "share alike"),
                )
                if flag
            ]
            rows.append(
                [
                    f"`{licence.spdx}`",
                    licence.name,
                    ", ".join(needs) or "—",
                    ", ".join(limits) or "—",
                ]
            )
        return [table(["SPDX id", "Shown as", "Needs", "Limits"], rows, self.parse)]


class CLIReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        group = cli.main
        for name, command in group.commands.items():
            context = click.Context(command, info_name=f"sphinx-cpd {name}")
            section = nodes.section(ids=[f"command-{name}"])
            section += nodes.title(
                name, "", nodes.literal(f"sphinx-cpd {name}", f"sphinx-cpd {name}")
            )
            help_text = context.get_help()
            section += nodes.literal_block(help_text, help_text)
            out.append(section)
        return out


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("cpd-reference-directives", DirectivesReference)
    app.add_directive("cpd-reference-config", ConfigReference)
    app.add_directive("cpd-reference-models", ModelsReference)
    app.add_directive("cpd-reference-frameworks", FrameworksReference)
    app.add_directive("cpd-reference-licences", LicencesReference)
    app.add_directive("cpd-reference-schemes", SchemesReference)
    app.add_directive("cpd-reference-cli", CLIReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
