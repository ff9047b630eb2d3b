"""The ``rating`` directive: a self-assessed score against one criterion on a date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_cpd.catalogues import catalogue, criterion_label, criterion_problem, normalise_criterion
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import RatingData
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import text

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node


class RatingDirective(CPDObject[RatingData]):
    data_class = RatingData
    required_arguments = 0

    def criterion(self) -> str | None:
        raw = self.option("criterion")
        return normalise_criterion(raw) if raw is not None else None

    def title_text(self) -> str:
        return self.title_in(_)

    def describe(self) -> str:
        # In English, as every warning is.
        return f"{self.kind} {self.title_in(str)!r}"

    def title_in(self, translate: Callable[[str], str]) -> str:
        reference = self.criterion()
        if reference is None:
            return translate(N_("Self-rating"))
        framework, criterion = catalogue(self.config).resolve(reference)
        if framework is not None and criterion is not None:
            reference = criterion_label(framework.short, criterion.code, criterion.title)
        # Translators: the title of a self-assessment against a criterion.
        return translate(N_("Self-rating: %(criterion)s")) % {"criterion": reference}

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return (self.option("date"), "rating", self.criterion())

    def check(self, data: RatingData) -> None:
        """The criterion must exist, and the score be on its framework's scale."""
        raw_score = self.option("score")
        data.criterion, data.score = self.criterion(), None
        if data.criterion is None:
            return
        problem = criterion_problem(self.env, data.criterion)
        if problem:
            self.warn(problem[0], f"rating: {problem[1]}")
            data.criterion = None
            return
        framework = catalogue(self.config).resolve(data.criterion)[0]
        if raw_score is None or framework is None:
            return
        scale = framework.scale
        digits = raw_score.removeprefix("-")
        if (
            digits.isascii()
            and digits.isdigit()
            and len(digits) < 10
            and scale.min <= int(raw_score) <= scale.max
        ):
            data.score = int(raw_score)
        else:
            self.warn(
                "score",
                f"rating: :score: {raw_score!r} is not on the {framework.short} scale; "
                f"give a whole number from {scale.min} to {scale.max}",
            )

    def label(self) -> str:
        return ""

    def show_score(self, value: int | None, data: RatingData) -> list[Node]:
        if value is None or not data.criterion:
            return []
        framework = catalogue(self.config).resolve(data.criterion)[0]
        assert framework is not None
        label = framework.scale.label(value)
        values = {"score": value, "max": framework.scale.max, "label": label}
        if label:
            # Translators: a score on a scale, and what the scale calls it: "3 of 4 (Good)".
            return text(_("%(score)s of %(max)s (%(label)s)") % values)
        # Translators: a score on a scale: "3 of 4".
        return text(_("%(score)s of %(max)s") % values)
