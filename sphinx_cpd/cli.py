"""The ``sphinx-cpd`` command: new, import, build, check, log, status, share, serve.

For people who keep a portfolio, not for Sphinx experts: every command has
sensible defaults, prints problems as ``file:line: message``, and ends with one
clear line instead of a traceback. Exit status: 0 on success, 1 on problems in
the sources, 2 on wrong usage.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.progress import Progress

from sphinx_cpd.importing.model import FORMATS as IMPORT_FORMATS
from sphinx_cpd.model import slugify
from sphinx_cpd.progress import progress_display, watch
from sphinx_cpd.reports import errors, print_log, print_status
from sphinx_cpd.runner import Outcome, run_sphinx
from sphinx_cpd.runner import Problem as RunnerProblem
from sphinx_cpd.templates import NAMES as TEMPLATES
from sphinx_cpd.templates import render
from sphinx_cpd.version import __version__
from sphinx_cpd.visibility import AUDIENCES

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FORMATS = ("table", "csv", "json")
F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A failure caused by the sources (exit 1), shown as one line."""

    exit_code = 1


def source_dir(src: str) -> Path:
    path = Path(src).resolve()
    if not (path / "conf.py").is_file():
        raise click.UsageError(
            f"{src} is not a portfolio: it has no conf.py (start one with: sphinx-cpd new DIR)"
        )
    return path


@contextmanager
def one_line_failures() -> Iterator[None]:
    """A build that stops (a broken ``conf.py``, an unknown audience) is one line."""
    from sphinx.errors import SphinxError

    try:
        yield
    except click.ClickException:
        raise
    except SphinxError as exc:
        raise Failure(f"{exc.category}: {exc}") from None
    except Exception as exc:  # an extension's own failure: one line, no traceback
        raise Failure(f"the build stopped: {type(exc).__name__}: {exc}") from None


def shown(progress: Progress, label: str) -> Callable[[Sphinx], None]:
    """Show a build's progress under ``label``."""
    return lambda app: watch(app, progress, label)


def report(problems: list[RunnerProblem]) -> None:
    for problem in problems:
        errors.print(str(problem), soft_wrap=True)
    if problems:
        raise Failure(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the sources")


def merged(*runs: Outcome) -> list[RunnerProblem]:
    """The problems of several builds of the same sources, each once.

    A problem is its place and kind: a shared build's scan and the author's
    build's directive report the same mistake in their own words.
    """
    seen: set[tuple[Any, ...]] = set()
    found = []
    for run in runs:
        # Within one build every problem counts (a scheme file's are all at
        # its first line); only another build's report of it is left out.
        keys = []
        for problem in run.problems:
            key = (problem.file, problem.line, problem.type or problem.message)
            if key not in seen:
                keys.append(key)
                found.append(problem)
        seen.update(keys)
    return found


# Options several commands share, declared once.
src_argument = click.argument("src", default=".", type=click.Path(file_okay=False))


def audience_option(default: str | None, help: str) -> Callable[[F], F]:
    option: Callable[[F], F] = click.option(
        "--audience",
        "-a",
        type=click.Choice(AUDIENCES),
        default=default,
        show_default=default is not None,
        help=help,
    )
    return option


def read_portfolio(src: str, audience: str) -> Outcome:
    """The portfolio read as ``audience`` sees it, nothing written: for the
    commands that report on it."""
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-read-") as temp:
        return run_sphinx(
            source_dir(src),
            Path(temp) / "out",
            "dummy",
            doctreedir=Path(temp) / "doctrees",
            audience=audience,
        )


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
    write_template(directory, template)
    click.echo(f"A new {template} portfolio is in {directory}.")
    click.echo(f"Next: edit {directory / 'conf.py'}, then run: sphinx-cpd build {directory}")


def write_template(directory: Path, template: str) -> None:
    """A new portfolio's files from ``template`` in ``directory`` (new or empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    for relative, text in render(template).items():
        target = directory / (".gitignore" if relative == "gitignore.txt" else relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        # "x": never overwrite a file, even one that appeared since the check.
        with target.open("x", encoding="utf-8") as writer:
            writer.write(text)


@main.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    help="The portfolio to import into (a new one is made in a new or empty folder).",
)
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), help="Default: guessed.")
@click.option(
    "--media",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of the blog's pictures (its uploads), to show them rather than link them.",
)
@click.option(
    "--event-tag",
    multiple=True,
    help="A category or tag of posts about an event: such a post makes an event too.",
)
def import_(
    source: Path, into: Path, fmt: str | None, media: Path | None, event_tag: tuple[str, ...]
) -> None:
    """Import the posts of a WordPress or Blogger export, or a Leap2A (Mahara)
    export, as pages under INTO/imported/."""
    from sphinx_cpd.importing.model import ImportProblem
    from sphinx_cpd.importing.pages import import_into, load

    try:
        entries = load(source, fmt, event_tag)
    except ImportProblem as exc:
        raise Failure(f"{source}: {exc}") from None
    new = not (into / "conf.py").is_file()
    if new:
        if into.exists() and any(into.iterdir()):
            raise click.UsageError(
                f"{into} is neither a portfolio (no conf.py) nor empty; give --into a "
                "portfolio's folder or a new one (nothing was changed)"
            )
        write_template(into, "generic")
        click.echo(f"A new portfolio is in {into}.")
    try:
        summary = import_into(entries, into, media, listed=new)
    except ImportProblem as exc:
        raise Failure(f"{source}: {exc}") from None
    index = into / "imported" / "index.md"
    if new and index.is_file():
        # A new portfolio lists what was imported from its front page.
        with (into / "index.md").open("a", encoding="utf-8") as front:
            front.write("\n```{toctree}\n:maxdepth: 1\n:caption: Imported\n\nimported/index\n```\n")
    for line in summary.lines():
        click.echo(line)
    if index.is_file() and "orphan: true" in index.read_text(encoding="utf-8", errors="replace"):
        click.echo(
            "Next: add imported/index to the toctree of your index.md to show these pages "
            "in the navigation and the PDF."
        )


@main.command()
@src_argument
@click.option("--pdf", is_flag=True, help="Build the PDF too.")
@audience_option(None, "Who the build is for (default: cpd_audience in conf.py).")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: SRC/_build, or SRC/_build/AUDIENCE with --audience).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, help="Processes to use.")
@one_line_failures()
def build(src: str, pdf: bool, audience: str | None, output: Path | None, jobs: int) -> None:
    """Build the portfolio's website (and with --pdf its PDF)."""
    srcdir = source_dir(src)
    default = srcdir / "_build" / audience if audience else srcdir / "_build"
    out = (output or default).resolve()
    runs: list[Outcome] = []
    written: list[str] = []
    builds = [("html", "html", "(website)")] + ([("cpdpdf", "pdf", "(PDF)")] if pdf else [])
    with progress_display(errors) as progress:
        for builder, folder, label in builds:
            result = run_sphinx(
                srcdir,
                out / folder,
                builder,
                doctreedir=out / ".doctrees" / folder,
                audience=audience,
                parallel=jobs,
                watch=shown(progress, label),
            )
            runs.append(result)
            if builder == "html":
                written.append(f"Website: {out / folder / 'index.html'}")
            elif (out / folder / result.app.builder.pdf_name).is_file():
                # Only a PDF that was made (a warning says why one was not).
                written.append(f"PDF: {out / folder / result.app.builder.pdf_name}")
    for line in written:
        click.echo(line)
    # Both builds read the same sources: each problem once.
    report(merged(*runs))


@main.command()
@src_argument
@one_line_failures()
def check(src: str) -> None:
    """List every problem in the portfolio as file:line: message.

    The portfolio is checked as each audience would get it (private, mentor,
    public), because what a shared build withholds is decided differently; each
    problem is listed once.
    """
    srcdir = source_dir(src)
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-check-") as temp:
        runs = [
            run_sphinx(
                srcdir,
                Path(temp) / audience,
                "dummy",
                doctreedir=Path(temp) / f"doctrees-{audience}",
                audience=audience,
            )
            for audience in AUDIENCES
        ]
    report(merged(*runs))
    click.echo("No problems found.")


@main.command()
@src_argument
@click.option("--year", "-y", type=int, help="Only this CPD year (the year it starts in).")
@audience_option("private", "Whose view of the log.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading, csv or json for other programs.",
)
@one_line_failures()
def log(src: str, year: int | None, audience: str, output_format: str) -> None:
    """Show the CPD log and the hours per CPD year against the target."""
    outcome = read_portfolio(src, audience)
    print_log(outcome.app, year, output_format)
    report(outcome.problems)


@main.command()
@src_argument
@audience_option("private", "Whose view: what a mentor's build would count.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="table for reading, json for other programs.",
)
@one_line_failures()
def status(src: str, audience: str, output_format: str) -> None:
    """Show the scheme's requirements for the current period: what is met, what
    is still to do. Exits 0 either way (1 only for problems in the sources)."""
    outcome = read_portfolio(src, audience)
    print_status(outcome.app, output_format)
    report(outcome.problems)


@main.command()
@src_argument
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip to write (default: SRC/_build/<portfolio>-for-mentor.zip, or -for-confirmer, "
    "-for-reviewer as the scheme calls them).",
)
@one_line_failures()
def share(src: str, output: Path | None) -> None:
    """Build the mentor's view (website and PDF) into one zip to send to your mentor
    (your confirmer or reviewer, if your scheme calls them that)."""
    from sphinx_cpd.catalogues import shared_label
    from sphinx_cpd.share import pack

    srcdir = source_dir(src)
    with tempfile.TemporaryDirectory(prefix="sphinx-cpd-share-") as temp:
        work = Path(temp)
        with progress_display(errors) as progress:
            html = run_sphinx(
                srcdir,
                work / "html",
                "html",
                doctreedir=work / "doctrees-html",
                audience="mentor",
                watch=shown(progress, "(website)"),
            )
            pdf = run_sphinx(
                srcdir,
                work / "pdf",
                "cpdpdf",
                doctreedir=work / "doctrees-pdf",
                audience="mentor",
                watch=shown(progress, "(PDF)"),
            )
        project = html.app.config.project
        label = shared_label(html.app.config)
        target = (output or srcdir / "_build" / f"{slugify(project)}-for-{label}.zip").resolve()
        pack(target, html.app, work / "html", work / "pdf" / pdf.app.builder.pdf_name)
    click.echo(f"For your {label}: {target}")
    report(merged(html, pdf))


@main.command()
@src_argument
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
