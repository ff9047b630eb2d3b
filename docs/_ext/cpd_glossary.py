"""The glossary of a translation, read from the catalogue itself, so that the
docs show the words a portfolio shows.

```{cpd-glossary} cy
Event
Hours
```

lists each English term with its translation in the bundled catalogue of that
language. A term the catalogue lacks, or has not translated, is a warning
(``make docs`` builds with ``-W``).
"""

from __future__ import annotations

from typing import Any

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_cpd.listings.base import table
from sphinx_cpd.messages import po_path

logger = logging.getLogger(__name__)


class GlossaryDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        language = self.arguments[0]
        path = po_path(language)
        self.env.note_dependency(str(path))
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        rows = []
        for term in (line.strip() for line in self.content):
            if not term:
                continue
            message = catalog.get(term)
            if message is None or not message.string:
                logger.warning(
                    f"{term!r} has no translation in {path.name} ({language})",
                    location=(self.env.docname, self.lineno),
                )
                continue
            ours = any("Our translation" in comment for comment in message.user_comments)
            rows.append([term, str(message.string), "ours" if ours else ""])
        return [table(["English", "Welsh" if language == "cy" else language, "Note"], rows)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("cpd-glossary", GlossaryDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
