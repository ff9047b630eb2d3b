"""The ``sphinx_cpd`` HTML theme: registers itself, and reads its own palette for
the code that needs a colour outside CSS (the charts' print colours, the check
of an author's accent colour)."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEME_PATH = Path(__file__).parent / "sphinx_cpd"
#: The theme's own stylesheets (as theme.toml lists them) and script (as
#: layout.html loads it), on every page.
OWN_ASSETS = (
    *tomllib.loads((THEME_PATH / "theme.toml").read_text(encoding="utf-8"))["theme"]["stylesheets"],
    "cpd-scheme.js",
)
_TOKEN = re.compile(r"--cpd-(light|dark)-([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;")


@functools.cache
def palette(scheme: str = "light") -> dict[str, str]:
    """The colours of ``cpd-tokens.css`` for one scheme: ``{"accent": "#1f6e8c", ...}``."""
    text = (THEME_PATH / "static" / "cpd-tokens.css").read_text(encoding="utf-8")
    return {name: value for which, name, value in _TOKEN.findall(text) if which == scheme}


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_theme("sphinx_cpd", str(THEME_PATH))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
