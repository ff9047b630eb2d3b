"""From the portfolio's Typst parts to the PDF: lay the parts out
(:mod:`sphinx_cpd.pdf.parts`), join them (:mod:`sphinx_cpd.pdf.merge`) and set
the evidence pages in (:mod:`sphinx_cpd.pdf.placing`)."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx_cpd.pdf import freshness, placing
from sphinx_cpd.pdf.appendices import Appendix
from sphinx_cpd.pdf.marks import Bookmark, Place
from sphinx_cpd.pdf.memory import collector_paused
from sphinx_cpd.pdf.merge import Merger, Part
from sphinx_cpd.pdf.parts import Layout, Plan
from sphinx_cpd.pdf.typst_document import (
    Setup,
    appendix,
    contents,
    contents_spread,
    cover,
    preamble,
)
from sphinx_cpd.pdf.typst_text import fill
from sphinx_cpd.pdf.typst_worker import END

#: Characters of text a page holds, about, once the markup (page numbers'
#: places, links' addresses, labels, function names, brackets) is left out:
#: for the first guess of pages. Left in, a page of tables, whose links name
#: long labels, held twice the source of a page of prose; this way the kinds
#: of page differ by a third.
SHOWN_PER_PAGE = 2400
_MARKUP = re.compile(
    # A page number's place (its label), a link's or a mark's string (a label,
    # an address), a label, a function's name, brackets: what is not text.
    r'\ue000[^\ue001]*\ue001|#(?:link|metadata)\("(?:[^"\\]|\\.)*"\)'
    r"|<[A-Za-z0-9_.:-]+>|#[a-z.]+(?=[\[(])|[\[\]();]"
)
_LABELLED = re.compile(r"<([A-Za-z0-9_.:-]+)>")
END_LABEL = f"\n#metadata(none)<{END}>\n"


@dataclass
class Sources:
    """The parts of the PDF as Typst markup, before their page numbers are known."""

    setup: Setup
    bodies: list[str]
    headings: list[Bookmark]
    evidence: list[Appendix]
    pictures: dict[int, str]

    @property
    def appendices(self) -> str:
        return "".join(appendix(item, self.pictures.get(item.number)) for item in self.evidence)

    @property
    def bookmarks(self) -> list[Bookmark]:
        return self.headings + [Bookmark(1, item.heading, item.anchor) for item in self.evidence]

    def texts(self, spread: float = 0.0) -> list[str]:
        front = cover(self.setup) + contents(self.bookmarks, spread)
        return [front, *self.bodies, *([self.appendices] if self.evidence else [])]


def _load(path: Path) -> Plan | None:
    """The page numbers of the last build, to lay the parts out with first
    (anything unusable in them: none, and the parts are laid out from a guess)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        counts = [int(n) for n in data["counts"]]
        places = {str(k): (int(v[0]), float(v[1])) for k, v in data["places"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    total = sum(counts)
    if not all(0 < n < 1_000_000 for n in counts) or not all(
        0 <= page < total and 0 <= top < 100_000 for page, top in places.values()
    ):
        return None
    return Plan(counts, places, [])


def _save(path: Path, plan: Plan) -> None:
    data = {"counts": plan.counts, "places": plan.places}
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink():
        path.unlink()
    with contextlib.suppress(OSError):  # not kept: the next build guesses again
        path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")


def guess(texts: list[str]) -> Plan:
    """A first guess at how many pages each part has and where every label
    is, from how much text it has and how far into it the label stands (a
    page holds about :data:`SHOWN_PER_PAGE` characters of it): page numbers
    not yet known are then given about as many digits as they will have, and
    the first layout moves little when they are known."""
    counts: list[int] = []
    places: dict[str, tuple[int, float]] = {}
    first = 0
    for text in texts:
        found = [(label.start(), label.group(1)) for label in _LABELLED.finditer(text)]
        shown, done, at = 0, 0, []
        for start, name in found:
            shown += len(_MARKUP.sub("", text[done:start]))
            done = start
            at.append((shown // SHOWN_PER_PAGE, name))
        shown += len(_MARKUP.sub("", text[done:]))
        count = max(1, shown // SHOWN_PER_PAGE)
        for page, name in at:
            places.setdefault(name, (first + min(count - 1, page), 0.0))
        counts.append(count)
        first += count
    return Plan(counts, places, [])


def make_pdf(
    sources: Sources,
    work: Path,
    cache: Path,
    timestamp: int,
    jobs: int,
    warn: Callable[[str], None],
    info: Callable[[str], None] = lambda message: None,
    retry: bool = True,
    pictures: str | None = None,
    waiting: Callable[[], object] | None = None,
) -> bytes | None:
    """The PDF's bytes, or None (with a warning) if Typst cannot lay it out.
    ``pictures``: the digest of the pictures in ``work``, if the caller has it;
    ``waiting``: work to do once the layout processes have started."""
    setup = sources.setup
    pictures = pictures or freshness.folder_digest(work)
    layout = Layout(work, cache, timestamp, jobs, pictures, waiting)
    texts = sources.texts()

    def render(index: int, first: int, total: int, page: Callable[[str], str]) -> str:
        # Each part ends with a label, whose page is the part's last. (``texts``
        # is read when called: the contents may be spread out below.)
        return preamble(setup, first, total) + fill(texts[index], page) + END_LABEL

    plan = _load(cache / "plan.json")
    if plan is None or len(plan.counts) != len(texts):
        # None kept, or kept for other parts (a chapter added or taken away).
        plan = guess(texts)
    for accessible in (True, False):
        plan = layout.settle(render, plan, accessible)
        failed = next((result.error for result in plan.results if result.error), "")
        if not failed:
            break
        if accessible:
            # PDF/UA-1 refuses what no font here can show (an emoji, a script
            # without a font): the PDF is still made, tagged, and says why.
            warn(f"the PDF is not PDF/UA-1: {failed}")
        else:  # a bug of ours: said, and the build goes on
            warn(f"the PDF could not be laid out: {failed}")
            return None
    entries = sum(1 for mark in sources.bookmarks if mark.level <= 2)
    spread = contents_spread(plan.places, entries, setup.body_top, setup.body.height)
    if spread:
        # Only the contents change; the other parts are laid out already.
        texts = sources.texts(spread)
        plan = layout.settle(render, plan, accessible)
    numbered = layout.numbered(render, plan, accessible)
    failed = next((result.error for result in numbered if result.error), "")
    if failed:  # laid out as it was a moment ago, but not now: a bug of ours
        warn(f"the PDF could not be laid out: {failed}")
        return None
    if not plan.settled:
        warn("the PDF's page numbers did not settle; some references may name the wrong page")
    _save(cache / "plan.json", plan)
    layout.forget_unused()
    info(
        f"sphinx-cpd: {len(texts)} part(s), {layout.laid_out} layout(s) in "
        f"{layout.passes} pass(es) (a part unchanged since the last build is kept); "
        f"page numbers set in {layout.renumbered}"
    )
    places = {name: Place(page, where) for name, (page, where) in plan.places.items()}
    pdfs = [result.pdf for result in numbered]
    try:
        if sources.evidence:
            # Set in on the appendices' own part, before the parts are joined:
            # an update of a hundred pages, not of the whole portfolio.
            pdfs[-1] = placing.place_pages(
                numbered[-1].reserved, pdfs[-1], sources.evidence, setup.body, setup.body_top
            )
        # Joining makes and drops many small objects, none in a cycle: the
        # collector would only walk everything else alive, again and again.
        with collector_paused():
            joined = Merger([Part.read(pdf) for pdf in pdfs], jobs)
            return joined.join(places, sources.bookmarks, setup.page_height)
    except Exception as exc:  # a kept part damaged on disk, or a bug: said, not raised
        if layout.laid_out < len(texts) and retry:
            # Some parts came from the folder kept between builds: lay all out afresh.
            for kept in [*cache.glob("*.pdf"), *cache.glob("*.json")]:
                kept.unlink(missing_ok=True)
            return make_pdf(
                sources, work, cache, timestamp, jobs, warn, info, retry=False, pictures=pictures
            )
        warn(f"the PDF's parts could not be joined ({type(exc).__name__}: {exc})")
        return None
