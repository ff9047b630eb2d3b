"""The author's look (html_theme_options): used when it is readable and safe,
refused with a warning at its line of conf.py when it is not."""

from __future__ import annotations

import pytest

from sphinx_cpd.appearance import contrast
from sphinx_cpd.theme import palette
from tests.conftest import Portfolio


def style_of(portfolio: Portfolio, options: str) -> tuple[str, list[str]]:
    portfolio.add_conf(f"html_theme_options = {options}")
    portfolio.write("index.md", "# Home\n\nWords.\n")
    build = portfolio.build()
    styles = [s.get_text() for s in build.html("index.html").select("head style")]
    root = next((s for s in styles if s.startswith(":root{")), "")
    return root, [w.message for w in build.of("theme")]


def test_a_readable_accent_and_fonts_are_used(portfolio: Portfolio) -> None:
    root, warnings = style_of(
        portfolio,
        '{"accent_color": "#7a1f5c", "accent_color_dark": "#e59ac8", '
        '"font_family": "\\"Atkinson Hyperlegible\\", sans-serif", '
        '"mono_font_family": "monospace"}',
    )
    assert warnings == []
    assert "--cpd-light-accent:#7a1f5c;" in root
    assert "--cpd-dark-accent:#e59ac8;" in root
    assert '--cpd-font:"Atkinson Hyperlegible", sans-serif;' in root
    assert "--cpd-mono:monospace;" in root


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ('{"accent_color": "#ffff00"}', "contrast"),
        ('{"accent_color_dark": "#1a1a1a"}', "contrast"),
        ('{"accent_color": "red; } body {display:none"}', "#rrggbb"),
        ('{"font_family": "x;}</style><script>alert(1)</script>"}', "font names"),
        ('{"font_family": "\\"Atkinson", "mono_font_family": "Fira Code"}', "quotes in pairs"),
    ],
)
def test_an_unusable_choice_is_refused_with_a_warning(
    portfolio: Portfolio, options: str, why: str
) -> None:
    root, warnings = style_of(portfolio, options)
    assert len(warnings) == 1 and why in warnings[0]
    for refused in ("ffff00", "1a1a1a", "display", "script", "Atkinson"):
        assert refused not in root
    if "Fira Code" in options:
        # The other, good choice still applies.
        assert "--cpd-mono:Fira Code;" in root


def test_the_default_palette_meets_the_contrast_it_asks_of_others() -> None:
    for scheme in ("light", "dark"):
        colours = palette(scheme)
        for name in ("text", "muted", "link", "accent"):
            assert contrast(colours[name], colours["bg"]) >= 4.5, (scheme, name)
        assert contrast(colours["accent"], colours["accent-text"]) >= 4.5, scheme
