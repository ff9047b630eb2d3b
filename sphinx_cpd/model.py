"""The values users write, and how they are read: dates, hours, lists, addresses.

Nothing here knows about Sphinx: the directives turn option strings into values
with these functions (see :mod:`sphinx_cpd.kinds`) and report an
:class:`InputError` as a warning at the right line, so the same rules serve the
directives, the exports and the command line.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx_cpd.i18n import N_, _

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")

#: Each kind as a card names it ("Event"); translated where shown (:func:`kind_name`).
KIND_NAMES: dict[str, str] = {
    "event": N_("Event"),
    "reflection": N_("Reflection"),
    "action": N_("Action"),
    "evidence": N_("Evidence"),
    "photo": N_("Photo"),
    "rating": N_("Rating"),
    "feedback": N_("Feedback"),
}
#: Each kind as search results name it; translated where shown.
SEARCH_NAMES: dict[str, str] = {
    "event": N_("CPD portfolio event"),
    "reflection": N_("CPD portfolio reflection"),
    "action": N_("CPD portfolio action"),
    "evidence": N_("CPD portfolio evidence"),
    "photo": N_("CPD portfolio photo"),
    "rating": N_("CPD portfolio rating"),
    "feedback": N_("CPD portfolio feedback"),
}
#: Each action status as readers see it ("Open"); translated where shown.
STATUS_NAMES: dict[str, str] = {
    # Translators: an action's status: still to do.
    "open": N_("Open"),
    # Translators: an action's status: done.
    "done": N_("Done"),
    # Translators: an action's status: given up.
    "dropped": N_("Dropped"),
}

#: The last year a date may fall in: one more must still be a date.
MAX_YEAR = 9998
#: More hours than this for one event or a target is a slip of the keyboard.
MAX_HOURS = Decimal(10000)
#: The only kinds of address linked from options and configuration.
SAFE_SCHEMES = ("http", "https", "mailto")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL_HOURS = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")
_CLOCK_HOURS = re.compile(r"^(\d+):([0-5]\d)$")


class InputError(ValueError):
    """A value written by the user that cannot be used; the message says how to fix it."""


def parse_date(text: str, option: str = "date") -> date:
    """Read an ISO ``YYYY-MM-DD`` date, the only form a portfolio accepts."""
    value = text.strip()
    if not _ISO_DATE.match(value):
        raise InputError(
            f":{option}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2011-11-14"
        )
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f":{option}: {value!r} is not a real calendar date ({exc}); check the day and month"
        ) from None
    if day.year > MAX_YEAR:
        # Calendars and date arithmetic (the day after an event ends) need room.
        raise InputError(f":{option}: {value!r} is too far ahead; years up to {MAX_YEAR} work")
    return day


def parse_hours(text: str) -> Decimal:
    """Read hours as a decimal (``1.5``) or as hours and minutes (``1:30``).

    Decimals are kept exact so that totals never drift (0.1 + 0.2 is 0.3 here).
    """
    value = text.strip()
    if value == "?":  # as ``sphinx-cpd import`` leaves them
        raise InputError(
            ":hours: are not filled in yet; write how long it took, as a decimal such as "
            "2.5 or as hours and minutes such as 2:30"
        )
    if value.startswith("-"):
        raise InputError(f":hours: {value!r} is negative; CPD hours must be 0 or more")
    clock = _CLOCK_HOURS.match(value)
    if clock:
        total = Decimal(int(clock.group(1))) + Decimal(int(clock.group(2))) / Decimal(60)
    elif _DECIMAL_HOURS.match(value):
        total = Decimal(value)
    else:
        raise InputError(
            f":hours: {value!r} is not a number of hours; write a decimal such as 2.5 "
            "or hours and minutes such as 2:30"
        )
    if total > MAX_HOURS:
        raise InputError(
            f":hours: {value!r} is more than {MAX_HOURS} hours; CPD hours of one event are "
            "far fewer"
        )
    return total


def format_hours(hours: Decimal) -> str:
    """Show hours as a decimal without trailing zeros: ``24.75``, ``15``, ``1.5``.

    Minutes that do not divide evenly (``1:20``) are shown to two decimal places.
    """
    quantised = hours.quantize(Decimal("0.01"))
    text = format(quantised.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


#: The bundled event types (``cpd_event_types``' default) as readers see them.
EVENT_TYPE_NAMES: dict[str, str] = {
    "course": N_("Course"),
    "conference": N_("Conference"),
    "workshop": N_("Workshop"),
    "webinar": N_("Webinar"),
    "networking": N_("Networking"),
    "visit": N_("Visit"),
    "reading": N_("Reading"),
    "mentoring": N_("Mentoring"),
    "project": N_("Project"),
    "committee": N_("Committee"),
    "self-study": N_("Self-study"),
    "other": N_("Other"),
}


#: Types a bundled scheme adds (``reflective-discussion`` of NMC revalidation).
SCHEME_EVENT_TYPE_NAMES: dict[str, str] = {
    "reflective-discussion": N_("Reflective discussion"),
}


def event_type_name(value: str) -> str:
    """An event's type as a card or log shows it: a bundled type in the
    portfolio's language, the author's own as they wrote it (capitalised)."""
    name = EVENT_TYPE_NAMES.get(value) or SCHEME_EVENT_TYPE_NAMES.get(value)
    return _(name) if name is not None else value.capitalize()


def kind_name(kind: str) -> str:
    """A kind as a card names it, in the portfolio's language (never an id)."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind.capitalize()


def status_name(status: str) -> str:
    """An action's status as readers see it (``Open``), in the portfolio's language."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status.capitalize()


def cpd_year(day: date, start: tuple[int, int]) -> int:
    """The CPD year a date counts in, named by the calendar year it starts in."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def cpd_year_label(year: int, start: tuple[int, int]) -> str:
    """``2011`` for a calendar year, ``2011\u201312`` for one starting later in 2011."""
    if start == (1, 1):
        return str(year)
    return f"{year}\u2013{(year + 1) % 100:02d}"


#: The builders that write a website: pages in the sphinx_cpd theme, with the
#: exports (CSV, iCalendar, JSON) beside them.
WEBSITE_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


def build_date() -> date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            pass  # not a time this machine can hold: today, as without it
    return date.today()


def parse_list(text: str | None) -> tuple[str, ...]:
    """Split a comma-separated option into its non-empty, stripped items."""
    if not text:
        return ()
    return tuple(item.strip() for item in text.split(",") if item.strip())


def parse_participation(text: str, option: str) -> bool | Decimal:
    """``yes`` or ``no`` (the whole event, or none of it), or how many of its
    hours were participatory (``1.5`` or ``1:30``)."""
    value = text.strip().lower()
    if value in {"yes", "y", "true"}:
        return True
    if value in {"no", "n", "false"}:
        return False
    try:
        return parse_hours(value)
    except InputError:
        raise InputError(
            f":{option}: {text.strip()!r} is not yes, no or a number of hours (1.5 or 1:30)"
        ) from None


def parse_choice(text: str, option: str, choices: tuple[str, ...] | list[str]) -> str:
    value = text.strip().lower()
    if value not in choices:
        raise InputError(f":{option}: {text.strip()!r} is not one of {', '.join(choices)}")
    return value


def safe_url(text: str | None) -> str | None:
    """The address if it may be linked: ``http``, ``https`` or ``mailto`` with no
    spaces or control characters; otherwise None (show it as text)."""
    if not text:
        return None
    value = text.strip()
    if not value or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() == "mailto":
        return value if "@" in parts.path and not parts.netloc else None
    return value if parts.netloc and not parts.netloc.startswith(("@", ":")) else None


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet reads as text, never as a formula (OWASP's advice:
    prefix a single quote to cells that start with = + - @ tab or return)."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``: the form of derived ids and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_id(*parts: str | date | None) -> str:
    """An id from the parts that identify an object, e.g. its date and title."""
    words = [slugify(str(part)) for part in parts if part]
    return "-".join(word for word in words if word) or "item"


def per_build(app: Sphinx, name: str) -> dict[Any, Any]:
    """A cache that lives as long as this build's builder (what is worked out
    from the read portfolio cannot change while it is written)."""
    cache: dict[Any, Any] = app.builder.__dict__.setdefault(f"_cpd_{name}", {})
    return cache
