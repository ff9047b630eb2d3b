"""``cpd-timeline``: events, reflections and evidence in date order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes

from sphinx_cpd.i18n import _
from sphinx_cpd.listings.base import Context, ListingDirective, note
from sphinx_cpd.model import kind_name, parse_list

if TYPE_CHECKING:
    from docutils.nodes import Node


class TimelineDirective(ListingDirective):
    kind = "timeline"
    help: ClassVar[dict[str, str]] = {
        "tags": "Only entries with one of these tags.",
        "limit": "Only the N most recent entries.",
    }

    def read_options(self) -> dict[str, Any]:
        return {"tags": list(parse_list(self.option("tags"))), "limit": self.int_option("limit")}


def render(context: Context, spec: dict[str, Any]) -> list[Node]:
    tags = set(spec.get("tags") or ())
    entries = [
        record
        for record in context.records("event", "reflection", "evidence")
        if record.date is not None and (not tags or tags & set(record.tags))
    ]
    entries.sort(key=lambda r: (r.date, ("event", "reflection", "evidence").index(r.kind)))
    limit = spec.get("limit")
    if limit:
        # The most recent entries, still oldest first.
        entries = entries[-limit:]
    if not entries:
        return [note(_("Nothing to show on the timeline yet."))]
    items = nodes.bullet_list(classes=["cpd-timeline-list"])
    for record in entries:
        assert record.date is not None
        para = nodes.paragraph()
        para += nodes.inline(record.date.isoformat(), record.date.isoformat(), classes=["cpd-date"])
        para += nodes.Text(" ")
        label = kind_name(record.kind)
        # Translators: a kind of record before its title: "Reflection: ...".
        shown = _("%(kind)s:") % {"kind": label} + " "
        para += nodes.inline(label, shown, classes=["cpd-kind"])
        para += context.link(record)
        items += nodes.list_item("", para, classes=[f"cpd-timeline-{record.kind}"])
    return [items]
