"""Data the author can take elsewhere: ``portfolio.json``, ``cpd-log.csv``, ``cpd-events.ics``.

Written at the root of an HTML build once it has finished, from the same records
(and, for each audience, the same selection of them) as the pages.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import icalendar
from sphinx.util import logging

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import catalogue, licences
from sphinx_cpd.domain import CPDDomain, get_domain
from sphinx_cpd.model import KINDS, Record, build_date, format_hours, spreadsheet_safe
from sphinx_cpd.version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
CSV_COLUMNS = (
    "date",
    "end",
    "title",
    "type",
    "organiser",
    "location",
    "hours",
    "participatory",
    "criteria",
    "outcome",
    "url",
)
#: The top-level key of each kind in portfolio.json.
PLURALS = {
    "event": "events",
    "reflection": "reflections",
    "action": "actions",
    "evidence": "evidence",
    "photo": "photos",
    "rating": "ratings",
    "feedback": "feedback",
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _hours(value: Decimal | None) -> float | None:
    return float(format_hours(value)) if value is not None else None


def record_json(domain: CPDDomain, builder: Builder, record: Record) -> dict[str, Any]:
    """One object with its id, its options by their directive names, and where it is."""
    options = record.options
    data: dict[str, Any] = {
        "id": domain.final_id(record),
        "title": record.title,
        "page": record.docname,
        "href": f"{builder.get_target_uri(record.docname)}#{record.anchor}",
        "date": _iso(record.date),
        "tags": list(record.tags),
        "criteria": list(record.criteria),
        "visibility": record.visibility,
    }
    if record.kind == "event":
        data |= {
            "end": _iso(options.get("end")),
            "hours": _hours(options.get("hours")),
            "type": options.get("type"),
            "participatory": options.get("participatory"),
            "organiser": options.get("organiser"),
            "location": options.get("location"),
            "url": options.get("url"),
            "outcome": options.get("outcome"),
        }
    elif record.kind == "reflection":
        data |= {
            "event": list(record.events),
            "model": options.get("model"),
            "word-limit": options.get("word_limit"),
            "stages": list(options.get("stages", [])),
        }
    elif record.kind == "action":
        parent = (
            domain.record_at((record.docname, record.parent)) if record.parent is not None else None
        )
        data |= {
            "due": _iso(options.get("due")),
            "status": options.get("status"),
            "done": _iso(options.get("done")),
            "reflection": domain.final_id(parent) if parent else None,
        }
    elif record.kind == "evidence":
        number = domain.number(record)
        data |= {
            "number": f"E{number}" if number else None,
            "file": options.get("file"),
            "file-type": options.get("file_type"),
            "size": options.get("size"),
            "url": options.get("url"),
            "event": list(record.events),
        }
    elif record.kind == "photo":
        licence = licences.lookup(options["licence"]) if options.get("licence") else None
        data |= {
            "image": options.get("image"),
            "alt": options.get("alt"),
            "author": options.get("author"),
            "author-url": options.get("author_url"),
            "source": options.get("source"),
            "licence": options.get("licence"),
            "licence-url": licence.url if licence else None,
            "modified": options.get("modified"),
            "permission": options.get("permission"),
        }
    elif record.kind == "rating":
        data |= {"criterion": options.get("criterion"), "score": options.get("score")}
    elif record.kind == "feedback":
        data |= {"from": options.get("from"), "on": options.get("on")}
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
    return document


def events_in_order(records: list[Record]) -> list[Record]:
    events = [r for r in records if r.kind == "event" and r.date is not None]
    return sorted(events, key=lambda r: (r.date, r.title.lower(), r.docname, r.position))


def log_row(record: Record) -> list[str]:
    """An event as a row of the CPD log, in the order of :data:`CSV_COLUMNS`.

    Every cell is safe to open in a spreadsheet: none can become a formula.
    """
    options = record.options
    participatory = options.get("participatory")
    cells = [
        _iso(record.date) or "",
        _iso(options.get("end")) or "",
        record.title,
        options.get("type") or "",
        options.get("organiser") or "",
        options.get("location") or "",
        format_hours(options["hours"]) if options.get("hours") is not None else "",
        "" if participatory is None else ("yes" if participatory else "no"),
        ";".join(record.criteria),
        options.get("outcome") or "",
        options.get("url") or "",
    ]
    return [spreadsheet_safe(cell) for cell in cells]


def log_csv(records: list[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(log_row(record) for record in events_in_order(records))
    return buffer.getvalue()


def events_ics(app: Sphinx, records: list[Record]) -> bytes:
    domain = get_domain(app.env)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sphinx-cpd//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{app.config.project}: CPD events")
    stamp = datetime.combine(build_date(), time(0, 0), tzinfo=UTC)
    host = "".join(ch for ch in app.config.project.lower() if ch.isalnum()) or "portfolio"
    for record in events_in_order(records):
        assert record.date is not None
        options = record.options
        event = icalendar.Event()
        event.add("uid", f"{domain.final_id(record)}@{host}.sphinx-cpd")
        event.add("dtstamp", stamp)
        event.add("dtstart", record.date)
        # DTEND of an all-day event is the day after it ends (RFC 5545, 3.6.1).
        event.add("dtend", (options.get("end") or record.date) + timedelta(days=1))
        event.add("summary", record.title)
        if options.get("location"):
            event.add("location", options["location"])
        if options.get("url"):
            event.add("url", options["url"])
        if options.get("type"):
            event.add("categories", [options["type"]])
        lines = []
        if options.get("hours") is not None:
            lines.append(f"CPD hours: {format_hours(options['hours'])}")
        for key, label in (("organiser", "Organiser"), ("outcome", "Outcome")):
            if options.get(key):
                lines.append(f"{label}: {options[key]}")
        if lines:
            event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in HTML_BUILDERS:
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
