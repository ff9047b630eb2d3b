"""How an option is described: its name, parser, help, JSON name, schema and CSV
column (see :mod:`sphinx_cpd.kinds`), the parsers, and how values are written out.

The MyST-Parser habit: a dataclass field's metadata says everything about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from sphinx_cpd.model import (
    ACTION_STATUSES,
    InputError,
    format_hours,
    parse_choice,
    parse_date,
    parse_hours,
    parse_list,
    parse_participation,
    safe_url,
)

#: Parses an option's text (stripped, not empty); raises InputError.
Parser = Callable[[str, str], object]

TEXT: Mapping[str, object] = {"type": ["string", "null"]}
DATE: Mapping[str, object] = {
    "type": ["string", "null"],
    "format": "date",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
}
IDS: Mapping[str, object] = {"type": "array", "items": {"type": "string"}}
HOURS: Mapping[str, object] = {"type": ["number", "null"], "minimum": 0}
CRITERIA: Mapping[str, object] = {
    "type": "array",
    "items": {"type": "string", "pattern": "^[^:]+:.+$"},
}


@dataclass(frozen=True, slots=True)
class Option:
    """What is known about one option of a kind."""

    name: str
    help: str
    parse: Parser | None = None
    #: The ``cpd.<warning>`` type of a problem with its value.
    warning: str = "option"
    required: bool = False
    #: Other names it may be written with (``license`` for ``licence``).
    aliases: tuple[str, ...] = ()
    #: Its key in portfolio.json (None: not exported) and the value's JSON Schema.
    json: str | None = None
    schema: Mapping[str, object] = field(default_factory=lambda: TEXT)
    #: Its column in cpd-log.csv (events): its position, and its header.
    csv: int | None = None
    #: The label of its row in the object's details (None: no row of its own); marked
    #: with ``N_`` and translated where it is shown.
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Export:
    """A derived value's key in portfolio.json, and its schema."""

    json: str
    schema: Mapping[str, object]
    help: str


def option(
    name: str,
    help: str,
    *,
    parse: Parser | None = None,
    warning: str = "option",
    required: bool = False,
    aliases: tuple[str, ...] = (),
    json: str | None = "",
    schema: Mapping[str, object] = TEXT,
    csv: int | None = None,
    label: str | None = None,
    default: object = None,
) -> Any:
    """A field the author writes as ``:name: value``; exported as ``name`` unless
    ``json`` says otherwise (None: not exported), shown in the details as ``label``."""
    exported = name if json == "" else json
    described = Option(name, help, parse, warning, required, aliases, exported, schema, csv, label)
    return field(default=default, metadata={"option": described})


def derived(json: str, schema: Mapping[str, object], help: str, default: object = None) -> Any:
    """A field worked out, not written; exported as ``json``."""
    if isinstance(default, list):
        return field(default_factory=list, metadata={"export": Export(json, schema, help)})
    return field(default=default, metadata={"export": Export(json, schema, help)})


def as_date(text: str, name: str) -> dt.date:
    return parse_date(text, name)


def as_hours(text: str, name: str) -> Decimal:
    return parse_hours(text)


def as_participation(text: str, name: str) -> bool | Decimal:
    return parse_participation(text, name)


def as_ids(text: str, name: str) -> tuple[str, ...]:
    return parse_list(text)


def as_url(text: str, name: str) -> str:
    url = safe_url(text)
    if url is None:
        raise InputError(
            f":{name}: {text!r} is not an http, https or mailto address; it is shown as text, "
            "not linked"
        )
    return url


def as_status(text: str, name: str) -> str:
    return parse_choice(text, name, ACTION_STATUSES)


def whole_number(text: str, name: str, digits: int, what: str) -> int:
    # isdigit() also takes "²": only ASCII digits, and no more of them than needed.
    if not (text.isascii() and text.isdigit()) or len(text) > digits or int(text) <= 0:
        raise InputError(f":{name}: {text!r} is not {what}")
    return int(text)


def as_positive(text: str, name: str) -> int:
    return whole_number(text, name, 9, "a whole number of words")


def as_evidence_number(text: str, name: str) -> int:
    return whole_number(text, name, 4, "a whole number from 1 to 9999 (3 for E3)")


def jsonable(value: object) -> object:
    """A value as portfolio.json holds it: dates in ISO form, hours as numbers."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(format_hours(value))
    if isinstance(value, (tuple, list)):
        return [jsonable(item) for item in value]
    return value


def cell(value: object) -> str:
    """A value as a CSV cell holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_hours(value)
    if isinstance(value, (tuple, list)):
        return ";".join(str(item) for item in value)
    return str(value)


#: The options every object takes (read by the directives' base, not the kinds).
COMMON: tuple[Option, ...] = (
    Option(
        "id",
        "The object's id, for references; letters, digits, `.`, `_` and `-`. Default: made "
        "from the date and title.",
        warning="id",
    ),
    Option(
        "tags",
        "Comma-separated tags, for filtering listings.",
        parse=as_ids,
        json="tags",
        schema=IDS,
    ),
    Option(
        "criteria",
        "Comma-separated criteria it is mapped to, `FRAMEWORK:CODE`, e.g. "
        "`cilip-chartership:1, pksb:8`.",
        json="criteria",
        schema=CRITERIA,
        csv=8,
    ),
    Option(
        "visibility",
        "Who may see it: `public`, `mentor` or `private`; never wider than its page or parent.",
        warning="visibility",
    ),
)


def options(kind: type) -> Iterator[tuple[str, Option]]:
    """The kind's options, with the fields they fill."""
    for item in fields(kind):
        described = item.metadata.get("option")
        if described is not None:
            yield item.name, described


def exports(kind: type) -> Iterator[tuple[str, str, Mapping[str, object], str]]:
    """(field, JSON key, schema, help) of everything the kind exports."""
    for item in fields(kind):
        if (described := item.metadata.get("option")) is not None and described.json:
            yield item.name, described.json, described.schema, described.help
        elif (export := item.metadata.get("export")) is not None:
            yield item.name, export.json, export.schema, export.help
