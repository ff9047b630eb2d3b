"""The ``rating`` directive: a self-assessed score against one criterion on a date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives

from sphinx_cpd.catalogues import catalogue, criterion_label, criterion_problem, normalise_criterion
from sphinx_cpd.objects.base import CPDObject, format_date, text, xref

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node


class RatingDirective(CPDObject):
    kind = "rating"
    required_arguments = 0
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "criterion": directives.unchanged,
        "score": directives.unchanged,
        "date": directives.unchanged,
    }

    def criterion(self) -> str | None:
        raw = self.option("criterion")
        if raw is None:
            return None
        return normalise_criterion(raw)

    def title_text(self) -> str:
        reference = self.criterion()
        if reference is None:
            return "Self-rating"
        framework, criterion = catalogue(self.config).resolve(reference)
        if framework is None or criterion is None:
            return f"Self-rating: {reference}"
        return f"Self-rating: {criterion_label(framework.short, criterion.code, criterion.title)}"

    def derived_id_parts(self) -> tuple[Any, ...]:
        return (self.option("date"), "rating", self.criterion())

    def read_options(self) -> dict[str, Any]:
        reference = self.criterion()
        score: int | None = None
        framework = None
        if reference is None:
            self.warn(
                "criterion",
                "rating has no :criterion:; add the criterion rated, e.g. :criterion: pksb:8",
            )
        else:
            problem = criterion_problem(self.env, reference)
            if problem:
                self.warn(problem[0], f"rating: {problem[1]}")
                reference = None
            else:
                framework = catalogue(self.config).resolve(reference)[0]
        raw_score = self.option("score")
        if raw_score is None:
            self.warn("score", "rating has no :score:; add the score you give yourself")
        elif framework is not None:
            scale = framework.scale
            if raw_score.lstrip("-").isdigit() and scale.min <= int(raw_score) <= scale.max:
                score = int(raw_score)
            else:
                self.warn(
                    "score",
                    f"rating: :score: {raw_score!r} is not on the {framework.short} scale; "
                    f"give a whole number from {scale.min} to {scale.max}",
                )
        return {
            "date": self.date_option(required=True),
            "criterion": reference,
            "score": score,
        }

    def label(self) -> str:
        return ""

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        rows: list[tuple[str, list[Node]]] = []
        if options["criterion"]:
            rows.append(("Criterion", [xref("criterion", options["criterion"])]))
        if options["score"] is not None and options["criterion"]:
            framework = catalogue(self.config).resolve(options["criterion"])[0]
            assert framework is not None
            label = framework.scale.label(options["score"])
            shown = f"{options['score']} of {framework.scale.max}"
            rows.append(("Score", text(f"{shown} ({label})" if label else shown)))
        if options["date"]:
            rows.append(("Date", text(format_date(options["date"]))))
        return rows
