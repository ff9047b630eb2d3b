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
from sphinx_cpd.catalogues import licences
from sphinx_cpd.catalogues.frameworks import BUNDLED_IDS, load
from sphinx_cpd.catalogues.models import BUNDLED
from sphinx_cpd.config import SETTINGS
from sphinx_cpd.listings import LISTINGS
from sphinx_cpd.listings.base import table as listing_table
from sphinx_cpd.objects import DIRECTIVES
from sphinx_cpd.objects.base import COMMON_OPTIONS

logger = logging.getLogger(__name__)

COMMON_HELP = {
    "id": "The object's id, for references; letters, digits, `.`, `_` and `-`. Default: made from the date and title.",
    "tags": "Comma-separated tags, for filtering listings.",
    "criteria": "Comma-separated criteria it is mapped to, `FRAMEWORK:CODE`, e.g. `cilip-chartership:1, pksb:8`.",
    "visibility": "Who may see it: `public`, `mentor` or `private`; never wider than its page or parent.",
}

OPTION_HELP: dict[str, dict[str, str]] = {
    "event": {
        "date": "Required. The day it took place, `YYYY-MM-DD`.",
        "end": "The last day of an event of several days.",
        "hours": "CPD hours, as a decimal (`1.5`) or hours and minutes (`1:30`).",
        "type": "One of `cpd_event_types`, e.g. `course`, `conference`, `networking`.",
        "participatory": "`yes` or `no`: whether you took part actively.",
        "organiser": "Who ran it.",
        "location": "Where it was.",
        "url": "A web page about it.",
        "outcome": "One line: what came of it.",
    },
    "reflection": {
        "date": "Required. The day you wrote it.",
        "event": "Comma-separated ids of the events it reflects on.",
        "model": "A reflective model: `gibbs`, `kolb`, `rolfe`, `driscoll`, `johns`, `borton` or one of `cpd_reflection_models`.",
        "word-limit": "A word limit for the reflection, its stages and actions.",
    },
    "action": {
        "due": "When it is due, `YYYY-MM-DD`.",
        "status": "`open` (the default), `done` or `dropped`.",
        "done": "When it was done; implies `:status: done`.",
    },
    "evidence": {
        "file": "A file, relative to the page; copied into the website and appended to the PDF.",
        "url": "A web address, for evidence that lives online.",
        "date": "The date of the evidence.",
        "event": "Comma-separated ids of the events it is evidence of.",
    },
    "photo": {
        "alt": "Required. Alternative text: what the photo shows, for readers who cannot see it.",
        "title": "The work's title, as its source gives it.",
        "author": "The creator; required by every licence with BY.",
        "author-url": "A link to the creator.",
        "source": "The address you got the photo from.",
        "licence": "Its licence, as an SPDX id: `CC-BY-4.0`, `CC-BY-SA-2.0-UK`, `CC0-1.0`, `all-rights-reserved`, …",
        "license": "The same as `:licence:`.",
        "modified": "What you changed (cropped, recoloured); not allowed with ND licences.",
        "permission": "Who gave permission, and when; required with `all-rights-reserved`.",
    },
    "rating": {
        "criterion": "Required. The criterion rated, `FRAMEWORK:CODE`.",
        "score": "Required. A whole number on the framework's scale (0 to 4 unless it says otherwise).",
        "date": "Required. When you rated yourself.",
    },
    "feedback": {
        "from": "Required. Who gave the feedback.",
        "date": "Required. When it was given.",
        "on": "The id of the object it is about.",
    },
    "cpd-log": {
        "from": "Only events on or after this date.",
        "to": "Only events on or before this date.",
        "year": "Only one CPD year, by the year it starts in.",
        "type": "Comma-separated event types.",
        "tags": "Only events with one of these tags.",
        "criteria": "Only events mapped to one of these criteria.",
    },
    "cpd-hours": {"from": "Count events from this date.", "to": "Count events up to this date."},
    "cpd-matrix": {"framework": "Required. The framework whose criteria form the rows."},
    "cpd-actions": {"status": "Comma-separated statuses to show (default: all)."},
    "cpd-timeline": {
        "tags": "Only entries with one of these tags.",
        "limit": "Only the N most recent entries.",
    },
    "cpd-ratings": {"framework": "Only criteria of this framework."},
}

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
            rows = []
            for option in sorted(getattr(directive, "option_spec", None) or {}):
                help_text = OPTION_HELP.get(name, {}).get(option) or (
                    COMMON_HELP.get(option)
                    if option in COMMON_OPTIONS and name in DIRECTIVES
                    else None
                )
                if help_text is None:
                    self.missing(f"option :{option}: of {name}")
                    help_text = ""
                rows.append([f"`:{option}:`", help_text])
            if rows:
                section += table(["Option", "Meaning"], rows, self.parse)
            else:
                section += nodes.paragraph("", "No options.")
            out.append(section)
        return out


class ConfigReference(ReferenceDirective):
    def run(self) -> list[nodes.Node]:
        rows = [
            [f"`{s.name}`", f"`{self.config.values[s.name].default!r}`", s.help]
            for s in SETTINGS
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
    app.add_directive("cpd-reference-cli", CLIReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
