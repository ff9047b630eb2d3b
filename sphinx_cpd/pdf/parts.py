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
each part has a process of its own (:mod:`sphinx_cpd.pdf.typst_worker`), and at
most ``jobs`` run at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sphinx_cpd.pdf.typst_text import PAGE, TOTAL

#: Layouts until the widths of the page numbers settle: one suffices unless
#: a number has more or fewer digits than it was laid out with.
MAX_PASSES = 5
#: The total a part's footer is laid out with: every digit, once.
SHAPE_TOTAL = 1234567890
#: Source a layout process is given at most, in parts laid out one after the
#: other (a longer part alone). Typst keeps all it lays out until its process
#: ends (about 50 MB for a year of entries, 220 KB), but a part laid out in a
#: fresh process takes a fifth of a second longer (its fonts and caches cold).
PROCESS_SOURCE = 500_000


@dataclass
class Result:
    """One part, laid out."""

    pdf: bytes = b""
    pages: int = 0
    #: Label: (page in the part, from 0; distance from the page's top, points).
    places: dict[str, tuple[int, float]] = field(default_factory=dict)
    reserved: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: Its page numbers' marks (:data:`sphinx_cpd.pdf.renumber.Mark`).
    marks: list[tuple[str, int, float, float]] = field(default_factory=list)
    #: How long its layout took, in seconds.
    seconds: float = 0.0
    #: Why the part could not be laid out (a bug of ours), or "".
    error: str = ""


WORKER = Path(__file__).with_name("typst_worker.py")


def lay_out_parts(
    sources: list[str],
    work: Path,
    timestamp: int,
    accessible: bool,
    started: Callable[[], object] = lambda: None,
) -> list[Result]:
    """Lay parts out, one after the other, in a process of their own (see
    :mod:`typst_worker`); ``started`` is called once the process has its work."""
    files = []
    for source in sources:
        name = hashlib.sha256(source.encode()).hexdigest()[:20]
        typ, pdf = work / f"part-{name}.typ", work / f"part-{name}.pdf"
        typ.write_text(source, encoding="utf-8")
        files.append((typ, pdf))
    jobs = [
        {
            "source": str(typ),
            "root": str(work),
            "pdf": str(pdf),
            "timestamp": timestamp,
            "accessible": accessible,
        }
        for typ, pdf in files
    ]
    listed = work / f"jobs-{files[0][0].stem}.json"
    listed.write_text(json.dumps(jobs), encoding="utf-8")
    try:
        try:
            process = subprocess.Popen(
                # -P: nothing beside the script or in the working folder can stand
                # in for a module (user site-packages stay, where sphinx-cpd may be).
                [sys.executable, "-P", str(WORKER), str(listed)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        finally:
            started()
        stdout, stderr = process.communicate()
        try:
            answers = json.loads(stdout)
        except ValueError:
            last = (stderr.strip().splitlines() or ["no answer"])[-1]
            return [Result(error=f"the layout process failed: {last}") for _ in sources]
        return [result_of(answer, pdf) for answer, (_, pdf) in zip(answers, files, strict=True)]
    finally:
        listed.unlink(missing_ok=True)
        for typ, pdf in files:
            typ.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)


def result_of(answer: dict[str, Any], pdf: Path) -> Result:
    if answer.get("error"):
        return Result(error=str(answer["error"]))
    return Result(
        pdf.read_bytes() if pdf.is_file() else b"",
        int(answer["pages"]),
        {str(k): (int(v[0]), float(v[1])) for k, v in answer["places"].items()},
        {str(k): (int(v[0]), float(v[1])) for k, v in answer["reserved"].items()},
        [(str(v), int(p), float(x), float(y)) for v, p, x, y in answer["marks"]],
        float(answer.get("seconds", 0.0)),
    )


def batches(
    sizes: dict[int, int], jobs: int, took: dict[int, float] | None = None
) -> list[list[int]]:
    """Parts grouped for processes: a long part alone (its memory goes with its
    process), shorter ones together up to :data:`PROCESS_SOURCE`, in at least
    ``jobs`` processes; longest first so that the processes end together: by
    the time a part ``took`` the last time where known (a page of tables takes
    twice one of prose), or else by its size."""
    took = {index: seconds for index, seconds in (took or {}).items() if seconds > 0}
    rate = sum(took.get(i, 0) for i in sizes) / max(1, sum(sizes[i] for i in sizes if i in took))
    cost = {index: took.get(index, sizes[index] * (rate or 1.0)) for index in sizes}
    groups: list[list[int]] = [[] for _ in range(min(max(1, jobs), len(sizes)))]
    for index in sorted(sizes, key=lambda index: -cost[index]):
        room = [
            group
            for group in groups
            if not group or sum(sizes[i] for i in group) + sizes[index] <= PROCESS_SOURCE
        ]
        if room:
            min(room, key=lambda group: sum(cost[i] for i in group)).append(index)
        else:
            groups.append([index])
    return sorted(groups, key=lambda group: -sum(cost[i] for i in group))


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
        if name in self.places:
            return str(self.places[name][0] + 1)
        return "0" * len(str(max(self.total, 10)))

    def zeros(self, name: str) -> str:
        """A label's page number as zeros: only its width moves anything."""
        return "0" * len(self.page(name))

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
