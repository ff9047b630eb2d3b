"""``cpd-credits``: every photo with its full attribution and licence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_cpd.i18n import _
from sphinx_cpd.listings.base import Context, ListingDirective, note
from sphinx_cpd.objects.photo import credit_line
from sphinx_cpd.objects.render import sentence

if TYPE_CHECKING:
    from docutils.nodes import Node


class CreditsDirective(ListingDirective):
    kind = "credits"


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    photos = list(context.records("photo"))
    if not photos:
        return [note(_("No photos are used in this portfolio."))]
    items = nodes.bullet_list(classes=["cpd-credits-list"])
    for record in photos:
        para = credit_line(record)
        # Where it appears: the page's title, linked to the photo on it.
        title = context.app.env.titles.get(record.docname)
        page = title.astext() if title is not None else record.docname
        para += nodes.Text(" ")
        # Translators: after a photo's credit, the page it is shown on.
        para.extend(sentence(_("Shown on %(page)s."), page=context.link(record, page)))
        items += nodes.list_item("", para)
    return [items]
