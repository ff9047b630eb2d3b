"""The author's choices of look (``html_theme_options``): checked once, then given
to the theme as CSS custom properties.

An accent colour that would make text unreadable is refused, not used: the
theme's contrast (WCAG 2.2 AA) is a promise like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sphinx_cpd import config as cpd_config
from sphinx_cpd.model import safe_url
from sphinx_cpd.theme import palette

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Text on the page and on the accent needs this contrast (WCAG 2.2, 1.4.3).
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# Font names, commas, quotes and spaces: nothing that could end the declaration.
_FONTS = re.compile(r"^[\w .,'\"-]{1,200}$")

Warn = Callable[[str, str], None]


def luminance(colour: str) -> float:
    """Relative luminance of ``#rgb`` or ``#rrggbb`` (WCAG 2.2)."""
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accent(value: object, scheme: str, name: str, warn: Warn) -> str | None:
    """The accent colour if it is readable on the page and under the accent's
    own text colour in ``scheme``; None (the default accent) with a warning if not."""
    if not value:
        return None
    text = str(value).strip()
    if not _HEX.match(text):
        warn(
            f"{name} {text!r} is not a colour written as #rrggbb; the default accent is used",
            "theme",
        )
        return None
    colours = palette(scheme)
    worst = min(contrast(text, colours["bg"]), contrast(text, colours["accent-text"]))
    if worst < MIN_CONTRAST:
        warn(
            f"{name} {text!r} has a contrast of {worst:.1f}:1 with the {scheme} page or its "
            f"text; it needs {MIN_CONTRAST}:1 to stay readable, so the default accent is used",
            "theme",
        )
        return None
    return text


def fonts(value: object, name: str, warn: Warn) -> str | None:
    if not value:
        return None
    text = str(value).strip()
    # An unclosed quote would run the CSS string on over what follows.
    if not _FONTS.match(text) or text.count('"') % 2 or text.count("'") % 2:
        warn(
            f"{name} {text!r} is not a list of font names (letters, digits, spaces, "
            "commas, hyphens, and quotes in pairs); the default fonts are used",
            "theme",
        )
        return None
    return text


def theme_css(options: dict[str, Any], warn: Warn) -> str:
    """The custom properties that carry the author's choices, or ''."""
    chosen = {
        "--cpd-light-accent": accent(options.get("accent_color"), "light", "accent_color", warn),
        "--cpd-dark-accent": accent(
            options.get("accent_color_dark"), "dark", "accent_color_dark", warn
        ),
        "--cpd-font": fonts(options.get("font_family"), "font_family", warn),
        "--cpd-mono": fonts(options.get("mono_font_family"), "mono_font_family", warn),
    }
    return "".join(f"{prop}:{value};" for prop, value in chosen.items() if value)


def _options(app: Sphinx) -> dict[str, Any]:
    return dict(app.config.html_theme_options or {})


def print_colours(app: Sphinx) -> dict[str, str]:
    """The light palette with the author's accent: what charts draw with where
    the theme's CSS does not reach (the PDF, a chart saved on its own)."""
    colours = dict(palette("light"))
    chosen = accent(_options(app).get("accent_color"), "light", "accent_color", _quiet)
    if chosen:
        colours["accent"] = chosen
    return colours


def _quiet(message: str, subtype: str) -> None:
    """Problems are reported once, by :func:`check_theme_options`."""


def check_theme_options(app: Sphinx) -> None:
    """Report each unusable theme option once, at the line of ``conf.py`` that sets it."""

    def warn(message: str, subtype: str) -> None:
        cpd_config.warn_at(
            app.confdir, "html_theme_options", f"html_theme_options: {message}", subtype
        )

    url = _options(app).get("license_url")
    if url and safe_url(str(url)) is None:
        warn(
            f"license_url {url!r} is not an http, https or mailto address; the licence is "
            "shown without a link",
            "url",
        )
    theme_css(_options(app), warn)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if context.get("theme_license_url"):
        # Reported once by check_theme_options; never a link to anything else.
        context["theme_license_url"] = safe_url(context["theme_license_url"]) or ""
    context["cpd_theme_css"] = theme_css(_options(app), _quiet)


def setup_appearance(app: Sphinx) -> None:
    app.connect("builder-inited", check_theme_options)
    app.connect("html-page-context", page_context)
