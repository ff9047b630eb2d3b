"""The PDF's parts laid out by Typst, each in a process of its own, and their
page numbers set in.

A part is the cover and contents, a chapter, or the appendices. Its page
numbers (its first page, how many pages there are in all, the page of every
label another part refers to) are known only once every part is laid out. Only
the number of digits of a page number moves anything on a page (its digits are
all as wide), so each part is laid out with its numbers as zeros of the widths
of the last layout (of this build, or kept from the last build, or a guess)
until no width changes (:meth:`Layout.settle`), and the numbers are then set in
its PDF (:meth:`Layout.numbered`, :mod:`sphinx_cpd.pdf.renumber`). A part whose
text is the same as one laid out before, in this build or the last, is not laid
out again: an edit to one chapter lays out that chapter, and the others only if
a page number of theirs changed width.

Typst keeps what it lays out in memory for as long as its process lives, so
the parts are laid out in processes of their own, a long part alone and
shorter ones a few together (:mod:`sphinx_cpd.pdf.processes`), and at most
``jobs`` run at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sphinx_cpd.pdf.processes import Result, batches, lay_out_parts, result_of
from sphinx_cpd.pdf.typst_text import FIXED, PAGE, TOTAL

#: Layouts until the widths of the page numbers settle: one suffices unless
#: a number has more or fewer digits than it was laid out with.
MAX_PASSES = 5
#: The total a part's footer is laid out with: every digit, once.
SHAPE_TOTAL = 1234567890


@dataclass
class Plan:
    """What each part was laid out with, and what came of it."""

    counts: list[int]
    places: dict[str, tuple[int, float]]  # label: (page of the PDF from 0, top)
    results: list[Result]
    #: Whether the page numbers the parts were laid out for have the widths
    #: of those they produced (and so are theirs, once set in).
    settled: bool = False

    @classmethod
    def of(cls, results: list[Result]) -> Plan:
        """The numbers a layout of every part gave."""
        plan = cls([result.pages for result in results], {}, results)
        for first, result in zip(plan.starts, results, strict=True):
            for name, (local, top) in result.places.items():
                plan.places.setdefault(name, (first - 1 + local, top))
        return plan

    @property
    def total(self) -> int:
        return sum(self.counts)

    def page(self, name: str) -> str:
        """The page number of a label; not yet known: as wide as a number of its
        kind, so that little moves."""
        name = name.removeprefix(FIXED)
        if name in self.places:
            return str(self.places[name][0] + 1)
        return self.widest

    def zeros(self, name: str) -> str:
        """A label's page number as zeros: only its width moves anything (one
        with room for the last page's, :data:`FIXED`: that width)."""
        return self.widest if name.startswith(FIXED) else "0" * len(self.page(name))

    @property
    def widest(self) -> str:
        """Zeros as many as the last page's number has digits (two at least)."""
        return "0" * len(str(max(self.total, 10)))

    @property
    def starts(self) -> list[int]:
        """The number of each part's first page."""
        starts, page = [], 1
        for count in self.counts:
            starts.append(page)
            page += count
        return starts


def pages(places: dict[str, tuple[int, float]]) -> dict[str, int]:
    return {name: page for name, (page, _) in places.items()}


Render = Callable[[int, int, int, Callable[[str], str]], str]


def digits(first: int, total: int, label: Callable[[str], str]) -> Callable[[str, int], str]:
    """The digits of each page number of a part rendered with these arguments
    (``render(part, first, total, label)``), by what the number stands for and
    the page of the part it is on (from 0)."""

    def of(what: str, page: int) -> str:
        if what == PAGE:
            return str(first + page)
        return str(total) if what == TOTAL else label(what)

    return of


class Layout:
    """Lays the parts out, keeping each part's result by the hash of its text
    in ``cache`` (a folder kept between builds)."""

    def __init__(
        self,
        work: Path,
        cache: Path,
        timestamp: int,
        jobs: int,
        pictures: str,
        waiting: Callable[[], object] | None = None,
    ) -> None:
        self.work, self.cache, self.timestamp, self.jobs = work, cache, timestamp, jobs
        #: Work for this process while the first layout processes run.
        self.waiting = waiting
        self.cache.mkdir(parents=True, exist_ok=True)
        #: The digest of the pictures in ``work`` (freshness.folder_digest).
        self.pictures = pictures
        self.used: set[str] = set()
        #: Parts laid out, and parts whose page numbers were set in their PDF.
        self.laid_out = self.renumbered = 0
        self.passes = 0

    def key(self, source: str, accessible: bool) -> str:
        """What a part's layout depends on: its source, the pictures it may
        show (a picture changed under the same name is laid out again), and
        whether it is to be PDF/UA-1."""
        return hashlib.sha256(f"{accessible}\n{self.pictures}\n{source}".encode()).hexdigest()

    def known(self, key: str) -> Result | None:
        """A part laid out before, kept as its PDF and a JSON file of its
        pages, places and marks (plain files: a kept layout is data, never
        code), which name the PDF they belong to by its digest."""
        pdf, facts = self.cache / f"{key}.pdf", self.cache / f"{key}.json"
        if pdf.is_symlink() or facts.is_symlink():
            return None
        try:
            answer = json.loads(facts.read_text(encoding="utf-8"))
            result = result_of(answer, pdf)
            belongs = answer["pdf"] == hashlib.sha256(result.pdf).hexdigest()
        except (OSError, ValueError, LookupError, TypeError, AttributeError, RecursionError):
            return None  # not kept, or damaged (however deep): only a slower build
        return result if belongs and not result.error else None

    def keep(self, key: str, result: Result) -> None:
        facts = {
            "pages": result.pages,
            "places": result.places,
            "reserved": result.reserved,
            "marks": result.marks,
            "seconds": result.seconds,
            "pdf": hashlib.sha256(result.pdf).hexdigest(),
        }
        for path, data in (
            (self.cache / f"{key}.pdf", result.pdf),
            (self.cache / f"{key}.json", json.dumps(facts).encode()),
        ):
            # A new file, never through a link someone left in its place.
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not kept: only a slower next build
                path.write_bytes(data)

    def run(
        self, sources: list[str], accessible: bool, took: dict[int, float] | None = None
    ) -> list[Result]:
        """Each part laid out (or as kept); ``took``: how long each took to
        lay out the last time, where known (:func:`batches`)."""
        results: dict[int, Result] = {}
        missing: list[int] = []
        for index, source in enumerate(sources):
            key = self.key(source, accessible)
            self.used.add(key)
            found = self.known(key)
            if found is None:
                missing.append(index)
            else:
                results[index] = found
        groups = batches({index: len(sources[index]) for index in missing}, self.jobs, took)
        running = threading.Semaphore(0)
        with ThreadPoolExecutor(max_workers=max(1, self.jobs)) as pool:
            # Threads only wait here: the parts are laid out in processes.
            done = pool.map(
                lambda group: lay_out_parts(
                    [sources[i] for i in group],
                    self.work,
                    self.timestamp,
                    accessible,
                    running.release,
                ),
                groups,
            )
            if self.waiting is not None and groups:
                # Once as many processes run as will at once (or a few seconds
                # have gone: a process that cannot start says so in its result).
                for _ in range(min(len(groups), max(1, self.jobs))):
                    running.acquire(timeout=5)
                self.waiting()
                self.waiting = None
            laid = [result for group in done for result in group]
        missing = [index for group in groups for index in group]
        for index, result in zip(missing, laid, strict=True):
            results[index] = result
            self.laid_out += 1
            if not result.error:
                self.keep(self.key(sources[index], accessible), result)
        return [results[index] for index in range(len(sources))]

    def settle(self, render: Render, plan: Plan, accessible: bool) -> Plan:
        """Lay the parts out until the widths of the page numbers they are laid
        out with are those of the numbers they produce. ``render(part, first
        page, total, page_of_label)`` is a part's source; ``plan`` has a count of
        pages for each part: those of the last layout, or a guess
        (:func:`sphinx_cpd.pdf.produce.guess`). Each part is laid out with its
        numbers as zeros of their widths (:meth:`Plan.zeros`), its footer's
        total as ten digits (so that its fonts have every digit), and its
        first page as 1; :meth:`numbered` sets the numbers in."""
        count = len(plan.counts)
        shapes = [render(i, 1, SHAPE_TOTAL, plan.zeros) for i in range(count)]
        for _ in range(MAX_PASSES):
            took = {i: result.seconds for i, result in enumerate(plan.results)}
            results = self.run(shapes, accessible, took)
            if any(result.error for result in results):
                return Plan(plan.counts, plan.places, results)
            plan = Plan.of(results)
            self.passes += 1
            # Settled when every number has the width it was laid out with
            # (the pages, and where each label is on them, come from this layout).
            following = [render(i, 1, SHAPE_TOTAL, plan.zeros) for i in range(count)]
            if following == shapes:
                plan.settled = True
                return plan
            shapes = following
        return plan

    def numbered(self, render: Render, plan: Plan, accessible: bool) -> list[Result]:
        """Each part of a settled ``plan`` with its page numbers set in its PDF
        (:mod:`sphinx_cpd.pdf.renumber`), in forked processes for a long
        portfolio (a tenth of a second for every 40 pages). A part whose
        numbers cannot be set in (its bold or italic font lacks a digit, its
        text runs right to left, or a kept part is damaged) is laid out with
        them instead; if that moves its pages, the plan is not settled."""
        from sphinx_cpd.pdf.forked import side_by_side
        from sphinx_cpd.pdf.renumber import renumber

        starts, total = plan.starts, plan.total
        #: The digits every part was laid out with (:meth:`settle`).
        laid = digits(1, SHAPE_TOTAL, plan.zeros)

        def work(index: int) -> bytes | None:
            result, wanted = plan.results[index], digits(starts[index], total, plan.page)
            try:
                return renumber(result.pdf, result.marks, wanted, laid)
            except Exception:  # renumber.Unexpected, or a kept part damaged inside
                return None  # laid out with its numbers instead, never raised

        done = side_by_side(work, [len(result.pdf) for result in plan.results], self.jobs)
        missing = [index for index, pdf in enumerate(done) if pdf is None]
        self.renumbered += len(done) - len(missing)
        laid_out = self.run([render(i, starts[i], total, plan.page) for i in missing], accessible)
        again = dict(zip(missing, laid_out, strict=True))
        for index, result in again.items():
            shaped = plan.results[index]
            if (result.pages, pages(result.places)) != (shaped.pages, pages(shaped.places)):
                plan.settled = False
        return [
            again[index] if pdf is None else replace(result, pdf=pdf)
            for index, (result, pdf) in enumerate(zip(plan.results, done, strict=True))
        ]

    def forget_unused(self) -> None:
        """Results no part of this build used are removed."""
        for path in [*self.cache.glob("*.pdf"), *self.cache.glob("*.json")]:
            if path.stem not in self.used and path.name != "plan.json":
                path.unlink(missing_ok=True)
