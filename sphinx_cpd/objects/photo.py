"""The ``photo`` directive: an image shown as a figure with a TASL credit line.

TASL is the Creative Commons way to credit a work: Title, Author, Source,
Licence, each linked where there is an address, and "adapted" when the author of
the portfolio changed the work. The checks here keep the author honest: a BY
licence needs an author, ND forbids changes, NC does not suit commercial use,
and "all rights reserved" needs a note of the permission given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import licences
from sphinx_cpd.model import safe_url
from sphinx_cpd.objects.base import CPDObject

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node

    from sphinx_cpd.model import Record


class PhotoDirective(CPDObject):
    kind = "photo"
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = CPDObject.option_spec | {
        "alt": directives.unchanged,
        "title": directives.unchanged,
        "author": directives.unchanged,
        "author-url": directives.unchanged,
        "source": directives.unchanged,
        "licence": directives.unchanged,
        "license": directives.unchanged,
        "modified": directives.unchanged,
        "permission": directives.unchanged,
    }

    def image_path(self) -> str:
        return self.arguments[0].strip()

    def title_text(self) -> str:
        return self.option("title") or ""

    def describe(self) -> str:
        return f"photo {self.image_path()!r}"

    def derived_id_parts(self) -> tuple[Any, ...]:
        return ("photo", self.option("title") or Path(self.image_path()).stem)

    def read_options(self) -> dict[str, Any]:
        image = self.image_path()
        found = True
        if "://" in image:
            found = safe_url(image) is not None and image.startswith(("http://", "https://"))
            if not found:
                self.warn(
                    "url",
                    f"{self.describe()}: only http and https images can be linked; "
                    "put the image in the portfolio's folder",
                )
        else:
            path = self.local_file("the image", image)
            found = path is not None and path.is_file()
            if path is not None and not found:
                self.warn(
                    "image",
                    f"{self.describe()}: image file not found (looked for {path}); "
                    "the path is relative to this document",
                )
        alt = self.option("alt")
        if alt is None:
            self.warn(
                "alt",
                f"{self.describe()} has no :alt: text; describe what the photo shows for "
                "readers who cannot see it (alt text)",
            )
        author = self.option("author")
        modified = self.option("modified")
        permission = self.option("permission")
        licence_text = self.option("licence") or self.option("license")
        licence = licences.lookup(licence_text) if licence_text else None
        if licence_text is None:
            self.warn(
                "licence",
                f"{self.describe()} has no :licence:; give its licence as an SPDX id "
                f"such as {', '.join(licences.examples())}",
            )
        elif licence is None:
            self.warn(
                "licence",
                f"{self.describe()}: unknown licence {licence_text!r}; use an SPDX id such "
                f"as {', '.join(licences.examples())}",
            )
        else:
            self.check_licence(licence, author, modified, permission)
        return {
            "image": image,
            "found": found,
            "alt": alt,
            "author": author,
            "author_url": self.url_option("author-url"),
            "source": self.url_option("source"),
            "licence": licence.spdx if licence else licence_text,
            "modified": modified,
            "permission": permission,
        }

    def check_licence(
        self,
        licence: licences.Licence,
        author: str | None,
        modified: str | None,
        permission: str | None,
    ) -> None:
        if licence.attribution and not author and not licence.needs_permission:
            self.warn(
                "author",
                f"{self.describe()}: {licence.name} requires attribution; add :author: "
                "with the creator's name as the source gives it",
            )
        if licence.no_derivatives and modified:
            self.warn(
                "modified",
                f"{self.describe()}: {licence.name} allows no derivatives, but :modified: "
                "says the photo was changed; use the original or find a photo under a "
                "licence without ND",
            )
        if licence.non_commercial and cpd_config.read(self.config).commercial:
            self.warn(
                "commercial",
                f"{self.describe()}: {licence.name} is NonCommercial, and cpd_commercial "
                "is True; find a photo whose licence allows commercial use",
            )
        if licence.needs_permission and not permission:
            self.warn(
                "permission",
                f"{self.describe()}: all rights reserved; add :permission: saying who gave "
                "permission to use it and when",
            )

    def details(self, options: dict[str, Any]) -> list[tuple[str, list[Node]]]:
        return []

    def finish(self, record: Record, node: nodes.Element) -> None:
        # Listings and references need a name: the title, else the caption, else the file.
        caption = next(node.findall(nodes.caption), None)
        record.text = caption.astext() if caption else ""
        if not record.title:
            record.title = record.text or Path(self.image_path()).name

    def title_node(self, record: Record) -> nodes.Element:
        # A photo is titled by its figure caption, not by a heading.
        return nodes.inline(classes=["cpd-anchor"])

    def body(self, node: nodes.Element) -> None:
        options = self.record.options
        figure = nodes.figure(classes=["cpd-figure"])
        if options["found"]:
            image = nodes.image(options["image"], uri=options["image"], alt=options["alt"] or "")
            self.set_source_info(image)
            figure += image
        else:
            missing = options["alt"] or options["image"]
            figure += nodes.paragraph(missing, missing, classes=["cpd-missing-image"])
        content = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, content)
        children = list(content.children)
        first = children[0] if children else None
        if isinstance(first, nodes.paragraph):
            children.pop(0)
            caption = nodes.caption(first.rawsource, "")
            caption.extend(first.children)
            figure += caption
        legend = nodes.legend()
        legend.extend(children)
        legend += credit_line(self.record)
        figure += legend
        node += figure


def credit_line(record: Record) -> nodes.paragraph:
    """The TASL credit: "Title" by Author, from Source, licensed under Licence."""
    options = record.options
    licence = licences.lookup(options["licence"]) if options["licence"] else None
    para = nodes.paragraph(classes=["cpd-credit"])

    title = options.get("title") or record.title
    work: Node = nodes.Text(f"\u201c{title}\u201d" if title else "Photo")
    if options["source"]:
        ref = nodes.reference("", "", refuri=options["source"])
        ref += work
        work = ref
    para += work
    if options["author"]:
        para += nodes.Text(" by ")
        author: Node = nodes.Text(options["author"])
        if options["author_url"]:
            ref = nodes.reference("", "", refuri=options["author_url"])
            ref += author
            author = ref
        para += author
    if options["modified"]:
        para += nodes.Text(f", adapted ({options['modified']})")
    if licence is None:
        para += nodes.Text(f"; licence: {options['licence'] or 'not given'}")
    elif licence.needs_permission:
        permission = options["permission"] or "not recorded"
        para += nodes.Text(f"; all rights reserved, used with permission: {permission}")
    else:
        verb = {
            "CC0-1.0": ", dedicated to the public domain under ",
            "CC-PDM-1.0": ", marked as free of known copyright with the ",
        }.get(licence.spdx, ", licensed under ")
        para += nodes.Text(verb)
        lic: Node = nodes.Text(licence.name)
        if licence.url:
            ref = nodes.reference("", "", refuri=licence.url, rel="license")
            ref += lic
            lic = ref
        para += lic
    para += nodes.Text(".")
    return para
