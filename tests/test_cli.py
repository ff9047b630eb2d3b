"""The sphinx-cpd command, run as a user runs it: in a process of its own."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import EXAMPLE, cell_text, sphinx_build

COMMANDS = ("new", "import", "build", "check", "log", "status", "share", "serve")
TEMPLATES = (
    "chartership",
    "certification",
    "fellowship",
    "cilip-revalidation",
    "revalidation",
    "nmc",
    "hcpc",
    "cpd23",
    "generic",
)


def cpd(
    *args: str, cwd: Path | None = None, check: bool = False
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx_cpd.cli", *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=check, timeout=600
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("_build"))
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = cpd(command, "--help")
    assert result.returncode == 0
    assert "Usage: " in result.stdout and command in result.stdout


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_builds_strictly(template: str, tmp_path: Path) -> None:
    folder = tmp_path / template
    result = cpd("new", str(folder), "--template", template)
    assert result.returncode == 0, result.stderr
    assert (folder / "conf.py").is_file() and (folder / ".gitignore").is_file()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-W",
            "-b",
            "html",
            str(folder),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    assert cpd("check", str(folder)).returncode == 0
    # The front page shows the dashboard, and the navigation groups the pages.
    front = BeautifulSoup((tmp_path / "out" / "index.html").read_text(), "html.parser")
    assert front.select("div.cpd-dashboard svg.cpd-chart[role=img]")
    assert "CPD" in [
        s.get_text(strip=True) for s in front.select("nav details.cpd-nav-group > summary")
    ]
    # The scheme's checklist is on the root page (a nudge to set one where
    # the template has none).
    checklist = front.select_one(".cpd-requirements-table, .cpd-requirements-summary")
    assert checklist is not None or "No scheme is set" in front.get_text()
    status = cpd("status", str(folder), "--format", "json")
    assert status.returncode == 0, status.stderr
    assert isinstance(json.loads(status.stdout)["requirements"], list)


def test_templates_hold_what_their_scheme_asks_for(tmp_path: Path) -> None:
    cpd("new", str(tmp_path / "c"), check=True)
    assert "cpd-word-limit: 1000" in (tmp_path / "c" / "statement.md").read_text()
    for page in ("cv.md", "pksb.md", "evidence.md", "log.md"):
        assert (tmp_path / "c" / page).is_file()
    cpd("new", str(tmp_path / "r"), "--template", "revalidation", check=True)
    assert "cpd-word-limit: 250" in (tmp_path / "r" / "statement.md").read_text()
    assert 'cpd_scheme = "cilip-revalidation"' in (tmp_path / "r" / "conf.py").read_text()
    cpd("new", str(tmp_path / "n"), "--template", "nmc", check=True)
    conf = (tmp_path / "n" / "conf.py").read_text()
    assert 'cpd_scheme = "nmc-revalidation"' in conf and "cpd_renewal_date" in conf
    assert ":model: nmc" in (tmp_path / "n" / "accounts.md").read_text()
    assert "{cpd-feedback}" in (tmp_path / "n" / "feedback.md").read_text()
    assert ":type: reflective-discussion" in (tmp_path / "n" / "discussion.md").read_text()
    cpd("new", str(tmp_path / "h"), "--template", "hcpc", check=True)
    assert "cpd-word-limit: 500" in (tmp_path / "h" / "summary.md").read_text()
    cpd("new", str(tmp_path / "t"), "--template", "cpd23", check=True)
    things = (tmp_path / "t" / "things.md").read_text()
    assert all(f"cpd23:{n}`" in things for n in range(1, 24))


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.md").write_text("my own notes\n")
    result = cpd("new", str(folder))
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.md"]
    assert (folder / "notes.md").read_text() == "my own notes\n"


def test_check_exit_codes(example: Path, tmp_path: Path) -> None:
    clean = cpd("check", str(example))
    assert clean.returncode == 0, clean.stderr
    assert "No problems found." in clean.stdout

    page = example / "events" / "copyright.md"
    page.write_text(page.read_text().replace(":hours: 3\n", ":hours: three\n"))
    broken = cpd("check", str(example))
    assert broken.returncode == 1
    lines = [line for line in broken.stderr.splitlines() if "[cpd." in line]
    assert lines == [
        "events/copyright.md:7: event 'Copyright for library staff: a half-day session': "
        ":hours: 'three' is not a number of hours; write a decimal such as 2.5 or hours and "
        "minutes such as 2:30 [cpd.hours]"
    ]
    assert not (example / "_build").exists(), "check writes no output"

    assert cpd("check", str(example), "--nonsense").returncode == 2
    missing = cpd("check", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr


def test_log_csv_totals_equal_the_hours_listing(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "html"
    sphinx_build(example, out)
    soup = BeautifulSoup((out / "log.html").read_text(), "html.parser")
    listing = {
        cell_text(row.select("td")[0]): cell_text(row.select("td")[2])
        for row in soup.select("table.cpd-hours-table tbody tr")
    }
    result = cpd("log", str(example), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals.setdefault(row["date"][:4], Decimal(0))
        totals[row["date"][:4]] += Decimal(row["hours"] or 0)
    assert {year: str(total.normalize()) for year, total in totals.items()} == listing

    data = json.loads(cpd("log", str(example), "--format", "json").stdout)
    assert [year["hours"] for year in data["years"]] == [8.0]
    assert data["years"][0]["target"] == 20.0 and data["years"][0]["target_met"] is False
    table = cpd("log", str(example), "--year", "2011")
    assert table.returncode == 0
    assert "CILIP in London networking evening" in table.stdout
    assert "12 to go of 20" in table.stdout
    empty = cpd("log", str(example), "--year", "2030", "--format", "json")
    assert json.loads(empty.stdout)["events"] == []


def test_log_for_an_audience_leaves_out_what_it_may_not_see(example: Path) -> None:
    private = json.loads(cpd("log", str(example), "--format", "json").stdout)
    public = json.loads(cpd("log", str(example), "--format", "json", "--audience", "public").stdout)
    assert len(private["events"]) == len(public["events"]) == 3
    page = example / "events" / "copyright.md"
    page.write_text(
        page.read_text().replace(":id: copyright\n", ":id: copyright\n:visibility: mentor\n")
    )
    public = json.loads(cpd("log", str(example), "--format", "json", "--audience", "public").stdout)
    assert [e["id"] for e in public["events"]] == ["networking-evening", "reflective-practice"]


def test_build_writes_html_and_pdf_and_says_where(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cpd("build", str(example), "--pdf", "-o", str(out), "-j", "2")
    assert result.returncode == 0, result.stderr
    assert f"Website: {out / 'html' / 'index.html'}" in result.stdout
    assert (out / "html" / "index.html").is_file()
    assert (out / "pdf" / "morgan-ashby-chartership-portfolio.pdf").is_file()
    mentor = cpd("build", str(example), "--audience", "mentor")
    assert mentor.returncode == 0, mentor.stderr
    assert (example / "_build" / "mentor" / "html" / "index.html").is_file()
    assert not (
        example / "_build" / "mentor" / "html" / "reflections" / "year-of-change.html"
    ).exists()


def test_build_reports_problems_with_exit_1(example: Path, tmp_path: Path) -> None:
    page = example / "evidence.md"
    page.write_text(page.read_text().replace(":date: 2011-11-14\n", ":date: 14/11/2011\n", 1))
    result = cpd("build", str(example), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "evidence.md:" in result.stderr and "[cpd.date]" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Error: 1 problem in the sources"
    assert "Traceback" not in result.stderr


def test_share_zips_the_mentor_build(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "for-mentor.zip"
    result = cpd("share", str(example), "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert "index.html" in names
        assert "morgan-ashby-chartership-portfolio.pdf" in names
        assert "README-for-mentor.txt" in names
        assert not any(name.startswith(".") or "/." in name for name in names)
        assert not any("year-of-change" in name for name in names)
        everything = b"".join(archive.read(name) for name in names).decode("latin-1").lower()
    assert "stress-testing" not in everything and "load balancing" not in everything
    from pypdf import PdfReader

    with zipfile.ZipFile(target) as archive:
        pdf = PdfReader(io.BytesIO(archive.read("morgan-ashby-chartership-portfolio.pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Stress-testing" not in text and "Priya Natarajan" in text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.5)
    return False


def test_serve_answers_and_rebuilds_on_save(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    cpd("new", str(folder), "--template", "generic", check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sphinx_cpd.cli", "serve", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        assert wait_for(lambda: fetch(url) is not None, 90), "the preview never answered"
        assert "My CPD portfolio" in (fetch(url) or "")
        index = folder / "index.md"
        index.write_text(index.read_text().replace("My continuing", "My freshly edited"))
        assert wait_for(lambda: "My freshly edited" in (fetch(url) or ""), 60), "no rebuild"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_new_read_me_names_the_folders_build_writes(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert cpd("new", str(folder)).returncode == 0
    readme = next(folder.glob("README*")).read_text()
    assert "_build/html" in readme and "_build/private" not in readme
    cpd("build", str(folder))
    assert (folder / "_build" / "html" / "index.html").is_file()
