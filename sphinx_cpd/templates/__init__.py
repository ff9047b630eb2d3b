"""Starting points for ``sphinx-cpd new``.

A new portfolio is made of layers of files (``common`` for every scheme, then
the scheme's own, or ``cilip`` shared by the three CILIP registrations), with
``$scheme``-style placeholders filled in, plus a ``conf.py`` and a read-me
written from the scheme's settings below.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Scheme:
    project: str
    frameworks: tuple[str, ...]
    layers: tuple[str, ...]
    registration: str | None = None
    extra_config: str = ""


def _cilip(name: str) -> Scheme:
    return Scheme(
        project=f"My {name.lower()} portfolio",
        frameworks=(f"cilip-{name.lower()}", "pksb"),
        layers=("common", "cilip"),
        registration=name,
    )


SCHEMES: dict[str, Scheme] = {
    "chartership": _cilip("Chartership"),
    "certification": _cilip("Certification"),
    "fellowship": _cilip("Fellowship"),
    "revalidation": Scheme(
        project="My revalidation portfolio",
        frameworks=("pksb",),
        layers=("common", "revalidation"),
        registration="Revalidation",
        extra_config="cpd_hours_target = 20\n",
    ),
    "cpd23": Scheme(
        project="My CPD23 portfolio",
        frameworks=("cpd23",),
        layers=("common", "cpd23"),
        registration="23 Things for Professional Development",
        extra_config=(
            '# Tick boxes in Markdown lists: - [x] done\nmyst_enable_extensions = ["tasklist"]\n'
        ),
    ),
    "generic": Scheme(
        project="My CPD portfolio",
        frameworks=("pksb", "nmc-code", "cilip-chartership"),
        layers=("common", "generic"),
    ),
}
NAMES: tuple[str, ...] = tuple(SCHEMES)

CONF = string.Template("""\
# Configuration of your portfolio. Edit the profile, then build with
#   sphinx-cpd build
project = "$project"
author = "Your Name"
html_title = project
language = "en"

extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"

cpd_profile = {
    "name": "Your Name",
    "role": "Your role",
    "organisation": "Your organisation",
$registration}
# Who a build is for: "private" (you), "mentor" or "public".
cpd_audience = "private"
cpd_frameworks = [$frameworks]
exclude_patterns = ["_build", "README.md"]
$extra""")

README = string.Template("""\
# $project

Made with `sphinx-cpd new --template $name`. Each page is a plain Markdown
file: edit them, add your own, and build:

    sphinx-cpd build          # the website, in _build/html
    sphinx-cpd build --pdf    # and the PDF
    sphinx-cpd check          # list any problems
    sphinx-cpd log            # your CPD hours in the terminal
    sphinx-cpd share          # a zip for your mentor

Start with `conf.py` (your name and role), then replace the example event in
`events/first-event.md` with one of your own.
""")


def render(name: str) -> dict[str, str]:
    """The files of a new portfolio, by their path in it; later layers win."""
    scheme = SCHEMES[name]
    values = {
        "scheme": scheme.registration or "",
        "scheme_lower": (scheme.registration or "").lower(),
        "framework": scheme.frameworks[0],
    }
    chosen: dict[str, str] = {}
    for layer in scheme.layers:
        root = TEMPLATES_DIR / layer
        for path in sorted(root.rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                chosen[path.relative_to(root).as_posix()] = string.Template(text).safe_substitute(
                    values
                )
    registration = f'    "registration": "{scheme.registration}",\n' if scheme.registration else ""
    chosen["conf.py"] = CONF.substitute(
        project=scheme.project,
        registration=registration,
        frameworks=", ".join(f'"{f}"' for f in scheme.frameworks),
        extra=scheme.extra_config,
    )
    chosen["README.md"] = README.substitute(project=scheme.project, name=name)
    return chosen
