"""Whether Markdown made of a post says exactly what the post said, and
nothing more: the net under the converter.

markdownify writes Markdown by joining strings, and some joins of harmless
pieces are markup (two code spans side by side, a ``!`` before a link, a pipe
in a table cell's code). So every page body is parsed back with MyST's own
parser, with every optional syntax a portfolio might turn on, and is used only
if it holds nothing but plain structure (paragraphs, emphasis, lists, quotes,
tables, code, links to web addresses, the pictures the import copied) and its
text is the post's text. Otherwise the post is imported as plain paragraphs,
which :func:`sphinx_cpd.importing.html.inert` makes safe by construction.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sphinx_cpd.importing.model import LINK_SCHEMES, checked_url

#: Optional MyST syntax a portfolio may turn on; all of them on, so that none
#: can hide in a body (but not smartquotes and replacements: they change
#: characters, not structure, and the text is compared as written).
EXTENSIONS = frozenset(
    {
        "colon_fence", "dollarmath", "amsmath", "deflist", "fieldlist", "substitution",
        "html_image", "html_admonition", "tasklist", "attrs_inline", "attrs_block",
        "strikethrough",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "paragraph_open", "paragraph_close", "inline", "fence", "code_block", "hr",
        "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
        "list_item_open", "list_item_close", "blockquote_open", "blockquote_close",
        "table_open", "table_close", "thead_open", "thead_close", "tbody_open", "tbody_close",
        "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close",
    }
)  # fmt: skip
INLINES = frozenset(
    {
        "text", "text_special", "softbreak", "hardbreak", "strong_open", "strong_close",
        "em_open", "em_close", "s_open", "s_close", "link_open", "link_close", "image",
        "code_inline",
    }
)  # fmt: skip


@cache
def _parser() -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(EXTENSIONS)), RendererHTML)


def says_exactly(markdown: str, text: str, pictures: frozenset[str] = frozenset()) -> bool:
    """Whether ``markdown`` is plain structure showing ``text`` (white space
    aside) and, as pictures, only ``pictures``."""
    shown: list[str] = []
    for token in _parser().parse(markdown):
        if token.type not in BLOCKS or not _plain_attributes(token):
            return False
        if token.type == "fence":
            if token.info.strip():
                return False  # a directive, or a highlighter's name
            shown.append(token.content)
        elif token.type == "code_block":
            shown.append(token.content)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type not in INLINES or not _plain_attributes(child):
                    return False
                if child.type == "link_open" and not checked_url(
                    str(child.attrGet("href") or ""), LINK_SCHEMES
                ):
                    return False
                if child.type == "image":
                    if str(child.attrGet("src") or "") not in pictures:
                        return False
                elif child.type in ("text", "text_special", "code_inline"):
                    shown.append(child.content)
    return "".join("".join(shown).split()) == "".join(text.split())


#: The attributes plain structure has ({attributes} syntax could add others).
_ATTRIBUTES = {"href", "src", "alt", "title"}
_ALIGN = {"text-align:left", "text-align:right", "text-align:center"}


def _plain_attributes(token: Any) -> bool:
    for name, value in (token.attrs or {}).items():
        if name in _ATTRIBUTES or (name == "style" and value in _ALIGN):
            continue
        return False
    return True
