"""The ``reflection`` and ``stage`` directives: writing in a reflective model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import reflective_models
from sphinx_cpd.directive import CPDDirective
from sphinx_cpd.kinds import ReflectionData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import join, text, xref
from sphinx_cpd.objects.stack import decide_visibility, stack
from sphinx_cpd.visibility import visibility_message, visible
from sphinx_cpd.wordcount import word_count

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class ReflectionDirective(CPDObject[ReflectionData]):
    data_class = ReflectionData

    def check(self, data: ReflectionData) -> None:
        models = reflective_models(self.config)
        data.model = self.known(
            data.model,
            models,
            "model",
            f"use one of {', '.join(sorted(models))}, or add it to cpd_reflection_models",
        )

    def finish(self, record: Record, node: nodes.Element) -> None:
        limit = record.of(ReflectionData).word_limit
        if limit:
            counter = word_count(
                limit=limit, scope="reflection", docname=record.docname, line=record.lineno
            )
            details = next(
                (n for n, child in enumerate(node.children) if isinstance(child, nodes.field_list)),
                0,
            )
            node.insert(details + 1, counter)

    def show_event(self, value: tuple[str, ...], data: ReflectionData) -> list[Node]:
        return join([xref("event", e) for e in value])

    def show_model(self, value: str | None, data: ReflectionData) -> list[Node]:
        return text(reflective_models(self.config)[value].title) if value else []


class StageDirective(CPDDirective):
    """One stage of the enclosing reflection's model, e.g. ``so-what``."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    # A stage may be narrower than its reflection (a private "feelings" stage).
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"visibility": directives.unchanged}

    def run(self) -> list[Node]:
        decision = decide_visibility(self, None)
        if not visible(decision.visibility, cpd_config.read(self.config).audience):
            return []
        if message := visibility_message(decision):
            self.warn("visibility", f"stage {self.arguments[0].strip()!r}: {message}")
        key = self.arguments[0].strip().lower()
        records = stack(self.env)
        reflection = records[-1] if records and records[-1].kind == "reflection" else None
        label = key.replace("-", " ").capitalize()
        if reflection is None:
            self.warn(
                "stage",
                f"stage {key!r} is not inside a reflection; put it in the body of a "
                "{reflection} directive (with a longer fence around the reflection)",
            )
        else:
            label = self.check(reflection, key) or label
        node = nodes.container(classes=["cpd-stage", f"cpd-stage-{key}"])
        self.set_source_info(node)
        node += nodes.rubric(label, label, classes=["cpd-stage-title"])
        body = nodes.container(classes=["cpd-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        node += body
        return [node]

    def check(self, reflection: Record, key: str) -> str | None:
        """Warn about a stage the model lacks, repeats or takes out of order."""
        data = reflection.of(ReflectionData)
        stages = data.stages
        model_key = data.model
        if model_key is None:
            stages.append(key)
            return None
        model = reflective_models(self.config)[model_key]
        stage = model.stage(key)
        if stage is None:
            self.warn(
                "stage",
                f"{model_key} has no stage {key!r}; its stages are "
                f"{', '.join(s.key for s in model.stages)}",
            )
            return None
        if key in stages:
            self.warn("stage", f"stage {key!r} appears twice in this reflection; merge them")
        elif stages and model.stage(stages[-1]) and model.index(stages[-1]) > model.index(key):
            self.warn(
                "stage",
                f"stage {key!r} comes after {stages[-1]!r}, but {model_key} puts it "
                f"before; the order is {', '.join(s.key for s in model.stages)}",
            )
        stages.append(key)
        return stage.label
