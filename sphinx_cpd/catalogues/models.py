"""Reflective models: each an ordered list of stages with a label and a prompt.

The prompts are one line of our own wording, meant as a nudge while writing, not
as a summary of the model's literature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sphinx_cpd.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Stage:
    key: str
    label: str
    prompt: str


@dataclass(frozen=True, slots=True)
class Model:
    key: str
    title: str
    stages: tuple[Stage, ...]

    def stage(self, key: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    def index(self, key: str) -> int:
        return next(i for i, stage in enumerate(self.stages) if stage.key == key)


# Titles, labels and prompts are marked for the catalogue and translated where
# the build reads the models (sphinx_cpd.catalogues.reflective_models); the keys
# are what reflections name, and stay as they are.
_WHAT_SO_WHAT = (
    # Translators: the stages of Rolfe's, Borton's and Driscoll's reflective
    # models, "What? So what? Now what?".
    Stage("what", N_("What?"), N_("What happened, and what was your part in it?")),
    Stage(
        "so-what",
        N_("So what?"),
        N_("What does it mean for you, your practice and your users?"),
    ),
    Stage(
        "now-what",
        N_("Now what?"),
        N_("What will you do next, and how will you know it worked?"),
    ),
)

BUNDLED: dict[str, Model] = {
    model.key: model
    for model in (
        Model(
            "gibbs",
            N_("Gibbs' reflective cycle"),
            (
                Stage("description", N_("Description"), N_("What happened?")),
                Stage(
                    "feelings",
                    N_("Feelings"),
                    N_("What were you thinking and feeling at the time?"),
                ),
                Stage("evaluation", N_("Evaluation"), N_("What went well, and what did not?")),
                Stage(
                    "analysis",
                    N_("Analysis"),
                    N_("Why did it go that way? What helps explain it?"),
                ),
                Stage("conclusion", N_("Conclusion"), N_("What else could you have done?")),
                Stage(
                    "action-plan", N_("Action plan"), N_("What will you do if it happens again?")
                ),
            ),
        ),
        Model(
            "kolb",
            N_("Kolb's experiential learning cycle"),
            (
                Stage(
                    "experience",
                    N_("Concrete experience"),
                    N_("What did you do or take part in?"),
                ),
                Stage(
                    "observation",
                    N_("Reflective observation"),
                    N_("What did you notice about it?"),
                ),
                Stage(
                    "conceptualisation",
                    N_("Abstract conceptualisation"),
                    N_("What general idea or principle do you draw from it?"),
                ),
                Stage(
                    "experimentation",
                    N_("Active experimentation"),
                    N_("How will you try the idea out in practice?"),
                ),
            ),
        ),
        Model(
            "nmc",
            N_("NMC reflective account"),
            (
                Stage(
                    "nature",
                    N_("The activity, feedback or experience"),
                    N_("What was it, and what part did you play in it?"),
                ),
                Stage(
                    "learning",
                    N_("What you learned"),
                    N_("What do you know or see now that you did not?"),
                ),
                Stage(
                    "change",
                    N_("How your practice changed"),
                    N_("What do you do differently, or better, because of it?"),
                ),
                Stage(
                    "code",
                    # Translators: the NMC Code (the professional standards of
                    # nurses and midwives in the UK).
                    N_("Relevance to the Code"),
                    N_("Which themes of the Code does it touch, and how?"),
                ),
            ),
        ),
        Model("rolfe", N_("Rolfe et al.: What? So what? Now what?"), _WHAT_SO_WHAT),
        Model("borton", N_("Borton's developmental model"), _WHAT_SO_WHAT),
        Model("driscoll", N_("Driscoll's What? model"), _WHAT_SO_WHAT),
        Model(
            "johns",
            N_("Johns' model of structured reflection"),
            (
                Stage(
                    "description",
                    N_("Description"),
                    N_("Describe the experience and what was significant."),
                ),
                Stage(
                    "reflection",
                    N_("Reflection"),
                    N_("What were you trying to achieve, and why?"),
                ),
                Stage(
                    "influences",
                    N_("Influencing factors"),
                    N_("What affected your decisions and actions?"),
                ),
                Stage(
                    "alternatives",
                    N_("Alternative strategies"),
                    N_("What else could you have done?"),
                ),
                Stage(
                    "learning",
                    N_("Learning"),
                    N_("What have you learned, and how will it change you?"),
                ),
            ),
        ),
    )
}


def translated(model: Model) -> Model:
    """A bundled model in the portfolio's language (its keys as they are)."""
    return Model(
        model.key,
        _(model.title),
        tuple(Stage(s.key, _(s.label), _(s.prompt) if s.prompt else "") for s in model.stages),
    )


def build_models(extra: Mapping[str, Any]) -> tuple[dict[str, Model], list[str]]:
    """The bundled models plus ``cpd_reflection_models``, and the problems found in it.

    Each extra model maps a key to a sequence of stages, each a ``(key, label, prompt)``
    tuple or a dict with those keys (``prompt`` optional).
    """
    models = dict(BUNDLED)
    problems: list[str] = []
    if not isinstance(extra, Mapping):
        return models, ["cpd_reflection_models must be a dict of model key -> stages"]
    for key, stages in extra.items():
        if not isinstance(key, str) or not key:
            problems.append(f"cpd_reflection_models: model key {key!r} is not a string")
            continue
        if isinstance(stages, (str, bytes)) or not isinstance(stages, Sequence) or not stages:
            problems.append(f"cpd_reflection_models[{key!r}] must be a non-empty list of stages")
            continue
        parsed: list[Stage] = []
        for n, stage in enumerate(stages, start=1):
            item = _stage(stage)
            if item is None:
                problems.append(
                    f"cpd_reflection_models[{key!r}] stage {n} must be a (key, label, prompt) "
                    "tuple or a dict with 'key' and 'label'"
                )
            else:
                parsed.append(item)
        if parsed:
            models[key.lower()] = Model(key.lower(), key, tuple(parsed))
    return models, problems


def _stage(value: Any) -> Stage | None:
    if isinstance(value, Mapping):
        key, label, prompt = value.get("key"), value.get("label"), value.get("prompt", "")
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) in (2, 3):
        key, label = value[0], value[1]
        prompt = value[2] if len(value) == 3 else ""
    else:
        return None
    if not isinstance(key, str) or not key or not isinstance(label, str):
        return None
    return Stage(key.lower(), label, str(prompt or ""))
