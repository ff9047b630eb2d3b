"""The user documentation: it builds strictly, its reference covers the code, and
its tutorial works exactly as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_cpd.config import SETTINGS
from sphinx_cpd.listings import LISTINGS
from sphinx_cpd.objects import DIRECTIVES
from tests.conftest import PNG, ROOT

DOCS = ROOT / "docs"
CERTIFICATE = ROOT / "example-portfolio" / "evidence" / "certificate-of-attendance.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "html"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-W",
        "--keep-going",
        "-b",
        "html",
        str(DOCS),
        str(out),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def page_text(built: Path, name: str) -> str:
    text = BeautifulSoup((built / name).read_text(encoding="utf-8"), "html.parser").get_text(" ")
    return " ".join(text.split())


def test_every_directive_option_is_in_the_reference(built: Path) -> None:
    soup = BeautifulSoup((built / "reference" / "directives.html").read_text(), "html.parser")
    every = dict(DIRECTIVES) | {name: directive for name, (directive, _) in LISTINGS.items()}
    for name, directive in every.items():
        section = soup.find(id=f"directive-{name}")
        assert section is not None, name
        text = section.get_text(" ")
        for option in directive.option_spec or {}:
            assert f":{option}:" in text, (name, option)


def test_every_config_value_is_in_the_reference(built: Path) -> None:
    from sphinx_cpd import config

    class Recorder:
        """Stands in for the Sphinx app, to see which values sphinx-cpd registers."""

        names: list[str] = []

        def add_config_value(self, name: str, *args: object, **kwargs: object) -> None:
            self.names.append(name)

    recorder = Recorder()
    config.register(recorder)  # type: ignore[arg-type]
    text = page_text(built, "reference/configuration.html")
    assert len(recorder.names) == 14
    for name in recorder.names:
        assert name in text and name in {s.name for s in SETTINGS}


def test_every_command_is_in_the_reference(built: Path) -> None:
    from sphinx_cpd.cli import main

    text = page_text(built, "reference/command-line.html")
    for name in main.commands:
        assert f"sphinx-cpd {name}" in text


def tutorial_script(markdown: str) -> str:
    """The tutorial as one shell script: its commands as written, its files written out."""
    lines = ["set -euo pipefail"]
    # A block ends at a fence as long as the one that opened it (a block that
    # shows a fenced directive is opened with four backticks).
    block = re.compile(r"^(`{3,})(\{code-block\} markdown|sh)\n(.*?)^\1$", re.MULTILINE | re.DOTALL)
    for match in block.finditer(markdown):
        _fence, kind, body = match.groups()
        if kind == "sh":
            lines.append(body.rstrip())
            continue
        caption = re.match(r":caption: (\S+)( \(continued\))?\n\n", body)
        assert caption, body
        path, continued = caption.group(1), caption.group(2)
        content = body[caption.end() :]
        redirect = ">>" if continued else ">"
        lines.append(f"mkdir -p {shlex.quote(str(Path(path).parent))}")
        lines.append(
            f"cat {redirect} {shlex.quote(path)} <<'TUTORIAL_EOF'\n\n{content}TUTORIAL_EOF"
        )
        if path == "events/copyright-day.md" and not continued:
            # The files the reader brings: a photo and a certificate of their own.
            png = shlex.quote(png_escape())
            certificate = shlex.quote(str(CERTIFICATE))
            lines.append(f"mkdir -p images evidence && printf '%b' {png} > images/desk.png")
            lines.append(f"cp {certificate} evidence/certificate.pdf")
    return "\n".join(lines) + "\n"


def png_escape() -> str:
    return "".join(f"\\x{byte:02x}" for byte in PNG)


def test_tutorial_runs_exactly_as_written(tmp_path: Path) -> None:
    script = tutorial_script((DOCS / "tutorial" / "first-portfolio.md").read_text(encoding="utf-8"))
    assert "sphinx-cpd new my-portfolio --template chartership" in script
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "my-portfolio"
    assert "No problems found." in result.stdout
    html = BeautifulSoup(
        (folder / "_build/html/events/copyright-day.html").read_text(), "html.parser"
    )
    back = html.select_one("div.cpd-card--event .cpd-backlinks").get_text(" ", strip=True)
    assert "What the copyright day changed" in back
    assert "E2 Certificate from the copyright day" in back
    assert "licensed under CC BY 2.0" in html.select_one("p.cpd-credit").get_text()
    assert (folder / "_build/pdf/my-chartership-portfolio.pdf").is_file()
    assert "3.5" in result.stdout


def test_every_theme_option_is_in_the_reference(built: Path) -> None:
    import tomllib

    from sphinx_cpd.theme import THEME_PATH

    options = tomllib.loads((THEME_PATH / "theme.toml").read_text())["options"]
    text = page_text(built, "reference/configuration.html")
    for option in options:
        assert option in text, option


def test_the_gallery_shows_every_picture_it_names(built: Path) -> None:
    soup = BeautifulSoup((built / "gallery.html").read_text(), "html.parser")
    images = soup.select("main img")
    names = {Path(img["src"]).name for img in images}
    # Phone and desktop, light and dark, each picture there and described.
    assert {"front-desktop-light.png", "front-phone-dark.png"} <= names
    assert any("light" in n and "desktop" in n for n in names)
    assert any("dark" in n and "desktop" in n for n in names)
    assert any("light" in n and "phone" in n for n in names)
    assert any("dark" in n and "phone" in n for n in names)
    for img in images:
        assert (built / img["src"]).is_file(), img["src"]
        assert len(img["alt"]) > 20


def test_the_pdf_how_to_names_the_builder_and_every_pdf_setting(built: Path) -> None:
    text = page_text(built, "how-to/print-and-submit.html")
    assert "-b cpdpdf" in text
    for setting in SETTINGS:
        if "pdf" in setting.name:
            assert setting.name in text, setting.name
