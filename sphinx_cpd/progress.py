"""The command line's progress display: reading, writing and laying out as bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def watch(app: Sphinx, progress: Progress, label: str) -> None:
    """Show reading, writing and (for the PDF) laying out as progress bars."""
    reading = progress.add_task(f"Reading {label}".strip(), total=None)
    writing = progress.add_task(f"Writing {label}".strip(), total=None, visible=False)

    def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        progress.update(reading, total=max(len(docnames), 1), completed=0)

    def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
        progress.advance(reading)

    def env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
        task = progress.tasks[reading]
        progress.update(reading, completed=task.total or 1, total=task.total or 1)
        progress.update(writing, visible=True, total=max(len(env.all_docs), 1))
        return []

    def resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        progress.advance(writing)

    def finished(app: Sphinx, exception: Exception | None) -> None:
        task = progress.tasks[writing]
        progress.update(writing, completed=task.total or 1, total=task.total or 1)

    app.connect("env-before-read-docs", before_read)
    app.connect("source-read", source_read)
    app.connect("env-updated", env_updated)
    app.connect("doctree-resolved", resolved)
    app.connect("build-finished", finished, priority=100)


@contextmanager
def progress_display(console: Console) -> Iterator[Progress]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield progress
