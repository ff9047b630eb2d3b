"""sphinx-design's components, made whole where the website needs it.

A dropdown written without a title is, on the website, a ``<summary>`` holding
only an icon: assistive technology has nothing to call it (axe-core's
``summary-name``). It gets a name a screen reader says and the eye does not
see; the PDF prints the dropdown open, without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.dropdown import dropdown_title

from sphinx_cpd.i18n import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The class of text that is read out but not shown (cpd-base.css).
HIDDEN = "cpd-visually-hidden"


class NameUntitledDropdowns(SphinxPostTransform):
    # After sphinx-design's own HTML transform (199) has made the summary.
    default_priority = 210
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if self.config.html_theme != "sphinx_cpd" or self.app.builder.name.startswith("epub"):
            return  # only this theme hides the name from the eye
        for title in self.document.findall(dropdown_title):
            if all(unseen(child) for child in title.children):
                shown = _("Show more")
                title += nodes.inline(shown, shown, classes=[HIDDEN])


def unseen(node: nodes.Node) -> bool:
    """An icon (raw SVG), white space, or words only a screen reader is given."""
    if isinstance(node, nodes.raw):
        return True
    if isinstance(node, nodes.Text):
        return not node.strip()
    return isinstance(node, (nodes.inline, nodes.TextElement)) and (
        HIDDEN in node["classes"] or all(unseen(child) for child in node.children)
    )


def setup_design(app: Sphinx) -> None:
    app.add_post_transform(NameUntitledDropdowns)
