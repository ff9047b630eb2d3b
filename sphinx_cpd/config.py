"""The ``cpd_*`` configuration values, typed and checked once when the config is read.

Every value that cannot be used is reported as a ``cpd.config`` warning naming the
value, and the default takes its place, so a typo in ``conf.py`` never stops a
build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from sphinx_cpd.model import MAX_HOURS, safe_url
from sphinx_cpd.visibility import AUDIENCES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

PROFILE_KEYS = (
    "name",
    "post-nominals",
    "role",
    "organisation",
    "registration",
    "email",
    "photo",
)
DEFAULT_EVENT_TYPES = (
    "course",
    "conference",
    "workshop",
    "webinar",
    "networking",
    "visit",
    "reading",
    "mentoring",
    "project",
    "committee",
    "self-study",
    "other",
)
DEFAULT_FRAMEWORKS = (
    "cilip-certification",
    "cilip-chartership",
    "cilip-fellowship",
    "pksb",
    "cpd23",
    "nmc-code",
)
PAPER_SIZES = ("A4", "letter")

#: What each value means, for the reference documentation (which fails to build
#: when a value is missing here).
CONFIG_HELP = {
    "cpd_profile": "Your profile for the header and the PDF cover: `name`, `post-nominals`, "
    "`role`, `organisation`, `registration`, `email`, `photo`.",
    "cpd_audience": "Who this build is for: `private` (you, everything), `mentor` or `public`.",
    "cpd_default_visibility": "The visibility of objects and pages that set none.",
    "cpd_frameworks": "Bundled framework ids, paths of framework files (TOML, YAML, JSON; "
    "relative to `conf.py`), or dicts.",
    "cpd_event_types": "The allowed values of an event's `:type:`.",
    "cpd_hours_target": "Hours wanted per CPD year, e.g. `20` for CILIP revalidation.",
    "cpd_year_start": 'The month and day a CPD year starts, e.g. `"07-01"` for July to June.',
    "cpd_reflection_models": "Your own reflective models: key to ordered stages "
    "`(key, label, prompt)`.",
    "cpd_commercial": "Whether the portfolio is used commercially: NonCommercial licences warn.",
    "cpd_pdf_paper": "Paper size of the PDF: `A4` or `letter`.",
}
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class CPDConfig:
    """The checked values; read with :func:`settings`."""

    profile: dict[str, str]
    audience: str
    default_visibility: str
    event_types: tuple[str, ...]
    hours_target: Decimal | None
    year_start: tuple[int, int]
    commercial: bool
    pdf_paper: str


def register(app: Sphinx) -> None:
    """Add the configuration values. Those that change what pages say rebuild the env."""
    app.add_config_value("cpd_profile", {}, "env", types=frozenset({dict}))
    app.add_config_value("cpd_audience", "private", "env", types=frozenset({str}))
    app.add_config_value("cpd_default_visibility", "mentor", "env", types=frozenset({str}))
    app.add_config_value(
        "cpd_frameworks", list(DEFAULT_FRAMEWORKS), "env", types=frozenset({list, tuple})
    )
    app.add_config_value(
        "cpd_event_types", list(DEFAULT_EVENT_TYPES), "env", types=frozenset({list, tuple})
    )
    app.add_config_value(
        "cpd_hours_target", None, "env", types=frozenset({int, float, str, type(None)})
    )
    app.add_config_value("cpd_year_start", "01-01", "env", types=frozenset({str}))
    app.add_config_value("cpd_reflection_models", {}, "env", types=frozenset({dict}))
    app.add_config_value("cpd_commercial", False, "env", types=frozenset({bool}))
    app.add_config_value("cpd_pdf_paper", "A4", "env", types=frozenset({str}))


def location(confdir: str | Path, name: str) -> str:
    """Where a value is set: ``conf.py`` at the line that sets it, if it can be found."""
    path = Path(confdir, "conf.py")
    line = 1
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"\s*{re.escape(name)}\s*[=\[:]", text):
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    return f"{path}:{line}"


def read(config: Config, *, confdir: str | Path | None = None) -> CPDConfig:
    """The checked configuration; given ``conf.py``'s folder, each unusable value
    is a warning at the line that sets it."""

    def warn(name: str, message: str) -> None:
        if confdir is not None:
            logger.warning(
                "%s: %s",
                name,
                message,
                type="cpd",
                subtype="config",
                location=location(confdir, name),
            )

    profile: dict[str, str] = {}
    raw_profile = config.cpd_profile
    if isinstance(raw_profile, dict):
        for key, value in raw_profile.items():
            if key not in PROFILE_KEYS:
                warn(
                    "cpd_profile",
                    f"unknown key {key!r}; the keys are {', '.join(PROFILE_KEYS)}",
                )
            elif value is not None:
                text = " ".join(str(value).split())
                if key == "email" and safe_url(f"mailto:{text}") is None:
                    warn("cpd_profile", f"email {text!r} is not an e-mail address; it is left out")
                elif key == "photo" and (":" in text or text.startswith(("/", "\\"))):
                    warn(
                        "cpd_profile",
                        f"photo {text!r} must be a path inside the portfolio's folder; "
                        "it is left out",
                    )
                else:
                    profile[key] = text
    else:
        warn("cpd_profile", "must be a dict such as {'name': 'Alex Doe'}")

    audience = str(config.cpd_audience).strip().lower()
    if audience not in AUDIENCES:
        # Never guess who a build is for: a wider guess would publish too much.
        raise ConfigError(
            f"cpd_audience {config.cpd_audience!r} is not one of {', '.join(AUDIENCES)}; "
            "nothing was built"
        )
    default_visibility = _choice(
        config.cpd_default_visibility, AUDIENCES, "private", "cpd_default_visibility", warn
    )

    event_types: tuple[str, ...] = DEFAULT_EVENT_TYPES
    raw_types = config.cpd_event_types
    if (
        isinstance(raw_types, (list, tuple))
        and raw_types
        and all(isinstance(t, str) and t.strip() for t in raw_types)
    ):
        event_types = tuple(t.strip().lower() for t in raw_types)
    else:
        warn("cpd_event_types", "must be a non-empty list of type names")

    hours_target: Decimal | None = None
    raw_target = config.cpd_hours_target
    if raw_target is not None:
        try:
            hours_target = Decimal(str(raw_target).strip())
            if not hours_target.is_finite() or not 0 <= hours_target <= MAX_HOURS:
                raise InvalidOperation
        except InvalidOperation:
            hours_target = None
            warn(
                "cpd_hours_target",
                f"{raw_target!r} is not a number of hours from 0 to {MAX_HOURS} (e.g. 20)",
            )

    year_start = (1, 1)
    match = _MONTH_DAY.match(str(config.cpd_year_start).strip())
    if match and 1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 28:
        year_start = (int(match.group(1)), int(match.group(2)))
    else:
        warn(
            "cpd_year_start",
            f"{config.cpd_year_start!r} is not a month-day such as '01-01' or '07-01' "
            "(days after the 28th are not allowed, so every year has the date)",
        )

    commercial = config.cpd_commercial
    if not isinstance(commercial, bool):
        warn("cpd_commercial", "must be True or False")
        commercial = False

    paper = next(
        (p for p in PAPER_SIZES if p.lower() == str(config.cpd_pdf_paper).strip().lower()), None
    )
    if paper is None:
        warn("cpd_pdf_paper", f"{config.cpd_pdf_paper!r} is not one of A4, letter")
        paper = "A4"

    return CPDConfig(
        profile=profile,
        audience=audience,
        default_visibility=default_visibility,
        event_types=event_types,
        hours_target=hours_target,
        year_start=year_start,
        commercial=commercial,
        pdf_paper=paper,
    )


def _choice(value: Any, choices: tuple[str, ...], default: str, name: str, warn: Any) -> str:
    text = str(value).strip().lower()
    if text in choices:
        return text
    warn(name, f"{value!r} is not one of {', '.join(choices)}")
    return default
