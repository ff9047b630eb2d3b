"""sphinx-cpd's own words in the portfolio's language: the catalogues are
complete, a Welsh build shows no English interface text, and languages do not
leak from one build into the next."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from sphinx_cpd import i18n, messages
from tests.conftest import EXAMPLE, Portfolio

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def welsh() -> Any:
    with messages.po_path("cy").open("rb") as handle:
        return read_po(handle, locale="cy")


def test_the_catalogues_are_up_to_date_and_welsh_is_complete() -> None:
    # The same check `make messages` is for: the template holds every marked
    # message of the code, templates and frameworks; every language's .po and
    # .mo follow it; nothing is untranslated or fuzzy.
    assert messages.run(check=True) == []


def test_every_welsh_translation_keeps_its_placeholders() -> None:
    catalog = welsh()
    # Every place kept (a Welsh sentence says all the English one does)...
    wrong = [
        (message.id, message.string)
        for message in catalog
        if message.id
        and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))
    ]
    assert wrong == []
    # ... and each usable as the build uses it (no other "%" to break formatting).
    assert [m.id for m in catalog if m.id and not i18n.fits(str(m.id), str(m.string))] == []


def english_labels() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Each message Welsh says otherwise, as a pattern of its English words
    (a placeholder between them matches anything short; one at either end
    is left out), unless the author's own English uses the same words."""
    written = author_text()
    for message in welsh():
        english = str(message.id) if message.id else ""
        if not english or message.string == english:
            continue
        pieces = [piece.strip() for piece in PLACEHOLDER.split(english)[::2]]
        while pieces and not pieces[0]:
            pieces.pop(0)
        while pieces and not pieces[-1]:
            pieces.pop()
        longest = max(pieces, key=len, default="")
        # Too short to tell from other words ("p.", "E"), or the author's own.
        if len(longest.strip(" :.,()")) < 4 or longest in written:
            continue
        pattern = r".{1,80}?".join(re.escape(piece) for piece in pieces)
        yield english, re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])")


def author_text() -> str:
    """Everything the example's author wrote (English, and allowed to stay so)."""
    files = [p for p in EXAMPLE.rglob("*") if p.suffix in (".md", ".py", ".toml", ".txt", ".csv")]
    return " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in files)


def untranslated(text: str) -> list[str]:
    """The English labels in ``text`` that are not the author's own words."""
    found = []
    for english, pattern in english_labels():
        match = pattern.search(text)
        if match:
            context = text[max(0, match.start() - 40) : match.end() + 40]
            found.append(f"{english!r}: ...{context}...")
    return found


@pytest.fixture
def in_welsh(example: Portfolio) -> Portfolio:
    example.add_conf('language = "cy"\n')
    return example


def not_docutils_note(build: Any) -> list[Any]:
    # Docutils' note that it has no Welsh of its own is information, not a warning.
    return [w for w in build.warnings if "not supported" not in w.message]


def visible_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style", "head"]):
        hidden.decompose()
    # Sphinx's own "Link to this heading", which its Welsh catalogue lacks.
    for sphinx_own in soup.select("a.headerlink"):
        sphinx_own.decompose()
    words = [soup.get_text(" ")]
    # What assistive technology reads counts as much as what is seen.
    for attribute in ("aria-label", "alt", "title", "placeholder"):
        words += [str(tag[attribute]) for tag in soup.find_all(attrs={attribute: True})]
    return " ".join(" ".join(words).split())


def test_the_example_in_welsh_has_no_english_interface_text(
    in_welsh: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every text sphinx-cpd asks the catalogue for, and gets back unchanged, is
    # noted: a message marked in the code but missing from the catalogue.
    asked: set[str] = set()
    original = i18n._translate

    def noting(message: str) -> str:
        found = original(message)
        if str(found) == message:
            asked.add(message)
        return found

    monkeypatch.setattr(i18n, "_translate", noting)
    build = in_welsh.build()
    assert not_docutils_note(build) == [], build.warnings_text
    catalog = welsh()
    author = author_text()
    missing = sorted(
        m for m in asked if catalog.get(m) is None and m not in author and re.search("[a-z]", m)
    )
    assert missing == []
    pages = sorted(build.outdir.rglob("*.html"))
    problems = {}
    for page in pages:
        if page.name in ("search.html", "genindex.html"):
            continue  # Sphinx's own pages, in Sphinx's Welsh
        found = untranslated(visible_text(page))
        if found:
            problems[str(page.relative_to(build.outdir))] = found
    assert problems == {}
    event = visible_text(build.outdir / "events" / "networking-evening.html")
    assert "Digwyddiad" in event and "Oriau" in event and "Hydref" in event
    assert "Rhwydweithio" in event


def test_the_example_pdf_in_welsh(in_welsh: Portfolio) -> None:
    build = in_welsh.build("cpdpdf")
    assert not_docutils_note(build) == [], build.warnings_text
    (pdf,) = build.outdir.glob("*.pdf")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    cover, contents = pages[0], pages[1]
    assert "Portffolio datblygiad proffesiynol parhaus" in cover
    assert "Drafft" in cover and "Adeiladwyd ar" in cover
    assert contents.startswith("Cynnwys") or "Cynnwys" in contents
    assert re.search(r"Tudalen 2 o \d+", pages[1])
    assert untranslated(" ".join(pages)) == []


def test_a_build_in_one_language_does_not_leak_into_the_next(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    page = """\
    # Events

    :::{event} Networking evening
    :date: 2011-11-28
    :hours: 2
    :::
    """
    portfolio.write("index.md", page)
    portfolio.add_conf('language = "cy"\n')
    welsh_build = portfolio.build()
    assert "Tachwedd" in visible_text(welsh_build.outdir / "index.html")
    english = Portfolio(tmp_path / "english", portfolio._make_app)
    english.write("index.md", page)
    text = visible_text(english.build().outdir / "index.html")
    assert "November" in text and "Tachwedd" not in text
    assert "Search" in text and "Chwilio" not in text


def test_an_authors_own_catalogue_comes_first(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    portfolio.add_conf('language = "cy"\n')
    # One word changed; the rest come from the bundled Welsh.
    english = next(m.id for m in welsh() if m.string == "Chwilio")
    portfolio.write(
        "locales/cy/LC_MESSAGES/sphinx_cpd.po",
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{english}"\nmsgstr "Chwilota"\n',
    )
    build = portfolio.build()
    assert not_docutils_note(build) == [], build.warnings_text
    text = visible_text(build.outdir / "index.html")
    assert "Chwilota" in text and "Tachwedd" in text


def test_a_damaged_catalogue_is_said_and_not_used(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n")
    portfolio.add_conf('language = "cy"\n')
    portfolio.write("locales/cy/LC_MESSAGES/sphinx_cpd.po", 'msgid "Search"\nmsgstr "x\n\x00"')
    build = portfolio.build()
    problems = not_docutils_note(build)
    assert len(problems) == 1 and "sphinx_cpd.po" in problems[0].message, build.warnings_text
    assert problems[0].file and problems[0].file.endswith("sphinx_cpd.po")
    assert "Chwilio" in visible_text(build.outdir / "index.html")


@pytest.mark.parametrize("language", ["wy", "en-XX-nonsense", "Welsh"])
def test_a_language_babel_cannot_read_is_said_once(portfolio: Portfolio, language: str) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    # Set twice, as an edited conf.py may: the last one counts.
    portfolio.add_conf('language = "en"\n')
    portfolio.add_conf(f'language = "{language}"\n')
    build = portfolio.build()
    said = build.warnings
    # Once, and nothing else (no Babel complaint on every date later).
    assert len(said) == 1, build.warnings_text
    assert "cy" in said[0].message and (said[0].type or "").startswith("cpd")
    # At the line Sphinx reads it from: the last that sets it.
    lines = (portfolio.srcdir / "conf.py").read_text(encoding="utf-8").splitlines()
    assert said[0].line == max(n for n, line in enumerate(lines, 1) if line.startswith("language"))
    assert "28 November 2011" in visible_text(build.outdir / "index.html")
    assert 'lang="en"' in build.text("index.html")
    # In English the PDF is made too (Typst would refuse the unknown language).
    pdf = portfolio.build("cpdpdf")
    assert pdf.warnings == [w for w in pdf.warnings if "language" in w.message]
    assert list(pdf.outdir.glob("*.pdf"))


def test_a_language_written_with_a_hyphen_gets_sphinxs_own_words_too(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    portfolio.add_conf('language = "cy-GB"\n')
    build = portfolio.build()
    assert not_docutils_note(build) == [], build.warnings_text
    # Sphinx's own Welsh, for the language as written.
    assert "Indecs" in visible_text(build.outdir / "genindex.html")
    assert "Tachwedd" in visible_text(build.outdir / "index.html")


@pytest.mark.parametrize(
    ("translation", "usable"),
    [
        ("Adborth gan %(giver)s", True),
        ("%(giver)s a roddodd adborth (100%%)", True),
        ("Adborth", True),  # a place may be left out
        ("Adborth gan %(who)s", False),
        ("Adborth gan %(giver)s, 100%", False),
        ("Adborth gan %(giver)10000000s", False),
        ("Adborth gan %(giver).0s", False),
        ("Adborth gan %s", False),
    ],
)
def test_which_translations_can_stand_in_for_a_message(translation: str, usable: bool) -> None:
    assert i18n.fits("Feedback from %(giver)s", translation) is usable
    # A message with no places is never filled in: no % of any kind.
    assert i18n.fits("1 hour", "1 awr") and not i18n.fits("1 hour", "1 awr (100%%)")


def test_an_authors_catalogue_edited_is_used_at_the_next_build(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    portfolio.add_conf('language = "cy"\n')
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po = header + 'msgid "Date"\nmsgstr "{}"\n'
    portfolio.write("locales/cy/LC_MESSAGES/sphinx_cpd.po", po.format("Dyddiad cyntaf"))
    assert "Dyddiad cyntaf" in visible_text(portfolio.build().outdir / "index.html")
    portfolio.write("locales/cy/LC_MESSAGES/sphinx_cpd.po", po.format("Dyddiad newydd"))
    text = visible_text(portfolio.build().outdir / "index.html")
    assert "Dyddiad newydd" in text and "Dyddiad cyntaf" not in text


def test_an_authors_catalogue_outside_the_portfolio_or_plural_is_not_used(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    portfolio.add_conf('language = "cy"\nlocale_dirs = ["locales", "more"]\n')
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    outside = tmp_path / "elsewhere.po"
    outside.write_text(header + 'msgid "Date"\nmsgstr "O BELL"\n', encoding="utf-8")
    folder = portfolio.srcdir / "locales" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sphinx_cpd.po").symlink_to(outside)
    # A plural entry: sphinx-cpd has none, and gettext would let it stand in.
    portfolio.write(
        "more/cy/LC_MESSAGES/sphinx_cpd.po",
        header
        + '#, python-format\nmsgid "%(hours)s hours"\nmsgid_plural "%(n)s"\n'
        + "".join(f'msgstr[{n}] "%(n)s awr"\n' for n in range(6)),
    )
    build = portfolio.build()
    said = not_docutils_note(build)
    assert len(said) == 2, build.warnings_text
    assert "outside the portfolio" in said[0].message and "plural" in said[1].message
    text = visible_text(build.outdir / "index.html")
    assert "O BELL" not in text and "Dyddiad" in text and "2 awr" in text


@pytest.mark.parametrize(("language", "shown"), [("en", "1.25"), ("cy", "1.25"), ("fr", "1,25")])
def test_hours_keep_their_value_with_the_languages_decimal_sign(
    portfolio: Portfolio, language: str, shown: str
) -> None:
    portfolio.write(
        "index.md",
        "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 1:15\n:::\n\n```{cpd-log}\n```\n",
    )
    portfolio.add_conf(f'language = "{language}"\n')
    build = portfolio.build()
    card = build.html("index.html").select_one(".cpd-card--event")
    assert card is not None and shown in card.get_text()
    log = build.html("index.html").select_one("table")
    assert log is not None and shown in log.get_text()
    # The exports are for other programs: the same plain number in every language.
    assert ",1.25," in (build.outdir / "cpd-log.csv").read_text(encoding="utf-8")


def test_an_authors_translation_that_cannot_be_used_is_said_and_left_out(
    portfolio: Portfolio,
) -> None:
    portfolio.write(
        "index.md",
        "# Front\n\n:::{feedback}\n:from: Sam\n:date: 2011-11-28\n\n"
        "Good.\n:::\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n",
    )
    portfolio.add_conf('language = "cy"\n')
    portfolio.write(
        "locales/cy/LC_MESSAGES/sphinx_cpd.po",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        # A place the message does not have, and a stray percent sign.
        'msgid "Feedback from %(giver)s"\nmsgstr "Adborth gan %(who)s"\n\n'
        'msgid "%(hours)s hours"\nmsgstr "%(hours)s awr 100%"\n\n'
        # Markup where the theme shows the word: text, never HTML.
        'msgid "Search"\nmsgstr "<script>alert(1)</script>"\n',
    )
    build = portfolio.build()
    said = [w for w in not_docutils_note(build) if w.file and w.file.endswith("sphinx_cpd.po")]
    assert len(said) == 2 and len(not_docutils_note(build)) == 2, build.warnings_text
    assert [w.line for w in said] == [5, 8]
    page = build.text("index.html")
    # The bundled Welsh stands in for the two that cannot be used.
    assert "2 awr" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_translation_cannot_break_a_calendar_line(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    portfolio.add_conf('language = "cy"\n')
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    portfolio.write(
        "locales/cy/LC_MESSAGES/sphinx_cpd.po",
        header
        + 'msgid "%(project)s: CPD events"\nmsgstr "%(project)s\\r\\nBEGIN:VEVENT"\n\n'
        + 'msgid "CPD hours: %(hours)s"\nmsgstr "Oriau\\rUID:forged %(hours)s"\n',
    )
    build = portfolio.build()
    assert not_docutils_note(build) == [], build.warnings_text
    calendar = (build.outdir / "cpd-events.ics").read_bytes()
    lines = calendar.replace(b"\r\n ", b"").split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1 and not any(ln[:10] == b"UID:forged" for ln in lines)
    assert b"\r" not in calendar.replace(b"\r\n", b"")


def test_an_english_word_can_be_changed_with_an_authors_catalogue(portfolio: Portfolio) -> None:
    portfolio.write("index.md", "# Front\n\n:::{event} Visit\n:date: 2011-11-28\n:hours: 2\n:::\n")
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    portfolio.write(
        "locales/en/LC_MESSAGES/sphinx_cpd.po", header + 'msgid "Date"\nmsgstr "When"\n'
    )
    build = portfolio.build()
    assert build.warnings == [], build.warnings_text
    text = visible_text(build.outdir / "index.html")
    assert "When" in text and "Hours" in text
