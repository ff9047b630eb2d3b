"""Typst's layout processes: each lays parts out one after the other, as
:mod:`sphinx_cpd.pdf.typst_worker` (a script of its own, not a fork: Typst's
threads do not survive one), and :func:`batches` says which parts go together.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
