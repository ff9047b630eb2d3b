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
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

#: Characters with a meaning anywhere in MyST text (roles, substitutions,
#: attributes, raw HTML, math, links, emphasis, tables, strike-through).
_ANYWHERE = re.compile(r"([\\`{}<>$\[\]*_|~&])")
#: What means something at the start of a line (fences and directives, field
#: and definition lists, comments, targets, headings, lists, quotes, rules).
_LINE_START = re.compile(r"^([ \t]*)(\d*)([:%(#+\-=.)])", re.M)
#: Line breaks as Markdown or Python count them, all made ``\n`` first.
_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
#: "Visibility:" and ": visibility" read as a visibility written where no
#: parser reads it (which makes an object private): their colon is written
#: as a character reference, which shows the same.
_VISIBILITY_COLON = re.compile(r"(?i)(visib[a-z]*[ \t]*):|:([ \t]*(?:cpd[-_ ]?)?visib)")
#: Elements whose content no portfolio page shows.
DROPPED = ("script", "style", "iframe", "object", "embed", "form", "noscript", "template")
LINK_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def inert(text: str) -> str:
    """Plain text as MyST text that shows those characters and nothing more."""
    text = _ANYWHERE.sub(r"\\\1", _CONTROL.sub("", _BREAKS.sub("\n", text)))
    text = _VISIBILITY_COLON.sub(
        lambda m: f"{m.group(1)}&#58;" if m.group(1) is not None else f"&#58;{m.group(2)}", text
    )
    return _LINE_START.sub(
        # "1." or "1)" starts a list: the digits stay, their mark is escaped.
        lambda m: (
            m.group(0)
            if bool(m.group(2)) != (m.group(3) in ".)")
            else f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
        ),
        text,
    )


def checked_url(url: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """``url`` if it is one address of one of ``schemes`` (no white space or
    control character anywhere in it), else ""."""
    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in schemes else ""


def safe_link(url: str) -> str | None:
    """An address a page may link to, as a MyST link target, or None."""
    url = checked_url(url, LINK_SCHEMES)
    if not url:
        return None
    # The angle-bracket form holds any address; its own brackets are encoded.
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


class _Converter(MarkdownConverter):
    """markdownify, with every piece of text made inert (see the module)."""

    def __init__(self, picture: Callable[[str], str | None], **options: Any) -> None:
        super().__init__(**options)
        self.picture = picture

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return inert(text) if text else ""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        target = safe_link(str(el.get("href") or ""))
        if not text.strip() or target is None or "_noformat" in parent_tags:
            return text
        return f"[{text.strip()}]({target})"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = inert(" ".join(str(el.get("alt") or "").split()))
        source = str(el.get("src") or "")
        local = self.picture(source)
        if local is not None:
            return f"![{alt}]({local})"
        target = safe_link(source)
        label = f"Image: {alt}" if alt else "Image"
        return f"[{label}]({target})" if target else f"({label})"

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        code = _CONTROL.sub("", _BREAKS.sub("\n", el.get_text())).strip("\n")
        if not code.strip():
            return ""
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        # A bare fence: a literal block, never a directive.
        return f"\n\n{fence}\n{code}\n{fence}\n\n"

    def convert_code(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags or "_noformat" in parent_tags:
            return text
        code = " ".join(_CONTROL.sub("", el.get_text()).split())
        if not code:
            return ""
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        ticks = "`" * (longest + 1)
        # Spaces inside the ticks: a code span may start or end with a backtick.
        return f"{ticks} {code} {ticks}"

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
    pieces = re.split(r"(<pre\b.*?</pre>)", html, flags=re.S | re.I)
    for index in range(0, len(pieces), 2):
        blocks = re.split(r"\n\s*\n", pieces[index])
        if len(blocks) > 1:
            pieces[index] = "".join(f"<p>{block}</p>\n" for block in blocks if block.strip())
    return "".join(pieces)


def to_myst(html: str, picture: Callable[[str], str | None] = lambda source: None) -> str:
    """A post's HTML as inert MyST Markdown. ``picture(src)`` gives the path a
    picture is copied to (relative to the page), or None to keep it a link."""
    soup = BeautifulSoup(_BREAKS.sub("\n", html or ""), "html.parser")
    for name in DROPPED:
        for element in soup.find_all(name):
            element.decompose()
    converter = _Converter(
        picture,
        heading_style="ATX",
        bullets="-",
        escape_misc=False,
        escape_asterisks=False,
        escape_underscores=False,
    )
    text = converter.convert_soup(soup)
    # At most one blank line in a row, and none at either end.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def longest_colon_run(text: str) -> int:
    """The longest run of colons that starts a line of ``text`` (a directive
    around it needs a longer fence), whatever ends its lines."""
    text = _BREAKS.sub("\n", text)
    return max((len(m.group(1)) for m in re.finditer(r"^[ \t]*(:+)", text, re.M)), default=0)


def argument(title: str) -> str:
    """A title as a directive's argument: one line, and a colon before
    "visibility" as the modifier letter colon (an argument shows its text as
    written, and ": visibility" in it would make the object private)."""
    title = " ".join(_CONTROL.sub("", _BREAKS.sub(" ", title)).split())
    return re.sub(r"(?i):(\s*(?:cpd[-_ ]?)?visib)", "\ua789\\1", title)
