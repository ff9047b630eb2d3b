"""Posts of a WordPress export (WXR) or a Blogger export (Atom).

WordPress: ``rss/channel/item`` with ``wp:post_type`` ``post``; ``wp:status``
``publish`` is published, anything else (``draft``, ``pending``, ``private``,
``future``) or a ``wp:post_password`` makes a private page; categories and tags
are ``<category domain="category|post_tag">``; comments are ``wp:comment``
inside an item (not imported).

Blogger writes two forms. Google Takeout's: ``<blogger:type>POST`` and
``<blogger:status>LIVE|DRAFT|SOFT_TRASHED``, labels as ``<category term>``.
The older "Export blog": the kind as ``<category scheme="…/g/2005#kind"
term="…/kind#post">``, drafts under ``<app:control><app:draft>yes``, labels as
categories of the scheme ``http://www.blogger.com/atom/ns#``.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element

from sphinx_cpd.importing.html import paragraphs
from sphinx_cpd.importing.model import (
    ATOM,
    Entry,
    checked_url,
    child_text,
    children,
    clean_tag,
    content_html,
    local,
    read_date,
)

WORDPRESS = "http://wordpress.org/export/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"
BLOGGER_LABELS = "http://www.blogger.com/atom/ns#"


def is_wordpress(root: Element) -> bool:
    return local(root.tag) == "rss" and any(
        child.tag.startswith("{" + WORDPRESS) for channel in root for child in channel
    )


def is_blogger(root: Element) -> bool:
    if root.tag != f"{{{ATOM}}}feed":
        return False
    return child_text(root, "id", ATOM).startswith("tag:blogger.com") or any(
        "schemas.google.com/blogger" in element.tag or element.get("scheme") == BLOGGER_KIND
        for element in root.iter()
    )


def wordpress(root: Element, event_tags: Iterable[str]) -> list[Entry]:
    wanted = {clean_tag(tag).casefold() for tag in event_tags}
    entries = []
    for channel in children(root, "channel"):
        # A post's id is its blog's: with the blog's address, it is no other's.
        site = child_text(channel, "base_blog_url", WORDPRESS) or child_text(channel, "link")
        site = site.rstrip("/")
        for item in children(channel, "item"):
            kind = child_text(item, "post_type", WORDPRESS) or "post"
            number = child_text(item, "post_id", WORDPRESS)
            key = f"{site}?p={number}" if number else child_text(item, "guid")
            title = child_text(item, "title")
            if kind != "post":
                if kind not in {"attachment", "nav_menu_item", "revision", "custom_css"}:
                    entries.append(skipped("wordpress", key, title, f"a {kind}, not a post"))
                continue
            status = child_text(item, "status", WORDPRESS) or "publish"
            tags = [
                clean_tag(category.text or "")
                for category in children(item, "category")
                if category.get("domain") in {"category", "post_tag"}
            ]
            tags = [tag for tag in dict.fromkeys(tags) if tag and tag.casefold() != "uncategorized"]
            date = read_date(child_text(item, "post_date", WORDPRESS)) or read_date(
                child_text(item, "post_modified", WORDPRESS)
            )
            entries.append(
                Entry(
                    source="wordpress",
                    key=key,
                    kind="reflection",
                    title=title,
                    date=date,
                    html=paragraphs(child_text(item, "encoded", CONTENT)),
                    tags=tags,
                    private=status != "publish"
                    or bool(child_text(item, "post_password", WORDPRESS)),
                    url=checked_url(child_text(item, "link")) if status == "publish" else "",
                    event=any(tag.casefold() in wanted for tag in tags),
                )
            )
    return entries


def blogger(root: Element, event_tags: Iterable[str]) -> list[Entry]:
    wanted = {clean_tag(tag).casefold() for tag in event_tags}
    entries = []
    for entry in children(root, "entry", ATOM):
        key = child_text(entry, "id", ATOM)
        title = child_text(entry, "title", ATOM)
        kind = child_text(entry, "type", "http://schemas.google.com/blogger").upper()
        categories = children(entry, "category", ATOM)
        if not kind:
            # The older form: the kind is a category of its own scheme.
            terms = [c.get("term", "") for c in categories if c.get("scheme") == BLOGGER_KIND]
            kind = terms[0].rsplit("#", 1)[-1].upper() if terms else "POST"
        if kind != "POST":
            if kind not in {"COMMENT", "SETTINGS", "TEMPLATE", "LAYOUT"}:
                entries.append(skipped("blogger", key, title, f"a {kind.lower()}, not a post"))
            continue
        status = child_text(entry, "status", "http://schemas.google.com/blogger").upper()
        draft = any(
            (draft.text or "").strip().lower() == "yes"
            for control in children(entry, "control")
            for draft in children(control, "draft")
        )
        if status == "SOFT_TRASHED":
            entries.append(skipped("blogger", key, title, "in the blog's bin"))
            continue
        tags = [
            clean_tag(c.get("term", ""))
            for c in categories
            if c.get("scheme") in (None, "", BLOGGER_LABELS)
            or not str(c.get("scheme")).startswith("http://schemas.google.com")
        ]
        html = content_html(entry, default="html")
        url = next(
            (
                link.get("href", "")
                for link in children(entry, "link", ATOM)
                if link.get("rel") == "alternate"
            ),
            "",
        )
        private = draft or status not in {"", "LIVE"}
        tags = [tag for tag in dict.fromkeys(tags) if tag]
        entries.append(
            Entry(
                source="blogger",
                key=key,
                kind="reflection",
                title=title,
                date=read_date(child_text(entry, "published", ATOM))
                or read_date(child_text(entry, "updated", ATOM)),
                html=html,
                tags=tags,
                private=private,
                url="" if private else checked_url(url),
                event=any(tag.casefold() in wanted for tag in tags),
            )
        )
    return entries


def skipped(source: str, key: str, title: str, why: str) -> Entry:
    return Entry(source, key, "reflection", title, None, skipped=why)
