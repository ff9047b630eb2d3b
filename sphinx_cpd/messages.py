"""The message catalogues: gather every text marked for translation, bring each
language's ``.po`` up to date and compile it (``make messages``).

``python -m sphinx_cpd.messages`` writes ``locales/sphinx_cpd.pot`` from the
Python modules (``_()`` and ``N_()``), the theme's templates (``_()``) and the
titles of the bundled frameworks and schemes (TOML); merges it into every
``locales/<language>/LC_MESSAGES/sphinx_cpd.po`` (new texts untranslated, gone
ones dropped) and compiles each to ``.mo``, which is what a build reads.
``--check`` changes nothing and says what is out of date or untranslated.

The files are written the same way every time (no dates in their headers, no
line numbers), so a run that changes nothing leaves git with nothing to commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gettext
import io
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from sphinx_cpd.i18n import CATALOGUE, LOCALES

PACKAGE = Path(__file__).parent
TEMPLATE = LOCALES / f"{CATALOGUE}.pot"
#: Fixed, so that the files change only when their messages do.
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
KEYWORDS = {"_": None, "N_": None}
#: The keys of a framework's or scheme's TOML whose values a reader sees.
SHOWN_KEYS = frozenset({"title", "short", "labels"})
#: Tables whose titles are another publication's and stay as published.
KEPT_TABLES = frozenset({"source"})


def extract_toml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extraction method for the bundled frameworks and schemes: the
    values of :data:`SHOWN_KEYS`, with the line each is written on."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()

    def line_of(value: str) -> int:
        quoted = f'"{value}"'
        return next((n for n, line in enumerate(lines, 1) if quoted in line), 1)

    def walk(value: object, key: str = "") -> Iterator[str]:
        if isinstance(value, dict):
            for name, inner in value.items():
                if name not in KEPT_TABLES:
                    yield from walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                yield from walk(inner, key)
        elif isinstance(value, str) and key in SHOWN_KEYS and value.strip():
            yield value

    for text in walk(tomllib.loads(source)):
        yield line_of(text), "_", text, []


def template() -> Catalog:
    """Every marked message, as a fresh catalogue template."""
    catalog = Catalog(
        project="sphinx-cpd",
        version="",
        domain=CATALOGUE,
        creation_date=STAMP,
        revision_date=STAMP,
        msgid_bugs_address="",
        copyright_holder="The sphinx-cpd developers",
        fuzzy=False,
    )
    methods = [
        ("**.py", "python"),
        ("theme/**.html", "jinja2.ext:babel_extract"),
        ("catalogues/data/**.toml", extract_toml),
    ]
    found = extract_from_dir(
        str(PACKAGE),
        method_map=methods,  # type: ignore[arg-type]
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        if isinstance(message, str):
            catalog.add(
                message,
                locations=[(f"sphinx_cpd/{Path(filename).as_posix()}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def languages() -> list[str]:
    return sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{CATALOGUE}.po"


#: Header lines that would change with the version of Babel or of sphinx-cpd,
#: not with the messages, and placeholders Babel fills in for a person.
_HEADER_NOISE = re.compile(
    rb'^"(Generated-By|Report-Msgid-Bugs-To): [^"]*"\n|^# FIRST AUTHOR .*\n', re.MULTILINE
)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # Files without line numbers: moving code does not make the catalogues stale.
    write_po(out, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    data = _HEADER_NOISE.sub(b"", out.getvalue())
    data = re.sub(rb'"Project-Id-Version: [^"]*"', rb'"Project-Id-Version: sphinx-cpd\\n"', data)
    return data.replace(b"(C) 2026 ORGANIZATION", b"(C) 2026 The sphinx-cpd developers")


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(language: str, fresh: Catalog) -> Catalog:
    """The language's catalogue with exactly the template's messages."""
    path = po_path(language)
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=CATALOGUE)
    else:  # a new language: its folder made, its catalogue started here
        catalog = Catalog(locale=language, domain=CATALOGUE, project="sphinx-cpd", fuzzy=False)
    catalog.update(fresh, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.project, catalog.version = "sphinx-cpd", ""
    catalog.revision_date = STAMP
    catalog.creation_date = STAMP
    return catalog


def messages_of(mo: bytes) -> dict[object, object]:
    """A compiled catalogue's messages (its header left out)."""
    found = gettext.GNUTranslations(io.BytesIO(mo))._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in found.items() if key != ""}


def missing(catalog: Catalog) -> list[str]:
    """The messages with no translation, or one only guessed (fuzzy)."""
    return [
        str(message.id)
        for message in catalog
        if message.id and (not message.string or message.fuzzy)
    ]


def run(check: bool) -> list[str]:
    """Write (or, with ``check``, compare) the template and every language's
    files; the problems found."""
    fresh = template()
    wanted = {TEMPLATE: po_bytes(fresh)}
    problems = []
    for language in languages():
        catalog = updated(language, fresh)
        wanted[po_path(language)] = po_bytes(catalog)
        wanted[po_path(language).with_suffix(".mo")] = mo_bytes(catalog)
        problems += [f"{language}: not translated: {m!r}" for m in missing(catalog)]
    for path, data in wanted.items():
        if check and path.suffix == ".mo":
            # Compared by what it holds: Babel versions write the same
            # messages with different headers.
            if not path.is_file() or messages_of(path.read_bytes()) != messages_of(data):
                problems.append(f"{path.relative_to(PACKAGE.parent)} is out of date")
        elif check:
            if not path.is_file() or path.read_bytes() != data:
                problems.append(f"{path.relative_to(PACKAGE.parent)} is out of date")
        else:
            path.write_bytes(data)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; report")
    args = parser.parse_args(argv)
    problems = run(args.check)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check and problems:
        print("Run `make messages`, then translate what is new.", file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
