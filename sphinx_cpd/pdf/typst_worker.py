"""Lay one part of the PDF out with Typst, in a process of its own.

Run as a script (``python typst_worker.py``), not imported: it needs Typst and
pypdf only, so it starts in a fraction of a second without loading Sphinx, and
its memory (Typst keeps everything it lays out) goes when it ends. A forked
process would be quicker to start, but Typst's threads do not survive a fork.

Reads a JSON list of jobs from the file its argument names, each ``{"source": path of the .typ file,
"root": its folder, "pdf": where to write the PDF, "timestamp": seconds,
"accessible": whether to make PDF/UA-1}``; writes a JSON list of results on
standard output, each ``{"pages": n, "places": {label: [page from 0, top]}, "reserved":
{name: [page from 0, top]}, "marks": [[what, page from 0, x, y]], "seconds": s,
"error": ""}``
(the pages counted by the label ``cpd-part-end`` each part ends with; the marks
of the page numbers).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typst

#: The label of each page number's mark (:func:`sphinx_cpd.pdf.typst_text.number`).
NUMBERED = "cpd-n"
#: Where each labelled element is (a page number's mark aside): one query,
#: after the layout, for all of them.
PLACES = (
    f'query(selector(metadata).or(heading)).filter(e => e.has("label") and e.label != <{NUMBERED}>)'
    ".map(e => (str(e.label), e.location().position()))"
)
#: Where each page number's mark is (:func:`sphinx_cpd.pdf.typst_text.number`),
#: in points from the page's top left corner, and what it stands for.
MARKS = (
    f"query(<{NUMBERED}>).map(e => (e.value, e.location().page(),"
    " e.location().position().x / 1pt, e.location().position().y / 1pt))"
)

#: The label every part ends with.
END = "cpd-part-end"


def points(value: str) -> float:
    return float(value.removesuffix("pt"))


def lay_out(job: dict[str, object], fonts: typst.Fonts) -> dict[str, object]:
    """One part laid out. ``fonts``: the fonts the parts of this process share
    (``typst.Fonts``), looked up and loaded once, not for every part: a
    twentieth of a second each time, more than a short part's layout."""
    import typst

    started = time.perf_counter()
    try:
        compiler = typst.Compiler(str(job["source"]), root=str(job["root"]), font_paths=fonts)
        pdf = compiler.compile(
            pdf_standards="ua-1" if job["accessible"] else None,
            timestamp=int(str(job["timestamp"])),
        )
        if not isinstance(pdf, bytes):
            return {"error": "Typst gave no PDF"}
        places = {
            str(name): [int(where["page"]) - 1, points(where["y"])]
            for name, where in json.loads(compiler.eval(PLACES, format="json"))
        }
        marks = [
            [str(value), int(page) - 1, float(x), float(y)]
            for value, page, x, y in json.loads(compiler.eval(MARKS, format="json"))
        ]
        # The pages reserved for evidence record their own place.
        reserved = {
            str(value["name"]): [int(value["page"]) - 1, float(value["top"])]
            for value in json.loads(compiler.query("metadata", field="value"))
            if isinstance(value, dict) and value.get("kind") == "cpd-reserved"
        }
    except (typst.TypstError, RuntimeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {"error": message}
    Path(str(job["pdf"])).write_bytes(pdf)
    # The part ends with this label (pypdf would take longer to load than Typst
    # to lay a short part out).
    pages = places.pop(END, [0])[0] + 1
    return {
        "pages": pages,
        "places": places,
        "reserved": reserved,
        "marks": marks,
        "seconds": round(time.perf_counter() - started, 3),
        "error": "",
    }


if __name__ == "__main__":
    # A list of jobs, laid out one after the other (short parts share a process).
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    import typst

    fonts = typst.Fonts()
    json.dump([lay_out(job, fonts) for job in jobs], sys.stdout)
