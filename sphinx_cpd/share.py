"""What ``sphinx-cpd share`` sends a mentor (or a confirmer or reviewer, as the
scheme calls them): the website and the PDF of the ``mentor`` build in one zip,
with a short read-me."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import shared_label
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.model import build_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Translators: the read-me in the zip that "sphinx-cpd share" makes for the
# person the portfolio is shared with. %(project)s is the portfolio's title,
# %(underline)s a line of "=" as long as it, %(name)s the author's name,
# %(label)s what that person is called (mentor, confirmer or reviewer),
# %(date)s the date of the build (YYYY-MM-DD), %(pdf)s the PDF's file name.
MENTOR_README = N_("""\
%(project)s
%(underline)s

This is %(name)s's CPD portfolio, built for you as their %(label)s on %(date)s.

- Open index.html in a web browser to read the portfolio as a website.
- %(pdf)s is the same portfolio as one PDF, with the evidence attached as
  appendices.

It holds what %(name)s chose to share with their %(label)s: anything they marked as
private is not in any file of this folder.
""")

#: What the person a build is shared with is called, in a sentence (the
#: scheme's ``shared-audience``).
SHARED_WORDS = {
    # Translators: the person a portfolio is shared with, in "their mentor".
    "mentor": N_("mentor"),
    # Translators: the person a portfolio is shared with, in "their confirmer"
    # (the NMC's word for who confirms a nurse's revalidation).
    "confirmer": N_("confirmer"),
    # Translators: the person a portfolio is shared with, in "their reviewer".
    "reviewer": N_("reviewer"),
}


def pack(target: Path, app: Sphinx, website: Path, pdf: Path) -> None:
    """Write the zip: the read-me, the PDF, and the website without Sphinx's
    hidden working files."""
    project = app.config.project
    profile = cpd_config.read(app.config).profile
    label = shared_label(app.config)
    readme = _(MENTOR_README) % {
        "project": project,
        "underline": "=" * len(project),
        # Translators: in the read-me of a shared portfolio when the author
        # gave no name: "This is the author's CPD portfolio".
        "name": profile["name"] if "name" in profile else _("the author"),
        "date": build_date().isoformat(),
        "pdf": pdf.name,
        "label": _(SHARED_WORDS.get(label, label)),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"README-for-{label}.txt", readme)
        archive.write(pdf, pdf.name)
        for path in sorted(website.rglob("*")):
            relative = path.relative_to(website)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                archive.write(path, relative.as_posix())
