"""Hostile and malformed input: links, paths, metadata and spreadsheets, and no tracebacks.

Each input here once made a link run script, copied a file from outside the
portfolio, published where a photo was taken, planted a spreadsheet formula or
stopped the build with a traceback. Now each is a located ``cpd.*`` warning and
the rest of the portfolio builds.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from sphinx_cpd.cli import main
from sphinx_cpd.model import build_date
from sphinx_cpd.pictures import strip_metadata
from tests.conftest import PNG, Portfolio, leaked, readable

DATA = Path(__file__).parent / "data"
CERTIFICATE = (
    Path(__file__).parent.parent / "example-portfolio/evidence/certificate-of-attendance.pdf"
)
PUBLIC = "---\ncpd-visibility: public\n---\n\n"


# -- links ------------------------------------------------------------------------------

UNSAFE = (
    PUBLIC
    + """\
# Home

:::{event} Scripted talk
:date: 2011-11-14
:url: javascript:alert(1)
:::

:::{evidence} Data URL
:url: data:text/html,<script>alert(1)</script>
:::

:::{photo} pic.png
:alt: A desk
:title: Desk
:author: Someone
:author-url: javascript:alert(2)
:source: vbscript:msgbox(3)
:licence: CC-BY-4.0

A desk.
:::

```{cpd-credits}
```
"""
)


@pytest.mark.parametrize("builder", ["html", "cpdpdf"])
def test_only_http_https_and_mailto_are_linked(portfolio: Portfolio, builder: str) -> None:
    portfolio.write("index.md", UNSAFE)
    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    result = portfolio.build(builder)
    assert len(result.of("url")) == 4, result.warnings_text
    if builder == "html":
        page = result.text("index.html").lower()
        for scheme in ("javascript:", "vbscript:", "data:text"):
            assert f'href="{scheme}' not in page
        assert "javascript:alert(1)" in result.html("index.html").get_text()  # shown as text
        data = json.loads((result.outdir / "portfolio.json").read_text())
        assert data["events"][0]["url"] is None and data["evidence"][0]["url"] is None
    else:
        pdf = next(result.outdir.glob("*.pdf"))
        actions = [
            annotation.get_object().get("/A", {})
            for page in PdfReader(pdf).pages
            for annotation in page.get("/Annots", []) or []
        ]
        uris = [str(action["/URI"]) for action in actions if "/URI" in action]
        assert uris and all(u.startswith(("http:", "https:", "mailto:")) for u in uris), uris


def test_profile_values_cannot_inject_markup(portfolio: Portfolio) -> None:
    portfolio.add_conf(
        "cpd_profile = {'name': '<script>alert(1)</script>', "
        "'photo': 'me.png\" onerror=\"alert(1)', 'email': 'a@b.c\" onclick=\"x'}"
    )
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    page = result.text("index.html")
    assert "<script>alert(1)" not in page and "onerror" not in page and "onclick" not in page
    assert len(result.of("config")) == 1 and len(result.of("file")) == 1, result.warnings_text


def test_theme_licence_link_must_be_safe(portfolio: Portfolio) -> None:
    portfolio.add_conf(
        "html_theme_options = {'license': 'CC BY 4.0', 'license_url': 'javascript:alert(1)'}"
    )
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    assert "javascript:" not in result.text("index.html")
    assert "CC BY 4.0" in result.html("index.html").select_one("footer").get_text()
    [warning] = result.of("url")
    assert warning.file.endswith("conf.py")


def test_profile_photo_is_published_without_metadata(portfolio: Portfolio) -> None:
    photo = portfolio.srcdir / "me.jpg"
    write_jpeg_with_gps(photo, "profilecanary")
    portfolio.add_conf("cpd_profile = {'name': 'Alex', 'photo': 'me.jpg'}")
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    src = result.html("index.html").select_one("img.cpd-profile-photo")["src"]
    published = result.outdir / src
    assert published.is_file() and leaked([result.outdir], ["profilecanary"]) == {}


# -- paths --------------------------------------------------------------------------------


def test_files_outside_the_portfolio_are_never_copied(tmp_path: Path, portfolio: Portfolio) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "diary.txt").write_text("outsidecanary\n")
    (outside / "face.png").write_bytes(PNG)
    (portfolio.srcdir / "linked.txt").symlink_to(outside / "diary.txt")
    (portfolio.srcdir / "linked.png").symlink_to(outside / "face.png")
    portfolio.write(
        "index.md",
        "# Home\n\n"
        ":::{evidence} Traversal\n:file: ../../outside/diary.txt\n:::\n\n"
        ":::{evidence} Absolute\n:file: /../../../../../../etc/passwd\n:::\n\n"
        ":::{evidence} Link\n:file: linked.txt\n:::\n\n"
        ":::{photo} linked.png\n:alt: Face\n:licence: CC0-1.0\n:::\n\n"
        ":::{photo} ../outside/face.png\n:alt: Face\n:licence: CC0-1.0\n:::\n\n"
        "![plain](../outside/face.png) and {download}`a file <../outside/diary.txt>`\n\n"
        "```{include} ../outside/diary.txt\n```\n\n"
        "```{literalinclude} /etc/passwd\n```\n",
    )
    for builder in ("html", "cpdpdf"):
        result = portfolio.build(builder)
        assert leaked([result.outdir], ["outsidecanary", "root:x:0"]) == {}, builder
        assert not list(result.outdir.glob("_images/*.png")), builder
        assert len(result.of("file")) >= 7, result.warnings_text


def test_framework_files_outside_the_portfolio_are_not_read(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    (tmp_path / "elsewhere.toml").write_text('id = "x"\ntitle = "X"\n[[criteria]]\ncode = "1"\n')
    portfolio.add_conf('cpd_frameworks = ["pksb", "../elsewhere.toml"]')
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    [warning] = result.of("file")
    assert "elsewhere.toml" in warning.message and warning.file.endswith("conf.py")


# -- metadata -------------------------------------------------------------------------------


def write_jpeg_with_gps(path: Path, artist: str) -> None:
    image = Image.new("RGB", (8, 6), (120, 80, 40))
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x0112] = 6  # Orientation: rotated, so that turning it upright is tested too
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    image.save(path, "JPEG", exif=exif, comment=b"commentcanary")


def test_published_images_carry_no_metadata(portfolio: Portfolio) -> None:
    write_jpeg_with_gps(portfolio.srcdir / "desk.jpg", "exifcanary")
    png = Image.new("RGB", (4, 4))
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Author", "pngcanary")
    png.save(portfolio.srcdir / "chart.png", pnginfo=info)
    portfolio.write(
        "index.md",
        "# Home\n\n:::{photo} desk.jpg\n:alt: Desk\n:licence: CC0-1.0\n:::\n\n"
        ":::{photo} chart.png\n:alt: Chart\n:licence: CC0-1.0\n:::\n\n"
        ":::{evidence} The photo itself\n:file: desk.jpg\n:::\n",
    )
    for builder in ("html", "epub", "cpdpdf"):
        result = portfolio.build(builder)
        assert leaked([result.outdir], ["exifcanary", "pngcanary", "commentcanary"]) == {}
    images = sorted(Path(portfolio.builddir, "html", "_images").glob("desk*.jpg"))
    with Image.open(images[0]) as published:
        assert dict(published.getexif()) == {}
        assert published.size == (6, 8), "turned upright before its orientation was dropped"


# -- spreadsheets ---------------------------------------------------------------------------

FORMULAS = """\
# Home

:::{event} =HYPERLINK("http://evil.example","click")
:date: 2011-11-14
:hours: 1
:organiser: +cmd|' /C calc'!A0
:location: @SUM(1+1)
:outcome: -2+3
:::
"""


def test_csv_cells_never_become_formulas(portfolio: Portfolio) -> None:
    portfolio.write("index.md", FORMULAS)
    result = portfolio.build()
    rows = list(csv.reader(io.StringIO((result.outdir / "cpd-log.csv").read_text())))
    assert rows[1][2].startswith("'=") and rows[1][4].startswith("'+")
    assert rows[1][5].startswith("'@") and rows[1][9].startswith("'-")
    out = CliRunner().invoke(main, ["log", str(portfolio.srcdir), "--format", "csv"])
    assert out.exit_code == 0, out.output
    cells = list(csv.reader(io.StringIO(out.stdout)))[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)


# -- no tracebacks -------------------------------------------------------------------------


def pdf_with_zero_mediabox(path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(width=100, height=100)
    page.mediabox = RectangleObject([0, 0, 0, 0])
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.mark.parametrize("name", ["encrypted-aes.pdf", "zero-mediabox.pdf", "garbage.pdf"])
def test_broken_evidence_pdfs_are_listed_not_appended(portfolio: Portfolio, name: str) -> None:
    target = portfolio.srcdir / "evidence.pdf"
    if name == "encrypted-aes.pdf":
        target.write_bytes((DATA / name).read_bytes())
    elif name == "zero-mediabox.pdf":
        pdf_with_zero_mediabox(target)
    else:
        target.write_bytes(b"%PDF-1.4\nnot really\n")
    portfolio.write("index.md", "# Home\n\n:::{evidence} A file\n:file: evidence.pdf\n:::\n")
    result = portfolio.build("cpdpdf")
    pdf = next(result.outdir.glob("*.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "not reproduced in this PDF" in text


NESTED = "\n".join(
    [f"{':' * (103 - n)}{{reflection}} Level {n}\n:date: 2011-11-28\n" for n in range(100)]
    + ["deepest words"]
    + [":" * (4 + n) for n in range(100)]
)


@pytest.mark.parametrize(
    ("case", "text", "kind"),
    [
        ("far-date", ":::{event} T\n:date: 9999-12-31\n:::\n", "date"),
        ("far-end", ":::{event} T\n:date: 2011-11-14\n:end: 9999-12-31\n:::\n", "date"),
        ("huge-hours", ":::{event} T\n:date: 2011-11-14\n:hours: " + "9" * 29 + "\n:::\n", "hours"),
        (
            "newline-in-yaml",
            ':::{event} T\n---\ndate: 2011-11-14\norganiser: "two\\nlines"\n---\n:::\n',
            "option",
        ),
        (
            "stage-in-withheld",
            "::::{reflection} R\n:date: 2011-11-28\n:visibility: private\n"
            ":model: rolfe\n\n:::{stage} what\nx\n:::\n::::\n",
            None,
        ),
        ("nested", NESTED, "nesting"),
    ],
)
@pytest.mark.parametrize("audience", ["private", "mentor", "public"])
def test_malformed_objects_warn_and_the_rest_builds(
    portfolio: Portfolio, case: str, text: str, kind: str | None, audience: str
) -> None:
    portfolio.write("index.md", PUBLIC + "# Home\n\nStill here.\n\n" + text)
    result = portfolio.build(cpd_audience=audience)
    assert "Still here." in result.html("index.html").get_text()
    (result.outdir / "cpd-events.ics").read_bytes()
    if kind is not None and case != "stage-in-withheld":
        found = result.of(kind)
        if audience == "private" or case != "nested":
            assert found, result.warnings_text
            assert all(w.file.endswith("index.md") and w.line for w in found)


def test_an_infinite_target_is_a_config_warning(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_hours_target = "Infinity"')
    portfolio.write("index.md", "# Home\n\n```{cpd-hours}\n```\n")
    result = portfolio.build()
    [warning] = result.of("config")
    assert "cpd_hours_target" in warning.message and warning.file.endswith("conf.py")


def test_undecodable_files_are_named(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_frameworks = ["pksb", "mine.json"]')
    (portfolio.srcdir / "mine.json").write_bytes(b'{"id": "m\xff"}')
    portfolio.write("index.md", "# Home\n\n```{toctree}\nbroken\n```\n")
    (portfolio.srcdir / "broken.md").write_bytes(b"# Broken \xff\xfe page\n")
    result = portfolio.build()
    files = sorted(Path(w.file).name for w in result.of("encoding"))
    assert files == ["broken.md", "mine.json"], result.warnings_text
    assert "Home" in result.html("index.html").get_text()


def test_deeply_nested_framework_is_refused(portfolio: Portfolio) -> None:
    levels = 900
    deep = '{"code": "x", "title": "T", "criteria": [' * levels + "]}" * levels
    (portfolio.srcdir / "deep.json").write_text(
        '{"id": "deep", "title": "Deep", "criteria": [' + deep + "]}"
    )
    portfolio.add_conf('cpd_frameworks = ["deep.json"]')
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    assert any("nested" in w.message for w in result.of("config")), result.warnings_text


def test_terminal_output_prints_titles_as_written(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n:::{event} [b]Loud[/b] :date:\n:date: 2011-11-14\n:hours: 1\n:::\n",
    )
    out = CliRunner().invoke(main, ["log", str(portfolio.srcdir)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "[b]Loud[/b] :date:" in out.stdout
    assert "\U0001f4c5" not in out.stdout


def test_check_looks_at_every_audience_and_the_configuration(portfolio: Portfolio) -> None:
    portfolio.add_conf('language = "xx-nonsense"')
    portfolio.write(
        "index.md",
        "# Home\n\n::::{reflection} R\n:date: 2011-11-28\n:visibility: private\n:model: rolfe\n\n"
        ":::{stage} what\nx\n:::\n::::\n\n:::{event} Typo\n:date: 2011-11-14\n"
        ":visibility: publik\n:::\n",
    )
    out = CliRunner().invoke(main, ["check", str(portfolio.srcdir)])
    assert out.exit_code == 1, out.output
    lines = [line for line in out.stderr.splitlines() if "WARNING" in line or ": " in line]
    assert sum("publik" in line for line in lines) == 1, out.stderr
    assert any("language" in line and "[cpd.config]" in line for line in lines), out.stderr


def test_share_works_with_a_private_reflection_in_a_model(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n::::{reflection} R\n:date: 2011-11-28\n:visibility: private\n:model: gibbs\n\n"
        ":::{stage} feelings\nsharecanary\n:::\n::::\n",
    )
    target = portfolio.srcdir.parent / "share.zip"
    out = CliRunner().invoke(main, ["share", str(portfolio.srcdir), "-o", str(target)])
    assert out.exit_code == 0, out.output
    published = readable(target.name, target.read_bytes())
    assert "index.html" in published and "sharecanary" not in published


def test_an_undecodable_root_page_still_builds(portfolio: Portfolio) -> None:
    (portfolio.srcdir / "index.md").write_bytes(b"# Home \xff page\n\nStill here.\n")
    result = portfolio.build()
    [warning] = result.of("encoding")
    assert warning.file.endswith("index.md")
    assert "Still here." in result.html("index.html").get_text()


def test_a_page_that_includes_itself_is_a_warning(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Home\n\n```{include} a.md\n```\n")
    portfolio.write("a.md", "Again.\n\n```{include} index.md\n```\n")
    result = portfolio.build()
    assert result.of("include"), result.warnings_text
    assert "Again." in result.html("index.html").get_text()


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nid: x\ntitle: *c\ncriteria: []\n",
            "aliases",
        ),
        ("", "empty"),
    ],
)
def test_unusable_yaml_frameworks_are_named(portfolio: Portfolio, text: str, phrase: str) -> None:
    (portfolio.srcdir / "fw.yaml").write_text(text)
    portfolio.add_conf('cpd_frameworks = ["pksb", "fw.yaml"]')
    portfolio.write("index.md", "# Home\n")
    result = portfolio.build()
    [warning] = result.of("config")
    assert phrase in warning.message and warning.file.endswith("fw.yaml")


def test_pictures_lose_metadata_whatever_their_name(portfolio: Portfolio) -> None:
    for name in ("me.jfif", "me.jpe", "scan"):
        write_jpeg_with_gps(portfolio.srcdir / name, "namecanary")
    (portfolio.srcdir / "_static").mkdir()
    write_jpeg_with_gps(portfolio.srcdir / "_static" / "extra.jpg", "namecanary")
    portfolio.add_conf('html_static_path = ["_static"]')
    portfolio.write(
        "index.md",
        "# Home\n\n:::{photo} me.jfif\n:alt: Me\n:licence: CC0-1.0\n:::\n\n"
        "![again](me.jpe) and {download}`the scan <scan>`\n",
    )
    result = portfolio.build()
    assert leaked([result.outdir], ["namecanary", "commentcanary"]) == {}
    assert list(result.outdir.glob("_images/*")) and list(result.outdir.glob("_downloads/*/*"))


def test_png_keeps_only_the_chunks_of_its_picture() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (1, 2, 3)).save(buffer, "PNG")
    data = buffer.getvalue()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return struct.pack(">I", len(body)) + kind + body + crc

    iend = data.rindex(b"IEND") - 4
    extra = chunk(b"caBX", b"c2pacanary") + chunk(b"prVt", b"privatecanary")
    cleaned = strip_metadata(data[:iend] + extra + data[iend:])
    assert b"canary" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.getpixel((1, 1)) == (1, 2, 3)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("::::{reflection} R\n:date: 2011-11-28\n:word-limit: \u00b2\n::::\n", "word-limit"),
        (
            "::::{reflection} R\n:date: 2011-11-28\n:word-limit: " + "9" * 5000 + "\n::::\n",
            "word-limit",
        ),
        (":::{rating}\n:criterion: pksb:1\n:score: \u00b2\n:date: 2011-11-14\n:::\n", "score"),
        (":::{evidence} Long\n:file: " + "a" * 300 + ".pdf\n:::\n", "file"),
        (":::{photo} " + "b" * 300 + ".png\n:alt: x\n:licence: CC0-1.0\n:::\n", "file"),
    ],
)
def test_odd_numbers_and_names_are_warnings(portfolio: Portfolio, text: str, kind: str) -> None:
    portfolio.write("index.md", "# Home\n\nStill here.\n\n" + text)
    result = portfolio.build()
    assert "Still here." in result.html("index.html").get_text()
    assert result.of(kind), result.warnings_text


def test_an_odd_page_word_limit_is_a_warning(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "---\ncpd-word-limit: '\u00b2'\n---\n# Home\n\nWords.\n")
    result = portfolio.build()
    assert result.of("word-limit"), result.warnings_text


def test_an_impossible_build_date_falls_back_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sphinx itself cannot build with it (it formats its own dates); our own
    # reading of it must not be what stops a build.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    assert build_date() == date.today()


def picture(kind: str, path: Path) -> None:
    image = Image.new("RGB", (6, 4), (10, 200, 30))
    exif = Image.Exif()
    exif[0x013B] = "formatcanary"
    if kind == "gif":
        image.save(path, "GIF", comment=b"formatcanary")
    elif kind == "tiff":
        image.save(path, "TIFF", exif=exif)
    elif kind == "avif":
        # Made once (Pillow writes AVIF only from 11.3): an older Pillow cannot
        # read it either, and the picture must then not be published at all.
        shutil.copyfile(DATA / "pictures" / "canary.avif", path)
    else:
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><metadata>'
            "formatcanary</metadata><!-- formatcanary --><rect width='4' height='4'/></svg>"
        )


@pytest.mark.parametrize("kind", ["gif", "tiff", "avif", "svg"])
def test_every_picture_format_loses_its_metadata(portfolio: Portfolio, kind: str) -> None:
    picture(kind, portfolio.srcdir / f"pic.{kind}")
    portfolio.write(
        "index.md",
        f"# Home\n\n:::{{photo}} pic.{kind}\n:alt: A picture\n:licence: CC0-1.0\n:::\n\n"
        f"{{download}}`the file <pic.{kind}>`\n",
    )
    for builder in ("html", "epub"):
        result = portfolio.build(builder)
        assert leaked([result.outdir], ["formatcanary"]) == {}, builder
    published = next(Path(portfolio.builddir, "html", "_images").glob("pic*"))
    # (Pillow before 11.3 has no AVIF, and its features.check("avif") warns.)
    if kind == "avif" and "AVIF" not in Image.registered_extensions().values():
        # Pillow cannot clean it, so nothing of it is published, and that is said.
        assert published.read_bytes() == b""
        assert any("not published" in w.message for w in result.warnings), result.warnings_text
        return
    if kind != "svg":
        with Image.open(published) as image:
            assert image.size == (6, 4)
    else:
        assert b"<rect" in published.read_bytes()
