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

from sphinx_cpd.catalogues import schemes

TEMPLATES_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Template:
    project: str
    layers: tuple[str, ...]
    #: The bundled scheme it is for, whose frameworks it lists.
    scheme: str | None = None
    #: Frameworks for a template without a scheme.
    frameworks: tuple[str, ...] = ()
    registration: str | None = None
    extra_config: str = ""

    def framework_ids(self) -> tuple[str, ...]:
        if self.scheme is None:
            return self.frameworks
        found = schemes.load(self.scheme, "")[0]
        assert found is not None, f"template of an unknown scheme {self.scheme}"
        return found.frameworks


def _cilip(name: str) -> Template:
    return Template(
        project=f"My {name.lower()} portfolio",
        layers=("common", "cilip"),
        scheme=f"cilip-{name.lower()}",
        registration=name,
    )


#: A scheme of several years ends on the renewal date, which the author sets.
RENEWAL = """\
# The day your registration is renewed: the checklist counts the years up to it.
cpd_renewal_date = "2027-03-31"
"""

TEMPLATES: dict[str, Template] = {
    "chartership": _cilip("Chartership"),
    "certification": _cilip("Certification"),
    "fellowship": _cilip("Fellowship"),
    "cilip-revalidation": Template(
        project="My revalidation portfolio",
        layers=("common", "cilip-revalidation"),
        scheme="cilip-revalidation",
        registration="Revalidation",
    ),
    "nmc": Template(
        project="My NMC revalidation portfolio",
        layers=("common", "nmc"),
        scheme="nmc-revalidation",
        registration="NMC revalidation",
        extra_config=RENEWAL
        + """\
# Each declaration, with the date you made it, once you have made it:
# cpd_declarations = {
#     "practice-hours": "2027-02-01",
#     "health-and-character": "2027-02-01",
#     "indemnity": "2027-02-01",
#     "confirmation": "2027-03-01",
# }
""",
    ),
    "hcpc": Template(
        project="My HCPC CPD portfolio",
        layers=("common", "hcpc"),
        scheme="hcpc-cpd",
        registration="HCPC",
        extra_config=RENEWAL,
    ),
    "cpd23": Template(
        project="My CPD23 portfolio",
        layers=("common", "cpd23"),
        frameworks=("cpd23",),
        registration="23 Things for Professional Development",
        extra_config=(
            '# Tick boxes in Markdown lists: - [x] done\nmyst_enable_extensions = ["tasklist"]\n'
        ),
    ),
    "generic": Template(
        project="My CPD portfolio",
        layers=("common", "generic"),
        frameworks=("pksb", "nmc-code", "cilip-chartership"),
    ),
}
#: Names kept working after a template was renamed.
ALIASES = {"revalidation": "cilip-revalidation"}
NAMES: tuple[str, ...] = (*TEMPLATES, *ALIASES)

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
# A public build offers a feed of your reflections (feed.xml) once it knows
# where it is published: set html_baseurl and delete the cpd_feed line.
# html_baseurl = "https://you.example.org/portfolio/"
cpd_feed = None
${scheme_line}cpd_frameworks = [$frameworks]
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
    template = TEMPLATES[ALIASES.get(name, name)]
    frameworks = template.framework_ids()
    values = {
        "scheme": template.registration or "",
        "scheme_lower": (template.registration or "").lower(),
        "framework": frameworks[0],
    }
    chosen: dict[str, str] = {}
    for layer in template.layers:
        root = TEMPLATES_DIR / layer
        for path in sorted(root.rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                chosen[path.relative_to(root).as_posix()] = string.Template(text).safe_substitute(
                    values
                )
    registration = (
        f'    "registration": "{template.registration}",\n' if template.registration else ""
    )
    scheme_line = (
        f"# What your professional body asks for: see `sphinx-cpd status`.\n"
        f'cpd_scheme = "{template.scheme}"\n'
        if template.scheme
        else ""
    )
    chosen["conf.py"] = CONF.substitute(
        project=template.project,
        registration=registration,
        scheme_line=scheme_line,
        frameworks=", ".join(f'"{f}"' for f in frameworks),
        extra=template.extra_config,
    )
    chosen["README.md"] = README.substitute(project=template.project, name=name)
    return chosen
