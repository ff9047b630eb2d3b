"""Data the author can take elsewhere: ``portfolio.json``, ``cpd-log.csv``, ``cpd-events.ics``.

Written at the root of an HTML build once it has finished, from the same records
(and, for each audience, the same selection of them) as the pages.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import catalogue, licences
from sphinx_cpd.domain import CPDDomain, get_domain
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import KINDS, TITLE_COLUMN, EventData, Record
from sphinx_cpd.language import shown_hours
from sphinx_cpd.model import WEBSITE_BUILDERS, build_date, spreadsheet_safe
from sphinx_cpd.options import COMMON, cell, exports, jsonable, options
from sphinx_cpd.requirements import for_build, scheme_json
from sphinx_cpd.schema import PLURALS, SCHEMA_VERSION
from sphinx_cpd.version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)


def record_json(domain: CPDDomain, builder: Builder, record: Record) -> dict[str, Any]:
    """One object with its id, where it is, and its values by their JSON names
    (see :mod:`sphinx_cpd.kinds`)."""
    data: dict[str, Any] = {
        "id": domain.final_id(record),
        "title": record.title,
        "page": record.docname,
        "href": f"{builder.get_target_uri(record.docname)}#{record.anchor}",
        "date": jsonable(record.date),
        "tags": list(record.tags),
        "criteria": list(record.criteria),
        "visibility": record.visibility,
    }
    for name, key, _parse, _schema in exports(type(record.data)):
        data[key] = jsonable(getattr(record.data, name))
    # Ids of objects this build does not hold are left out, as the page shows
    # "an item not in this edition" for them: an id can say what it names.
    if "event" in data:
        data["event"] = [ident for ident in data["event"] if domain.lookup(ident)]
    if record.kind == "feedback" and data.get("on") and not domain.lookup(data["on"]):
        data["on"] = None
    # What only the whole portfolio knows (see schema.EXTRAS).
    if record.kind == "action":
        parent = (
            domain.record_at((record.docname, record.parent)) if record.parent is not None else None
        )
        data["reflection"] = domain.final_id(parent) if parent else None
    elif record.kind == "evidence":
        number = domain.number(record)
        data["number"] = f"E{number}" if number else None
    elif record.kind == "photo":
        licence = licences.lookup(data["licence"]) if data.get("licence") else None
        data["licence-url"] = licence.url if licence else None
    data["text"] = record.text
    return data


def portfolio_json(app: Sphinx, records: list[Record]) -> dict[str, Any]:
    domain = get_domain(app.env)
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"sphinx-cpd {__version__}",
        "generated": build_date().isoformat(),
        "project": app.config.project,
        "profile": cpd_config.read(app.config).profile,
    }
    for kind in KINDS:
        document[PLURALS[kind]] = [
            record_json(domain, app.builder, r) for r in records if r.kind == kind
        ]
    document["frameworks"] = [
        {
            "id": fw.id,
            "title": fw.title,
            "short": fw.short,
            "version": fw.version or None,
            "scale": {
                "min": fw.scale.min,
                "max": fw.scale.max,
                "labels": {str(k): v for k, v in sorted(fw.scale.labels.items())},
            },
            "criteria": [
                {
                    "code": c.code,
                    "title": c.title,
                    "description": c.description or None,
                    "parent": c.parent,
                }
                for c in fw.criteria
            ],
        }
        for fw in catalogue(app.config).frameworks.values()
    ]
    checked = for_build(app)
    document["scheme"] = scheme_json(*checked[:2]) if checked else None
    document["requirements"] = [status.as_json() for status in checked[2]] if checked else []
    return document


def csv_columns() -> list[tuple[str, str]]:
    """The columns of cpd-log.csv: (header, what fills it), in order."""
    columns = [
        (o.csv, o.name, f"data.{name}") for name, o in options(EventData) if o.csv is not None
    ]
    columns += [(o.csv, o.name, o.name) for o in COMMON if o.csv is not None]
    columns.append((TITLE_COLUMN, "title", "title"))
    return [(header, source) for _, header, source in sorted(columns)]


def events_in_order(records: list[Record]) -> list[Record]:
    events = [r for r in records if r.kind == "event" and r.date is not None]
    return sorted(events, key=Record.chronological)


def log_row(record: Record) -> list[str]:
    """An event as a row of the CPD log, in the columns of :func:`csv_columns`.

    Every cell is safe to open in a spreadsheet: none can become a formula.
    """
    values = []
    for _column, source in csv_columns():
        owner: Any = record.data if source.startswith("data.") else record
        values.append(cell(getattr(owner, source.removeprefix("data."))))
    return [spreadsheet_safe(value) for value in values]


def log_csv(records: list[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header for header, _ in csv_columns())
    writer.writerows(log_row(record) for record in events_in_order(records))
    return buffer.getvalue()


def events_ics(app: Sphinx, records: list[Record]) -> bytes:
    # Imported when a calendar is written, not with the extension: it takes
    # longer to import than a small portfolio takes to read.
    import icalendar

    domain = get_domain(app.env)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sphinx-cpd//{__version__}//EN")
    calendar.add("version", "2.0")
    # Translators: the name of the calendar of a portfolio's events.
    name = _("%(project)s: CPD events") % {"project": app.config.project}
    # One line: a line break or carriage return (from a title or a translation)
    # would end the property and could start a forged one.
    calendar.add("x-wr-calname", " ".join(name.split()))
    stamp = datetime.combine(build_date(), time(0, 0), tzinfo=UTC)
    host = "".join(ch for ch in app.config.project.lower() if ch.isalnum()) or "portfolio"
    for record in events_in_order(records):
        assert record.date is not None
        data = record.of(EventData)
        event = icalendar.Event()
        event.add("uid", f"{domain.final_id(record)}@{host}.sphinx-cpd")
        event.add("dtstamp", stamp)
        event.add("dtstart", record.date)
        # DTEND of an all-day event is the day after it ends (RFC 5545, 3.6.1).
        event.add("dtend", (data.end or record.date) + timedelta(days=1))
        event.add("summary", record.title)
        if data.location:
            event.add("location", data.location)
        if data.url:
            event.add("url", data.url)
        if data.type:
            event.add("categories", [data.type])
        # What a calendar shows of the event: for people, in the portfolio's language.
        lines = []
        if data.hours is not None:
            lines.append(_("CPD hours: %(hours)s") % {"hours": shown_hours(data.hours)})
        if data.organiser:
            lines.append(_("Organiser: %(organiser)s") % {"organiser": data.organiser})
        if data.outcome:
            lines.append(_("Outcome: %(outcome)s") % {"outcome": data.outcome})
        if lines:
            event.add("description", "\n".join(" ".join(line.split()) for line in lines))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEBSITE_BUILDERS:
        return
    records = list(get_domain(app.env).all_records())
    outdir = Path(app.outdir)
    writers: dict[str, Callable[[], bytes]] = {
        "portfolio.json": lambda: (
            json.dumps(portfolio_json(app, records), indent=2, ensure_ascii=False) + "\n"
        ).encode("utf-8"),
        "cpd-log.csv": lambda: log_csv(records).encode("utf-8"),
        "cpd-events.ics": lambda: events_ics(app, records),
    }
    for name, write in writers.items():
        try:
            data = write()
        except Exception as exc:  # an export must not stop the pages being published
            logger.warning(
                f"{name} could not be written ({type(exc).__name__}: {exc})",
                type="cpd",
                subtype="export",
            )
            continue
        (outdir / name).write_bytes(data)


def setup_exports(app: Sphinx) -> None:
    app.connect("build-finished", write_exports)
