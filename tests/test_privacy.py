"""Privacy is a promise: what an audience may not see is in no file of its build.

Canary strings are planted in every field of private and mentor-only content;
each build is searched file by file, names included, with objects.inv
decompressed, PDFs read back with pypdf, the search index, the copied sources,
the exports and the environment pickle (Sphinx keeps it in the output folder by
default).
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from tests.conftest import PNG, Portfolio, cell_text, sphinx_build

PRIVATE = [
    "privreftitle",
    "privrefbody",
    "privactiontitle",
    "privactionbody",
    "privevtitle",
    "privorganiser",
    "privlocation",
    "privoutcome",
    "privphototitle",
    "privalttext",
    "privauthor",
    "privimagefile",
    "privevidencetitle",
    "privevidencefile",
    "privevidencecontent",
    "privpagefile",
    "privpagetitle",
    "privpagebody",
    "privpageobject",
    "privcomment",
]
MENTOR = [
    "mentpagetitle",
    "mentpagebody",
    "mentobjtitle",
    "mentorganiser",
    "mentfeedback",
    "mentstage",
]

INDEX = """\
---
cpd-visibility: public
---

# Portfolio

% privcomment: a comment in a public page's source

See {reflection}`private-reflection`, {event}`mentor-event` and
{event}`on-private-page`. Public prose stays.

```{toctree}
public
mentor
privpagefile
```
"""

PUBLIC_PAGE = """\
---
cpd-visibility: public
---

# Public page

:::{event} A public talk
:id: public-talk
:date: 2011-11-14
:hours: 2
:::

:::{event} Mentevent mentobjtitle
:id: mentor-event
:date: 2011-11-15
:hours: 1
:organiser: mentorganiser
:visibility: mentor
:::

::::{reflection} Privreftitle
:id: private-reflection
:date: 2011-11-28
:event: public-talk
:visibility: private

privrefbody with words.

:::{action} Privactiontitle
:due: 2012-01-01

privactionbody
:::
::::

:::{event} Privevtitle
:date: 2011-10-12
:hours: 2
:organiser: privorganiser
:location: privlocation
:outcome: privoutcome
:visibility: private
:::

:::{photo} privimagefile.png
:alt: privalttext
:title: privphototitle
:author: privauthor
:licence: CC-BY-4.0
:visibility: private
:::

:::{evidence} Privevidencetitle
:file: privevidencefile.txt
:event: public-talk
:visibility: private
:::

:::{feedback}
:from: A mentor
:date: 2011-12-01
:on: public-talk

mentfeedback on the talk.
:::

```{cpd-log}
```

```{cpd-timeline}
```
"""

MENTOR_PAGE = """\
# Mentpagetitle

mentpagebody for the mentor.

::::{reflection} Thinking
:date: 2011-11-29
:model: rolfe

:::{stage} what
mentstage
:::
::::
"""

PRIVATE_PAGE = """\
---
cpd-visibility: private
---

# Privpagetitle

privpagebody

:::{event} Privpageobject
:id: on-private-page
:date: 2011-11-20
:::
"""

CONF = """\
project = "Canary portfolio"
extensions = ["sphinx_cpd"]
html_theme = "sphinx_cpd"
html_baseurl = "https://canary.example.org/"
"""


def write(src: Path) -> None:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(INDEX)
    (src / "public.md").write_text(PUBLIC_PAGE)
    (src / "mentor.md").write_text(MENTOR_PAGE)
    (src / "privpagefile.md").write_text(PRIVATE_PAGE)
    (src / "privimagefile.png").write_bytes(PNG)
    (src / "privevidencefile.txt").write_text("privevidencecontent\n")


def readable(path: Path) -> str:
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        parts = [page.extract_text() or "" for page in reader.pages]
        parts += [str(value) for value in (reader.metadata or {}).values()]
        return "\n".join(parts).lower() + path.read_bytes().decode("latin-1").lower()
    data = path.read_bytes()
    if path.name == "objects.inv":
        header, _, body = data.partition(b"zlib.\n")
        data = header + zlib.decompress(body)
    return data.decode("utf-8", errors="replace").lower()


def found(outdir: Path, canaries: list[str]) -> set[str]:
    hits = set()
    for path in outdir.rglob("*"):
        name = str(path.relative_to(outdir)).lower()
        text = readable(path) if path.is_file() else ""
        hits |= {c for c in canaries if c in name or c in text}
    return hits


def build(src: Path, out: Path, builder: str, audience: str) -> str:
    status = build_main(["-q", "-b", builder, "-D", f"cpd_audience={audience}", str(src), str(out)])
    assert status == 0
    return builder


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("canaries") / "src"
    write(path)
    return path


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "text", "latex", "cpdpdf"])
@pytest.mark.parametrize("audience", ["mentor", "public"])
def test_no_canary_reaches_an_audience_that_may_not_see_it(
    src: Path, tmp_path: Path, builder: str, audience: str
) -> None:
    out = tmp_path / "out"
    build(src, out, builder, audience)
    forbidden = PRIVATE + (MENTOR if audience == "public" else [])
    assert found(out, forbidden) == set()
    # Public prose is always there.
    assert found(out, ["public prose stays"]) == {"public prose stays"}


def test_parallel_build_withholds_the_same(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    status = build_main(
        ["-q", "-j", "2", "-b", "html", "-D", "cpd_audience=mentor", str(src), str(out)]
    )
    assert status == 0
    assert found(out, PRIVATE) == set()
    assert found(out, MENTOR) == set(MENTOR)


def test_private_build_has_everything(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(src, out, "html", "private")
    # The comment is in the source copy only; everything else is on a page.
    assert found(out, PRIVATE + MENTOR) == set(PRIVATE + MENTOR)


def test_private_pdf_has_everything(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(src, out, "cpdpdf", "private")
    assert found(out, PRIVATE + MENTOR) == set(PRIVATE + MENTOR)


def test_mentor_build_has_mentor_content(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(src, out, "html", "mentor")
    assert found(out, MENTOR) == set(MENTOR)


def test_references_to_withheld_objects_are_plain_text(portfolio: Portfolio) -> None:
    write(portfolio.srcdir)
    build_result = portfolio.build(cpd_audience="public")
    assert build_result.warnings == [], build_result.warnings_text
    paragraph = build_result.html("index.html").select("section > p")[0]
    assert paragraph.get_text(" ", strip=True).startswith(
        "See an item not in this edition , an item not in this edition and an item not "
        "in this edition ."
    )
    assert not paragraph.select("a")
    talk = build_result.html("public.html").select_one("div.cpd-card--event")
    assert talk.select_one(".cpd-backlinks") is None, "withheld objects leave no back-links"


def test_listings_and_exports_count_only_what_is_seen(portfolio: Portfolio) -> None:
    import json

    write(portfolio.srcdir)
    private = portfolio.build(cpd_audience="private", builddir=portfolio.builddir / "p")
    public = portfolio.build(cpd_audience="public", builddir=portfolio.builddir / "q")
    private_total = cell_text(private.html("public.html").select("table tr.cpd-total td")[4])
    public_total = cell_text(public.html("public.html").select("table tr.cpd-total td")[4])
    assert (private_total, public_total) == ("5", "2")
    data = json.loads((public.outdir / "portfolio.json").read_text())
    assert [e["id"] for e in data["events"]] == ["public-talk"]
    assert data["reflections"] == [] and data["feedback"] == [] and data["evidence"] == []


def test_build_log_counts_what_was_withheld(portfolio: Portfolio) -> None:
    write(portfolio.srcdir)
    result = portfolio.build(cpd_audience="mentor")
    status = result.app.status.getvalue()
    assert "built for the mentor audience; withheld 5 objects and 1 page" in status


def test_switching_audience_in_place_equals_a_fresh_build(src: Path, tmp_path: Path) -> None:
    # Separate processes, as a user runs them: Sphinx caches asset checksums per process.
    def run(out: Path, audience: str) -> None:
        sphinx_build(src, out, "-b", "html", "-D", f"cpd_audience={audience}")

    shared, fresh = tmp_path / "shared", tmp_path / "fresh"
    run(shared, "private")
    run(shared, "mentor")
    run(fresh, "mentor")

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and ".doctrees" not in p.parts
        }

    assert files(shared) == files(fresh)
    assert found(shared, PRIVATE) == set()
