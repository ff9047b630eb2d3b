"""Time sphinx-cpd against plain Sphinx on the same prose, and write a report.

    python benchmarks/run.py [--sizes 100,500,2000] [--pdf-sizes 100,500,2000]
        [--runs 3] [--output FILE]

Every build runs in a fresh process on a fresh output folder, as a user's does.
Ratios compare builds made in the same run, so a slower or busier machine
changes the times but not much the ratios. Medians of ``--runs`` runs (one run
at the largest size, to stay within the time budget of ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from sphinx_cpd.theme import OWN_ASSETS as THEME_FILES


def build(
    source: Path, out: Path, builder: str = "html", jobs: int = 1, fresh: bool = True
) -> tuple[float, float, str]:
    """One build in a process of its own (fresh: on a new output folder):
    (seconds, peak MiB, status output)."""
    if fresh and out.exists():
        shutil.rmtree(out)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        "-j",
        str(jobs),
        str(source),
        str(out),
    ]
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
        # wait4 gives this child's own peak memory (ru_maxrss, in KiB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode:
        raise SystemExit(f"build failed ({' '.join(command)}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def pdf_pages(out: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(next(out.glob("*.pdf"))).pages)


def rebuild(source: Path, out: Path) -> tuple[float, str]:
    """An incremental build of an existing output folder."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(source), str(out)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout


def documents(output: str, phase: str) -> list[str]:
    """The documents a build's status output says it read or wrote."""
    found = re.findall(rf"{phase}\.\.\. \[\s*\d+%\] (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", output))
    return sorted(set(found))


def edit_one_reflection(source: Path) -> str:
    page = sorted((source / "entries").glob("*.md"))[
        len(list((source / "entries").glob("*.md"))) // 2
    ]
    text = page.read_text()
    page.write_text(
        text.replace(":::{stage} so-what\n", ":::{stage} so-what\nOne more thought.\n", 1)
    )
    return f"entries/{page.stem}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pdf-sizes", type=lambda text: [int(n) for n in text.split(",")], default=[100, 500, 2000]
    )
    parser.add_argument("--output", type=Path, default=Path("_build/bench/report.md"))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    lines = [
        "# sphinx-cpd benchmark",
        "",
        f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}. "
        "Times in seconds, medians; memory is the peak of the main process.",
        "",
        "| N | plain, serial | sphinx-cpd, serial | ratio | plain, -j 2 | sphinx-cpd, -j 2 | ratio | peak MiB (cpd / plain) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    serial_times: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="cpd-bench-") as temp:
        root = Path(temp)
        for size in sizes:
            ours, plain = generate(size, root / f"n{size}")
            runs = args.runs if size < max(sizes) else 1
            results: dict[tuple[str, int], list[tuple[float, float]]] = {}
            for _ in range(runs):
                for name, source in (("plain", plain), ("cpd", ours)):
                    for jobs in (1, 2):
                        seconds, peak, _ = build(source, root / f"out-{name}-{jobs}", jobs=jobs)
                        results.setdefault((name, jobs), []).append((seconds, peak))
                        print(
                            f"N={size} {name} -j{jobs}: {seconds:.1f}s {peak:.0f} MiB", flush=True
                        )
            t = {key: median([s for s, _ in values]) for key, values in results.items()}
            m = {key: max(p for _, p in values) for key, values in results.items()}
            serial_times[size] = t[("cpd", 1)]
            lines.append(
                f"| {size} | {t[('plain', 1)]:.1f} | {t[('cpd', 1)]:.1f} | "
                f"{t[('cpd', 1)] / t[('plain', 1)]:.2f} | {t[('plain', 2)]:.1f} | "
                f"{t[('cpd', 2)]:.1f} | {t[('cpd', 2)] / t[('plain', 2)]:.2f} | "
                f"{m[('cpd', 1)]:.0f} / {m[('plain', 1)]:.0f} |"
            )
            if size == max(sizes):
                # The incremental build, on the serial output just made.
                changed = edit_one_reflection(ours)
                seconds, output = rebuild(ours, root / "out-cpd-1")
                read, written = (
                    documents(output, "reading sources"),
                    documents(output, "writing output"),
                )
                edit_one_reflection(plain)
                plain_seconds, _ = rebuild(plain, root / "out-plain-1")
                incremental = (
                    f"Edit one reflection ({changed}) at N = {size}, then rebuild: "
                    f"sphinx-cpd {seconds:.1f} s (plain {plain_seconds:.1f} s); "
                    f"re-read {len(read)} ({', '.join(read)}), "
                    f"re-wrote {len(written)} ({', '.join(written)})."
                )
                print(incremental, flush=True)
        lines += ["", incremental, ""]
        if len(sizes) > 1 and min(sizes) < max(sizes):
            small = sorted(sizes)[-2]
            growth = serial_times[max(sizes)] / serial_times[small]
            lines.append(
                f"Growth: time at N = {max(sizes)} is {growth:.2f}× time at N = {small} "
                f"(linear would be {max(sizes) / small:.1f}×)."
            )
        lines += [
            "",
            "PDF (`cpdpdf`, `-j 2`, fresh output folder; then the same build again "
            "with nothing changed):",
            "",
            "| N | seconds | peak MiB | pages | pages/s | again, nothing changed (s) |",
            "|---|---|---|---|---|---|",
        ]
        for size in sorted({*args.pdf_sizes}):
            ours, _ = generate(size, root / f"pdf{size}")
            out = root / f"out-pdf{size}"
            seconds, peak, _ = build(ours, out, builder="cpdpdf", jobs=2)
            pages = pdf_pages(out)
            again, _, output = build(ours, out, builder="cpdpdf", jobs=2, fresh=False)
            if "nothing changed" not in output:
                raise SystemExit(f"the unchanged PDF was laid out again:\n{output[-2000:]}")
            print(f"PDF N={size}: {seconds:.1f}s {peak:.0f} MiB {pages} pages", flush=True)
            lines.append(
                f"| {size} | {seconds:.1f} | {peak:.0f} | {pages} | {pages / seconds:.1f} "
                f"| {again:.1f} |"
            )
        lines.append("")
        html = (root / "out-cpd-1" / "index.html").read_text()
        sizes_bytes = sum(
            (root / "out-cpd-1" / "_static" / name).stat().st_size
            for name in THEME_FILES
            if f"_static/{name}" in html
        )
        lines.append(f"Theme CSS + JS loaded per page: {sizes_bytes / 1024:.1f} KB.")
    report = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    print(f"Report written to {args.output}")


if __name__ == "__main__":
    main()
