# The sphinx-cpd user documentation, built with sphinx-cpd's own theme.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-cpd"
author = "The sphinx-cpd developers"
copyright = "2026, the sphinx-cpd developers"
language = "en"
html_title = "sphinx-cpd"

extensions = ["sphinx_cpd", "cpd_reference", "cpd_glossary"]
html_theme = "sphinx_cpd"
html_theme_options = {"nav_label": "Documentation", "show_profile": "false"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "README.md"]
# The docs show the objects live: everything is for the public.
cpd_default_visibility = "public"
cpd_audience = "public"
# The manual is not a portfolio: nothing for a feed of reflections to hold.
cpd_feed = None
