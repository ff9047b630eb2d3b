"""portfolio.json (valid against its schema), cpd-log.csv and cpd-events.ics."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import jsonschema
import pytest

from tests.conftest import ROOT, Build, Portfolio

SCHEMA = json.loads((ROOT / "docs" / "portfolio.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def built(example: Portfolio) -> Build:
    build = example.build()
    assert build.warnings == [], build.warnings_text
    return build


def test_portfolio_json_is_valid_and_complete(built: Build) -> None:
    document = json.loads((built.outdir / "portfolio.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == 1
    assert document["profile"]["name"] == "Morgan Ashby"
    assert {e["id"] for e in document["events"]} == {
        "networking-evening",
        "reflective-practice",
        "copyright",
    }
    copyright = next(e for e in document["events"] if e["id"] == "copyright")
    assert copyright["hours"] == 3
    assert copyright["date"] == "2011-11-14"
    assert copyright["participatory"] is True
    assert copyright["href"] == "events/copyright.html#cpd-events-copyright-copyright"
    assert [e["number"] for e in document["evidence"]] == ["E1", "E2", "E3"]
    assert document["evidence"][0]["file"] == "evidence/certificate-of-attendance.pdf"
    debrief = next(a for a in document["actions"] if a["id"] == "team-debrief")
    assert debrief["reflection"] == "reflection-reflective-practice"
    assert document["photos"][0]["licence"] == "CC-BY-2.0"
    assert len(document["ratings"]) == 4
    assert {f["id"] for f in document["frameworks"]} == {"cilip-chartership", "pksb", "cpd23"}
    # Every id is unique across the portfolio.
    ids = [
        obj["id"]
        for key in ("events", "reflections", "actions", "evidence", "photos", "ratings", "feedback")
        for obj in document[key]
    ]
    assert len(ids) == len(set(ids))


def test_schema_rejects_a_broken_export() -> None:
    broken = {"schema_version": 1, "profile": {}, "events": [{"id": "x"}]}
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(broken))


def test_cpd_log_csv(built: Build) -> None:
    with (built.outdir / "cpd-log.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
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
        ]
        rows = list(reader)
    assert [row["date"] for row in rows] == ["2011-10-12", "2011-11-14", "2011-11-14"]
    first = rows[0]
    assert first["title"] == "CILIP in London networking evening"
    assert first["hours"] == "2"
    assert first["participatory"] == "yes"
    assert first["criteria"] == "cpd23:7;cilip-chartership:3"
    assert sum(float(row["hours"]) for row in rows) == 8


def test_cpd_events_ics(built: Build) -> None:
    calendar = icalendar.Calendar.from_ical((built.outdir / "cpd-events.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    networking = next(
        e for e in events if str(e["SUMMARY"]) == "CILIP in London networking evening"
    )
    assert networking.decoded("DTSTART") == date(2011, 10, 12)
    assert networking.decoded("DTEND") == date(2011, 10, 13)
    assert "CPD hours: 2" in str(networking["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events}) == 3
    for event in events:
        assert "DTSTAMP" in event


def test_ics_multi_day_event_and_reproducible_stamp(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1322438400")  # 2011-11-28
    portfolio.write(
        "index.md",
        "# Home\n\n:::{event} Conference\n:date: 2011-07-05\n:end: 2011-07-07\n:hours: 12\n:::\n",
    )
    build = portfolio.build()
    data = (build.outdir / "cpd-events.ics").read_bytes()
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("DTEND") == date(2011, 7, 8)
    # The build's day, in UTC (icalendar 5 also writes the optional VALUE=DATE-TIME).
    assert event.decoded("DTSTAMP") == datetime(2011, 11, 28, tzinfo=UTC)
    assert re.search(rb"DTSTAMP(;VALUE=DATE-TIME)?:20111128T000000Z\r\n", data)


def test_exports_only_for_html_builds(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n:::{event} Talk\n:date: 2011-11-14\n:::\n")
    for builder in ("html", "dirhtml", "singlehtml"):
        assert (portfolio.build(builder).outdir / "portfolio.json").is_file()
    outdir = portfolio.build("text").outdir
    assert not (Path(outdir) / "portfolio.json").exists()
