"""The ``photo`` directive: an image shown as a figure with a TASL credit line.

TASL is the Creative Commons way to credit a work: Title, Author, Source,
Licence, each linked where there is an address, and "adapted" when the author of
the portfolio changed the work. The checks here keep the author honest: a BY
licence needs an author, ND forbids changes, NC does not suit commercial use,
and "all rights reserved" needs a note of the permission given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import licences
from sphinx_cpd.i18n import N_, _
from sphinx_cpd.kinds import PhotoData
from sphinx_cpd.model import safe_url
from sphinx_cpd.objects.base import CPDObject
from sphinx_cpd.objects.render import sentence

if TYPE_CHECKING:
    from docutils.nodes import Node

    from sphinx_cpd.kinds import Record


class PhotoDirective(CPDObject[PhotoData]):
    data_class = PhotoData

    def image_path(self) -> str:
        return self.arguments[0].strip()

    def title_text(self) -> str:
        return self.option("title") or ""

    def describe(self) -> str:
        return f"photo {self.image_path()!r}"

    def derived_id_parts(self) -> tuple[str | None, ...]:
        return ("photo", self.option("title") or Path(self.image_path()).stem)

    def check(self, data: PhotoData) -> None:
        data.image = image = self.image_path()
        if "://" in image:
            data.found = safe_url(image) is not None and image.startswith(("http://", "https://"))
            if not data.found:
                self.warn(
                    "url",
                    f"{self.describe()}: only http and https images can be linked; "
                    "put the image in the portfolio's folder",
                )
        else:
            path = self.local_file("the image", image)
            data.found = path is not None and path.is_file()
            if path is not None and not data.found:
                self.warn(
                    "image",
                    f"{self.describe()}: image file not found (looked for {path}); "
                    "the path is relative to this document",
                )
        if data.alt is None:
            self.warn(
                "alt",
                f"{self.describe()} has no :alt: text; describe what the photo shows for "
                "readers who cannot see it (alt text)",
            )
        licence = licences.lookup(data.licence) if data.licence else None
        if data.licence is None:
            self.warn(
                "licence",
                f"{self.describe()} has no :licence:; give its licence as an SPDX id "
                f"such as {', '.join(licences.examples())}",
            )
        elif licence is None:
            self.warn(
                "licence",
                f"{self.describe()}: unknown licence {data.licence!r}; use an SPDX id such "
                f"as {', '.join(licences.examples())}",
            )
        else:
            data.licence = licence.spdx
            self.check_licence(licence, data.author, data.modified, data.permission)

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
        data = self.record.of(PhotoData)
        figure = nodes.figure(classes=["cpd-figure"])
        if data.found:
            image = nodes.image(data.image, uri=data.image, alt=data.alt or "")
            self.set_source_info(image)
            figure += image
        else:
            missing = data.alt or data.image
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


#: How a credit names its licence: by SPDX id where "licensed under" does not
#: suit; each wraps the credit so far (``%(work)s``).
# Translators: a photo's credit and its licence, "Creative Commons Attribution 4.0".
LICENSED = N_("%(work)s, licensed under %(licence)s.")
LICENCE_WORDS = {
    "CC0-1.0": N_("%(work)s, dedicated to the public domain under %(licence)s."),
    # Translators: %(licence)s is "Public Domain Mark 1.0".
    "CC-PDM-1.0": N_("%(work)s, marked as free of known copyright with the %(licence)s."),
}


def credit_line(record: Record) -> nodes.paragraph:
    """The TASL credit: "Title" by Author, from Source, licensed under Licence.

    Each part wraps what comes before it (``%(work)s``), so that a language can
    put its words on either side."""
    data = record.of(PhotoData)
    licence = licences.lookup(data.licence) if data.licence else None
    para = nodes.paragraph(classes=["cpd-credit"])
    title = data.title or record.title
    # Translators: a photo's title in quotation marks, in its credit line.
    named = _("\u201c%(title)s\u201d") % {"title": title} if title else _("Photo")
    work = [linked(nodes.Text(named), data.source)]
    if data.author:
        author = [linked(nodes.Text(data.author), data.author_url)]
        # Translators: a photo's credit: %(work)s is its title, %(author)s who made it.
        work = sentence(_("%(work)s by %(author)s"), work=work, author=author)
    if data.modified:
        # Translators: a photo's credit, and what the portfolio's author changed in it.
        said = _("%(work)s, adapted (%(changes)s)")
        work = sentence(said, work=work, changes=[nodes.Text(data.modified)])
    if licence is None:
        given = data.licence or _("not given")
        said = _("%(work)s; licence: %(licence)s.")
        work = sentence(said, work=work, licence=[nodes.Text(given)])
    elif licence.needs_permission:
        permission = data.permission or _("not recorded")
        # Translators: %(permission)s says who gave permission to use the photo, and when.
        said = _("%(work)s; all rights reserved, used with permission: %(permission)s.")
        work = sentence(said, work=work, permission=[nodes.Text(permission)])
    else:
        said = _(LICENCE_WORDS.get(licence.spdx, LICENSED))
        # The Creative Commons codes stay as they are; a few names are translated.
        name = [linked(nodes.Text(_(licence.name)), licence.url, rel="license")]
        work = sentence(said, work=work, licence=name)
    para.extend(work)
    return para


def linked(node: Node, url: str | None, **attributes: str) -> Node:
    """``node`` as the text of a link to ``url``, or as it is when there is none."""
    if not url:
        return node
    reference = nodes.reference("", "", refuri=url, **attributes)
    reference += node
    return reference
