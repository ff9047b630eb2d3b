"""The object directives, and filling in what only the whole portfolio knows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.nodes import make_refnode

from sphinx_cpd.domain import get_domain
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import KINDS, card_class
from sphinx_cpd.model import build_date, kind_name
from sphinx_cpd.objects.action import ActionDirective, mark_overdue, overdue_mark
from sphinx_cpd.objects.event import EventDirective, backlinks
from sphinx_cpd.objects.evidence import EvidenceDirective, evidence_number
from sphinx_cpd.objects.feedback import FeedbackDirective
from sphinx_cpd.objects.photo import PhotoDirective
from sphinx_cpd.objects.rating import RatingDirective
from sphinx_cpd.objects.reflection import ReflectionDirective, StageDirective
from sphinx_cpd.objects.render import ExpandGenerated, object_header

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx

DIRECTIVES: dict[str, Any] = {
    "event": EventDirective,
    "reflection": ReflectionDirective,
    "stage": StageDirective,
    "action": ActionDirective,
    "evidence": EvidenceDirective,
    "photo": PhotoDirective,
    "rating": RatingDirective,
    "feedback": FeedbackDirective,
}

#: What an event's back-links call each kind; translated where shown.
BACKLINK_LABELS = {
    "reflection": N_("Reflection"),
    "evidence": N_("Evidence"),
    "action": N_("Action"),
}


def setup_objects(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
        app.add_directive_to_domain("cpd", name, directive)
    app.add_node(backlinks)
    app.add_node(object_header)
    app.add_transform(ExpandGenerated)
    app.add_node(evidence_number)
    app.add_node(overdue_mark)
    app.connect("doctree-read", heading_levels)
    app.connect("doctree-resolved", fill_placeholders)


def fill_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Evidence numbers and event back-links, known once every page has been
    read, and overdue actions, known on the build date."""
    mark_overdue(doctree, build_date())
    domain = get_domain(app.env)
    for number in list(doctree.findall(evidence_number)):
        record = domain.record_at((number["record"][0], number["record"][1]))
        value = domain.number(record) if record else None
        text = f"E{value}" if value else "E?"
        number.replace_self(nodes.inline(text, text, classes=["cpd-number"]))
    for placeholder in list(doctree.findall(backlinks)):
        event = domain.record_at((placeholder["event"][0], placeholder["event"][1]))
        keys = domain.data["backlinks"].get(domain.final_id(event), []) if event else []
        if not keys:
            placeholder.parent.remove(placeholder)
            continue
        box = nodes.container(classes=["cpd-backlinks"])
        linked = _("Linked to this event:")
        box += nodes.paragraph(linked, linked)
        items = nodes.bullet_list()
        for key in keys:
            record = domain.record_at(key)
            if record is None:
                continue
            label = (
                _(BACKLINK_LABELS[record.kind])
                if record.kind in BACKLINK_LABELS
                else kind_name(record.kind)
            )
            title = domain.display_title(record) or label
            ref = make_refnode(
                app.builder,
                docname,
                record.docname,
                record.anchor,
                nodes.inline(title, title),
                title,
            )
            para = nodes.paragraph()
            # Translators: a card's kind before its title, as in "Event: Conference day".
            shown = _("%(kind)s:") % {"kind": label} + " "
            para += nodes.inline(label, shown, classes=["cpd-kind"])
            para += ref
            items += nodes.list_item("", para)
        box += items
        placeholder.replace_self(box)


def heading_levels(app: Sphinx, document: nodes.document) -> None:
    """Give each object's title the heading level its place in the page calls for."""
    for rubric in document.findall(nodes.rubric):
        if not {"cpd-title", "cpd-stage-title"} & set(rubric["classes"]):
            continue
        depth = 0
        parent: Node | None = rubric.parent
        while parent is not None:
            if isinstance(parent, nodes.section) or (
                isinstance(parent, nodes.container)
                and {"cpd-card", "cpd-stage"} & set(parent["classes"])
            ):
                depth += 1
            parent = parent.parent
        # Sections and enclosing objects each count once, the object's own
        # container included, so a title sits one level below what holds it.
        rubric["heading-level"] = max(2, min(depth, 6))
    title_once(document)


def title_once(document: nodes.document) -> None:
    """A page whose heading is its only object's title says it once: the card's
    heading keeps only the kind ("Event"), under the page's own heading."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    cards = [
        node
        for node in document.findall(nodes.container)
        if "cpd-card" in node["classes"] and not _inside_card(node)
    ]
    if len(cards) != 1:
        return
    card = cards[0]
    rubric = next((n for n in card.findall(nodes.rubric) if "cpd-title" in n["classes"]), None)
    text = next((n for n in card.findall(nodes.inline) if "cpd-title-text" in n["classes"]), None)
    if rubric is None or text is None or not _same(text.astext(), section[0].astext()):
        return
    # The title goes; the kind (and an evidence number) stays, as "Event" or
    # "Evidence E1", without the colon that led to the title.
    rubric.remove(text)
    while (
        rubric.children and isinstance(rubric[-1], nodes.Text) and rubric[-1].strip() in ("", ":")
    ):
        rubric.pop()
    kind = next((n for n in rubric.findall(nodes.inline) if "cpd-kind" in n["classes"]), None)
    if kind is not None:
        label = kind.astext().strip().removesuffix(":").rstrip()
        kind.children = [nodes.Text(label)]
    if not rubric.astext().strip():
        found = next((k for k in KINDS if card_class(k) in card["classes"]), None)
        label = kind_name(found) if found else ""
        rubric += nodes.inline(label, label, classes=["cpd-kind"])


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _inside_card(node: nodes.Element) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and "cpd-card" in parent["classes"]:
            return True
        parent = parent.parent
    return False
