"""A post's HTML as MyST Markdown that says only what the post said.

Imported text is data, never markup: whatever a post holds (a code sample that
shows a MyST directive, ``{{ }}``, ``<script>``, a ``:::`` line, ``% note``),
the page it becomes shows those characters and does nothing with them. So
every character MyST or its optional extensions give a meaning to is escaped
where text can hold it; code keeps its characters inside fences longer than any
run of backticks it holds; links keep only ``http``, ``https`` and ``mailto``
addresses; headings inside a post become bold lines (a post sits inside a
directive, where a heading would be a build warning); and what no page can
show (scripts, styles, frames, forms) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from sphinx_cpd.importing.check import says_exactly
from sphinx_cpd.importing.model import LINK_SCHEMES, checked_url
from sphinx_cpd.visibility import STRAY_IN

#: Characters with a meaning anywhere in MyST text (roles, substitutions,
#: attributes, raw HTML, math, links, emphasis, tables, strike-through).
_ANYWHERE = re.compile(r"([\\`{}<>$\[\]*_|~&!])")
#: In a heading also "#" (a run of them at its end would close it).
_IN_HEADING = re.compile(r"([\\`{}<>$\[\]*_|~&!#])")
#: What means something at the start of a line (fences and directives, field
#: and definition lists, comments, targets, headings, lists, quotes, rules).
_LINE_START = re.compile(r"^([ \t]*)(\d*)([:%(#+\-=.)])", re.M)
#: Line breaks as Markdown or Python count them, all made ``\n`` first.
_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
#: "Visibility:" and ": visibility" read as a visibility written where no
#: parser reads it (which makes an object private): their colon is written
#: as a character reference, which shows the same.
_VISIBILITY_COLON = re.compile(r"(?i)(visib[a-z]*[^\S\n]*):|:([^\S\n]*(?:cpd[-_ ]?)?visib)")
#: A line that starts with a few words and a colon reads like an option
#: (``CPD viability: …``, which the visibility checks take for a misspelt
#: one); its colon is written as a character reference too.
_KEY_COLON = re.compile(r"^([^\S\n]*[^\s:]+(?:[^\S\n][^\s:]+){0,3}[^\S\n]*):", re.M)
#: Elements a line of text may be inside (a block of code in one is inline code).
INLINE_PARENTS = frozenset(
    {"a", "b", "strong", "em", "i", "u", "s", "del", "ins", "sup", "sub", "small", "span",
     "mark", "q", "cite", "abbr", "code", "kbd", "samp", "td", "th", "h1", "h2", "h3",
     "h4", "h5", "h6", "p", "label", "font", "big", "tt", "var", "dfn", "time"}
)  # fmt: skip
#: Elements whose content no portfolio page shows.
DROPPED = ("script", "style", "iframe", "object", "embed", "form", "noscript", "template")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text with its line breaks made ``\n`` and no control character."""
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def fence_for(code: str, shortest: int = 3) -> str:
    """Backticks around ``code`` that no run of backticks in it can close."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(shortest, longest + 1)


def inert(text: str, *, body: bool = True) -> str:
    """Plain text as MyST text that shows those characters and nothing more
    (``body``: inside a directive, where colons are watched, see below; else
    a page's heading)."""
    text = (_ANYWHERE if body else _IN_HEADING).sub(r"\\\1", clean(text))
    if body:
        text = _VISIBILITY_COLON.sub(
            lambda m: f"{m.group(1)}&#58;" if m.group(1) is not None else f"&#58;{m.group(2)}",
            text,
        )
        text = _KEY_COLON.sub(r"\1&#58;", text)
    return _LINE_START.sub(
        # "1." or "1)" starts a list: the digits stay, their mark is escaped.
        lambda m: (
            m.group(0)
            if bool(m.group(2)) != (m.group(3) in ".)")
            else f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
        ),
        text,
    )


def safe_link(url: str) -> str | None:
    """An address a page may link to, as a MyST link target, or None."""
    url = checked_url(url, LINK_SCHEMES)
    if not url:
        return None
    # The angle-bracket form holds any address; its own brackets are encoded.
    for character, code in (("\\", "%5C"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        url = url.replace(character, code)
    return f"<{url}>"


class _Converter(MarkdownConverter):
    """markdownify, with every piece of text made inert (see the module)."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return inert(text) if text else ""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        target = safe_link(str(el.get("href") or ""))
        if not text.strip() or target is None or "_noformat" in parent_tags:
            return text
        return f"[{text.strip()}]({target})"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        # Only pictures the import copied are still images (see prepare()).
        alt = inert(" ".join(str(el.get("alt") or "").split()))
        return f"![{alt}]({el.get('src')})"

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if parent_tags & INLINE_PARENTS:
            # A block of code inside a line (or a table's cell) is code in that line.
            return self.convert_code(el, text, parent_tags - {"pre", "_noformat"})
        code = clean(el.get_text()).strip("\n")
        if not code.strip():
            return ""
        fence = fence_for(code)
        # A bare fence: a literal block, never a directive.
        return f"\n\n{fence}\n{code}\n{fence}\n\n"

    def convert_code(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return text
        code = " ".join(clean(el.get_text()).split())
        if not code:
            return ""
        ticks = fence_for(code, shortest=1)
        if parent_tags & {"td", "th"}:
            code = code.replace("|", "\\|")  # a table splits its cells first
        # Spaces inside the ticks: a code span may start or end with a backtick;
        # and outside: two spans side by side would be one run of backticks.
        return f" {ticks} {code} {ticks} "

    def _bold(self, el: Any, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        return f"\n\n**{text}**\n\n" if text else ""

    convert_h1 = convert_h2 = convert_h3 = convert_h4 = convert_h5 = convert_h6 = _bold

    def convert_hr(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return "\n\n"

    # markdownify binds these to its own convert_code, which would not escape.
    convert_kbd = convert_samp = convert_code


def paragraphs(html: str) -> str:
    """Text whose paragraphs are separated by blank lines, as WordPress's
    classic editor stores a post, with each paragraph in ``<p>`` (code in
    ``<pre>`` kept as it is)."""
    pieces, lower, start = [], html.lower(), 0
    # A linear scan (a pattern with ".*?" is quadratic on "<pre<pre<pre…").
    while (opening := lower.find("<pre", start)) >= 0:
        closing = lower.find("</pre>", opening)
        end = len(html) if closing < 0 else closing + len("</pre>")
        pieces += [html[start:opening], html[opening:end]]
        start = end
    pieces.append(html[start:])
    for index in range(0, len(pieces), 2):
        blocks = re.split(r"\n\s*\n", pieces[index])
        if len(blocks) > 1:
            pieces[index] = "".join(f"<p>{block}</p>\n" for block in blocks if block.strip())
    return "".join(pieces)


def prepare(soup: BeautifulSoup, picture: Callable[[str], str | None]) -> frozenset[str]:
    """Before converting: what a page cannot show is taken out, a picture the
    import did not copy becomes a link to it (or its description), and video
    and sound become links; gives the pictures that stay pictures."""
    for name in DROPPED:
        for element in soup.find_all(name):
            element.decompose()
    kept = set()
    for element in soup.find_all(["img", "video", "audio"]):
        source = str(element.get("src") or "")
        if element.name == "img":
            local = picture(source)
            if local is not None:
                element.attrs = {"src": local, "alt": str(element.get("alt") or "")}
                kept.add(local)
                continue
            alt = " ".join(str(element.get("alt") or "").split())
            label = f"Image: {alt}" if alt else "Image"
        else:
            inner = " ".join(element.get_text().split())
            label = f"{element.name.capitalize()}: {inner}" if inner else element.name.capitalize()
        if safe_link(source):
            link = soup.new_tag("a", href=source)
            link.string = label
            element.replace_with(link)
        else:
            element.replace_with(f"({label})")
    return frozenset(kept)


def as_text(text: str) -> str:
    """Text as plain paragraphs, a line each (what is kept of a post whose
    Markdown would not say exactly what it said)."""
    text = clean(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    markdown = "\n\n".join(inert(line) for line in lines if line) + "\n"
    if says_exactly(markdown, text):
        return markdown
    # Never reached while inert() holds (it is property-tested): then, as code.
    plain = code_text("\n".join(line for line in lines if line))
    fence = fence_for(plain)
    return f"{fence}\n{plain}\n{fence}\n"


def code_text(text: str) -> str:
    """Code as a page shows it, but with a colon beside "visibility" written
    as the modifier letter colon: the visibility checks read every line of an
    object's body, code too, and would make the post private."""
    return _VISIBILITY_COLON.sub(
        lambda m: f"{m.group(1)}\ua789" if m.group(1) is not None else f"\ua789{m.group(2)}",
        clean(text),
    )


#: A tag, its attributes' quoted values holding anything but their quote (up
#: to a length, so that an unclosed quote costs little).
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>"']|"[^"]{0,4000}"|'[^']{0,4000}')*>""")
#: Deeper HTML is imported as plain paragraphs (no post nests so deep, and
#: each level costs the converter).
MAX_DEPTH = 100


def too_deep(soup: BeautifulSoup) -> bool:
    """Whether elements nest deeper than :data:`MAX_DEPTH`, found in one pass."""
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in element.find_all(recursive=False))
    return False


#: Longer posts are imported as plain paragraphs (parsing crafted HTML can
#: take time that grows with the square of its length).
MAX_HTML = 400_000


def plain_text(html: str) -> str:
    """The text of HTML without what no page shows, in one pass (for HTML
    too long or too deep to convert)."""
    # Comments first, found as a scanner would (a pattern is slow on many "<!--").
    pieces, start = [], 0
    while (opening := html.find("<!--", start)) >= 0:
        pieces.append(html[start:opening])
        closing = html.find("-->", opening + 4)
        start = len(html) if closing < 0 else closing + 3
    html = "".join(pieces) + html[start:]
    shown, skipping = [], ""
    position = 0
    for tag in _TAG.finditer(html):
        if not skipping:
            shown.append(html[position : tag.start()])
        position = tag.end()
        name = tag.group(2).lower()
        if not skipping and not tag.group(1) and name in DROPPED:
            skipping = name
        elif skipping and tag.group(1) and name == skipping:
            skipping = ""
        if not skipping:
            shown.append("\n")
    if not skipping:
        shown.append(html[position:])
    return unescape("".join(shown).replace("<", " "))


def to_myst(
    html: str, picture: Callable[[str], str | None] = lambda source: None
) -> tuple[str, bool]:
    """A post's HTML as MyST Markdown, and whether its formatting was kept:
    Markdown that :func:`sphinx_cpd.importing.check.says_exactly` what the post
    said, else its text as plain paragraphs. ``picture(src)`` gives the path a
    picture is copied to (relative to the page), or None to keep it a link."""
    html = _BREAKS.sub("\n", html or "")
    # Unclosed "<"s by the thousand are what makes parsing slow, never a post.
    if len(html) > MAX_HTML or html.count("<") > html.count(">") + 1000:
        return as_text(plain_text(html)), False
    try:
        soup = BeautifulSoup(html, "html.parser")
        pictures = prepare(soup, picture)
        if too_deep(soup):
            return as_text(plain_text(html)), False
        for element in soup.find_all(["pre", "code", "kbd", "samp"]):
            for string in element.find_all(string=True):
                string.replace_with(code_text(str(string)))
        text = clean(soup.get_text())
        converter = _Converter(
            heading_style="ATX",
            bullets="-",
            escape_misc=False,
            escape_asterisks=False,
            escape_underscores=False,
        )
        markdown = tidy(converter.convert_soup(soup))
        if says_exactly(markdown, text, pictures):
            return markdown, True
        return as_text(soup.get_text("\n")), False
    except Exception:  # a converter of any HTML may fail on some: its text stays
        return as_text(plain_text(html)), False


def tidy(markdown: str) -> str:
    """At most one blank line in a row, none at either end; code as it is."""
    lines: list[str] = []
    fence = ""
    for line in markdown.strip("\n").split("\n"):
        if fence:
            fence = "" if line.strip() == fence else fence
        elif re.fullmatch(r"\s*`{3,}", line):  # indented in a list's item too
            fence = line.strip()
        elif not line.strip() and lines and not lines[-1].strip():
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def heading(title: str) -> str:
    """A title as the text of a page's heading."""
    return inert(one_line(title), body=False)


def longest_colon_run(text: str) -> int:
    """The longest run of colons that starts a line of ``text`` (a directive
    around it needs a longer fence), whatever ends its lines."""
    return max((len(m.group(1)) for m in re.finditer(r"^[ \t]*(:+)", clean(text), re.M)), default=0)


def argument(title: str) -> str:
    """A title as a directive's argument: one line, and a colon before
    "visibility" as the modifier letter colon (an argument shows its text as
    written, and ": visibility" in it would make the object private)."""
    return STRAY_IN.sub(lambda m: "\ua789" + m.group(0)[1:], one_line(title))
