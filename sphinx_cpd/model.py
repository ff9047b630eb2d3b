"""Typed records of a portfolio and the parsing of the values users write.

Nothing here knows about Sphinx: the directives turn option strings into these
values and report an :class:`InputError` as a warning at the right line, so the
same rules serve the directives, the exports and the command line.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

Kind = Literal["event", "reflection", "action", "evidence", "photo", "rating", "feedback"]

#: Object kinds, in the order the exports list them.
KINDS: tuple[Kind, ...] = (
    "event",
    "reflection",
    "action",
    "evidence",
    "photo",
    "rating",
    "feedback",
)

#: Visibilities from narrowest to widest; an audience sees what is at least as wide.
VISIBILITIES: tuple[str, ...] = ("private", "mentor", "public")

ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")

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
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f":{option}: {value!r} is not a real calendar date ({exc}); check the day and month"
        ) from None


def parse_hours(text: str) -> Decimal:
    """Read hours as a decimal (``1.5``) or as hours and minutes (``1:30``).

    Decimals are kept exact so that totals never drift (0.1 + 0.2 is 0.3 here).
    """
    value = text.strip()
    if value.startswith("-"):
        raise InputError(f":hours: {value!r} is negative; CPD hours must be 0 or more")
    clock = _CLOCK_HOURS.match(value)
    if clock:
        hours, minutes = int(clock.group(1)), int(clock.group(2))
        return Decimal(hours) + Decimal(minutes) / Decimal(60)
    if not _DECIMAL_HOURS.match(value):
        raise InputError(
            f":hours: {value!r} is not a number of hours; write a decimal such as 2.5 "
            "or hours and minutes such as 2:30"
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        raise InputError(f":hours: {value!r} is not a number of hours") from None


def format_hours(hours: Decimal) -> str:
    """Show hours as a decimal without trailing zeros: ``24.75``, ``15``, ``1.5``.

    Minutes that do not divide evenly (``1:20``) are shown to two decimal places.
    """
    quantised = hours.quantize(Decimal("0.01"))
    text = format(quantised.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def cpd_year(day: date, start: tuple[int, int]) -> int:
    """The CPD year a date counts in, named by the calendar year it starts in."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def cpd_year_label(year: int, start: tuple[int, int]) -> str:
    """``2011`` for a calendar year, ``2011\u201312`` for one starting later in 2011."""
    if start == (1, 1):
        return str(year)
    return f"{year}\u2013{(year + 1) % 100:02d}"


def build_date() -> date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def parse_list(text: str | None) -> tuple[str, ...]:
    """Split a comma-separated option into its non-empty, stripped items."""
    if not text:
        return ()
    return tuple(item.strip() for item in text.split(",") if item.strip())


def parse_yes_no(text: str, option: str) -> bool:
    value = text.strip().lower()
    if value in {"yes", "y", "true", "1"}:
        return True
    if value in {"no", "n", "false", "0"}:
        return False
    raise InputError(f":{option}: {text.strip()!r} is not yes or no")


def parse_choice(text: str, option: str, choices: tuple[str, ...] | list[str]) -> str:
    value = text.strip().lower()
    if value not in choices:
        raise InputError(f":{option}: {text.strip()!r} is not one of {', '.join(choices)}")
    return value


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``: the form of derived ids and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_id(*parts: str | date | None) -> str:
    """An id from the parts that identify an object, e.g. its date and title."""
    words = [slugify(str(part)) for part in parts if part]
    return "-".join(word for word in words if word) or "item"


def visible(visibility: str | None, audience: str) -> bool:
    """An audience sees what is at least as wide as itself; no visibility is private."""
    return VISIBILITIES.index(visibility or "private") >= VISIBILITIES.index(audience)


def hash_id(ident: str) -> str:
    """How a withheld object's id is kept: enough to recognise a reference to it."""
    return "sha256:" + hashlib.sha256(ident.encode()).hexdigest()


def narrowest(*visibilities: str | None) -> str | None:
    """The narrowest of the given visibilities; ``None`` where none is given."""
    given = [v for v in visibilities if v]
    if not given:
        return None
    return min(given, key=VISIBILITIES.index)


@dataclass(slots=True)
class Record:
    """One object of the portfolio as the domain stores it for its document.

    ``base_id`` is the id as written (``explicit``) or as derived; the domain
    turns it into the portfolio-wide id once every document has been read, so
    that suffixes for clashing derived ids do not depend on reading order.
    """

    kind: Kind
    docname: str
    lineno: int
    position: int
    anchor: str
    base_id: str
    explicit: bool
    title: str
    date: date | None = None
    options: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    visibility: str | None = None
    parent: int | None = None
    events: tuple[str, ...] = ()
    #: The body as plain text, for exports; left out of ``repr`` so that editing
    #: prose does not count as a change to what listings and references show.
    text: str = field(default="", repr=False)
    #: A record of an object this build's audience may not see: only its kind,
    #: visibility and a hash of its id are kept (``base_id``), never its content.
    withheld: bool = False

    @property
    def key(self) -> tuple[str, int]:
        """Where the record lives: stable while its document is unchanged."""
        return (self.docname, self.position)
