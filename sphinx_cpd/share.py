"""What ``sphinx-cpd share`` sends a mentor (or a confirmer or reviewer, as the
scheme calls them): the website and the PDF of the ``mentor`` build in one zip,
with a short read-me."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import shared_label
from sphinx_cpd.model import build_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MENTOR_README = """\
{project}
{underline}

This is {name}'s CPD portfolio, built for you as their {label} on {date}.

- Open index.html in a web browser to read the portfolio as a website.
- {pdf} is the same portfolio as one PDF, with the evidence attached as
  appendices.

It holds what {name} chose to share with their {label}: anything they marked as
private is not in any file of this folder.
"""


def pack(target: Path, app: Sphinx, website: Path, pdf: Path) -> None:
    """Write the zip: the read-me, the PDF, and the website without Sphinx's
    hidden working files."""
    project = app.config.project
    profile = cpd_config.read(app.config).profile
    label = shared_label(app.config)
    readme = MENTOR_README.format(
        project=project,
        underline="=" * len(project),
        name=profile.get("name", "the author"),
        date=build_date().isoformat(),
        pdf=pdf.name,
        label=label,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"README-for-{label}.txt", readme)
        archive.write(pdf, pdf.name)
        for path in sorted(website.rglob("*")):
            relative = path.relative_to(website)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                archive.write(path, relative.as_posix())
