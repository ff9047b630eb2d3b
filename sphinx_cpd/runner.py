"""Running Sphinx, and collecting its warnings as records, not as printed text.

A :class:`Collector` is a :mod:`logging` handler on Sphinx's logger, with
Sphinx's own filters (``suppress_warnings``, locations, warn-once), so each
problem keeps its file, line, type and subtype. The command line and the tests
both use it; nothing reads warnings back out of printed text.
"""

from __future__ import annotations

import copy
import io
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from sphinx.util import logging as sphinx_logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx


@dataclass(frozen=True, slots=True)
class Problem:
    """One warning: where it is, what it says, and its type (``cpd.date``)."""

    file: str | None
    line: int | None
    message: str
    type: str | None

    def relative(self, root: Path) -> Problem:
        """The same problem, its file named relative to ``root`` where it is inside."""
        if self.file is None:
            return self
        try:
            return Problem(os.path.relpath(self.file, root), self.line, self.message, self.type)
        except ValueError:  # another drive, on Windows
            return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}" + (f" [{self.type}]" if self.type else "")


class Collector(sphinx_logging.WarningStreamHandler):
    """Keeps every warning of a Sphinx application as a :class:`Problem`.

    A warning handler to Sphinx (so that Sphinx holds warnings back, and hands
    them over once, as it does to its own), with its ``suppress_warnings`` and
    warn-once filters.
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__(io.StringIO())  # type: ignore[arg-type]
        self.setLevel(logging.WARNING)
        self.problems: list[Problem] = []
        self.translator = sphinx_logging.WarningLogRecordTranslator(app)
        self.addFilter(sphinx_logging.WarningSuppressor(app))
        self.addFilter(sphinx_logging.OnceFilter())

    def emit(self, record: logging.LogRecord) -> None:
        # A copy: Sphinx's own handler reads the same record.
        record = copy.copy(record)
        self.translator.filter(record)  # type: ignore[arg-type]
        location = getattr(record, "location", None)
        file: str | None = None
        line: int | None = None
        if isinstance(location, str) and location:
            head, _, tail = location.rpartition(":")
            file, line = (head, int(tail)) if head and tail.isdigit() else (location, None)
        kind = getattr(record, "type", None)
        subtype = getattr(record, "subtype", None)
        full = f"{kind}.{subtype}" if kind and subtype else kind or None
        # The message as written: without where and the type, which Sphinx adds.
        message = logging.LogRecord.getMessage(record)
        while full and message.endswith(f" [{full}]"):
            message = message.removesuffix(f" [{full}]")
        self.problems.append(Problem(file or None, line, message, full))


@contextmanager
def collecting() -> Iterator[list[Collector]]:
    """Collect the warnings of every Sphinx application made in this block.

    Sphinx sets up its logging (and removes other handlers) when an application
    is made; the collector is added right after, before any extension loads.
    """
    collectors: list[Collector] = []
    original = sphinx_logging.setup

    def setup(app: Sphinx, status: Any, warning: Any, *args: Any, **kwargs: Any) -> None:
        original(app, status, warning, *args, **kwargs)
        collector = Collector(app)
        logging.getLogger(sphinx_logging.NAMESPACE).addHandler(collector)
        collectors.append(collector)

    with mock.patch.object(sphinx_logging, "setup", setup):
        yield collectors


@dataclass
class Outcome:
    """What a Sphinx run left behind: the app, and its problems."""

    app: Any
    problems: list[Problem]


def run_sphinx(
    srcdir: Path,
    outdir: Path,
    builder: str,
    *,
    doctreedir: Path,
    audience: str | None = None,
    parallel: int = 1,
    watch: Callable[[Any], None] | None = None,
) -> Outcome:
    """Build once with Sphinx's API; problems relative to the portfolio's folder.

    Sphinx's own errors (a broken ``conf.py``, an unknown audience) are raised.
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides = {"cpd_audience": audience} if audience else {}
    with collecting() as collectors, patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(
            srcdir,
            srcdir,
            outdir,
            doctreedir,
            builder,
            confoverrides=overrides,
            status=None,
            warning=io.StringIO(),
            parallel=parallel,
        )
        if watch is not None:
            watch(app)
        app.build()
    problems = [p.relative(srcdir) for c in collectors for p in c.problems]
    return Outcome(app, problems)
