"""Small charts as inline SVG, made at build time: nothing runs or is fetched in
the reader's browser, and the PDF draws the same figures.

Each chart is an image with a name (``<title>``) and a description (``<desc>``)
that give its numbers in words, so that it says the same to a screen reader as
to the eye. Colours come in two layers: CSS classes that the theme colours from
its tokens (light, dark, the author's accent), and presentation attributes from
the light palette underneath, for the PDF (Typst draws SVG without the page's
CSS) and for anyone reading the file without its stylesheet.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from docutils import nodes

from sphinx_cpd.i18n import _

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


#: The class of the raw node that carries a chart: the PDF draws raw HTML of
#: this class only (an author's own SVG could name files outside the portfolio).
CHART_CLASS = "cpd-chart-box"


def raw(svg: str) -> nodes.raw:
    """A chart as a node: raw HTML for the website, drawn by the PDF too."""
    return nodes.raw(svg, svg, format="html", classes=[CHART_CLASS])


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
        return cls(**{field.name: colours[field.name] for field in fields(cls)})

    def paint(self, cls: str) -> dict[str, str]:
        """The print colours of each class the theme's CSS colours (cpd-listings.css)."""
        dashed = {"stroke-dasharray": "4 3"}
        return {
            "cpd-chart-fill": {"fill": self.accent},
            "cpd-chart-soft": {"fill": self.accent, "fill-opacity": "0.4"},
            "cpd-chart-track": {"fill": self.surface, "stroke": self.border},
            "cpd-chart-text": {"fill": self.text},
            "cpd-chart-muted": {"fill": self.muted},
            "cpd-chart-axis": {"stroke": self.border},
            "cpd-chart-target": {"stroke": self.text, **dashed},
            "cpd-chart-gap": {"fill": "none", "stroke": self.bad, "stroke-width": "1.5", **dashed},
            "cpd-chart-link": {"stroke": self.accent, "stroke-width": "2"},
            "cpd-chart-first": {"fill": self.surface, "stroke": self.accent, "stroke-width": "2"},
        }[cls]


Number = Decimal | int | float


def _number(value: Number) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _attributes(values: Mapping[str, Number | str]) -> str:
    return "".join(
        f' {name}="{value if isinstance(value, str) else _number(value)}"'
        for name, value in values.items()
    )


def _shape(tag: str, cls: str, style: Style, *, content: str = "", **geometry: Number | str) -> str:
    """One SVG element of a class, with its print colours (``text_anchor`` is
    written ``text-anchor``)."""
    names = {key.replace("_", "-"): value for key, value in geometry.items()}
    attributes = _attributes({**names, "class": cls, **style.paint(cls)})
    return f"<{tag}{attributes}>{content}</{tag}>" if content else f"<{tag}{attributes}/>"


def _text(
    x: float, y: float, content: str, cls: str, style: Style, anchor: str = "start", size: int = 0
) -> str:
    sized: dict[str, Number | str] = {"font_size": size} if size else {}
    return _shape(
        "text", cls, style, content=escape(content), x=x, y=y, text_anchor=anchor, **sized
    )


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


def progress_bar(value: Decimal, target: Decimal, title: str, desc: str, style: Style) -> str:
    """A bar filled to ``value`` of ``target`` (full beyond it); it stretches to
    the width of its box."""
    height = 20
    share = min(value / target, Decimal(1)) if target > 0 else Decimal(1)
    body = [
        _shape(
            "rect", "cpd-chart-track", style, x=0.5, y=0.5, width=WIDTH - 1, height=height - 1, rx=4
        )
    ]
    if share > 0:
        body.append(
            _shape(
                "rect", "cpd-chart-fill", style, x=0, y=0, width=WIDTH * share, height=height, rx=4
            )
        )
    return _svg("progress", WIDTH, height, title, desc, body, ' preserveAspectRatio="none"')


@dataclass(frozen=True)
class Bar:
    label: str
    total: Decimal
    #: The part of ``total`` drawn in the stronger colour.
    part: Decimal = Decimal(0)


def text_width(text: str, size: float = FONT) -> float:
    """About how wide a line of text is drawn: 0.62 em a character, a whole em
    for wide ones (CJK, emoji) and capitals such as W and M."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF" or ch in "MWÆŒ@%")
    return (len(text) * 0.62 + wide * 0.38) * size


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text``, or its end after an ellipsis, in ``width`` units: the end is what
    tells criteria apart (``...-INCLUSION-01``, ``...-INCLUSION-02``)."""
    if text_width(text, size) <= width:
        return text
    kept = text
    while kept and text_width("\u2026" + kept, size) > width:
        kept = kept[1:]
    return "\u2026" + kept


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
    has_target = target is not None and target > 0
    # Translators: the key of the dashed line at the hours wanted: "Target 35".
    target_key = _("Target %(hours)s") % {"hours": _number(target)} if target is not None else ""
    keys = [(name, 14 + text_width(name) + 12) for name in legend or ()]
    if has_target:
        keys.append((target_key, 20 + text_width(target_key)))
    # The key on one row, or the target on a second when the row is full.
    rows = 1 if sum(width for _, width in keys) <= WIDTH else 2
    height = top + plot + bottom + (rows * (LINE + 6) if keys else 0)
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
    base = top + plot
    body = [_shape("line", "cpd-chart-axis", style, x1=0, x2=WIDTH, y1=base, y2=base)]
    for n, bar in enumerate(bars):
        x = slot * n + (slot - width) / 2
        full = plot * float(bar.total / highest)
        part = plot * float(bar.part / highest)
        if full > part:
            body.append(
                _shape(
                    "rect",
                    "cpd-chart-soft",
                    style,
                    x=x,
                    y=base - full,
                    width=width,
                    height=full - part,
                )
            )
        if part > 0:
            body.append(
                _shape(
                    "rect", "cpd-chart-fill", style, x=x, y=base - part, width=width, height=part
                )
            )
        centre = x + width / 2
        if totals:
            body.append(_text(centre, base - full - 4, shown[n], "cpd-chart-text", style, "middle"))
        if (len(bars) - 1 - n) % every == 0:  # the latest year always labelled
            body.append(_text(centre, base + LINE, labels[n], "cpd-chart-muted", style, "middle"))
    y = base + bottom + 4
    x = 0.0
    for name, cls in zip(legend or (), ("cpd-chart-fill", "cpd-chart-soft"), strict=False):
        body.append(_shape("rect", cls, style, x=x, y=y, width=10, height=10))
        body.append(_text(x + 14, y + 9, name, "cpd-chart-text", style))
        x += 14 + text_width(name) + 12
    if has_target and target is not None:
        if rows == 2:
            x, y = 0.0, y + LINE + 6
        level = base - plot * float(target / highest)
        body.append(_shape("line", "cpd-chart-target", style, x1=0, x2=WIDTH, y1=level, y2=level))
        body.append(_shape("line", "cpd-chart-target", style, x1=x, x2=x + 16, y1=y + 5, y2=y + 5))
        body.append(_text(x + 20, y + 9, target_key, "cpd-chart-text", style))
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


#: How deep each heat level's square is filled.
HEAT_OPACITY = {1: "0.35", 2: "0.65", 3: "1"}


def heat_strip(cells: Sequence[Cell], title: str, desc: str, style: Style) -> str:
    """One square per criterion, deeper for more mapped to it; a gap is an
    empty square with a dashed edge, so that it does not depend on colour alone."""
    columns = max(1, min(len(cells), 10))
    size, gap = 24, 5
    # Each code that fits under its square is written there, a size smaller;
    # longer ones are left to the tooltip and the description.
    small = FONT - 2
    fits = [text_width(c.code, small) <= size + gap - 2 for c in cells]
    labelled = any(fits)
    row_height = size + (LINE + 2 if labelled else gap)
    rows = -(-len(cells) // columns)
    width = columns * (size + gap) + 2
    height = rows * row_height + 2
    body: list[str] = []
    for n, cell in enumerate(cells):
        x = (n % columns) * (size + gap) + 1
        y = (n // columns) * row_height + 1
        level = heat_level(cell.count)
        # A gap is outlined; a covered criterion filled, deeper for more.
        cls, depth = (
            ("cpd-chart-gap", {})
            if level == 0
            else ("cpd-chart-fill", {"fill_opacity": HEAT_OPACITY[level]})
        )
        drawn = _shape("rect", cls, style, x=x, y=y, width=size, height=size, rx=3, **depth)
        body.append(f'<g class="cpd-heat-{level}"><title>{escape(cell.hint)}</title>{drawn}</g>')
        if fits[n]:
            body.append(
                _text(
                    x + size / 2,
                    y + size + LINE - 2,
                    cell.code,
                    "cpd-chart-muted",
                    style,
                    "middle",
                    small,
                )
            )
    return _svg("heat", width, height, title, desc, body)


@dataclass(frozen=True)
class Pair:
    label: str
    first: int
    latest: int


def _dots(x_first: float, x_latest: float, y: float, style: Style) -> list[str]:
    """A hollow dot at the first score and a filled one at the latest."""
    return [
        _shape("circle", "cpd-chart-first", style, cx=x_first, cy=y, r=5),
        _shape("circle", "cpd-chart-fill", style, cx=x_latest, cy=y, r=5),
    ]


def ticks(low: int, high: int, most: int = 10) -> list[int]:
    """Whole-number marks from ``low`` to ``high``, at most ``most`` + 1 of them,
    a step of 1, 2 or 5 times a power of ten apart."""
    span = max(high - low, 1)
    step = 1
    while span / step > most:
        for factor in (2, 5, 10):
            if span / (step * factor) <= most or factor == 10:
                step *= factor
                break
    first = -(-low // step) * step  # the first multiple of the step from low
    # The ends always, and the round marks between that are not crowding them.
    between = [
        mark
        for mark in range(first, high, step)
        if mark - low >= step / 2 and high - mark >= step / 2
    ]
    return [low, *between, high] if high > low else [low]


def paired_dots(
    pairs: Sequence[Pair], low: int, high: int, title: str, desc: str, style: Style
) -> str:
    """One row per criterion on a scale from ``low`` to ``high``: a hollow dot at
    the first score, a filled dot at the latest, joined by a line."""
    label_width = min(max((text_width(p.label) for p in pairs), default=24), WIDTH * 0.4)
    labels = [fit(p.label, label_width) for p in pairs]
    left, right = label_width + 8, WIDTH - 10
    top = LINE
    row = 22
    plot_bottom = top + row * len(pairs) + 4
    height = plot_bottom + LINE + 6
    span = max(high - low, 1)

    def at(score: int) -> float:
        return left + (right - left) * (min(max(score, low), high) - low) / span

    body: list[str] = []
    for score in ticks(low, high):
        x = at(score)
        body.append(_shape("line", "cpd-chart-axis", style, x1=x, x2=x, y1=top, y2=plot_bottom - 4))
        body.append(_text(x, top - 4, str(score), "cpd-chart-muted", style, "middle"))
    for n, pair in enumerate(pairs):
        y = top + row * n + row / 2
        body.append(_text(0, y + 4, labels[n], "cpd-chart-text", style))
        x1, x2 = at(pair.first), at(pair.latest)
        if x1 != x2:
            body.append(_shape("line", "cpd-chart-link", style, x1=x1, x2=x2, y1=y, y2=y))
        body += _dots(x1, x2, y, style)
    # The key: the two dots, side by side, named.
    y = plot_bottom + LINE - 4
    body += _dots(left + 5, left + 65, y - 4, style)
    body.append(_text(left + 14, y, _("First"), "cpd-chart-text", style))
    body.append(_text(left + 74, y, _("Latest"), "cpd-chart-text", style))
    return _svg("pairs", WIDTH, height, title, desc, body)
