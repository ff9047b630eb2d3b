"""Small charts as inline SVG, made at build time: nothing runs or is fetched in
the reader's browser, and the PDF draws the same figures.

Each chart is an image with a name (``<title>``) and a description (``<desc>``)
that give its numbers in words, so that it says the same to a screen reader as
to the eye. Colours come in two layers: CSS classes that the theme colours from
its tokens (light, dark, the author's accent), and presentation attributes from
the light palette underneath, for renderers that do not apply the page's CSS to
SVG (WeasyPrint) and for anyone reading the file without its stylesheet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

#: A chart's drawing width in SVG units. Charts are shown at their own size (one
#: unit a CSS pixel), so that their text reads like the page's small print, and
#: scaled down only where the column is narrower.
WIDTH = 288
#: Text size in SVG units, and the room a line of text needs.
FONT = 12
LINE = 16


# Characters XML 1.0 cannot hold (an EPUB page is XML): controls, surrogates,
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def escape(text: str) -> str:
    return html.escape(clean(text))


@dataclass(frozen=True)
class Style:
    """The colours the presentation attributes use (from the light palette)."""

    accent: str
    text: str
    muted: str
    border: str
    surface: str
    bad: str

    @classmethod
    def of(cls, colours: Mapping[str, str]) -> Style:
        return cls(
            accent=colours["accent"],
            text=colours["text"],
            muted=colours["muted"],
            border=colours["border"],
            surface=colours["surface"],
            bad=colours["bad"],
        )


def _number(value: Decimal | int | float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _svg(
    kind: str, width: float, height: float, title: str, desc: str, body: list[str], extra: str = ""
) -> str:
    size = f'viewBox="0 0 {_number(width)} {_number(height)}" '
    size += f'width="{_number(width)}" height="{_number(height)}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cpd-chart cpd-chart--{kind}" '
        f'role="img" {size}{extra} font-size="{FONT}" font-family="sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, cls: str, fill: str, anchor: str = "start") -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" class="{cls}" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(content)}</text>'
    )


def progress_bar(value: Decimal, target: Decimal, title: str, desc: str, style: Style) -> str:
    """A bar filled to ``value`` of ``target`` (full beyond it); it stretches to
    the width of its box."""
    height = 20
    share = min(value / target, Decimal(1)) if target > 0 else Decimal(1)
    body = [
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" rx="4" '
        f'class="cpd-chart-track" fill="{style.surface}" stroke="{style.border}"/>',
    ]
    if share > 0:
        body.append(
            f'<rect x="0" y="0" width="{_number(WIDTH * share)}" height="{height}" rx="4" '
            f'class="cpd-chart-fill" fill="{style.accent}"/>'
        )
    return _svg("progress", WIDTH, height, title, desc, body, ' preserveAspectRatio="none"')


@dataclass(frozen=True)
class Bar:
    label: str
    total: Decimal
    #: The part of ``total`` drawn in the stronger colour.
    part: Decimal = Decimal(0)


def text_width(text: str, size: float = FONT) -> float:
    """About how wide a line of text is drawn (0.6 em a character)."""
    return len(text) * size * 0.6


def shorter(label: str) -> str:
    """A CPD year's label without its century: ``2019–20`` becomes ``19–20``."""
    return label[2:] if len(label) >= 4 and label[:4].isdigit() else label


def bar_chart(
    bars: Sequence[Bar],
    target: Decimal | None,
    title: str,
    desc: str,
    style: Style,
    legend: tuple[str, str] | None = None,
) -> str:
    """Vertical bars, each with its ``part`` stacked at the bottom, its total
    above it and its label below; a dashed line at ``target``, named in the key.

    Labels that would run into each other are shortened, then shown for every
    second (third, ...) bar; totals that would are left to the description.
    """
    top, bottom = LINE + 4, LINE + 4
    plot = 110
    key = legend is not None or (target is not None and target > 0)
    height = top + plot + bottom + (LINE + 6 if key else 0)
    highest = max([b.total for b in bars] + [target or Decimal(0), Decimal(1)])
    slot = WIDTH / max(len(bars), 1)
    width = min(slot * 0.6, 48)
    labels = [bar.label for bar in bars]
    if max((text_width(label) for label in labels), default=0) > slot - 4:
        labels = [shorter(label) for label in labels]
    widest = max((text_width(label) for label in labels), default=0)
    every = max(1, -int(-widest // max(slot - 4, 1)))
    # Totals over the bars in whole hours (the description has them exactly).
    shown = [_number(round(b.total)) if b.total >= 10 else _number(b.total) for b in bars]
    totals = max((text_width(text) for text in shown), default=0) <= slot - 2
    body: list[str] = [
        f'<line x1="0" x2="{WIDTH}" y1="{top + plot}" y2="{top + plot}" '
        f'class="cpd-chart-axis" stroke="{style.border}"/>'
    ]
    for n, bar in enumerate(bars):
        x = slot * n + (slot - width) / 2
        full = plot * float(bar.total / highest)
        part = plot * float(bar.part / highest)
        if full > part:
            body.append(
                f'<rect x="{_number(x)}" y="{_number(top + plot - full)}" width="{_number(width)}" '
                f'height="{_number(full - part)}" class="cpd-chart-soft" fill="{style.accent}" '
                f'fill-opacity="0.4"/>'
            )
        if part > 0:
            body.append(
                f'<rect x="{_number(x)}" y="{_number(top + plot - part)}" width="{_number(width)}" '
                f'height="{_number(part)}" class="cpd-chart-fill" fill="{style.accent}"/>'
            )
        centre = x + width / 2
        if totals:
            body.append(
                _text(
                    centre,
                    top + plot - full - 4,
                    shown[n],
                    "cpd-chart-text",
                    style.text,
                    "middle",
                )
            )
        if (len(bars) - 1 - n) % every == 0:  # the latest year always labelled
            body.append(
                _text(
                    centre, top + plot + LINE, labels[n], "cpd-chart-muted", style.muted, "middle"
                )
            )
    y = top + plot + bottom + 4
    x = 0.0
    if legend:
        for name, cls, opacity in (
            (legend[0], "cpd-chart-fill", ""),
            (legend[1], "cpd-chart-soft", ' fill-opacity="0.4"'),
        ):
            body.append(
                f'<rect x="{_number(x)}" y="{_number(y)}" width="10" height="10" class="{cls}" '
                f'fill="{style.accent}"{opacity}/>'
            )
            body.append(_text(x + 14, y + 9, name, "cpd-chart-text", style.text))
            x += 14 + text_width(name) + 12
    if target is not None and target > 0:
        level = top + plot - plot * float(target / highest)
        body.append(
            f'<line x1="0" x2="{WIDTH}" y1="{_number(level)}" y2="{_number(level)}" '
            f'class="cpd-chart-target" stroke="{style.text}" stroke-dasharray="4 3"/>'
        )
        body.append(
            f'<line x1="{_number(x)}" x2="{_number(x + 16)}" y1="{_number(y + 5)}" '
            f'y2="{_number(y + 5)}" class="cpd-chart-target" stroke="{style.text}" '
            f'stroke-dasharray="4 3"/>'
        )
        body.append(_text(x + 20, y + 9, f"Target {_number(target)}", "cpd-chart-text", style.text))
    return _svg("bars", WIDTH, height, title, desc, body)


@dataclass(frozen=True)
class Cell:
    code: str
    #: What the cell's tooltip says: the criterion and how much is mapped to it.
    hint: str
    count: int


def heat_level(count: int) -> int:
    """0 for a gap, then 1, 2 and 3 for one, two, three or more items."""
    return min(count, 3)


def heat_strip(cells: Sequence[Cell], title: str, desc: str, style: Style) -> str:
    """One square per criterion, deeper for more mapped to it; a gap is an
    empty square with a dashed edge, so that it does not depend on colour alone."""
    columns = max(1, min(len(cells), 10))
    size, gap = 24, 5
    # Codes short enough to sit under their square; longer ones are left to the
    # tooltip and the description.
    labelled = all(len(c.code) <= 4 for c in cells)
    row_height = size + (LINE if labelled else gap)
    rows = -(-len(cells) // columns)
    width = columns * (size + gap) + 2
    height = rows * row_height + 2
    opacity = {1: "0.35", 2: "0.65", 3: "1"}
    body: list[str] = []
    for n, cell in enumerate(cells):
        x = (n % columns) * (size + gap) + 1
        y = (n // columns) * row_height + 1
        level = heat_level(cell.count)
        hint = f"<title>{escape(cell.hint)}</title>"
        if level == 0:
            body.append(
                f'<g class="cpd-heat-0">{hint}<rect x="{_number(x)}" y="{_number(y)}" '
                f'width="{_number(size)}" height="{_number(size)}" rx="3" fill="none" '
                f'class="cpd-chart-gap" stroke="{style.bad}" stroke-width="1.5" '
                f'stroke-dasharray="4 3"/></g>'
            )
        else:
            body.append(
                f'<g class="cpd-heat-{level}">{hint}<rect x="{_number(x)}" y="{_number(y)}" '
                f'width="{_number(size)}" height="{_number(size)}" rx="3" class="cpd-chart-fill" '
                f'fill="{style.accent}" fill-opacity="{opacity[level]}"/></g>'
            )
        if labelled:
            body.append(
                _text(
                    x + size / 2,
                    y + size + LINE - 5,
                    cell.code,
                    "cpd-chart-muted",
                    style.muted,
                    "middle",
                )
            )
    return _svg("heat", width, height, title, desc, body)


@dataclass(frozen=True)
class Pair:
    label: str
    first: int
    latest: int


def paired_dots(
    pairs: Sequence[Pair], low: int, high: int, title: str, desc: str, style: Style
) -> str:
    """One row per criterion on a scale from ``low`` to ``high``: a hollow dot at
    the first score, a filled dot at the latest, joined by a line."""
    # Room for the longest label, at about 0.6 em a character.
    label_width = min(max((len(p.label) for p in pairs), default=4) * FONT * 0.6, WIDTH / 2)
    left, right = label_width + 8, WIDTH - 10
    top = LINE
    row = 22
    plot_bottom = top + row * len(pairs) + 4
    height = plot_bottom + LINE + 6
    span = max(high - low, 1)

    def at(score: int) -> float:
        return left + (right - left) * (min(max(score, low), high) - low) / span

    body: list[str] = []
    for score in range(low, high + 1):
        x = at(score)
        body.append(
            f'<line x1="{_number(x)}" x2="{_number(x)}" y1="{top}" y2="{plot_bottom - 4}" '
            f'class="cpd-chart-axis" stroke="{style.border}"/>'
        )
        body.append(_text(x, top - 4, str(score), "cpd-chart-muted", style.muted, "middle"))
    for n, pair in enumerate(pairs):
        y = top + row * n + row / 2
        body.append(_text(0, y + 4, pair.label, "cpd-chart-text", style.text))
        x1, x2 = at(pair.first), at(pair.latest)
        if x1 != x2:
            body.append(
                f'<line x1="{_number(x1)}" x2="{_number(x2)}" y1="{_number(y)}" '
                f'y2="{_number(y)}" class="cpd-chart-link" stroke="{style.accent}" '
                f'stroke-width="2"/>'
            )
        body.append(
            f'<circle cx="{_number(x1)}" cy="{_number(y)}" r="5" class="cpd-chart-first" '
            f'fill="{style.surface}" stroke="{style.accent}" stroke-width="2"/>'
        )
        body.append(
            f'<circle cx="{_number(x2)}" cy="{_number(y)}" r="5" class="cpd-chart-fill" '
            f'fill="{style.accent}"/>'
        )
    y = plot_bottom + LINE - 4
    body.append(
        f'<circle cx="{_number(left + 5)}" cy="{_number(y - 4)}" r="5" class="cpd-chart-first" '
        f'fill="{style.surface}" stroke="{style.accent}" stroke-width="2"/>'
    )
    body.append(_text(left + 14, y, "First", "cpd-chart-text", style.text))
    body.append(
        f'<circle cx="{_number(left + 65)}" cy="{_number(y - 4)}" r="5" class="cpd-chart-fill" '
        f'fill="{style.accent}"/>'
    )
    body.append(_text(left + 74, y, "Latest", "cpd-chart-text", style.text))
    return _svg("pairs", WIDTH, height, title, desc, body)
