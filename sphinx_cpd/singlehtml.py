"""Mend the links Sphinx 9.0's single-page builder writes as ``#document-x#anchor``.

The single page holds every document, so the anchor alone is the right target
(sphinx-doc/sphinx#14221). The PDF is rendered from that page, where a broken
fragment is a broken link in print too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sphinx.builders.singlehtml import SingleFileHTMLBuilder

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

_DOUBLE_FRAGMENT = re.compile(r'(href=")#document-[^"#]*#')


def mend(html: str) -> str:
    return _DOUBLE_FRAGMENT.sub(r"\1#", html)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # The PDF builder is a single-page builder too.
    if not isinstance(app.builder, SingleFileHTMLBuilder):
        return
    for key in ("body", "toc"):
        if isinstance(context.get(key), str):
            context[key] = mend(context[key])
    toctree: Callable[..., str] | None = context.get("toctree")
    if toctree is not None:
        context["toctree"] = lambda **kwargs: mend(toctree(**kwargs))


def setup_singlehtml(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
