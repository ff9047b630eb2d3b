"""The theme in a real browser: every page of the example, on a phone and a desktop,
light and dark, checked with axe-core, for sideways scrolling and console errors,
and measured as a person sees it (:mod:`tests.seen`).

Chromium is Debian's (``apt-get install chromium``); Playwright drives it
through ``executable_path``. In CI (``CPD_REQUIRE_TOOLS``) a missing browser
fails these tests instead of skipping them.
"""

from __future__ import annotations

import functools
import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sphinx.cmd.build import build_main

from sphinx_cpd.theme import OWN_ASSETS
from tests import seen
from tests.conftest import EXAMPLE, cell_text, require_tool

CHROMIUM = next(
    (
        path
        for path in ("/usr/lib/chromium/chromium", shutil.which("chromium"))
        if path and Path(path).exists()
    ),
    None,
)
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The example portfolio, built and served on a loopback port."""
    out = tmp_path_factory.mktemp("site") / "html"
    assert build_main(["-q", "-W", "-b", "html", str(EXAMPLE), str(out)]) == 0
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_tool("Chromium (apt-get install chromium)", CHROMIUM is not None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a test dependency
        require_tool("Playwright (pip install playwright)", False)
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_is_accessible_and_fits(
    site: tuple[str, list[str]], browser: object, viewport: str, scheme: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, pages = site
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, color_scheme=scheme
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for name in pages:
        # "load": every script, style sheet, font and image the page names has
        # arrived. Nothing is fetched later (the theme's script fetches nothing;
        # Sphinx's search fetches only for a query in the address, and its index
        # is a deferred script), and "networkidle" adds half a second a page.
        page.goto(f"{base}/{name}", wait_until="load")
        # What a person sees: the page as wide as the window, and not blank.
        with Image.open(io.BytesIO(page.screenshot(full_page=True))) as shot:
            if shot.width != width:
                problems.setdefault(name, []).append(f"the page is {shot.width}px wide")
            if len(shot.convert("L").getcolors(maxcolors=256 * 256) or ()) < 3:
                problems.setdefault(name, []).append("the page looks blank")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]
        ]
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            violations.append(f"the page scrolls sideways by {overflow}px")
        dark = (
            page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        )
        if dark != (scheme == "dark"):
            violations.append(f"the {scheme} scheme was not applied")
        # What axe-core cannot see: bars struck through references, overlaps,
        # dates broken over two lines, a heading pushed off a phone's first screen.
        violations += seen.problems(page, phone=viewport == "phone")
        if violations:
            problems.setdefault(name, []).extend(violations)
    context.close()
    assert problems == {}
    assert errors == []


def test_print_hides_navigation_and_is_never_dark(
    site: tuple[str, list[str]], browser: object
) -> None:
    base, _ = site
    context = browser.new_context(color_scheme="dark")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/log.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.cpd-nav')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('.cpd-skip')).display") == "none"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    link = "document.querySelector('.cpd-footer a[href^=\"http\"]')"
    printed = page.evaluate(f"getComputedStyle({link}, '::after').content")
    assert "creativecommons.org" in printed
    context.close()


def test_scheme_toggle_is_remembered_without_a_flash(
    site: tuple[str, list[str]], browser: object
) -> None:
    base, _ = site
    context = browser.new_context(color_scheme="light")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/index.html")
    toggle = page.locator(".cpd-scheme-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    # On the next page the choice is applied before the first paint: the inline
    # script in <head> has set it by the time the DOM is parsed.
    page.goto(f"{base}/log.html", wait_until="commit")
    page.wait_for_selector("body")
    assert page.evaluate("document.documentElement.dataset.scheme") == "dark"
    context.close()


def test_keyboard_reaches_skip_link_and_navigation(
    site: tuple[str, list[str]], browser: object
) -> None:
    base, _ = site
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "cpd-skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    focused = set()
    page.goto(f"{base}/index.html")
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.add(page.evaluate("document.activeElement.closest('nav') ? 'nav' : ''"))
    assert "nav" in focused
    context.close()


def test_theme_assets_are_lean(site: tuple[str, list[str]]) -> None:
    """The theme's own CSS and JavaScript stay under 30 KB a page; no CDN, no web fonts."""
    import urllib.request

    base, _ = site
    html = urllib.request.urlopen(f"{base}/index.html").read().decode()
    own = OWN_ASSETS
    total = 0
    for name in own:
        assert f"_static/{name}" in html
        total += len(urllib.request.urlopen(f"{base}/_static/{name}").read())
    assert total < 30 * 1024
    assert "basic.css" not in html
    # Nothing is loaded from elsewhere (a canonical or feed link names an
    # address; the browser loads nothing from it).
    head = BeautifulSoup(html, "html.parser")
    loaded = [
        str(link["href"])
        for link in head.select("link[href]")
        if not {"canonical", "alternate"} & set(link.get("rel") or [])
    ]
    loaded += [str(script["src"]) for script in head.select("script[src]")]
    assert loaded and not [address for address in loaded if "//" in address]
    assert "@font-face" not in "".join(
        urllib.request.urlopen(f"{base}/_static/{name}").read().decode() for name in own
    )


def test_dashboard_charts_are_named_and_agree_with_the_listings(
    site: tuple[str, list[str]], browser: object
) -> None:
    from bs4 import BeautifulSoup

    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/log.html")
    log = BeautifulSoup(page.content(), "html.parser")
    page.goto(f"{base}/matrix.html")
    matrix = BeautifulSoup(page.content(), "html.parser")
    page.goto(f"{base}/index.html")
    charts = page.locator(".cpd-dashboard svg.cpd-chart")
    assert charts.count() == 5  # this year, per year, three frameworks' coverage
    for n in range(charts.count()):
        chart = charts.nth(n)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 40 and box["height"] > 10
    # Each has an accessible name (its <title>) and a description with the numbers.
    hours = page.get_by_role("img", name="Hours per CPD year, participatory hours below")
    assert hours.count() == 1
    described = hours.evaluate("el => el.querySelector('desc').textContent")
    for row in log.select("table.cpd-hours-table tbody tr"):
        year, _, total, participatory = (cell_text(td) for td in row.select("td")[:4])
        assert f"{year}: {total} hours, {participatory} participatory" in described
    this_year = page.get_by_role("img", name="Hours in CPD year 2011 against the target")
    assert this_year.count() == 1
    total = next(
        cell_text(row.select("td")[2])
        for row in log.select("table.cpd-hours-table tbody tr")
        if cell_text(row.select("td")[0]) == "2011"
    )
    assert this_year.evaluate("el => el.querySelector('desc').textContent").startswith(
        f"{total} of 20 hours"
    )
    for summary in matrix.select("p.cpd-matrix-summary"):
        title = summary.get_text().split(":")[0]
        strip = page.get_by_role("img", name=f"Criteria coverage: {title}")
        assert strip.count() == 1, title
        words = strip.evaluate("el => el.querySelector('desc').textContent")
        gaps = strip.locator("g.cpd-heat-0").count()
        total_criteria = len(strip.locator("g").all())
        assert f"{total_criteria - gaps} of {total_criteria} criteria" in words
        if gaps:
            assert f"{gaps} of {total_criteria} criteria have nothing mapped" in summary.get_text()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sphinx_design_components_are_accessible(
    browser: object, scheme: str, tmp_path: Path
) -> None:
    """Every component of sphinx-design, in the theme: no axe-core violation
    (contrast above all) at either width, and nothing a person would see wrong."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_pdf_design import COMPONENTS, SUPPRESSED

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'project = "Components"\nextensions = ["sphinx_cpd"]\nhtml_theme = "sphinx_cpd"\n'
        f"suppress_warnings = {SUPPRESSED!r}\n",
        encoding="utf-8",
    )
    (source / "index.md").write_text(COMPONENTS, encoding="utf-8")
    out = tmp_path / "html"
    assert build_main(["-q", "-W", "-b", "html", str(source), str(out)]) == 0
    problems = {}
    for viewport, (width, height) in VIEWPORTS.items():
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height}, color_scheme=scheme
        )
        page = context.new_page()
        page.goto((out / "index.html").as_uri())
        found = []
        # As it opens, then with every dropdown open and the other tab chosen:
        # axe-core checks only what is shown.
        for state in ("closed", "open"):
            if state == "open":
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                page.get_by_text("After", exact=True).click()
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            found += [
                f"{state}: {v['id']}: {v['help']} (e.g. {v['nodes'][0]['target']})"
                for v in results.response["violations"]
            ]
        found += seen.problems(page, phone=viewport == "phone")
        if found:
            problems[viewport] = found
        context.close()
    assert problems == {}
