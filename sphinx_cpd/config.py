"""The ``cpd_*`` configuration values: each declared once, checked once.

A :class:`Setting` holds a value's name, default, accepted types, help text and
checker; :data:`SETTINGS` registers them with Sphinx, documents them and reads
them. Every value that cannot be used is a ``cpd.config`` warning at the line
of ``conf.py`` that sets it, and a safe value takes its place, so a typo never
stops a build, with one exception: an unknown ``cpd_audience`` stops it, since
any guess could publish too much.
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from sphinx_cpd.catalogues.frameworks import BUNDLED_IDS
from sphinx_cpd.feed_settings import DEFAULT_FEED, FeedSettings, check_feed
from sphinx_cpd.language import check_language
from sphinx_cpd.model import EVENT_TYPE_NAMES, MAX_HOURS, InputError, parse_date, safe_url
from sphinx_cpd.visibility import AUDIENCES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

Warn = Callable[[str], None]

PROFILE_KEYS = ("name", "post-nominals", "role", "organisation", "registration", "email", "photo")
PAPER_SIZES = ("A4", "letter")
#: Registrations renewed before this are a slip of the keyboard (and a period
#: of years before them would fall off the calendar).
MIN_YEAR = 1900
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class CPDConfig:
    """The checked values; read with :func:`read`."""

    profile: dict[str, str]
    audience: str
    default_visibility: str
    event_types: tuple[str, ...]
    hours_target: Decimal | None
    year_start: tuple[int, int]
    commercial: bool
    pdf_paper: str
    renewal_date: date | None
    declarations: dict[str, date]
    feed: FeedSettings


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration value: everything known about it, in one place."""

    name: str
    default: object
    types: tuple[type, ...]
    help: str
    #: Turns the raw value into the checked one, reporting problems with ``warn``;
    #: None for values read elsewhere (frameworks and models, by the catalogues).
    check: Callable[[object, Warn], object] | None = None

    @property
    def field(self) -> str:
        """The :class:`CPDConfig` field it fills."""
        return self.name.removeprefix("cpd_")


def _profile(value: object, warn: Warn) -> dict[str, str]:
    if not isinstance(value, dict):
        warn("must be a dict such as {'name': 'Alex Doe'}")
        return {}
    profile: dict[str, str] = {}
    for key, raw in value.items():
        if key not in PROFILE_KEYS:
            warn(f"unknown key {key!r}; the keys are {', '.join(PROFILE_KEYS)}")
            continue
        if raw is None:
            continue
        text = " ".join(str(raw).split())
        if key == "email" and safe_url(f"mailto:{text}") is None:
            warn(f"email {text!r} is not an e-mail address; it is left out")
        elif key == "photo" and (":" in text or text.startswith(("/", "\\"))):
            warn(f"photo {text!r} must be a path inside the portfolio's folder; it is left out")
        else:
            profile[key] = text
    return profile


def _audience(value: object, warn: Warn) -> str:
    text = str(value).strip().lower()
    if text not in AUDIENCES:
        # Never guess who a build is for: a wider guess would publish too much.
        raise ConfigError(
            f"cpd_audience {value!r} is not one of {', '.join(AUDIENCES)}; nothing was built"
        )
    return text


def _visibility(value: object, warn: Warn) -> str:
    text = str(value).strip().lower()
    if text in AUDIENCES:
        return text
    warn(f"{value!r} is not one of {', '.join(AUDIENCES)}; private is used until it is")
    return "private"


def _event_types(value: object, warn: Warn) -> tuple[str, ...]:
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(t, str) and t.strip() for t in value)
    ):
        return tuple(t.strip().lower() for t in value)
    warn("must be a non-empty list of type names")
    return DEFAULT_EVENT_TYPES


def _hours(value: object, warn: Warn) -> Decimal | None:
    if value is None:
        return None
    try:
        hours = Decimal(str(value).strip())
        # A target of nothing is met before the year begins: not a target.
        if hours.is_finite() and 0 < hours <= MAX_HOURS:
            return hours
    except InvalidOperation:
        pass
    warn(f"{value!r} is not a number of hours above 0 and up to {MAX_HOURS} (e.g. 20)")
    return None


def _year_start(value: object, warn: Warn) -> tuple[int, int]:
    match = _MONTH_DAY.match(str(value).strip())
    if match and 1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 28:
        return int(match.group(1)), int(match.group(2))
    warn(
        f"{value!r} is not a month-day such as '01-01' or '07-01' "
        "(days after the 28th are not allowed, so every year has the date)"
    )
    return 1, 1


def _commercial(value: object, warn: Warn) -> bool:
    if isinstance(value, bool):
        return value
    warn("must be True or False")
    return False


def _renewal_date(value: object, warn: Warn) -> date | None:
    if value is None:
        return None
    try:
        day = parse_date(str(value), "cpd_renewal_date")
    except InputError:
        warn(f'{value!r} is not a date; write it as "YYYY-MM-DD", e.g. "2027-03-31"')
        return None
    if day.year < MIN_YEAR:
        warn(f"{value!r} is before {MIN_YEAR}; check the year")
        return None
    return day


def _declarations(value: object, warn: Warn) -> dict[str, date]:
    if not isinstance(value, dict):
        warn('must be a dict of declaration key to date, e.g. {"indemnity": "2027-02-01"}')
        return {}
    found: dict[str, date] = {}
    for key, raw in value.items():
        try:
            found[str(key).strip().lower()] = parse_date(str(raw), "cpd_declarations")
        except InputError:
            # Not declared until the date can be read: never counted as met.
            warn(f'{key!r}: {raw!r} is not a date; write it as "YYYY-MM-DD"')
    return found


def _paper(value: object, warn: Warn) -> str:
    paper = next((p for p in PAPER_SIZES if p.lower() == str(value).strip().lower()), None)
    if paper is None:
        warn(f"{value!r} is not one of {', '.join(PAPER_SIZES)}")
        return PAPER_SIZES[0]
    return paper


#: The types an event may have unless ``cpd_event_types`` says otherwise (their
#: names as readers see them are in :data:`sphinx_cpd.model.EVENT_TYPE_NAMES`).
DEFAULT_EVENT_TYPES = tuple(EVENT_TYPE_NAMES)
EVENT_TYPES = Setting(
    "cpd_event_types",
    DEFAULT_EVENT_TYPES,
    (list, tuple),
    "The allowed values of an event's `:type:`.",
    _event_types,
)

#: Every ``cpd_*`` value, in the order the documentation lists them.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "cpd_profile",
        {},
        (dict,),
        "Your profile for the header and the PDF cover: `name`, `post-nominals`, `role`, "
        "`organisation`, `registration`, `email`, `photo`.",
        _profile,
    ),
    Setting(
        "cpd_audience",
        "private",
        (str,),
        "Who this build is for: `private` (you, everything), `mentor` or `public`.",
        _audience,
    ),
    Setting(
        "cpd_default_visibility",
        "mentor",
        (str,),
        "The visibility of objects and pages that set none.",
        _visibility,
    ),
    Setting(
        "cpd_frameworks",
        BUNDLED_IDS,
        (list, tuple),
        "Bundled framework ids, paths of framework files (TOML, YAML, JSON; relative to "
        "`conf.py`), or dicts.",
    ),
    EVENT_TYPES,
    Setting(
        "cpd_hours_target",
        None,
        (int, float, str, type(None)),
        "Hours wanted per CPD year, e.g. `20` for CILIP revalidation.",
        _hours,
    ),
    Setting(
        "cpd_year_start",
        "01-01",
        (str,),
        'The month and day a CPD year starts, e.g. `"07-01"` for July to June.',
        _year_start,
    ),
    Setting(
        "cpd_reflection_models",
        {},
        (dict,),
        "Your own reflective models: key to ordered stages `(key, label, prompt)`.",
    ),
    Setting(
        "cpd_commercial",
        False,
        (bool,),
        "Whether the portfolio is used commercially: NonCommercial licences warn.",
        _commercial,
    ),
    Setting(
        "cpd_scheme",
        None,
        (str, dict, type(None)),
        "What your professional body asks for: a bundled scheme id, the path of a scheme "
        "file (TOML, YAML, JSON; relative to `conf.py`), or a dict.",
    ),
    Setting(
        "cpd_renewal_date",
        None,
        (str, type(None)),
        'The day your registration is renewed, `"YYYY-MM-DD"`: the end of a scheme\'s '
        "period of several years (NMC, HCPC).",
        _renewal_date,
    ),
    Setting(
        "cpd_declarations",
        {},
        (dict,),
        'Declarations you have made, each with its date: `{"indemnity": "2027-02-01"}`.',
        _declarations,
    ),
    Setting(
        "cpd_feed",
        DEFAULT_FEED,
        (dict, bool, type(None)),
        'The Atom feed `feed.xml`: `{"limit": 20, "kinds": ["reflection"]}`; `None`: none.',
        check_feed,
    ),
    Setting(
        "cpd_pdf_paper",
        "A4",
        (str,),
        "Paper size of the PDF: `A4` or `letter`.",
        _paper,
    ),
)


def register(app: Sphinx) -> None:
    """Add the configuration values; all change what pages say, so all rebuild the env."""
    for setting in SETTINGS:
        default = list(setting.default) if isinstance(setting.default, tuple) else setting.default
        app.add_config_value(setting.name, default, "env", types=frozenset(setting.types))


def location(confdir: str | Path, name: str) -> str:
    """Where a value is set: ``conf.py`` at the line that sets it, if it can be found."""
    path = Path(confdir, "conf.py")
    first = last = None
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"\s*{re.escape(name)}\s*[=\[:]", text):
                first = first or number
            # The value Sphinx reads is the one set last, at the top level.
            if re.match(rf"{re.escape(name)}\s*=(?!=)", text):
                last = number
    except (OSError, UnicodeDecodeError):
        pass
    return f"{path}:{last or first or 1}"


def warn_at(confdir: str | Path, name: str, message: str, subtype: str = "config") -> None:
    """A problem with a value of ``conf.py``, at the line that sets it."""
    logger.warning(message, type="cpd", subtype=subtype, location=location(confdir, name))


#: The last values read from each configuration (as written out: ``1`` and
#: ``True`` are equal, but not the same setting), and what they gave.
_READ: weakref.WeakKeyDictionary[Config, tuple[str, CPDConfig]] = weakref.WeakKeyDictionary()


def read(config: Config, *, confdir: str | Path | None = None) -> CPDConfig:
    """The checked configuration; given ``conf.py``'s folder, each unusable value
    is a warning at the line that sets it. Without it, the values of the last
    read are given again while the raw values are the same (every directive
    reads the configuration: 4,700 times for 500 entries, a second of checking)."""
    raw = repr([getattr(config, setting.name) for setting in SETTINGS if setting.check])
    try:
        last = _READ.get(config) if confdir is None else None
    except TypeError:  # a stand-in for Sphinx's Config that cannot be kept
        last = None
    if last is not None and last[0] == raw:
        checked = last[1]
    else:
        checked = _check(config, confdir)
        with contextlib.suppress(TypeError):
            _READ[config] = (raw, checked)
    # Each reader gets tables of its own, to change if it must.
    return replace(checked, profile=dict(checked.profile), declarations=dict(checked.declarations))


def _check(config: Config, confdir: str | Path | None) -> CPDConfig:
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.check is None:
            continue

        def warn(message: str, name: str = setting.name) -> None:
            if confdir is not None:
                warn_at(confdir, name, f"{name}: {message}")

        values[setting.field] = setting.check(getattr(config, setting.name), warn)
    return CPDConfig(**values)


def config_inited(app: Sphinx, config: Config) -> None:
    """Check the ``cpd_*`` values once (at the lines that set them), and turn on
    what the portfolio's syntax needs before MyST reads its configuration."""
    extensions = list(config.myst_enable_extensions or [])
    if "colon_fence" not in extensions:
        config.myst_enable_extensions = [*extensions, "colon_fence"]
    read(config, confdir=app.confdir)
    if config.html_last_updated_fmt is None:
        # The theme's footer says when a page was last built.
        config.html_last_updated_fmt = "%-d %B %Y"
    check_language(app, lambda message: warn_at(app.confdir, "language", message))


def setup_config(app: Sphinx) -> None:
    register(app)
    # Before MyST reads its configuration (at builder-inited), and before other
    # handlers read the checked values.
    app.connect("config-inited", config_inited, priority=400)
