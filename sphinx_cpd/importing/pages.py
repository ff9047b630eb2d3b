"""Entries as pages: what ``sphinx-cpd import`` writes, and where (see the
package's docstring for the promises it keeps)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.etree.ElementTree import Element

from sphinx_cpd.importing import blogs, leap2a
from sphinx_cpd.importing.html import (
    argument,
    heading,
    longest_colon_run,
    safe_link,
    tidy,
    to_myst,
)
from sphinx_cpd.importing.model import Entry, ImportProblem, Summary, parse_xml
from sphinx_cpd.model import slugify
from sphinx_cpd.visibility import STRAY_IN

#: The front-matter key that holds the source's id of an imported page.
KEY = "imported-from"
#: Evidence files keep these suffixes; any other is written as ``.bin``.
EVIDENCE_SUFFIXES = frozenset(
    [
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".txt",
        ".csv",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".xls",
        ".xlsx",
        ".ods",
        ".ppt",
        ".pptx",
        ".odp",
        ".mp3",
        ".m4a",
        ".wav",
        ".mp4",
        ".webm",
        ".zip",
        ".epub",
    ]
)
#: What the import writes in place of an event's hours, for the author to fill
#: in (the build warns, ``cpd.hours``, until they do).
UNKNOWN_HOURS = "?"


def short_id(key: str) -> str:
    """An id part from a source's id: its last piece (``41`` of a post's
    address, ``artefact52``), and a digest of all of it, so that two blogs'
    post 41 are two objects."""
    last = re.split(r"[/:=?]", key.split("#", 1)[0].rstrip("/:"))[-1]
    digest = hashlib.sha256(key.encode()).hexdigest()[:6]
    return f"{slugify(last)[-32:].strip('-')}-{digest}".lstrip("-")


def option_url(url: str) -> str:
    """An address as an option's value: a colon before "visibility" in it
    (which the visibility checks would read as a second option) encoded."""
    scheme, _, rest = url.partition("://")
    if STRAY_IN.search(rest):
        rest = rest.replace(":", "%3A")
    return f"{scheme}://{rest}"


#: Each format: how its XML is told, what it is called, and how it is read
#: (in the order they are tried: Leap2A before Blogger, both being Atom).
READERS: dict[str, tuple[Callable[[Element], bool], str, Callable[..., list[Entry]]]] = {
    "wordpress": (blogs.is_wordpress, "a WordPress export (WXR)", blogs.wordpress),
    "leap2a": (leap2a.is_leap2a, "a Leap2A export", lambda root, _: leap2a.leap2a(root, None)),
    "blogger": (blogs.is_blogger, "a Blogger export (Atom)", blogs.blogger),
}


def read_entries(data: bytes, fmt: str | None, event_tags: list[str]) -> list[Entry]:
    """The entries of an export's bytes, in ``fmt`` (None: the one it is)."""
    if data[:4] == b"PK\x03\x04" and fmt in (None, "leap2a"):
        xml, base, archive = leap2a.read_zip(data)
        with archive:
            return leap2a.leap2a(parse_xml(xml, "leap2a.xml"), archive, base)
    root = parse_xml(data, "the file")  # once, whichever format it proves to be
    if fmt is None:
        fmt = next((name for name, (test, _, _) in READERS.items() if test(root)), None)
        if fmt is None:
            raise ImportProblem(
                "cannot tell what exported this file; give --format wordpress, blogger or leap2a"
            )
    test, what, read = READERS[fmt]
    if not test(root):
        raise ImportProblem(f"the file is not {what}")
    return read(root, event_tags)


def kept_keys(portfolio: Path) -> set[str]:
    """The source ids of pages imported before, anywhere in the portfolio
    (read from their front matter as MyST reads it: a post may quote the line)."""
    from myst_parser.config.main import TopmatterReadError, read_topmatter

    found: set[str] = set()
    for page in portfolio.rglob("*.md"):
        parts = page.relative_to(portfolio).parts
        if "_build" in parts or any(part.startswith(".") for part in parts) or not page.is_file():
            continue
        try:
            matter = read_topmatter(page.read_text(encoding="utf-8", errors="replace")) or {}
        except TopmatterReadError:
            continue
        if isinstance(matter.get(KEY), str):
            found.add(matter[KEY])
    return found


def load(source: Path, fmt: str | None = None, event_tags: Iterable[str] = ()) -> list[Entry]:
    """The entries of the export ``source`` (nothing is written)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"cannot read {source}: {exc.strerror or exc}") from None
    return read_entries(data, fmt, list(event_tags))


def import_into(
    entries: list[Entry],
    portfolio: Path,
    media: Path | None = None,
    today: dt.date | None = None,
    listed: bool = False,
) -> Summary:
    """Write ``entries`` (from :func:`load`) into the portfolio folder ``portfolio``;
    ``listed``: its front page will list ``imported/index``."""
    writer = Writer(portfolio, media, today or dt.date.today(), listed)
    writer.check_folders()
    kept = kept_keys(portfolio)
    seen: set[str] = set()
    for entry in entries:
        if not entry.key or entry.key in seen:
            # No id, or one given twice in the same export: one of its own,
            # from what the entry says.
            said = f"{entry.title}\n{entry.date}\n{entry.html}".encode()
            entry.key = f"{entry.key}#{hashlib.sha256(said).hexdigest()[:12]}"
        seen.add(entry.key)
        # Printed to a terminal: one line, no control or direction characters.
        label = argument(f"{entry.title or '(untitled)'} [{entry.source} {entry.key}]")
        label = "".join(c for c in label if unicodedata.category(c) not in ("Cf", "Cc"))
        if entry.skipped:
            writer.summary.skipped.append(f"{label}: {entry.skipped}")
        elif f"{entry.source}:{entry.key}" in kept:
            writer.summary.already += 1
        else:
            try:
                if not writer.write(entry):
                    writer.summary.plain.append(label)
            except (OSError, ValueError) as exc:
                writer.summary.skipped.append(f"{label}: could not be written ({exc})")
                continue
            kept.add(f"{entry.source}:{entry.key}")
    # Also when an import that stopped part way left pages without their index.
    if writer.summary.made or any(writer.folder.glob("*.md")):
        writer.index()
    return writer.summary


class Writer:
    def __init__(self, portfolio: Path, media: Path | None, today: dt.date, listed: bool) -> None:
        self.portfolio = portfolio
        self.folder = portfolio / "imported"
        self.media = media
        self.today = today
        self.summary = Summary()
        #: The portfolio's front page will list imported/index.
        self.listed = listed
        self.numbers: dict[tuple[Path, str, str], int] = {}
        self.copied: dict[tuple[Path, bytes], Path] = {}

    def check_folders(self) -> None:
        """The folders written to are plain folders inside the portfolio (not
        files, nor links to somewhere else), checked before anything is written."""
        root = self.portfolio.resolve()
        for folder in (self.folder, self.folder / "media", self.portfolio / "evidence"):
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                raise ImportProblem(
                    f"{folder} is not a folder of the portfolio's own (a file, or a link "
                    "elsewhere); move it aside and import again (nothing was imported)"
                )
            if folder.exists() and not folder.resolve().is_relative_to(root):
                raise ImportProblem(f"{folder} is outside the portfolio; nothing was imported")

    def write(self, entry: Entry) -> bool:
        """Write the entry's page; whether its formatting was kept."""
        self.folder.mkdir(parents=True, exist_ok=True)
        date = entry.date or self.today
        title = argument(entry.title)[:200] or f"Untitled {entry.kind} of {date.isoformat()}"
        base = f"{date.isoformat()}-{slugify(title)[:60] or entry.kind}"
        ident = f"{entry.source}-{short_id(entry.key)}"
        page = self.new_file(self.folder, base, ".md")
        body, kept = to_myst(entry.html, lambda src: self.picture(src, page))
        matter = [f"{KEY}: {json.dumps(f'{entry.source}:{entry.key}')}"]
        if entry.private:
            matter.append("cpd-visibility: private")
        lines = [
            "---",
            *matter,
            "---",
            "",
            f"# {heading(entry.title[:200]) or heading(title)}",
            "",
        ]
        published = safe_link(entry.url) if entry.kind != "evidence" else None
        if published:
            lines += [f"[First published online]({published}).", ""]
        fence = ":" * max(3, longest_colon_run(body) + 1)
        options = [f":date: {date.isoformat()}"]
        if entry.tags:
            options.append(f":tags: {', '.join(entry.tags)}")
        if entry.kind == "evidence":
            lines += self.evidence(entry, ident, title, fence, options, body)
        else:
            if entry.kind == "event" or entry.event:
                lines += [f"{fence}{{event}} {title}", f":id: {ident}-event", *options]
                if entry.end and entry.end >= date:
                    lines.append(f":end: {entry.end.isoformat()}")
                lines += [
                    f":hours: {UNKNOWN_HOURS}",
                    "",
                    body if entry.kind == "event" else "",
                    fence,
                    "",
                ]
                self.summary.to_fill.append(str(page.relative_to(self.portfolio)))
            if entry.kind == "reflection":
                lines += [f"{fence}{{reflection}} {title}", f":id: {ident}", *options]
                if entry.event:
                    lines.append(f":event: {ident}-event")
                lines += ["", body, fence, ""]
        with page.open("x", encoding="utf-8") as out:  # "x": never over a file made since
            out.write(tidy("\n".join(lines)))
        self.summary.made.append(str(page.relative_to(self.portfolio)))
        return kept

    def evidence(
        self, entry: Entry, ident: str, title: str, fence: str, options: list[str], body: str
    ) -> list[str]:
        lines = [f"{fence}{{evidence}} {title}", f":id: {ident}", *options]
        if entry.file is not None:
            name, data = entry.file
            stem, suffix = slugify(Path(name).stem)[:60] or "file", Path(name).suffix.lower()
            if suffix not in EVIDENCE_SUFFIXES:
                # Never a page's suffix (.md, .rst): Sphinx would build it.
                stem, suffix = f"{stem}-{slugify(suffix) or 'file'}"[:70], ".bin"
            folder = self.portfolio / "evidence"
            folder.mkdir(parents=True, exist_ok=True)
            target = self.same_or_new(folder, stem, suffix, data)
            lines.append(f":file: ../evidence/{target.name}")
        elif safe_link(entry.url):
            lines.append(f":url: {option_url(entry.url)}")
        return [*lines, "", body, fence, ""]

    def picture(self, source: str, page: Path) -> str | None:
        """A picture the post shows, copied from ``--media`` when it is there
        (matched by file name), as a path relative to the page."""
        if self.media is None:
            return None
        name = Path(source.split("?", 1)[0].split("#", 1)[0]).name
        found = self.media / name
        try:
            if (
                not name
                or not found.is_file()
                or not found.resolve().is_relative_to(self.media.resolve())
            ):
                return None
        except (OSError, ValueError):  # a name too long for the file system, say
            return None
        suffix = found.suffix.lower()
        # Not SVG: a drawing may hold a script, which its own address would run.
        if suffix not in {".png", ".jpg", ".jpeg", ".gif", ".webp"}:
            return None
        target = self.same_or_new(
            self.folder / "media", slugify(found.stem)[:60] or "picture", suffix, found.read_bytes()
        )
        return f"media/{target.name}"

    def new_file(
        self, folder: Path, stem: str, suffix: str, same: Callable[[Path], bool] | None = None
    ) -> Path:
        """A name in ``folder`` no file has yet (``-2``, ``-3`` … added), or the
        first taken one that is ``same``. Without ``same``, it counts on from the
        last name this import gave (a thousand posts of one title are not a
        million look-ups)."""
        number = 1 if same else self.numbers.get((folder, stem, suffix), 1)
        candidate = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        while candidate.exists() or candidate.is_symlink():
            if same is not None and same(candidate):
                return candidate
            number += 1
            candidate = folder / f"{stem}-{number}{suffix}"
        if same is None:
            self.numbers[(folder, stem, suffix)] = number
        return candidate

    def same_or_new(self, folder: Path, stem: str, suffix: str, data: bytes) -> Path:
        """The file in ``folder`` that holds ``data`` already, else a new one with it."""
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(data).digest()
        if (folder, digest) in self.copied:  # the same bytes, copied by this import
            return self.copied[(folder, digest)]

        def holds_data(path: Path) -> bool:
            return (
                path.is_file()
                and not path.is_symlink()
                and path.stat().st_size == len(data)
                and path.read_bytes() == data
            )

        target = self.new_file(folder, stem, suffix, holds_data)
        if not target.exists():
            with target.open("xb") as out:  # "x": never through a file made since
                out.write(data)
        self.copied[(folder, digest)] = target
        return target

    def index(self) -> None:
        """``imported/index.md``, listing every page in the folder (made once)."""
        index = self.folder / "index.md"
        if index.exists() or index.is_symlink():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        linked = self.listed or self.linked_from_root()
        text = "\n".join(
            [
                *([] if linked else ["---", "orphan: true", "---", ""]),
                "# Imported",
                "",
                "Posts and entries brought in from elsewhere by `sphinx-cpd import`.",
                "",
                "```{toctree}",
                ":maxdepth: 1",
                ":glob:",
                "",
                "*",
                "```",
                "",
            ]
        )
        with index.open("x", encoding="utf-8") as out:
            out.write(text)

    def linked_from_root(self) -> bool:
        root = self.portfolio / "index.md"
        return root.is_file() and "imported/index" in root.read_text(
            encoding="utf-8", errors="replace"
        )
