"""Property: no build for an audience holds a word that audience may not see.

Hypothesis writes whole portfolios: MyST and reST pages with random
visibilities (some misspelt), objects nested in objects and in notes, stages,
footnotes, labels, figures, glossaries, labelled maths, domain objects,
includes, comments, raw HTML and references to all of them. Every word it
writes is a unique canary, recorded with the narrowest audience that may read
it, worked out here from the rules in the documentation (not from the code).
Each portfolio is built for the mentor and the public, serially or with
``-j 2``, and then again incrementally after random visibility changes; every
byte of the output and doctree folders is searched.

CI runs a few examples per builder; ``make fuzz`` runs many more
(``CPD_FUZZ_EXAMPLES``). A failure prints the portfolio's seed and files:
keep it as a regression test in ``test_leaks.py``.
"""

from __future__ import annotations

import io
import itertools
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.cmd.build import build_main

from tests.conftest import PNG, leaked

ORDER = ("private", "mentor", "public")
EXAMPLES = int(os.environ.get("CPD_FUZZ_EXAMPLES", "3"))
KIND_DEFAULT = {"feedback": "mentor"}
REQUIRED = {
    "event": ":date: 2011-11-14\n:hours: 1",
    "reflection": ":date: 2011-11-28",
    "action": ":due: 2012-01-01",
    "evidence": ":date: 2011-11-20",
    "feedback": ":from: A mentor\n:date: 2011-12-01",
}
EXTRAS = ("footnote", "label", "figure", "glossary", "math", "comment", "raw", "domain", "ref")


def narrowest(*levels: str | None) -> str:
    return min((v for v in levels if v), key=ORDER.index, default="private")


# -- a portfolio as data -------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "para", an object kind, "note" or "include"
    visibility: str | None = None  # for objects: None, a visibility, or a typo
    extras: tuple[str, ...] = ()
    children: list[Block] = field(default_factory=list)


@dataclass
class Page:
    name: str
    rst: bool
    front: str  # "none", a visibility, "typo-key" or "bad-value"
    blocks: list[Block]


def blocks(depth: int) -> st.SearchStrategy[list[Block]]:
    kinds = ["para", "event", "reflection", "action", "evidence", "feedback", "note"]
    if depth == 0:
        kinds.append("include")
    child = st.deferred(lambda: blocks(depth + 1)) if depth < 2 else st.just([])
    block = st.builds(
        Block,
        kind=st.sampled_from(kinds),
        visibility=st.sampled_from([None, None, "public", "mentor", "private", "privte"]),
        extras=st.lists(st.sampled_from(EXTRAS), max_size=3, unique=True).map(tuple),
        children=child,
    )
    return st.lists(block, min_size=1, max_size=3)


pages = st.lists(
    st.builds(
        Page,
        name=st.just(""),
        rst=st.booleans(),
        front=st.sampled_from(
            ["none", "public", "public", "mentor", "private", "typo-key", "bad-value"]
        ),
        blocks=blocks(0),
    ),
    min_size=1,
    max_size=4,
)


# -- writing it out, and knowing who may read each word ---------------------------------------


class Writer:
    def __init__(self, src: Path) -> None:
        self.src = src
        self.canaries: dict[str, str] = {}  # canary -> the widest audience that may read it
        self.count = itertools.count()
        self.fragments = itertools.count()

    def canary(self, level: str) -> str:
        word = f"cxq{next(self.count)}zq"
        self.canaries[word] = level
        return word

    def page_level(self, page: Page) -> str:
        if page.front in ORDER:
            return page.front
        return "private" if page.front in ("typo-key", "bad-value") else "mentor"

    def write(self, all_pages: list[Page]) -> None:
        for index, page in enumerate(all_pages):
            page.name = "index" if index == 0 else f"page{index}"
            level = self.page_level(page)
            text = (self.rst_page if page.rst else self.myst_page)(page, level, all_pages)
            suffix = ".rst" if page.rst else ".md"
            for other in (".rst", ".md"):
                (self.src / f"{page.name}{other}").unlink(missing_ok=True)
            (self.src / f"{page.name}{suffix}").write_text(text, encoding="utf-8")

    # MyST --------------------------------------------------------------------------------

    def myst_page(self, page: Page, level: str, all_pages: list[Page]) -> str:
        front = {
            "none": "",
            "typo-key": "---\ncpd-visibilty: public\n---\n\n",
            "bad-value": "---\ncpd-visibility: everybody\n---\n\n",
        }.get(page.front, f"---\ncpd-visibility: {page.front}\n---\n\n")
        parts = [front + f"# Page {self.canary(level)}\n"]
        parts += [self.myst_block(b, level, level, None, 0) for b in page.blocks]
        if page.name == "index" and len(all_pages) > 1:
            names = "\n".join(p.name for p in all_pages[1:])
            parts.append(f"```{{toctree}}\n{names}\n```\n")
        return "\n".join(parts)

    def myst_block(
        self, block: Block, page: str, context: str, parent: str | None, depth: int
    ) -> str:
        if block.kind == "para":
            return self.myst_para(block, context, depth)
        if block.kind == "include":
            name = f"frag{next(self.fragments)}"
            body = "\n".join(self.myst_block(b, page, context, parent, 1) for b in block.children)
            (self.src / f"{name}.md").write_text(
                f"Fragment {self.canary(context)}\n\n{body}\n", encoding="utf-8"
            )
            return f"```{{include}} {name}.md\n```\n"
        colons = ":" * (3 + height(block))
        if block.kind == "note":
            inner = "\n".join(
                self.myst_block(b, page, context, parent, depth + 1) for b in block.children
            )
            return f"{colons}{{note}}\nA note {self.canary(context)}\n\n{inner}\n{colons}\n"
        level = self.object_level(block, page, parent)
        own = f":visibility: {block.visibility}\n" if block.visibility else ""
        lines = [
            f"{colons}{{{block.kind}}} Title {self.canary(level)}",
            REQUIRED[block.kind] + "\n" + own,
            self.myst_para(block, level, depth),
        ]
        if block.kind == "reflection" and "footnote" in block.extras:
            lines.append(f":::{{stage}} what\nStage {self.canary(level)}\n:::\n")
        lines += [self.myst_block(b, page, level, level, depth + 1) for b in block.children]
        lines.append(colons + "\n")
        return "\n".join(lines)

    def myst_para(self, block: Block, level: str, depth: int) -> str:
        n = next(self.count)
        out = [f"Words {self.canary(level)}"]
        notes = []
        for extra in block.extras:
            if extra == "footnote":
                out.append(f"[^f{n}]")
                notes.append(f"[^f{n}]: Footnote {self.canary(level)}")
            elif extra == "raw":
                out.append(f'<span class="r">{self.canary(level)}</span>')
            elif extra == "comment":
                out.append(f"<!-- {self.canary('private')} -->")
                notes.append(f"% {self.canary('private')}")
            elif extra == "label":
                notes.append(f"({self.canary(level)})=\nLabelled {self.canary(level)}")
            elif extra == "figure":
                notes.append(
                    f"```{{figure}} pic.png\n:name: fig{n}\n\nCaption {self.canary(level)}\n```"
                )
            elif extra == "glossary":
                notes.append(
                    f"```{{glossary}}\n{self.canary(level)}\n   Means {self.canary(level)}\n```"
                )
            elif extra == "math":
                notes.append(f"```{{math}}\n:label: {self.canary(level)}\n\nx = 1\n```")
            elif extra == "domain":
                notes.append(f"```{{py:function}} {self.canary(level)}()\n```")
            elif extra == "ref":
                # A reference from here to a figure that may be withheld.
                out.append(f"see {{ref}}`fig{max(n - 1, 0)}`")
        return " ".join(out) + "\n\n" + "\n\n".join(notes) + "\n"

    # reST --------------------------------------------------------------------------------

    def rst_page(self, page: Page, level: str, all_pages: list[Page]) -> str:
        front = {
            "none": "",
            "typo-key": ":cpd-visibilty: public\n\n",
            "bad-value": ":cpd-visibility: everybody\n\n",
        }.get(page.front, f":cpd-visibility: {page.front}\n\n")
        title = f"Page {self.canary(level)}"
        parts = [
            front
            + ".. a comment "
            + self.canary("private")
            + "\n\n"
            + title
            + "\n"
            + "=" * len(title)
            + "\n"
        ]
        parts += [self.rst_block(b, level, level, None, "") for b in page.blocks]
        if page.name == "index" and len(all_pages) > 1:
            names = "\n".join(f"   {p.name}" for p in all_pages[1:])
            parts.append(f".. toctree::\n\n{names}\n")
        return "\n".join(parts)

    def rst_block(
        self, block: Block, page: str, context: str, parent: str | None, indent: str
    ) -> str:
        if block.kind in ("para", "include"):
            return self.rst_para(block, context, indent)
        inner_indent = indent + "   "
        if block.kind == "note":
            inner = "\n".join(
                self.rst_block(b, page, context, parent, inner_indent) for b in block.children
            )
            return f"{indent}.. note::\n\n{inner_indent}A note {self.canary(context)}\n\n{inner}\n"
        level = self.object_level(block, page, parent)
        options = REQUIRED[block.kind].split("\n")
        if block.visibility:
            options.append(f":visibility: {block.visibility}")
        lines = [f"{indent}.. {block.kind}:: Title {self.canary(level)}"]
        lines += [inner_indent + option for option in options]
        lines.append("")
        lines.append(self.rst_para(block, level, inner_indent))
        lines += [self.rst_block(b, page, level, level, inner_indent) for b in block.children]
        return "\n".join(lines) + "\n"

    def rst_para(self, block: Block, level: str, indent: str) -> str:
        n = next(self.count)
        words = f"Words {self.canary(level)}"
        after = []
        if "footnote" in block.extras:
            words += f" [#f{n}]_"
            after.append(f".. [#f{n}] Footnote {self.canary(level)}")
        if "comment" in block.extras:
            after.append(f".. {self.canary('private')}")
        if "label" in block.extras:
            after.append(f".. _{self.canary(level)}:\n\nLabelled {self.canary(level)}")
        if "glossary" in block.extras:
            after.append(
                f".. glossary::\n\n   {self.canary(level)}\n      Means {self.canary(level)}"
            )
        if "math" in block.extras:
            after.append(f".. math::\n   :label: {self.canary(level)}\n\n   x = 1")
        text = "\n\n".join([words, *after])
        return "\n".join(indent + line if line else "" for line in text.split("\n")) + "\n"

    def object_level(self, block: Block, page: str, parent: str | None) -> str:
        own = block.visibility
        if own is not None and own not in ORDER:
            own = "private"  # a typo is private
        given = own or KIND_DEFAULT.get(block.kind) or page
        return narrowest(given, page, parent)


def height(block: Block) -> int:
    return 1 + max((height(child) for child in block.children), default=0) if block.children else 0


# -- the property ---------------------------------------------------------------------------


def run_build(src: Path, out: Path, builder: str, audience: str, parallel: bool) -> None:
    args = ["-q", "-b", builder, "-D", f"cpd_audience={audience}", str(src), str(out)]
    if parallel:
        args[:0] = ["-j", "2"]
    stderr = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(stderr):
        status = build_main(args)
    assert status == 0, stderr.getvalue()
    assert "Traceback" not in stderr.getvalue() and "Exception" not in stderr.getvalue()


def walk(blocks: list[Block]) -> list[Block]:
    return [b for block in blocks for b in (block, *walk(block.children))]


def check(src: Path, out: Path, writer: Writer, audience: str) -> None:
    # Not vacuous: the root page's title is there whenever the audience may see it.
    if ORDER.index(writer.canaries["cxq0zq"]) >= ORDER.index(audience):
        assert leaked([out], ["cxq0zq"]), "the visible root page is missing"
    forbidden = [
        word
        for word, level in writer.canaries.items()
        if ORDER.index(level) < ORDER.index(audience)
    ]
    hits = leaked([out], forbidden)
    if hits:
        files = {
            p.name: p.read_text(encoding="utf-8")
            for p in sorted(src.glob("*.*"))
            if p.suffix in (".md", ".rst")
        }
        pytest.fail(f"withheld words reached the {audience} build: {hits}\n{files}")


CONF = (
    'project = "Fuzz"\nextensions = ["sphinx_cpd"]\nhtml_theme = "sphinx_cpd"\n'
    # Feeds written in every website build (mentor's too), with every kind they hold.
    'html_baseurl = "https://fuzz.example.org/"\n'
    'cpd_feed = {"kinds": ["reflection", "event", "evidence"], "audiences": ["public", "mentor"]}\n'
)
BUILDERS = ["html", "singlehtml", "text", "epub", "json", "cpdpdf"]


@pytest.mark.parametrize("builder", BUILDERS)
def test_no_build_holds_what_its_audience_may_not_see(
    tmp_path_factory: pytest.TempPathFactory, builder: str
) -> None:
    @settings(
        max_examples=EXAMPLES if builder != "cpdpdf" else max(1, EXAMPLES // 2),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=not os.environ.get("CPD_FUZZ_EXAMPLES"),
    )
    @given(
        portfolio=pages,
        changes=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ORDER)), max_size=3),
        flips=st.lists(st.tuples(st.integers(0, 30), st.sampled_from(ORDER)), max_size=4),
        parallel=st.booleans(),
    )
    def prop(
        portfolio: list[Page],
        changes: list[tuple[int, str]],
        flips: list[tuple[int, str]],
        parallel: bool,
    ) -> None:
        root = tmp_path_factory.mktemp("fuzz")
        src = root / "src"
        src.mkdir()
        (src / "conf.py").write_text(CONF, encoding="utf-8")
        (src / "pic.png").write_bytes(PNG)
        writer = Writer(src)
        writer.write(portfolio)
        for audience in ("mentor", "public"):
            out = root / f"out-{audience}"
            run_build(src, out, builder, audience, parallel)
            check(src, out, writer, audience)
        # Incrementally, after some pages change who may see them.
        for index, visibility in changes:
            if index < len(portfolio):
                portfolio[index].front = visibility
        objects = [b for page in portfolio for b in walk(page.blocks) if b.kind in REQUIRED]
        for index, visibility in flips:
            if index < len(objects):
                objects[index].visibility = visibility
        writer = Writer(src)
        writer.write(portfolio)
        for audience in ("mentor", "public"):
            out = root / f"out-{audience}"
            run_build(src, out, builder, audience, parallel)
            check(src, out, writer, audience)

    prop()
