"""Withheld content never reaches a shared build: each way it once leaked, tried again.

Every test plants canary words where an audience may not look, builds the
portfolio for that audience, and searches every byte of the output folder and
its doctrees (objects.inv decompressed, PDFs and zips opened, pickles as bytes).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from tests.conftest import PNG, Portfolio, leaked, sphinx_build

PUBLIC = "---\ncpd-visibility: public\n---\n\n"


def folders(build_dir: Path) -> list[Path]:
    return [build_dir]


def build(src: Path, out: Path, builder: str, audience: str, *extra: str) -> int:
    return build_main(
        ["-q", "-b", builder, "-D", f"cpd_audience={audience}", *extra, str(src), str(out)]
    )


def write_conf(src: Path, extra: str = "") -> None:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(
        'project = "Canaries"\nextensions = ["sphinx_cpd"]\nhtml_theme = "sphinx_cpd"\n'
        'exclude_patterns = ["_build"]\n' + extra,
        encoding="utf-8",
    )


# -- what parsing registers -------------------------------------------------------------

REGISTERED = (
    PUBLIC
    + """\
# Home

Public prose stays. See {ref}`figcanary` and {numref}`figcanary`.

::::{reflection} Thinking it over
:date: 2011-11-28
:visibility: private

A thought[^fn1] about {term}`termcanary`.

[^fn1]: footcanaryone

(labelcanary)=
Labelled paragraph.

```{figure} pic.png
:name: figcanary

Caption capcanary
```

```{glossary}
termcanary
   definition defcanary
```

```{math}
:label: mathcanary

x = 1
```

```{py:function} funccanary()
```
::::

:::{feedback}
:from: My mentor
:date: 2011-12-01

Said something[^fn2].

[^fn2]: footcanarytwo
:::
"""
)

PRIVATE_ONLY = [
    "footcanaryone",
    "labelcanary",
    "capcanary",
    "termcanary",
    "defcanary",
    "mathcanary",
    "funccanary",
]


@pytest.mark.parametrize("builder", ["html", "singlehtml", "text", "epub", "json", "cpdpdf"])
def test_what_parsing_registers_stays_out(tmp_path: Path, builder: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(REGISTERED, encoding="utf-8")
    (src / "pic.png").write_bytes(PNG)
    assert build(src, out, builder, "public") == 0
    # figcanary is named in the public text itself; the rest only inside.
    hits = leaked([out], [*PRIVATE_ONLY, "footcanarytwo"])
    assert hits == {}, hits
    assert leaked([out], ["public prose stays"])


def test_a_mentor_sees_feedback_footnotes_but_not_private_ones(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(REGISTERED, encoding="utf-8")
    (src / "pic.png").write_bytes(PNG)
    assert build(src, out, "html", "mentor") == 0
    assert leaked([out], PRIVATE_ONLY) == {}
    assert set(leaked([out], ["footcanarytwo"])) == {"footcanarytwo"}


def test_reference_to_a_withheld_figure_shows_no_caption(portfolio: Portfolio) -> None:
    portfolio.write("index.md", REGISTERED)
    (portfolio.srcdir / "pic.png").write_bytes(PNG)
    result = portfolio.build(cpd_audience="public")
    assert result.warnings == [], result.warnings_text
    text = result.html("index.html").select_one("section > p").get_text(" ", strip=True)
    assert text.startswith("Public prose stays. See an item not in this edition and an item")
    # The private build resolves the same references.
    private = portfolio.build(builddir=portfolio.builddir / "private")
    assert "capcanary" in private.html("index.html").get_text()


@pytest.mark.parametrize("builder", ["html", "json", "pickle"])
def test_doctrees_and_environment_hold_nothing_withheld(tmp_path: Path, builder: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(REGISTERED, encoding="utf-8")
    (src / "pic.png").write_bytes(PNG)
    assert build(src, out, builder, "public") == 0
    assert (out / ".doctrees" / "environment.pickle").is_file()
    assert leaked([out / ".doctrees"], PRIVATE_ONLY) == {}
    if builder != "html":
        assert (out / "environment.pickle").is_file()
        assert leaked([out], PRIVATE_ONLY) == {}


# -- includes -----------------------------------------------------------------------------


def test_including_a_private_page_does_not_publish_it(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(
        PUBLIC + "# Home\n\nPublic prose stays.\n\n```{include} secret.md\n```\n\n"
        "```{include} part.md\n```\n\n```{eval-rst}\n.. include:: secret.md\n```\n",
        encoding="utf-8",
    )
    (src / "secret.md").write_text(
        "---\ncpd-visibility: private\n---\n\ninclcanary\n\n"
        ":::{event} Inclevent\n:date: 2011-11-14\n:hours: 2\n:::\n",
        encoding="utf-8",
    )
    (src / "part.md").write_text(
        "Shared part.\n\n:::{event} Partcanary\n:date: 2011-11-15\n:visibility: private\n:::\n",
        encoding="utf-8",
    )
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["inclcanary", "inclevent", "partcanary"]) == {}
    assert "Shared part." in (out / "index.html").read_text()
    # An included file is part of the page that includes it, not a page of its own.
    assert not (out / "part.html").exists()
    assert not (out / "secret.html").exists()


def test_an_include_inside_a_withheld_object_is_never_read(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(
        PUBLIC + "# Home\n\n::::{reflection} R\n:date: 2011-11-28\n:visibility: mentor\n\n"
        "```{include} notes.md\n```\n::::\n",
        encoding="utf-8",
    )
    (src / "notes.md").write_text("notecanary\n", encoding="utf-8")
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["notecanary"]) == {}


# -- comments -----------------------------------------------------------------------------


COMMENTED = (
    PUBLIC
    + """\
# Home

Public prose stays. <!-- inlinecommentcanary -->

<!-- htmlcommentcanary -->

% pctcommentcanary

:::{evidence} Certificate
:file: cert.pdf
:visibility: public

What it shows.

% evcommentcanary
<!-- evhtmlcanary -->
:::
"""
)


@pytest.mark.parametrize("audience", ["private", "public"])
def test_comments_reach_no_reader(tmp_path: Path, audience: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(COMMENTED, encoding="utf-8")
    (src / "page.rst").write_text(
        ":cpd-visibility: public\n\nA page\n======\n\n.. rstcommentcanary\n\nText.\n",
        encoding="utf-8",
    )
    (src / "cert.pdf").write_bytes(
        (
            Path(__file__).parent.parent
            / "example-portfolio"
            / "evidence"
            / "certificate-of-attendance.pdf"
        ).read_bytes()
    )
    assert build(src, out, "html", audience) == 0
    data = json.loads((out / "portfolio.json").read_text())
    assert data["evidence"][0]["text"] == "What it shows."
    if audience == "public":
        canaries = [
            "inlinecommentcanary",
            "htmlcommentcanary",
            "pctcommentcanary",
            "evcommentcanary",
            "evhtmlcanary",
            "rstcommentcanary",
        ]
        assert leaked([out], canaries) == {}
        pdf = tmp_path / "pdf"
        assert build(src, pdf, "cpdpdf", audience) == 0
        assert leaked([pdf], canaries) == {}


# -- mistakes fail closed ----------------------------------------------------------------


def test_a_misspelt_visibility_is_private_with_a_warning(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        PUBLIC + "# Home\n\n:::{event} Typocanary\n:date: 2011-11-14\n:visibility: privte\n:::\n",
    )
    result = portfolio.build(cpd_audience="public")
    assert leaked([result.outdir], ["typocanary"]) == {}
    [warning] = result.of("visibility")
    assert "privte" in warning.message and warning.line == 7
    # The author's own build shows it, and says the same.
    private = portfolio.build(builddir=portfolio.builddir / "private")
    assert "Typocanary" in private.html("index.html").get_text()
    assert len(private.of("visibility")) == 1


def test_an_unknown_audience_stops_the_build(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text("# Home\n\nsecretprose\n", encoding="utf-8")
    assert build(src, out, "html", "pubilc") != 0
    assert leaked([out], ["secretprose"]) == {}
    assert not (out / "_sources").exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("misspelt-key.md", "---\ncpd-visibilty: public\n---\n\n# Typo\n\nkeycanary\n"),
        ("snake-key.md", "---\ncpd_visibility: public\n---\n\n# Snake\n\nkeycanary\n"),
        ("bad-yaml.md", "---\ncpd-visibility: [public\n---\n\n# Broken\n\nkeycanary\n"),
        ("not-a-value.md", "---\ncpd-visibility: everyone\n---\n\n# Value\n\nkeycanary\n"),
        ("after-comment.rst", ".. a comment\n\n:cpd-visibility: private\n\nT\n=\n\nkeycanary\n"),
        ("case.rst", ":CPD-Visibility: public\n\nT\n=\n\nkeycanary\n"),
    ],
)
def test_pages_that_cannot_be_read_are_private(portfolio: Portfolio, name: str, text: str) -> None:
    portfolio.write("index.md", PUBLIC + "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n")
    portfolio.write(name, text)
    result = portfolio.build(cpd_audience="public")
    assert leaked([result.outdir], ["keycanary"]) == {}
    # A page that says plainly it is private needs no warning; a mistake does.
    if name != "after-comment.rst":
        [warning] = result.of("visibility")
        assert warning.file.endswith(name)
    # The glob that matched only the withheld page is not a warning.
    assert not [w for w in result.warnings if "glob" in w.message]


def test_explicit_visibility_narrowed_by_the_page_is_reported(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "---\ncpd-visibility: mentor\n---\n\n# Home\n\n"
        ":::{event} Wants the world\n:date: 2011-11-14\n:visibility: public\n:::\n",
    )
    result = portfolio.build()
    [warning] = result.of("visibility")
    assert "asks for more" in warning.message and "mentor" in warning.message
    assert "its page is mentor" in warning.message


def test_a_private_root_page_gives_a_neutral_front_page(portfolio: Portfolio) -> None:
    portfolio.add_conf('cpd_profile = {"name": "Alex Doe", "role": "Librarian"}')
    portfolio.write(
        "index.md",
        "---\ncpd-visibility: private\n---\n\n# Rootcanary notes\n\nrootprosecanary\n\n"
        "```{toctree}\n:caption: Sections\n\nshared\n```\n",
    )
    portfolio.write("shared.md", PUBLIC + "# Shared page\n\nVisible.\n")
    result = portfolio.build(cpd_audience="public")
    assert leaked([result.outdir], ["rootcanary", "rootprosecanary"]) == {}
    page = result.html("index.html")
    assert page.select_one("h1").get_text(strip=True).startswith("Test portfolio")
    assert "Alex Doe, Librarian" in page.get_text()
    assert page.select_one(".toctree-wrapper a").get_text() == "Shared page"


# -- stale files -------------------------------------------------------------------------


def test_a_failed_private_build_leaves_nothing_for_a_public_one(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(
        src,
        "import os\n"
        "def _fail(app, exc):\n"
        "    if os.environ.get('CPD_TEST_FAIL'):\n"
        "        raise RuntimeError('boom')\n"
        "def setup(app):\n"
        "    app.connect('build-finished', _fail, priority=1)\n",
    )
    (src / "index.md").write_text(PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n", encoding="utf-8")
    (src / "notes.md").write_text("---\ncpd-visibility: private\n---\n# N\n\nstalecanary\n")
    env = {**os.environ, "CPD_TEST_FAIL": "1"}
    failed = sphinx_build(src, out, env=env, check=False)
    assert failed.returncode != 0 and (out / "notes.html").is_file()
    sphinx_build(src, out, "-b", "html", "-D", "cpd_audience=public")
    assert leaked([out], ["stalecanary"]) == {}


def test_an_unmarked_sphinx_folder_is_emptied_before_a_shared_build(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(PUBLIC + "# Home\n", encoding="utf-8")
    out.mkdir()
    (out / ".buildinfo").write_text("# Sphinx build info\n")
    (out / "old-private.html").write_text("unmarkedcanary")
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["unmarkedcanary"]) == {}


def test_an_object_turned_private_leaves_the_search_index(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    page = (
        PUBLIC
        + "# Home\n\n:::{{event}} Talk\n:date: 2011-11-14\n:visibility: {v}\n\nturncanary\n:::\n"
    )
    (src / "index.md").write_text(page.format(v="public"), encoding="utf-8")
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["turncanary"])
    (src / "index.md").write_text(page.format(v="private"), encoding="utf-8")
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["turncanary"]) == {}


@pytest.mark.parametrize("builder", ["epub", "latex"])
def test_incremental_epub_and_latex_drop_withheld_images(tmp_path: Path, builder: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    page = PUBLIC + (
        "# Home\n\n:::{{photo}} imgcanary.png\n:alt: A desk\n:licence: CC0-1.0\n"
        ":visibility: {v}\n\nA desk.\n:::\n"
    )
    (src / "imgcanary.png").write_bytes(PNG)
    (src / "index.md").write_text(page.format(v="public"), encoding="utf-8")
    assert build(src, out, builder, "public") == 0
    assert leaked([out], ["imgcanary"])
    (src / "index.md").write_text(page.format(v="private"), encoding="utf-8")
    assert build(src, out, builder, "public") == 0
    assert leaked([out], ["imgcanary"]) == {}
    fresh = tmp_path / "fresh"
    assert build(src, fresh, builder, "public") == 0
    assert sorted(p.name for p in out.rglob("*") if ".doctrees" not in p.parts) == sorted(
        p.name for p in fresh.rglob("*") if ".doctrees" not in p.parts
    )


# -- every way of writing an object ------------------------------------------------------------

SNIPPETS = {
    "upper-case name": ":::{EVENT} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n:::\n",
    "domain prefix": ":::{cpd:event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n:::\n",
    "tilde fence": "~~~{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n~~~\n",
    "backtick fence": "```{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n```\n",
    "yaml options": ":::{event} T\n---\ndate: 2011-11-14\nvisibility: private\n---\nsnipcanary\n:::\n",
    "shouting value": ":::{event} T\n:date: 2011-11-14\n:visibility:   PRIVATE  \n\nsnipcanary\n:::\n",
    "empty value": ":::{event} T\n:date: 2011-11-14\n:visibility:\n\nsnipcanary\n:::\n",
    "in a list": "- item\n\n  :::{event} T\n  :date: 2011-11-14\n  :visibility: private\n\n  snipcanary\n  :::\n",
    "in a quote": "> :::{event} T\n> :date: 2011-11-14\n> :visibility: private\n>\n> snipcanary\n> :::\n",
    "unclosed": "Before.\n\n:::{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n",
    "in a note": "::::{note}\n:::{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n:::\n::::\n",
    "in only": "::::{only} html\n:::{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n:::\n::::\n",
    "in tabs": "::::{tab-set}\n:::{tab-item} A\n```{event} T\n:date: 2011-11-14\n:visibility: private\n\nsnipcanary\n```\n:::\n::::\n",
    "in eval-rst": "```{eval-rst}\n.. event:: T\n   :date: 2011-11-14\n   :visibility: private\n\n   snipcanary\n```\n",
    "toctree title": "```{toctree}\nSnipcanary title <secret>\n```\n",
}
RST_SNIPPETS = {
    "rst tabs": ".. event:: T\n\t:date: 2011-11-14\n\t:visibility: private\n\n\tsnipcanary\n",
    "rst list item": "- .. event:: T\n     :date: 2011-11-14\n     :visibility: private\n\n     snipcanary\n",
    "rst duplicate option": ".. event:: T\n   :date: 2011-11-14\n   :visibility: public\n   :visibility: public\n\n   snipcanary\n",
    "rst field case": ".. event:: T\n   :date: 2011-11-14\n   :Visibility: private\n\n   snipcanary\n",
    "rst continued value": ".. event:: T\n   :date: 2011-11-14\n   :visibility: public\n      and more\n\n   snipcanary\n",
    "rst nested": ".. note::\n\n   .. reflection:: R\n      :date: 2011-11-28\n      :visibility: mentor\n\n      snipcanary\n",
}


@pytest.mark.parametrize("case", [*SNIPPETS, *RST_SNIPPETS])
def test_every_way_of_writing_a_withheld_object(tmp_path: Path, case: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "secret.md").write_text("---\ncpd-visibility: private\n---\n# Secret\n")
    if case in SNIPPETS:
        text = PUBLIC + "# Home\n\nPublic prose stays.\n\n" + SNIPPETS[case]
        (src / "index.md").write_text(text, encoding="utf-8")
    else:
        title = "Home\n====\n\nPublic prose stays.\n\n"
        text = ":cpd-visibility: public\n\n" + title + RST_SNIPPETS[case]
        (src / "index.rst").write_text(text, encoding="utf-8")
    for builder in ("html", "text"):
        assert build(src, out / builder, builder, "public") == 0
    assert leaked([out], ["snipcanary"]) == {}
    assert leaked([out], ["public prose stays"])


# -- found by an attacker, each kept as a case ------------------------------------------------

ATTACKS: dict[str, dict[str, str]] = {
    "stage-visibility": {
        "index.md": PUBLIC
        + "# Home\n\n::::{reflection} R\n:date: 2011-11-28\n:model: rolfe\n\n:::{stage} what\n:visibility: private\n\nattackcanary\n:::\n::::\n",
    },
    "repeated-option": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2011-11-14\n:visibility: private\n:visibility: public\n:::\n",
    },
    "repeated-yaml-option": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n---\ndate: 2011-11-14\nvisibility: private\nvisibility: public\n---\n:::\n",
    },
    "misspelt-option": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2011-11-14\n:visiblity: private\n:::\n",
    },
    "capitalised-option": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2011-11-14\n:Visibility: private\n:::\n",
    },
    "fieldlist-metadata": {
        "conf.py": 'myst_enable_extensions = ["fieldlist"]\n',
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": ":cpd-visibility: private\n\n# Notes\n\nattackcanary\n",
    },
    "repeated-front-matter-key": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": "---\ncpd-visibility: private\ncpd-visibility: public\n---\n# N\n\nattackcanary\n",
    },
    "page-turns-colon-fences-off": {
        "index.md": "---\ncpd-visibility: public\nmyst:\n  enable_extensions: [dollarmath]\n---\n# Home\n\n:::{reflection} attackcanary\n:date: 2011-11-14\n:visibility: private\n:::\n",
    },
    "commonmark-only-page": {
        "index.md": "---\ncpd-visibility: public\nmyst:\n  commonmark_only: true\n---\n# Home\n\n```{event} attackcanary\n:date: 2011-11-14\n:visibility: private\n```\n",
    },
    "tab-indented-rst": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n.. note::\n\n    .. event:: T\n    \t:date: 2011-11-14\n    \t:visibility: private\n\n    \tattackcanary\n",
    },
    "literalinclude-of-a-page": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2011-11-14\n:visibility: private\n:::\n\n```{toctree}\nb\n```\n",
        "b.rst": ":cpd-visibility: public\n\nB\n=\n\n.. literalinclude:: index.md\n\n.. include:: index.md\n   :literal:\n\n.. raw:: html\n   :file: secret.md\n\n.. literalinclude:: index.md\n   :diff: secret.md\n\n:download:`notes <secret.md>`\n",
        "secret.md": "---\ncpd-visibility: private\n---\n# S\n\nattackcanary\n",
    },
    "include-of-a-text-file": {
        "index.md": PUBLIC + "# Home\n\n```{include} snippet.txt\n```\n",
        "snippet.txt": "---\ncpd-visibility: private\n---\nattackcanary\n",
    },
    "field-after-title": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.rst": "Notes\n=====\n\n:cpd-visibility: private\n\nattackcanary\n",
    },
    "front-matter-after-blank-line": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": "\n---\ncpd-visibility: private\n---\n# Notes\n\nattackcanary\n",
    },
    "table-cell": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n+------------------------------+\n| .. event:: attackcanary      |\n|    :date: 2011-11-14         |\n|    :visibility: private      |\n|    :organizer: typo          |\n+------------------------------+\n",
    },
    "private-root-toctree": {
        "index.md": "---\ncpd-visibility: private\n---\n# Root\n\n```{toctree}\n:caption: attackcanary\n:name: attackcanary\n\nattackcanary title <a>\n```\n",
        "a.md": PUBLIC + "# A\n\nx\n",
    },
    "visibility-after-blank-line": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary title\n:date: 2011-11-14\n\n:visibility: private\n\nattackcanary body\n:::\n",
    },
    "visibility-after-a-comment": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary title\n% a note\n:date: 2011-11-14\n:visibility: private\n:::\n",
    },
    "second-yaml-block": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary title\n:date: 2011-11-14\n---\nvisibility: private\n---\n:::\n",
    },
    "stage-visibility-after-blank-line": {
        "index.md": PUBLIC
        + "# Home\n\n::::{reflection} R\n:date: 2011-11-28\n\n:::{stage} what\n\n:visibility: private\n\nattackcanary\n:::\n::::\n",
    },
    "rst-visibility-after-blank-line": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n.. event:: attackcanary title\n   :date: 2011-11-14\n\n   :visibility: private\n\n   attackcanary body\n",
    },
    "rst-visibility-in-the-title": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n.. event:: attackcanary\n   title :visibility: private\n   :date: 2011-11-14\n",
    },
    "rst-after-a-footnote-label": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n.. [#] .. event:: attackcanary title\n\n      :visibility: private\n",
    },
    "fence-in-html-block": {
        "index.md": PUBLIC
        + "# Home\n\n<div>\n:::{event} attackcanary title\n:date: 2011-11-14\n:visibility: private\n:::\n</div>\n",
    },
    "page-source-as-image": {
        "index.md": PUBLIC
        + "# Home\n\n![x](secret.md) ![y](index.md)\n\n:::{event} attackcanary\n:date: 2011-11-14\n:visibility: private\n:::\n",
        "secret.md": "---\ncpd-visibility: private\n---\n# S\n\nattackcanary\n",
    },
    "literal-include-of-a-fragment": {
        "index.md": PUBLIC
        + "# Home\n\n```{literalinclude} frag.txt\n```\n\n```{include} frag.txt\n:literal:\n```\n\n"
        + "```{include} frag.txt\n:code: md\n```\n",
        "frag.txt": ":::{event} attackcanary\n:date: 2024-01-01\n:visibility: private\n:::\n",
    },
    "front-matter-after-a-comment": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": "<!-- x -->\n---\ncpd-visibility: private\n---\n# N\n\nattackcanary\n",
    },
    "visibility-line-after-the-title": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": "# N\n\ncpd-visibility: private\n\nattackcanary\n",
    },
    "second-front-matter-block": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": "# N\n\n---\ncpd-visibility: private\n---\n\nattackcanary\n",
    },
    "toml-front-matter": {
        "index.md": PUBLIC + "# Home\n\n```{toctree}\nnotes\n```\n",
        "notes.md": '+++\ncpd-visibility = "private"\n+++\n# N\n\nattackcanary\n',
    },
    "two-options-on-one-line": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2024-01-01 :visibility: private\n:::\n",
    },
    "option-with-a-space": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2024-01-01\n: visibility: private\n:::\n",
    },
    "option-of-intent": {
        "index.md": PUBLIC
        + "# Home\n\n:::{event} attackcanary\n:date: 2024-01-01\n:hidden: true\n:::\n\n"
        + ":::{reflection} attackcanary too\n:date: 2024-01-01\n:audience: private\n:::\n",
    },
    "rst-grid-cell-visibility-after": {
        "index.rst": ":cpd-visibility: public\n\nHome\n====\n\n+------------------------------+\n"
        "| .. event:: attackcanary      |\n|    :date: 2011-11-14         |\n"
        "| :visibility: private         |\n+------------------------------+\n",
    },
    "pdf-internal-address": {
        "index.md": PUBLIC
        + '# Home\n\n<a rel="attachment" href="https://source.sphinx-cpd.invalid/secret.md">notes</a>\n',
        "secret.md": "---\ncpd-visibility: private\n---\n# S\n\nattackcanary\n",
    },
}


@pytest.mark.parametrize("case", ATTACKS)
def test_attacks_that_once_leaked(tmp_path: Path, case: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    files = ATTACKS[case]
    write_conf(src, files.get("conf.py", ""))
    for name, text in files.items():
        if name != "conf.py":
            (src / name).write_text(text, encoding="utf-8")
    builders = ["cpdpdf"] if case == "pdf-internal-address" else ["html", "text"]
    for audience in ("mentor", "public"):
        for builder in builders:
            assert build(src, out / audience / builder, builder, audience) == 0
    assert leaked([out], ["attackcanary"]) == {}


def test_a_shared_build_never_removes_the_owners_files(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(PUBLIC + "# Home\n", encoding="utf-8")
    (out / "photos").mkdir(parents=True)
    (out / "thesis.docx").write_text("mine")
    (out / "photos" / "me.jpg").write_text("mine too")
    for audience in ("public", "mentor", "public", "private", "public"):
        assert build(src, out, "text", audience) == 0
        assert (out / "thesis.docx").read_text() == "mine"
        assert (out / "photos" / "me.jpg").is_file()
    assert (out / "index.txt").is_file()


def test_a_label_written_just_above_a_withheld_block_goes_with_it(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(
        PUBLIC + "# Home\n\n(abovecanary)=\n\n::::{reflection} Secret\n:date: 2011-11-28\n"
        ":visibility: private\n\nHidden.\n::::\n\n(keptlabel)=\n\nA shared paragraph.\n",
        encoding="utf-8",
    )
    (src / "notes.rst").write_text(
        ":cpd-visibility: public\n\n"
        "Notes\n=====\n\n.. _rstabovecanary:\n\n.. reflection:: Secret too\n"
        "   :date: 2011-11-28\n   :visibility: private\n\n   Hidden.\n",
        encoding="utf-8",
    )
    assert build(src, out, "html", "public") == 0
    assert leaked([out], ["abovecanary", "rstabovecanary"]) == {}
    assert set(leaked([out], ["keptlabel"])) == {"keptlabel"}


def test_a_download_or_picture_is_judged_by_the_file_it_names(tmp_path: Path) -> None:
    """Found by attack: a link named .txt to a private page's source, and a
    text file marked private (not a page), were copied whole by {download}
    and {image}; the file itself is now looked at, as literalinclude's is."""
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "diary.md").write_text(
        "---\ncpd-visibility: private\n---\n# Diary\n\ndiarycanary a private page.\n",
        encoding="utf-8",
    )
    (src / "inc").mkdir()
    (src / "inc" / "secret.txt").write_text(
        "---\ncpd-visibility: private\n---\nnotescanary secret notes\n", encoding="utf-8"
    )
    (src / "slides.txt").symlink_to("diary.md")
    (src / "inc" / "alias.txt").symlink_to("../diary.md")
    (src / "index.md").write_text(
        PUBLIC + "# Home\n\n```{toctree}\ndiary\n```\n\n"
        "Slides: {download}`slides <slides.txt>`, {download}`notes <inc/secret.txt>`.\n\n"
        "```{image} inc/alias.txt\n```\n\n```{image} inc/secret.txt\n```\n",
        encoding="utf-8",
    )
    for audience in ("public", "mentor"):
        assert build(src, out / audience, "html", audience) == 0
    assert leaked([out], ["diarycanary", "notescanary"]) == {}


def test_a_visibility_in_yamls_question_mark_key_form_is_not_passed_over(
    tmp_path: Path,
) -> None:
    """Found by attack: "? visibility" / ": private" in an options block was
    read by no check, and the object took its page's visibility."""
    src, out = tmp_path / "src", tmp_path / "out"
    write_conf(src)
    (src / "index.md").write_text(
        PUBLIC + "# Home\n\n```{reflection} Day one\n---\ndate: 2024-02-04\n"
        "? visibility\n: private\n---\nqkeycanary my private thoughts.\n```\n",
        encoding="utf-8",
    )
    for builder in ("html", "cpdpdf"):
        assert build(src, out / builder, builder, "public") == 0
    assert leaked([out], ["qkeycanary"]) == {}
