"""The ``sphinx-cpd`` command: new, build, check, log, share, serve.

For people who keep a portfolio, not for Sphinx experts: every command has
sensible defaults, prints problems as ``file:line: message``, and ends with one
clear line instead of a traceback. Exit status: 0 on success, 1 on problems in
the sources, 2 on wrong usage.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn
from rich.table import Table
from rich.text import Text

from sphinx_cpd.model import format_hours, slugify
from sphinx_cpd.templates import NAMES as TEMPLATES
from sphinx_cpd.templates import render
from sphinx_cpd.version import __version__
from sphinx_cpd.visibility import AUDIENCES

FORMATS = ("table", "csv", "json")
_WARNING = re.compile(
    r"^(?:(?P<file>[^\n]+?):(?:(?P<line>\d+):)? )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)"
    r"(?: \[(?P<type>[\w.-]+)\])?$",
    re.MULTILINE,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Text from the portfolio is printed as it is: no markup ("[bold]"), no emoji
# (":date:"), no highlighting.
console = Console(highlight=False, markup=False, emoji=False)
errors = Console(stderr=True, highlight=False, markup=False, emoji=False)


class Problem(click.ClickException):
    """A failure caused by the sources (exit 1), shown as one line."""

    exit_code = 1


@dataclass
class Outcome:
    """What a Sphinx run left behind: the app, and its problems as text lines."""

    app: Any
    problems: list[str] = field(default_factory=list)


def source_dir(src: str) -> Path:
    path = Path(src).resolve()
    if not (path / "conf.py").is_file():
        raise click.UsageError(
            f"{src} is not a portfolio: it has no conf.py (start one with: sphinx-cpd new DIR)"
        )
    return path


def problems_of(text: str, srcdir: Path) -> list[str]:
    """Sphinx's warnings as ``file:line: message``, with paths relative to the portfolio."""
    found = []
    for match in _WARNING.finditer(_ANSI.sub("", text)):
        file, line, message, kind = match.group("file", "line", "message", "type")
        where = ""
        if file:
            with suppress(ValueError):  # another drive, on Windows
                file = os.path.relpath(file, srcdir)
            where = f"{file}:{line}: " if line else f"{file}: "
        found.append(f"{where}{message}" + (f" [{kind}]" if kind else ""))
    return found


def run_sphinx(
    srcdir: Path,
    outdir: Path,
    builder: str,
    *,
    doctreedir: Path,
    audience: str | None = None,
    parallel: int = 1,
    progress: Progress | None = None,
    label: str = "",
) -> Outcome:
    """Build once with Sphinx's API, reporting progress and collecting problems."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    warnings = io.StringIO()
    overrides = {"cpd_audience": audience} if audience else {}
    try:
        with patch_docutils(srcdir), docutils_namespace():
            app = Sphinx(
                srcdir,
                srcdir,
                outdir,
                doctreedir,
                builder,
                confoverrides=overrides,
                status=None,
                warning=warnings,
                parallel=parallel,
            )
            if progress is not None:
                watch(app, progress, label)
            app.build()
    except SphinxError as exc:
        raise Problem(f"{exc.category}: {exc}") from None
    except Exception as exc:  # a broken conf.py or extension: one line, no traceback
        raise Problem(f"the build stopped: {type(exc).__name__}: {exc}") from None
    return Outcome(app, problems_of(warnings.getvalue(), srcdir))


def watch(app: Any, progress: Progress, label: str) -> None:
    """Show reading, writing and (for the PDF) laying out as progress bars."""
    reading = progress.add_task(f"Reading {label}".strip(), total=None)
    writing = progress.add_task(f"Writing {label}".strip(), total=None, visible=False)

    def before_read(app: Any, env: Any, docnames: list[str]) -> None:
        progress.update(reading, total=max(len(docnames), 1), completed=0)

    def source_read(app: Any, docname: str, source: list[str]) -> None:
        progress.advance(reading)

    def env_updated(app: Any, env: Any) -> list[str]:
        task = progress.tasks[reading]
        progress.update(reading, completed=task.total or 1, total=task.total or 1)
        progress.update(writing, visible=True, total=max(len(env.all_docs), 1))
        return []

    def resolved(app: Any, doctree: Any, docname: str) -> None:
        progress.advance(writing)

    def finished(app: Any, exception: Exception | None) -> None:
        task = progress.tasks[writing]
        progress.update(writing, completed=task.total or 1, total=task.total or 1)

    app.connect("env-before-read-docs", before_read)
    app.connect("source-read", source_read)
    app.connect("env-updated", env_updated)
    app.connect("doctree-resolved", resolved)
    app.connect("build-finished", finished, priority=100)


@contextmanager
def progress_display() -> Iterator[Progress]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=errors,
        transient=True,
    ) as progress:
        yield progress


def report(problems: list[str]) -> None:
    for problem in problems:
        errors.print(problem, markup=False, soft_wrap=True)


# -- commands ------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sphinx-cpd")
def main() -> None:
    """Keep a CPD portfolio as Markdown files and build it into a website and a PDF."""


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--template",
    "-t",
    type=click.Choice(TEMPLATES),
    default="chartership",
    show_default=True,
    help="The scheme to start from.",
)
def new(directory: Path, template: str) -> None:
    """Start a new portfolio in DIRECTORY (which must be empty or new)."""
    if directory.exists() and any(directory.iterdir()):
        raise click.UsageError(
            f"{directory} is not empty; choose a new folder (nothing was changed)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    for relative, text in render(template).items():
        target = directory / (".gitignore" if relative == "gitignore.txt" else relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        # "x": never overwrite a file, even one that appeared since the check.
        with target.open("x", encoding="utf-8") as writer:
            writer.write(text)
    click.echo(f"A new {template} portfolio is in {directory}.")
    click.echo(f"Next: edit {directory / 'conf.py'}, then run: sphinx-cpd build {directory}")


@main.command()
@click.argument("src", default=".", type=click.Path(file_okay=False))
@click.option("--pdf", is_flag=True, help="Build the PDF too.")
@click.option(
    "--audience",
    "-a",
    type=click.Choice(AUDIENCES),
    help="Who the build is for (default: cpd_audience in conf.py).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: SRC/_build, or SRC/_build/AUDIENCE with --audience).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, help="Processes to use.")
def build(src: str, pdf: bool, audience: str | None, output: Path | None, jobs: int) -> None:
    """Build the portfolio's website (and with --pdf its PDF)."""
    srcdir = source_dir(src)
    default = srcdir / "_build" / audience if audience else srcdir / "_build"
    out = (output or default).resolve()
    problems: list[str] = []
    written: list[str] = []
    builds = [("html", "html", "(website)")] + ([("cpdpdf", "pdf", "(PDF)")] if pdf else [])
    with progress_display() as progress:
        for builder, folder, label in builds:
            result = run_sphinx(
                srcdir,
                out / folder,
                builder,
                doctreedir=out / ".doctrees" / folder,
                audience=audience,
                parallel=jobs,
                progress=progress,
                label=label,
            )
            # Both builds read the same sources: report each problem once.
            problems += [p for p in result.problems if p not in problems]
            if builder == "html":
                written.append(f"Website: {out / folder / 'index.html'}")
            else:
                written.append(f"PDF: {out / folder / result.app.builder.pdf_name}")
    report(problems)
    for line in written:
        click.echo(line)
    if problems:
        raise Problem(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the sources")


@main.command()
@click.argument("src", default=".", type=click.Path(file_okay=False))
def check(src: str) -> None:
    """List every problem in the portfolio as file:line: message.

    The portfolio is checked as each audience would get it (private, mentor,
    public), because what a shared build withholds is decided differently; each
    problem is listed once.
    """
    srcdir = source_dir(src)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-check-") as temp:
        for audience in AUDIENCES:
            outcome = run_sphinx(
                srcdir,
                Path(temp) / audience,
                "dummy",
                doctreedir=Path(temp) / f"doctrees-{audience}",
                audience=audience,
            )
            for problem in outcome.problems:
                # One problem, one line: the same place and kind found by the
                # scan of one audience and by the directive of another.
                where, _, message = problem.partition(": ")
                kind = message.rpartition(" [")[2] if message.endswith("]") else message
                key = (where, kind)
                if key not in seen:
                    seen.add(key)
                    problems.append(problem)
    report(problems)
    if problems:
        raise Problem(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
    click.echo("No problems found.")


@main.command()
@click.argument("src", default=".", type=click.Path(file_okay=False))
@click.option("--year", "-y", type=int, help="Only this CPD year (the year it starts in).")
@click.option(
    "--audience",
    "-a",
    type=click.Choice(AUDIENCES),
    default="private",
    show_default=True,
    help="Whose view of the log.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading, csv or json for other programs.",
)
def log(src: str, year: int | None, audience: str, output_format: str) -> None:
    """Show the CPD log and the hours per CPD year against the target."""
    from sphinx_cpd.exports import CSV_COLUMNS, log_row
    from sphinx_cpd.listings import context_for
    from sphinx_cpd.listings.hours import progress as against_target
    from sphinx_cpd.listings.hours import totals
    from sphinx_cpd.listings.log import select_events, sort_key

    srcdir = source_dir(src)
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-log-") as temp:
        outcome = run_sphinx(
            srcdir,
            Path(temp) / "out",
            "dummy",
            doctreedir=Path(temp) / "doctrees",
            audience=audience,
        )
    app = outcome.app
    context = context_for(app, app.config.root_doc)
    spec = {"year": year}
    events = sorted(select_events(context, spec), key=sort_key)
    years = totals(context, spec)
    target = context.settings.hours_target

    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(log_row(record) for record in events)
        click.echo(buffer.getvalue(), nl=False)
    elif output_format == "json":
        data = {
            "events": [event_json(record) for record in events],
            "years": [
                {
                    "year": context.year_label(entry.year),
                    "start_year": entry.year,
                    "events": entry.events,
                    "hours": float(format_hours(entry.hours)),
                    "participatory_hours": float(format_hours(entry.participatory)),
                    "target": float(target) if target is not None else None,
                    "target_met": entry.hours >= target if target is not None else None,
                }
                for entry in years
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        table = Table(title="CPD log", title_justify="left")
        for column in ("Date", "Event", "Type", "Hours"):
            table.add_column(column, justify="right" if column == "Hours" else "left")
        for record in events:
            hours = record.options.get("hours")
            table.add_row(
                *(
                    Text(cell)
                    for cell in (
                        record.date.isoformat() if record.date else "",
                        record.title,
                        (record.options.get("type") or "").capitalize(),
                        format_hours(hours) if hours is not None else "",
                    )
                )
            )
        console.print(table)
        summary = Table(title="Hours per CPD year", title_justify="left")
        for column in ("CPD year", "Events", "Hours", "Participatory", "Target"):
            summary.add_column(column)
        for entry in years:
            summary.add_row(
                context.year_label(entry.year),
                str(entry.events),
                format_hours(entry.hours),
                format_hours(entry.participatory),
                against_target(entry.hours, target) or "no target set",
            )
        console.print(summary)
    report(outcome.problems)
    if outcome.problems:
        raise Problem(f"{len(outcome.problems)} problem{'s' if len(outcome.problems) != 1 else ''}")


def event_json(record: Any) -> dict[str, Any]:
    """An event for ``log --format json``: the CSV's columns, with JSON types."""
    options = record.options
    hours = options.get("hours")
    return {
        "id": record.base_id,
        "date": record.date.isoformat() if record.date else None,
        "end": options["end"].isoformat() if options.get("end") else None,
        "title": record.title,
        "type": options.get("type"),
        "organiser": options.get("organiser"),
        "location": options.get("location"),
        "hours": float(format_hours(hours)) if hours is not None else None,
        "participatory": options.get("participatory"),
        "criteria": list(record.criteria),
        "outcome": options.get("outcome"),
        "url": options.get("url"),
    }


MENTOR_README = """\
{project}
{underline}

This is {name}'s CPD portfolio, built for you as their mentor on {date}.

- Open index.html in a web browser to read the portfolio as a website.
- {pdf} is the same portfolio as one PDF, with the evidence attached as
  appendices.

It holds what {name} chose to share with a mentor: anything they marked as
private is not in any file of this folder.
"""


@main.command()
@click.argument("src", default=".", type=click.Path(file_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip to write (default: SRC/_build/<portfolio>-for-mentor.zip).",
)
def share(src: str, output: Path | None) -> None:
    """Build the mentor's view (website and PDF) into one zip to send to a mentor."""
    from sphinx_cpd import config as cpd_config
    from sphinx_cpd.model import build_date

    srcdir = source_dir(src)
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-share-") as temp:
        work = Path(temp)
        with progress_display() as progress:
            html = run_sphinx(
                srcdir,
                work / "html",
                "html",
                doctreedir=work / "doctrees-html",
                audience="mentor",
                progress=progress,
                label="(website)",
            )
            pdf = run_sphinx(
                srcdir,
                work / "pdf",
                "cpdpdf",
                doctreedir=work / "doctrees-pdf",
                audience="mentor",
                progress=progress,
                label="(PDF)",
            )
        project = html.app.config.project
        target = (output or srcdir / "_build" / f"{slugify(project)}-for-mentor.zip").resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        pdf_name = pdf.app.builder.pdf_name
        profile = cpd_config.read(html.app.config).profile
        readme = MENTOR_README.format(
            project=project,
            underline="=" * len(project),
            name=profile.get("name", "the author"),
            date=build_date().isoformat(),
            pdf=pdf_name,
        )
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README-for-mentor.txt", readme)
            archive.write(work / "pdf" / pdf_name, pdf_name)
            for path in sorted((work / "html").rglob("*")):
                relative = path.relative_to(work / "html")
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    archive.write(path, relative.as_posix())
    problems = html.problems + [p for p in pdf.problems if p not in html.problems]
    report(problems)
    click.echo(f"For your mentor: {target}")
    if problems:
        raise Problem(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the sources")


@main.command()
@click.argument("src", default=".", type=click.Path(file_okay=False))
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Where to listen.")
def serve(src: str, port: int, host: str) -> None:
    """Preview the portfolio in a browser, rebuilt whenever a file is saved."""
    from sphinx_autobuild.__main__ import main as autobuild

    srcdir = source_dir(src)
    out = srcdir / "_build" / "preview"
    click.echo(f"Previewing {srcdir} at http://{host}:{port}/ (Ctrl+C to stop)")
    autobuild([str(srcdir), str(out), "--host", host, "--port", str(port), "-q"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
