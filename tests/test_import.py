"""``sphinx-cpd import``: a WordPress blog, a Blogger blog and a Mahara (Leap2A)
portfolio move in as pages that build; nothing is overwritten or imported
twice; hostile files are refused; no imported text becomes markup."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils.core import publish_doctree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_cpd.importing.html import safe_link, to_myst

DATA = Path(__file__).parent / "data" / "imports"


def cpd(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx_cpd.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def build(src: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = src / "_build" / "html"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", *options, str(src), str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600), out


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "_build" not in path.parts
    }


def only_hours_warnings(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if "WARNING" in line]
    return [line for line in lines if "[cpd.hours]" not in line]


def leap2a_zip(tmp_path: Path) -> Path:
    target = tmp_path / "mahara-export.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((DATA / "leap2a").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(DATA / "leap2a").as_posix())
    return target


def test_a_wordpress_blog_moves_in_and_builds(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    done = cpd(
        "import", str(DATA / "wordpress.xml"), "--into", str(folder),
        "--media", str(DATA / "media"), "--event-tag", "event",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Made 4 page(s)" in done.stdout
    assert "About [wordpress https://shelfnotes.example.org?p=2]: a page" in done.stdout
    pages = {p.name: p.read_text(encoding="utf-8") for p in (folder / "imported").glob("*.md")}
    networks = pages["2011-11-29-thing-7-real-life-networks.md"]
    assert ":date: 2011-11-29" in networks and ":tags: CPD23, networking, event" in networks
    # The tagged post is an event too, its hours left to the author.
    assert ":::{event} Thing 7: real-life networks" in networks and ":hours: ?" in networks
    assert re.search(r"^:event: (wordpress-41-[0-9a-f]{6}-event)$", networks, re.M)
    # The picture came from the media folder; the comment did not come at all.
    assert "![My desk before the evening](media/quiet-desk.png)" in networks
    assert (folder / "imported" / "media" / "quiet-desk.png").is_file()
    assert "the same happened to me" not in "".join(pages.values())
    # A draft and a password-protected post are private; published ones are not.
    assert (
        "cpd-visibility: private"
        in pages["2011-12-12-notes-on-the-appraisal-not-for-publishing.md"]
    )
    assert "cpd-visibility: private" in pages["2011-12-13-thing-9-evernote.md"]
    assert "cpd-visibility" not in networks
    assert "[First published online](<https://shelfnotes.example.org/2011/11/29/" in networks

    result, out = build(folder, "-W", "--keep-going")
    assert only_hours_warnings(result.stderr) == []
    assert "[cpd.hours]" in result.stderr and "not filled in yet" in result.stderr
    page = BeautifulSoup(
        (out / "imported" / "2011-12-06-thing-8-google-calendar.html").read_text(), "html.parser"
    )
    # A code sample of MyST stays a code sample: nothing was included or run.
    code = page.select_one("pre").get_text()
    assert "```{include} ../conf.py```" in code and ":::{note}" in code
    assert (
        "cpd_profile" not in page.get_text()
        and "sphinx_cpd" not in page.select_one("main").get_text()
    )
    assert "{recurring}" in page.get_text()
    # A public build leaves the private posts out.
    result, public = build(
        folder, "-D", "cpd_audience=public", "-D", "cpd_default_visibility=public"
    )
    assert result.returncode == 0
    assert not (public / "imported" / "2011-12-13-thing-9-evernote.html").exists()


def test_a_second_import_adds_nothing_and_nothing_is_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    assert cpd("import", str(DATA / "wordpress.xml"), "--into", str(folder)).returncode == 0
    before = tree_digest(folder)
    again = cpd("import", str(DATA / "wordpress.xml"), "--into", str(folder))
    assert again.returncode == 0
    assert "Made 0 page(s)" in again.stdout and "Already imported before" in again.stdout
    assert tree_digest(folder) == before
    # A page moved elsewhere still counts; a file in the way is never replaced.
    moved = folder / "imported" / "2011-12-06-thing-8-google-calendar.md"
    moved.rename(folder / "thing-8.md")
    mine = folder / "imported" / "2011-11-29-thing-7-real-life-networks.md"
    mine.unlink()
    mine.write_text("# My own notes\n", encoding="utf-8")
    third = cpd("import", str(DATA / "wordpress.xml"), "--into", str(folder))
    assert third.returncode == 0 and "Made 1 page(s)" in third.stdout
    assert mine.read_text(encoding="utf-8") == "# My own notes\n"
    assert (folder / "imported" / "2011-11-29-thing-7-real-life-networks-2.md").is_file()
    assert not (folder / "imported" / "2011-12-06-thing-8-google-calendar.md").exists()


def test_a_blogger_blog_moves_in(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    done = cpd(
        "import", str(DATA / "blogger.xml"), "--into", str(folder), "--event-tag", "Training Day"
    )
    assert done.returncode == 0, done.stderr
    assert "Made 2 page(s)" in done.stdout and "a page, not a post" in done.stdout
    live = (folder / "imported" / "2011-11-17-reflective-practice-at-last.md").read_text()
    assert ":tags: reflection, training day" in live and ":hours: ?" in live
    assert "**reflective practice**" in live and "*What? So what? Now what?*" in live
    assert "<https://desknotes.blogspot.com/2011/11/reflective-practice-at-last.html>" in live
    draft = (folder / "imported" / "2011-12-20-half-written-why-i-nearly-gave-up.md").read_text()
    assert "cpd-visibility: private" in draft
    assert "Lovely write-up" not in live + draft
    result, out = build(folder, "-W", "--keep-going")
    assert only_hours_warnings(result.stderr) == []
    assert (out / "imported" / "2011-11-17-reflective-practice-at-last.html").is_file()


def test_a_mahara_portfolio_moves_in(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    done = cpd("import", str(leap2a_zip(tmp_path)), "--into", str(folder))
    assert done.returncode == 0, done.stderr
    assert "Made 4 page(s)" in done.stdout and "a Leap2A meeting" in done.stdout
    imported = folder / "imported"
    post = (imported / "2011-11-10-copyright-for-the-enquiry-desk.md").read_text()
    assert "{reflection} Copyright for the enquiry desk" in post and "journal" in post
    course = (imported / "2011-11-09-copyright-half-day-course.md").read_text()
    assert "{event} Copyright half-day course" in course and ":end: 2011-11-09" in course
    certificate = (imported / "2011-11-09-certificate-of-attendance.md").read_text()
    assert ":file: ../evidence/60-certificate-of-attendance.pdf" in certificate
    copied = folder / "evidence" / "60-certificate-of-attendance.pdf"
    assert (
        copied.read_bytes()
        == (DATA / "leap2a" / "files" / "60-certificate-of-attendance.pdf").read_bytes()
    )
    for page in imported.glob("2011-*.md"):
        assert "cpd-visibility: private" in page.read_text()
    result, out = build(folder, "-W", "--keep-going")
    assert only_hours_warnings(result.stderr) == []
    assert (out / "imported" / "2011-11-09-certificate-of-attendance.html").is_file()


HOSTILE = {
    "entities.xml": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    ),
    "external.xml": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><item><title>&x;</title></item></channel></rss>"
    ),
    "broken.xml": "<rss><channel><item><title>unclosed</channel>",
    "unknown.xml": "<html><body>not an export</body></html>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_malformed_files_are_refused_and_nothing_is_made(
    tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_text(HOSTILE[name], encoding="utf-8")
    done = cpd("import", str(source), "--into", str(tmp_path / "portfolio"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "nothing was imported" in done.stderr or "give --format" in done.stderr
    assert not (tmp_path / "portfolio").exists()
    assert "root:" not in done.stdout + done.stderr


def test_a_zip_cannot_write_outside_the_portfolio_or_unpack_a_bomb(tmp_path: Path) -> None:
    feed = (DATA / "leap2a" / "leap2a.xml").read_text(encoding="utf-8")
    feed = feed.replace("files/60-certificate-of-attendance.pdf", "../../../escaped.pdf")
    sneaky = tmp_path / "sneaky.zip"
    with zipfile.ZipFile(sneaky, "w") as archive:
        archive.writestr("leap2a.xml", feed)
        archive.writestr("../../../escaped.pdf", b"%PDF-1.4 not evidence")
    folder = tmp_path / "deep" / "er" / "portfolio"
    done = cpd("import", str(sneaky), "--into", str(folder))
    assert done.returncode == 0, done.stderr
    assert "is not in the zip" in done.stdout
    assert not list(tmp_path.rglob("escaped.pdf"))
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("leap2a.xml", feed)
        archive.writestr("files/huge.bin", b"\0" * (600 * 1024 * 1024))
    done = cpd("import", str(bomb), "--into", str(tmp_path / "other"))
    assert done.returncode == 1 and "more than 500 MB" in done.stderr
    assert not (tmp_path / "other").exists()


def test_importing_into_a_folder_that_is_not_a_portfolio_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = cpd("import", str(DATA / "wordpress.xml"), "--into", str(tmp_path))
    assert done.returncode == 2 and "nothing was changed" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
            st.sampled_from("\n\r\t\u2028\u2029\x85:%#-+=()`~{}<>$|*_!"),
        ),
        min_size=1,
    )
)
def test_no_text_of_a_post_becomes_markup(words: str) -> None:
    """Whatever a post says, its page shows those words and makes nothing of
    them: no directive, role, comment, target, heading, list or raw HTML."""
    from myst_parser.parsers.docutils_ import Parser

    markdown, kept = to_myst(f"<p>{html.escape(words)}</p>")
    # Plain text needs no fall-back: the escaping alone makes it safe.
    assert kept
    tree = publish_doctree(
        markdown,
        parser=Parser(),
        settings_overrides={
            "report_level": 5,
            "myst_enable_extensions": ["colon_fence", "dollarmath", "substitution", "deflist"],
        },
    )
    kinds = {type(node).__name__ for node in tree.findall()}
    assert kinds <= {"document", "paragraph", "Text", "system_message"} - {"system_message"}
    assert tree.astext().split() == words.split()


def wordpress_item(
    title: str, content: str, link: str = "https://b.example.org/p", post: int = 5
) -> str:
    return f"""<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>
<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{post}</wp:post_id>
<wp:post_date>2012-01-0{post % 9 + 1} 10:00:00</wp:post_date><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>"""


def wordpress_file(
    folder: Path, name: str, *items: str, site: str = "https://b.example.org"
) -> Path:
    path = folder / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>B</title>'
        f"<link>{site}</link><wp:base_blog_url>{site}</wp:base_blog_url>"
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    return path


ATTACK = "```{raw} html\n<img src=x onerror=alert(1)>\n```"


def test_no_address_line_break_or_keyboard_text_becomes_markup(tmp_path: Path) -> None:
    """Found by attack: a post's address with line breaks, a carriage return in
    code, text in <kbd>, and lines of a paragraph starting with markup."""
    source = wordpress_file(
        tmp_path,
        "attack.xml",
        wordpress_item("One", "<p>hello</p>", link="https://b.example.org/p\n\n" + ATTACK, post=1),
        wordpress_item(
            "Two",
            "<pre>x&#13;:::&#13;" + html.escape(ATTACK).replace("\n", "&#13;") + "</pre>",
            post=2,
        ),
        wordpress_item(
            "Three", "<kbd>{raw} html<p>```</p>&lt;img src=x onerror=alert(1)&gt;</kbd>", post=3
        ),
        wordpress_item(
            "Thing 9: Visibility online",
            "Week in numbers:\n% of time on the desk: 60\n# of enquiries: 45\n(see)=\n"
            "- two books\nVisibility: what I lack.",
            post=4,
        ),
    )
    folder = tmp_path / "portfolio"
    done = cpd("import", str(source), "--into", str(folder))
    assert done.returncode == 0, done.stderr
    result, out = build(folder, "-W", "--keep-going", "-D", "cpd_default_visibility=public")
    assert result.returncode == 0, result.stderr
    pages = "".join(p.read_text() for p in (out / "imported").glob("2012-*.html"))
    assert "onerror=alert" not in pages.replace("onerror=alert(1)&gt;", "")
    assert "<img src" not in pages
    numbers = (
        BeautifulSoup(
            next((out / "imported").glob("2012-*thing-9*.html")).read_text(), "html.parser"
        )
        .select_one(".cpd-card--reflection")
        .get_text()
    )
    for line in ("% of time on the desk: 60", "# of enquiries: 45", "(see)=", "- two books"):
        assert line in numbers
    assert "Visibility: what I lack." in numbers


def test_two_blogs_with_the_same_post_ids_are_both_imported(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    first = wordpress_file(tmp_path, "a.xml", wordpress_item("From A", "<p>a</p>", post=5))
    second = wordpress_file(
        tmp_path,
        "b.xml",
        wordpress_item("From B", "<p>b</p>", post=5),
        site="https://c.example.org",
    )
    assert "Made 1 page(s)" in cpd("import", str(first), "--into", str(folder)).stdout
    assert "Made 1 page(s)" in cpd("import", str(second), "--into", str(folder)).stdout
    result, _ = build(folder, "-W", "--keep-going")
    assert result.returncode == 0, result.stderr


def test_nothing_to_import_still_leaves_a_portfolio_that_builds(tmp_path: Path) -> None:
    source = wordpress_file(tmp_path, "pages.xml")
    folder = tmp_path / "portfolio"
    done = cpd("import", str(source), "--into", str(folder))
    assert done.returncode == 0 and "Made 0 page(s)" in done.stdout
    result, _ = build(folder, "-W", "--keep-going")
    assert result.returncode == 0, result.stderr
    assert cpd("import", str(source), "--into", str(folder)).returncode == 0


def test_a_damaged_zip_or_folder_in_the_way_is_one_line(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.zip"
    data = bytearray(leap2a_zip(tmp_path).read_bytes())
    start = data.index(b"<feed")
    data[start + 200 : start + 260] = b"\xff" * 60
    damaged.write_bytes(bytes(data))
    done = cpd("import", str(damaged), "--into", str(tmp_path / "a"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    folder = tmp_path / "b"
    outside = tmp_path / "outside"
    outside.mkdir()
    assert cpd("new", str(folder), "--template", "generic").returncode == 0
    (folder / "imported").symlink_to(outside, target_is_directory=True)
    done = cpd("import", str(DATA / "wordpress.xml"), "--into", str(folder))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "nothing was imported" in done.stderr and not list(outside.iterdir())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["p", "code", "kbd", "pre", "b", "sup", "td", "li", "h2", "a", "img", "video", "q"]
            ),
            st.text(st.sampled_from("ab `|!:{}<>()[]#%\n-=*_~$&"), max_size=12),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_html_becomes_markup(pieces: list[tuple[str, str]]) -> None:
    """Found by attack: joins of harmless pieces were markup (code spans side
    by side, a block of code inside a line, a pipe in a cell's code, "!"
    before a link). Whatever the HTML, the page is plain structure showing
    its text, or its text as plain paragraphs."""
    from sphinx_cpd.importing.check import says_exactly

    def element(tag: str, text: str) -> str:
        text = html.escape(text)
        if tag == "a":
            return f'<a href="https://e.org/{text}">{text}</a>'
        if tag in ("img", "video"):
            return f'<{tag} src="https://e.org/{text}" alt="{text}">'
        if tag == "td":
            return f"<table><tr><td>{text}</td><td>x</td></tr></table>"
        if tag == "li":
            return f"<ul><li>{text}</li></ul>"
        return f"<{tag}>{text}</{tag}>"

    source = "".join(element(tag, text) for tag, text in pieces)
    markdown, _ = to_myst(f"<p>{source}</p>")
    soup = BeautifulSoup(source, "html.parser")
    assert says_exactly(markdown, _shown(soup, markdown))


def _shown(soup: BeautifulSoup, markdown: str) -> str:
    """The text a safe page of ``soup`` shows: its text, with what prepare()
    writes for pictures and video (the labels are in the Markdown already)."""
    from sphinx_cpd.importing.html import prepare

    prepare(soup, lambda source: None)
    return soup.get_text()


def test_odd_tags_addresses_files_and_atom_content_are_tamed(tmp_path: Path) -> None:
    """Found by attack: a tag "#cpd23" was a YAML comment, "HTTPS:" a broken
    reference, an evidence file named .md a page of its own, and XHTML or
    text content of an Atom entry lost or misread."""
    blogger = tmp_path / "blogger.xml"
    blogger.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:blogger='http://schemas.google.com/blogger/2018'>"
        "<id>tag:blogger.com,1999:blog-1</id>"
        "<entry><id>tag:blogger.com,1999:blog-1.post-1</id><blogger:type>POST</blogger:type>"
        "<blogger:status>LIVE</blogger:status><title>XHTML post</title>"
        "<published>2012-02-01T10:00:00Z</published>"
        "<category term='#cpd23'/><category term='&quot;quoted'/><category term='|pipe'/>"
        "<link rel='alternate' href='HTTPS://UPPER.EXAMPLE.ORG/POST'/>"
        "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>LEADING "
        "<b>bold</b><p>Para one</p></div></content></entry>"
        "<entry><id>tag:blogger.com,1999:blog-1.post-2</id><blogger:type>POST</blogger:type>"
        "<blogger:status>LIVE</blogger:status><title>Text post</title>"
        "<published>2012-02-02T10:00:00Z</published>"
        "<content type='text'>if a&lt;b and c&gt;d then &lt;x&gt; is kept</content></entry>"
        "</feed>",
        encoding="utf-8",
    )
    folder = tmp_path / "portfolio"
    done = cpd("import", str(blogger), "--into", str(folder))
    assert done.returncode == 0, done.stderr
    xhtml = next((folder / "imported").glob("*xhtml-post.md")).read_text()
    assert ":tags: cpd23, quoted, pipe" in xhtml and "(<https://UPPER.EXAMPLE.ORG/POST>)" in xhtml
    result, out = build(folder, "-W", "--keep-going")
    assert result.returncode == 0, result.stderr
    shown = BeautifulSoup(
        next((out / "imported").glob("*xhtml-post.html")).read_text(), "html.parser"
    ).get_text(" ")
    assert "LEADING" in shown and "Para one" in shown
    text = next((out / "imported").glob("*text-post.html")).read_text()
    assert "if a&lt;b and c&gt;d then &lt;x&gt; is kept" in text

    feed = (DATA / "leap2a" / "leap2a.xml").read_text(encoding="utf-8")
    feed = feed.replace("files/60-certificate-of-attendance.pdf", "files/notes.md")
    archive_path = tmp_path / "md.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("leap2a.xml", feed)
        archive.writestr("files/notes.md", "```{raw} html\n<script>alert(1)</script>\n```\n")
    mahara = tmp_path / "mahara"
    assert cpd("import", str(archive_path), "--into", str(mahara)).returncode == 0
    assert [p.name for p in (mahara / "evidence").iterdir()] == ["notes-md.bin"]


def test_control_characters_code_deep_or_crafted_html_stay_safe_and_quick() -> None:
    """Found by a third attack: one control character sent a post to a raw
    code block, code saying "visibility:" made its post private, HTML nested
    too deep showed script text, crafted HTML took minutes, and headings or
    code lost characters."""
    import time

    from sphinx_cpd.importing.html import heading

    markdown, kept = to_myst("<p>Visibility: all</p><p>a&#1;b\x7f <b>c</b></p>")
    assert kept and "```" not in markdown and "Visibility&#58; all" in markdown
    markdown, kept = to_myst("<pre>visibility: public\nx\n\n\n\ny</pre>")
    assert kept and "visibility\ua789 public\nx\n\n\n\ny" in markdown
    markdown, _ = to_myst("<div>" * 3000 + "x<script>var token='s3cret'</script><iframe>f</iframe>")
    assert "s3cret" not in markdown and "f" not in markdown.replace("x", "")
    start = time.perf_counter()
    for crafted in ("<pre" * 40000, "x" + "<a" * 40000):
        to_myst(crafted)
    assert time.perf_counter() - start < 10
    assert heading("C ##") == "C \\#\\#" and heading("\x7f") == ""
    assert safe_link("https://b.example.org/p\\") == "<https://b.example.org/p%5C>"


def test_the_fall_back_is_quick_and_shows_no_script_comment_or_visibility() -> None:
    """Found by a fourth look: nested inline HTML took minutes, a script whose
    attribute held "<" or a comment showed in the plain text, code in a
    list's item lost blank lines, and an address in :url: holding
    ":visibility" made its evidence private."""
    import time

    from sphinx_cpd.importing.pages import option_url

    start = time.perf_counter()
    for crafted in ("<i>x" * 10000, "x<a href='>" * 10000):
        to_myst(crafted)
    assert time.perf_counter() - start < 10
    deep = "<div>" * 3000 + '<script type="x<y">SCRIPTLEAK</script><!-- COMMENTLEAK -->z'
    markdown, _ = to_myst(deep)
    assert "LEAK" not in markdown and "z" in markdown
    markdown, kept = to_myst("<ul><li>item<pre>a\n\n\nb</pre></li></ul>")
    assert kept and "a\n\n\n  b" in markdown
    assert option_url("https://f.example/a:visibility:private") == (
        "https://f.example/a%3Avisibility%3Aprivate"
    )
