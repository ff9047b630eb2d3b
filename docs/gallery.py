"""Screenshots of the example portfolio for the gallery page of these docs.

    python docs/gallery.py        (or: make gallery)

Builds the example, opens three of its pages in Chromium (Debian's, at
/usr/lib/chromium/chromium, or CHROMIUM=...) at a phone's and a desktop's width,
light and dark, and writes them to docs/_static/gallery/ as small palette PNGs.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from sphinx.cmd.build import build_main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-portfolio"
GALLERY = ROOT / "docs" / "_static" / "gallery"
PAGES = {
    "front": "index.html",
    "dashboard": "index.html",
    "event": "events/copyright.html",
    "log": "log.html",
}
SIZES = {"desktop": (1280, 900), "phone": (360, 780)}
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/lib/chromium/chromium"
# The build date the example's overdue actions are counted from: fixed, so that
# the pictures change only when the theme does.
BUILD_DATE = "1325376000"  # 2012-01-01


def main() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_DATE
    GALLERY.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "html"
        if build_main(["-q", "-b", "html", str(EXAMPLE), str(out)]):
            sys.exit("the example did not build")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for size, (width, height) in SIZES.items():
                for scheme in ("light", "dark"):
                    page = browser.new_page(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    for name, path in PAGES.items():
                        page.goto((out / path).as_uri())
                        if name == "dashboard":
                            data = page.locator(".cpd-dashboard").screenshot()
                        else:
                            data = page.screenshot()
                        shot = Image.open(io.BytesIO(data))
                        target = GALLERY / f"{name}-{size}-{scheme}.png"
                        # 256 colours: a tenth of the size, and the text stays sharp.
                        shot.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(
                            target, optimize=True
                        )
                        print(target.relative_to(ROOT))
                    page.close()
            browser.close()


if __name__ == "__main__":
    main()
