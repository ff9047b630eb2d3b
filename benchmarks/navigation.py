"""The navigation at portfolio scale: its size on every page, the build's time,
and the page as a person sees it, on a generated portfolio.

    python benchmarks/navigation.py [--sizes 500,2000] [--output FILE]

The navigation holds the root's groups and only the current branch, with a
window of a long section, so its size per page should not grow with the
portfolio. Sample pages (the front page with the dashboard, the listings, a
year, the first, middle and last entries) are loaded in Chromium at 360 and
1280 px, light and dark, and checked with axe-core (pages under a megabyte)
and :mod:`tests.seen`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402  (benchmarks/ is not a package)
from run import build  # noqa: E402

NAV = re.compile(r'<nav class="cpd-nav".*?</nav>', re.S)
CHROMIUM = "/usr/lib/chromium/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: axe-core takes minutes on a page of several megabytes (the listings of every
#: entry); such pages get the person-sees checks only. The browser tests run
#: axe on every page of the example.
AXE_LIMIT = 1_000_000


def nav_sizes(out: Path) -> tuple[list[int], list[int]]:
    """Bytes and links of the navigation on every page."""
    sizes, links = [], []
    for page in out.rglob("*.html"):
        match = NAV.search(page.read_text(encoding="utf-8"))
        if match:
            sizes.append(len(match.group(0).encode()))
            links.append(match.group(0).count("<a "))
    return sizes, links


def samples(out: Path) -> list[str]:
    entries = sorted(str(p.relative_to(out)) for p in (out / "entries").glob("*.html"))
    years = sorted(str(p.relative_to(out)) for p in out.glob("year-*.html"))
    return [
        "index.html",
        "listings.html",
        years[len(years) // 2],
        entries[0],
        entries[len(entries) // 2],
        entries[-1],
    ]


def seen_in_browser(out: Path, pages: list[str]) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests import seen

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        axe = Axe()
        for width, height in ((360, 740), (1280, 800)):
            for scheme in ("light", "dark"):
                page = browser.new_page(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                for name in pages:
                    page.goto((out / name).as_uri())
                    found = seen.problems(page, phone=width < 600)
                    if (out / name).stat().st_size < AXE_LIMIT:
                        results = axe.run(
                            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
                        )
                        found += [v["id"] for v in results.response["violations"]]
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - "
                        "document.documentElement.clientWidth"
                    )
                    if overflow > 0:
                        found.append(f"scrolls sideways by {overflow}px")
                    problems += [f"{name} at {width}px, {scheme}: {p}" for p in found]
                page.close()
        browser.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--output", type=Path, default=Path("_build/bench/navigation.md"))
    args = parser.parse_args()
    lines = [
        "| N | pages | build, serial (s) | nav bytes per page: median / max | nav links: max |",
        "|---|---|---|---|---|",
    ]
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cpd-nav-") as temp:
        root = Path(temp)
        for size in (int(s) for s in args.sizes.split(",")):
            ours, _ = generate(size, root / f"n{size}")
            out = root / f"out-{size}"
            seconds, _, _ = build(ours, out)
            sizes, links = nav_sizes(out)
            lines.append(
                f"| {size} | {len(sizes)} | {seconds:.1f} | {statistics.median(sizes):.0f} / "
                f"{max(sizes)} | {max(links)} |"
            )
            print(lines[-1], flush=True)
            checked = samples(out)
            found = seen_in_browser(out, checked)
            problems += found
            lines.append(
                f"|  | Chromium, {len(checked)} sample pages × 360/1280 px × light/dark: "
                f"{len(found)} problems | | | |"
            )
            print(lines[-1], flush=True)
    report = "\n".join([*lines, "", *problems]) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
