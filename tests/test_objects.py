"""Each object, written in MyST or reStructuredText, renders with its details."""

from __future__ import annotations

from importlib.metadata import entry_points

from tests.conftest import PNG, Portfolio


def test_extension_sets_up_myst_design_and_colon_fence(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Home

        :::{note}
        A colon fence works without any MyST configuration.
        :::

        ::::{grid} 2
        :::{grid-item}
        sphinx-design is loaded.
        :::
        ::::
        """,
    )
    build = portfolio.build()
    assert "colon_fence" in build.app.config.myst_enable_extensions
    soup = build.html("index.html")
    assert soup.select_one("div.admonition.note") is not None
    assert soup.select_one("div.sd-row") is not None
    assert build.warnings == []


def test_theme_is_registered_as_an_entry_point() -> None:
    themes = {ep.name: ep.value for ep in entry_points(group="sphinx.html_themes")}
    assert themes.get("sphinx_cpd") == "sphinx_cpd.theme"


def test_event_shows_its_details(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Events

        :::{event} Copyright for library staff
        :date: 2011-11-14
        :end: 2011-11-15
        :hours: 2:45
        :type: Workshop
        :participatory: yes
        :organiser: CILIP in London
        :location: London
        :url: https://example.org/copyright
        :outcome: Four actions for the team.
        :criteria: cilip-chartership:2, PKSB:5
        :tags: copyright, law

        What the session covered.
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    event = build.html("index.html").select_one("div.cpd-card--event")
    assert event is not None
    assert event["id"] == "cpd-index-2011-11-14-copyright-for-library-staff"
    assert event.select_one("h2.cpd-title").get_text(" ", strip=True) == (
        "Event: Copyright for library staff"
    )
    details = {
        dt.get_text(strip=True).rstrip(":"): dd.get_text(" ", strip=True)
        for dt, dd in zip(
            event.select("dl.cpd-details > dt"), event.select("dl.cpd-details > dd"), strict=True
        )
    }
    assert details["Date"] == "14 November 2011 to 15 November 2011"
    assert details["Hours"] == "2.75 hours, participatory"
    assert details["Type"] == "Workshop"
    assert details["Organiser"] == "CILIP in London"
    assert details["Location"] == "London"
    assert details["Outcome"] == "Four actions for the team."
    assert details["Criteria"] == (
        "Chartership 2: Organisational context , PKSB 5: Information governance and compliance"
    )
    assert details["Tags"] == "copyright , law"
    assert event.select_one("a[href='https://example.org/copyright']") is not None
    assert "What the session covered." in event.get_text()


def test_reflection_stages_are_labelled_from_the_model(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Reflections

        ::::{reflection} Stopping to think
        :date: 2011-11-28
        :model: ROLFE

        :::{stage} what
        A morning on reflective practice.
        :::

        :::{stage} so-what
        It came at the right time.
        :::
        ::::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    reflection = build.html("index.html").select_one("div.cpd-card--reflection")
    stages = reflection.select("div.cpd-stage")
    assert [s.select_one(".cpd-stage-title").get_text() for s in stages] == ["What?", "So what?"]
    # Headings nest: page h1, reflection h2, stages h3.
    assert reflection.select_one(".cpd-title").name == "h2"
    assert stages[0].select_one(".cpd-stage-title").name == "h3"
    assert "Rolfe" in reflection.select_one("dl.cpd-details").get_text()


def test_custom_reflective_model(portfolio: Portfolio) -> None:
    portfolio.add_conf(
        """\
        cpd_reflection_models = {
            "star": [("situation", "Situation", "Where were you?"),
                     {"key": "result", "label": "Result", "prompt": "What came of it?"}],
        }
        """
    )
    portfolio.write(
        "index.md",
        """\
        # Reflections

        ::::{reflection} Interview practice
        :date: 2012-01-10
        :model: star

        :::{stage} situation
        A mock interview.
        :::

        :::{stage} result
        An offer.
        :::
        ::::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    labels = [t.get_text() for t in build.html("index.html").select(".cpd-stage-title")]
    assert labels == ["Situation", "Result"]


def test_action_status_and_dates(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Actions

        :::{action} Update the notices
        :due: 2011-12-09
        :done: 2011-12-02
        :::

        :::{action} Write a guide
        :status: dropped
        :::
        """,
    )
    build = portfolio.build()
    actions = build.html("index.html").select("div.cpd-card--action")
    first = actions[0].select_one("dl.cpd-details").get_text(" ", strip=True)
    assert "Status : Done" in first
    assert "Due : 9 December 2011" in first
    assert "Done : 2 December 2011" in first
    assert "Status : Dropped" in actions[1].get_text(" ", strip=True)


def test_evidence_file_is_copied_as_a_download(portfolio: Portfolio) -> None:
    portfolio.write("evidence/notes.txt", "My notes.\n")
    portfolio.write(
        "index.md",
        """\
        # Evidence

        :::{evidence} Session notes
        :file: evidence/notes.txt
        :date: 2011-11-14

        What I wrote down on the day.
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    evidence = build.html("index.html").select_one("div.cpd-card--evidence")
    assert evidence.select_one(".cpd-title").get_text(" ", strip=True) == (
        "Evidence E1 : Session notes"
    )
    link = evidence.select_one("a.download")
    assert link is not None
    assert (build.outdir / link["href"]).read_text() == "My notes.\n"
    assert "Text file, 10 bytes" in evidence.get_text()


def test_photo_has_caption_and_tasl_credit(portfolio: Portfolio) -> None:
    (portfolio.srcdir / "desk.png").write_bytes(PNG)
    portfolio.write(
        "index.md",
        """\
        # Photos

        :::{photo} desk.png
        :alt: A notebook on a desk.
        :title: A quiet desk
        :author: Jo Castellan
        :author-url: https://example.org/jo
        :source: https://example.org/desk
        :license: cc-by-sa-2.0-uk
        :modified: cropped

        Time to think.
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    figure = build.html("index.html").select_one("div.cpd-card--photo figure")
    assert figure.select_one("img")["alt"] == "A notebook on a desk."
    assert (build.outdir / figure.select_one("img")["src"]).is_file()
    assert figure.select_one("figcaption .caption-text").get_text() == "Time to think."
    credit = figure.select_one("p.cpd-credit")
    assert credit.get_text() == (
        "\u201cA quiet desk\u201d by Jo Castellan, adapted (cropped), "
        "licensed under CC BY-SA 2.0 UK."
    )
    assert (
        credit.select_one("a[href='https://example.org/desk']").get_text()
        == "\u201cA quiet desk\u201d"
    )
    assert credit.select_one("a[href='https://example.org/jo']").get_text() == "Jo Castellan"
    licence = credit.select_one("a[rel='license']")
    assert licence["href"] == "https://creativecommons.org/licenses/by-sa/2.0/uk/"


def test_public_domain_and_permission_credits(portfolio: Portfolio) -> None:
    (portfolio.srcdir / "a.png").write_bytes(PNG)
    portfolio.write(
        "index.md",
        """\
        # Photos

        :::{photo} a.png
        :alt: One.
        :licence: CC0-1.0
        :::

        :::{photo} a.png
        :alt: Two.
        :author: The Library
        :licence: all-rights-reserved
        :permission: by email from the library manager, 1 November 2011
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    credits = [p.get_text() for p in build.html("index.html").select("p.cpd-credit")]
    assert credits[0] == "Photo, dedicated to the public domain under CC0 1.0."
    assert credits[1] == (
        "Photo by The Library; all rights reserved, used with permission: "
        "by email from the library manager, 1 November 2011."
    )


def test_rating_and_feedback(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        """\
        # Self-assessment

        :::{event} Copyright session
        :id: copyright
        :date: 2011-11-14
        :::

        :::{rating}
        :criterion: pksb:5
        :score: 3
        :date: 2011-11-28

        I can now answer most questions myself.
        :::

        :::{feedback}
        :from: My mentor
        :date: 2011-12-05
        :on: copyright

        Say more about the impact.
        :::
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    soup = build.html("index.html")
    rating = soup.select_one("div.cpd-card--rating").get_text(" ", strip=True)
    assert "Self-rating: PKSB 5: Information governance and compliance" in rating
    assert "3 of 4 (Proficient)" in rating
    # The criterion is the card's title, and not repeated in its details.
    assert rating.count("Information governance and compliance") == 1
    feedback = soup.select_one("div.cpd-card--feedback")
    assert feedback.select_one(".cpd-title").get_text(" ", strip=True) == "Feedback: My mentor"
    assert feedback.select_one("a[href='#cpd-index-copyright']").get_text() == "Copyright session"


def test_objects_work_from_restructuredtext(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.rst",
        """\
        Home
        ====

        .. event:: Reflective practice
           :id: rp
           :date: 2011-11-14
           :hours: 3

           A morning session.

        .. reflection:: Thinking it over
           :date: 2011-11-28
           :event: rp
           :model: driscoll

           .. stage:: what

              What happened.

        See :event:`rp` and :cpd:reflection:`2011-11-28-thinking-it-over`.
        """,
    )
    build = portfolio.build()
    assert build.warnings == []
    soup = build.html("index.html")
    title = soup.select_one("div.cpd-card--event .cpd-title-text")
    assert title.get_text() == "Reflective practice"
    assert soup.select_one("div.cpd-stage .cpd-stage-title").get_text() == "What?"
    links = [a.get_text() for a in soup.select("p a.reference.internal")]
    assert "Reflective practice" in links
    assert "Thinking it over" in links
