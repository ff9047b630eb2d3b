"""Each kind of object, described once: its options and where they go.

A kind is a dataclass (:class:`EventData`, :class:`ReflectionData`, ...) whose fields are the
values an object of that kind records. A field made with :func:`option` is written by the author
as a directive option; its metadata gives the option's name, parser, help text, warning type,
JSON name and schema, and (for events) its CSV column. Everything else is generated from it: the
directive's ``option_spec`` and reading of options, ``portfolio.json`` and its JSON Schema,
``cpd-log.csv``, the command line's outputs and the reference tables in the documentation.
Adding an option to a kind is a change here.

Fields made with :func:`derived` are worked out from other things (a file's size, the stages a
reflection used) and exported, never written.

Nothing here knows about Sphinx (MyST-Parser's ``config/main.py`` is the model).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, TypeVar

from sphinx_cpd.i18n import N_
from sphinx_cpd.model import ACTION_STATUSES
from sphinx_cpd.options import (
    DATE,
    HOURS,
    IDS,
    TEXT,
    as_date,
    as_evidence_number,
    as_hours,
    as_ids,
    as_participation,
    as_positive,
    as_status,
    as_url,
    derived,
    option,
)

# -- the kinds -------------------------------------------------------------------------------


@dataclass(slots=True)
class ObjectData:
    """What every kind shares: nothing yet, but a common type to narrow from."""

    kind: ClassVar[str]


@dataclass(slots=True)
class EventData(ObjectData):
    kind: ClassVar[str] = "event"
    date: dt.date | None = option(
        "date",
        "Required. The day it took place, `YYYY-MM-DD`.",
        parse=as_date,
        warning="date",
        required=True,
        schema=DATE,
        csv=0,
        label=N_("Date"),
    )
    end: dt.date | None = option(
        "end",
        "The last day of an event of several days.",
        parse=as_date,
        warning="date",
        schema=DATE,
        csv=1,
    )
    hours: Decimal | None = option(
        "hours",
        "CPD hours, as a decimal (`1.5`) or hours and minutes (`1:30`).",
        parse=as_hours,
        warning="hours",
        schema=HOURS,
        csv=6,
        label=N_("Hours"),
    )
    type: str | None = option(
        "type",
        "One of `cpd_event_types`, e.g. `course`, `conference`, `networking`.",
        warning="type",
        csv=3,
        label=N_("Type"),
    )
    participatory: bool | Decimal | None = option(
        "participatory",
        "`yes` or `no`: whether you took part actively; or how many of its hours "
        "you did (`1.5` or `1:30`, at most `:hours:`).",
        parse=as_participation,
        schema={"type": ["boolean", "number", "null"]},
        csv=7,
    )
    organiser: str | None = option("organiser", "Who ran it.", csv=4, label=N_("Organiser"))
    location: str | None = option("location", "Where it was.", csv=5, label=N_("Location"))
    url: str | None = option(
        "url", "A web page about it.", parse=as_url, warning="url", csv=10, label=N_("Web page")
    )
    outcome: str | None = option(
        "outcome", "One line: what came of it.", csv=9, label=N_("Outcome")
    )
    cost: str | None = option(
        "cost", "What it cost you or your employer, as you write it, e.g. `£45`.", label=N_("Cost")
    )

    def participatory_hours(self) -> Decimal:
        """The hours that count as participatory: all of them, none, or as many
        as ``:participatory:`` gives (never more than the event's)."""
        hours = self.hours or Decimal(0)
        if isinstance(self.participatory, bool):
            return hours if self.participatory else Decimal(0)
        return Decimal(0) if self.participatory is None else min(self.participatory, hours)


@dataclass(slots=True)
class ReflectionData(ObjectData):
    kind: ClassVar[str] = "reflection"
    date: dt.date | None = option(
        "date",
        "Required. The day you wrote it.",
        parse=as_date,
        warning="date",
        required=True,
        schema=DATE,
        label=N_("Date"),
    )
    event: tuple[str, ...] = option(
        "event",
        "Comma-separated ids of the events it reflects on.",
        parse=as_ids,
        schema=IDS,
        default=(),
        # Translators: the row naming what a reflection or feedback is about ("On: Conference day").
        label=N_("On"),
    )
    model: str | None = option(
        "model",
        "A reflective model: `gibbs`, `kolb`, `rolfe`, `driscoll`, `johns`, `borton` or one "
        "of `cpd_reflection_models`.",
        warning="model",
        label=N_("Model"),
    )
    word_limit: int | None = option(
        "word-limit",
        "A word limit for the reflection, its stages and actions.",
        parse=as_positive,
        warning="word-limit",
        schema={"type": ["integer", "null"], "minimum": 1},
    )
    stages: list[str] = derived("stages", IDS, "The stages it is written in, in order.", default=[])


@dataclass(slots=True)
class ActionData(ObjectData):
    kind: ClassVar[str] = "action"
    status: str = option(
        "status",
        "`open` (the default), `done` or `dropped`.",
        parse=as_status,
        warning="status",
        schema={"enum": list(ACTION_STATUSES)},
        default="open",
        label=N_("Status"),
    )
    due: dt.date | None = option(
        "due",
        "When it is due, `YYYY-MM-DD`.",
        parse=as_date,
        warning="date",
        schema=DATE,
        # Translators: an action's row: the date it is due by.
        label=N_("Due"),
    )
    done: dt.date | None = option(
        "done",
        "When it was done; implies `:status: done`.",
        parse=as_date,
        warning="date",
        schema=DATE,
        # Translators: an action's row: the date it was done.
        label=N_("Done"),
    )

    def overdue(self, today: dt.date) -> bool:
        """Still open after the day it was due (``today``: the build date)."""
        return self.status == "open" and self.due is not None and self.due < today


@dataclass(slots=True)
class EvidenceData(ObjectData):
    kind: ClassVar[str] = "evidence"
    file: str | None = option(
        "file",
        "A file, relative to the page; copied into the website and appended to the PDF.",
        warning="file",
        label=N_("File"),
    )
    url: str | None = option(
        "url",
        "A web address, for evidence that lives online.",
        parse=as_url,
        warning="url",
        label=N_("Link"),
    )
    date: dt.date | None = option(
        "date",
        "The date of the evidence.",
        parse=as_date,
        warning="date",
        schema=DATE,
        label=N_("Date"),
    )
    event: tuple[str, ...] = option(
        "event",
        "Comma-separated ids of the events it is evidence of.",
        parse=as_ids,
        schema=IDS,
        default=(),
        label=N_("Event"),
    )
    number: int | None = option(
        "number",
        "A number of its own (`3` for E3) that stays when evidence is added before it; "
        "the others are numbered around it.",
        parse=as_evidence_number,
        warning="number",
        schema={"type": ["integer", "null"], "minimum": 1},
        json=None,
    )
    size: int | None = derived(
        "size", {"type": ["integer", "null"], "minimum": 0}, "The file's size in bytes."
    )
    file_type: str | None = derived("file-type", TEXT, "What kind of file it is.")


@dataclass(slots=True)
class PhotoData(ObjectData):
    kind: ClassVar[str] = "photo"
    image: str = derived("image", {"type": "string"}, "The image's path or address.", "")
    found: bool = False
    alt: str | None = option(
        "alt",
        "Required. Alternative text: what the photo shows, for readers who cannot see it.",
        warning="alt",
    )
    title: str | None = option("title", "The work's title, as its source gives it.", json=None)
    author: str | None = option("author", "The creator; required by every licence with BY.")
    author_url: str | None = option(
        "author-url", "A link to the creator.", parse=as_url, warning="url"
    )
    source: str | None = option(
        "source", "The address you got the photo from.", parse=as_url, warning="url"
    )
    licence: str | None = option(
        "licence",
        "Its licence, as an SPDX id: `CC-BY-4.0`, `CC-BY-SA-2.0-UK`, `CC0-1.0`, "
        "`all-rights-reserved`, …",
        warning="licence",
        aliases=("license",),
    )
    modified: str | None = option(
        "modified", "What you changed (cropped, recoloured); not allowed with ND licences."
    )
    permission: str | None = option(
        "permission", "Who gave permission, and when; required with `all-rights-reserved`."
    )


@dataclass(slots=True)
class RatingData(ObjectData):
    kind: ClassVar[str] = "rating"
    criterion: str | None = option(
        "criterion",
        "Required. The criterion rated, `FRAMEWORK:CODE`.",
        warning="criterion",
        required=True,
        # No row of its own: the rating's title names the criterion.
    )
    score: int | None = option(
        "score",
        "Required. A whole number on the framework's scale (0 to 4 unless it says otherwise).",
        warning="score",
        required=True,
        schema={"type": ["integer", "null"]},
        label=N_("Score"),
    )
    date: dt.date | None = option(
        "date",
        "Required. When you rated yourself.",
        parse=as_date,
        warning="date",
        required=True,
        schema=DATE,
        label=N_("Date"),
    )


@dataclass(slots=True)
class FeedbackData(ObjectData):
    kind: ClassVar[str] = "feedback"
    giver: str | None = option(
        "from", "Required. Who gave the feedback.", required=True, json="from"
    )
    date: dt.date | None = option(
        "date",
        "Required. When it was given.",
        parse=as_date,
        warning="date",
        required=True,
        schema=DATE,
        label=N_("Date"),
    )
    on: str | None = option("on", "The id of the object it is about.", label=N_("On"))


#: Every kind's description, in the order the exports list them.
DATA: dict[str, type[ObjectData]] = {
    cls.kind: cls
    for cls in (
        EventData,
        ReflectionData,
        ActionData,
        EvidenceData,
        PhotoData,
        RatingData,
        FeedbackData,
    )
}

#: The kinds of object, in the order the exports list them.
KINDS: tuple[str, ...] = tuple(DATA)


def card_class(kind: str) -> str:
    """The class of an object's card (``cpd-card--event``). Never ``cpd-event``: that is the
    class Sphinx gives a reference to an event; a rule meant for cards must not match one."""
    return f"cpd-card--{kind}"


#: The CSV column of the event's title, which is its argument, not an option.
TITLE_COLUMN = 2

D = TypeVar("D", bound=ObjectData)


@dataclass(slots=True)
class Record:
    """One object of the portfolio as the domain stores it for its document.

    ``base_id`` is the id as written (``explicit``) or as derived; the domain turns it into the
    portfolio-wide id once every document has been read, so that suffixes for clashing derived
    ids do not depend on reading order.
    """

    kind: str
    docname: str
    lineno: int
    position: int
    anchor: str
    base_id: str
    explicit: bool
    title: str
    data: ObjectData
    tags: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    visibility: str | None = None
    parent: int | None = None
    #: The body as plain text, for exports; left out of ``repr`` so that editing
    #: prose does not count as a change to what listings and references show.
    text: str = field(default="", repr=False)

    @property
    def key(self) -> tuple[str, int]:
        """Where the record lives: stable while its document is unchanged."""
        return (self.docname, self.position)

    @property
    def date(self) -> dt.date | None:
        value = getattr(self.data, "date", None)
        return value if isinstance(value, dt.date) else None

    @property
    def events(self) -> tuple[str, ...]:
        """The events it is about (reflections and evidence)."""
        return tuple(getattr(self.data, "event", ()))

    def chronological(self) -> tuple[dt.date, str, str, int]:
        """The order of dated records in logs and exports: date, then title, then place."""
        return (self.date or dt.date.min, self.title.lower(), self.docname, self.position)

    def of(self, kind: type[D]) -> D:
        """The record's data as the kind it is; listings ask for the kinds they show."""
        if not isinstance(self.data, kind):
            raise TypeError(f"a {self.kind} is not a {kind.kind}")
        return self.data
