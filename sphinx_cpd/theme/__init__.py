"""The ``sphinx_cpd`` HTML theme: registers itself, and holds no other logic."""

from __future__ import annotations

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_theme("sphinx_cpd", str(THEME_PATH))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
