"""Make a synthetic portfolio of N entries, and the same prose as plain MyST.

Deterministic for a given N: N events, N reflections (with three stages each),
N/5 pieces of evidence, N/10 photos, spread over ten years, with every listing.
The baseline has exactly the same words as headings and paragraphs, so the
difference in build time is what sphinx-cpd itself costs.

    python benchmarks/generate.py 500 /tmp/bench
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CERTIFICATE = ROOT / "example-portfolio" / "evidence" / "certificate-of-attendance.pdf"
IMAGE = ROOT / "example-portfolio" / "images" / "quiet-desk.png"

WORDS = (
    "library users enquiry desk copyright licence catalogue metadata reflection practice "
    "team meeting workshop colleague learning digital collection archive research skills "
    "teaching session students staff service change evidence outcome network community "
    "professional development standards budget planning evaluation feedback mentor"
).split()
TYPES = ("course", "conference", "workshop", "webinar", "networking", "visit", "reading")
CRITERIA = [f"pksb:{n}" for n in range(1, 15)] + [f"cilip-chartership:{n}" for n in (1, 2, 3)]
TAGS = ("copyright", "teaching", "digital", "networking", "research", "management")

CONF = """\
project = "Benchmark portfolio"
extensions = [{extensions}]
html_theme = "{theme}"
exclude_patterns = ["_build"]
cpd_frameworks = ["pksb", "cilip-chartership"]
cpd_hours_target = 20
cpd_year_start = "09-01"
"""

LISTINGS = """\
# Listings

## Hours

```{cpd-hours}
```

## Log

```{cpd-log}
```

## Matrix

```{cpd-matrix}
:framework: pksb
```

```{cpd-matrix}
:framework: cilip-chartership
```

## Actions

```{cpd-actions}
```

## Timeline

```{cpd-timeline}
:limit: 50
```

## Ratings

```{cpd-ratings}
```

## Credits

```{cpd-credits}
```
"""

BASELINE_LISTINGS = "# Listings\n\n## Hours\n\n## Log\n\n## Matrix\n\n## Actions\n\n## Timeline\n\n## Ratings\n\n## Credits\n"


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def entry(rng: random.Random, n: int, day: date) -> tuple[str, str]:
    """One page: an event and a reflection on it (and evidence, a photo, a rating)."""
    title = f"{sentence(rng, 4)[:-1]} {n}"
    description, what, so_what, now_what = (paragraph(rng) for _ in range(4))
    hours = rng.choice(("1", "1.5", "2", "2:30", "3", "6", "0:45"))
    kind = rng.choice(TYPES)
    criteria = ", ".join(sorted(rng.sample(CRITERIA, 2)))
    tags = ", ".join(sorted(rng.sample(TAGS, 2)))
    later = day + timedelta(days=rng.randint(1, 20))
    ours = [
        f"# Entry {n}\n",
        f":::{{event}} {title}\n:id: event-{n}\n:date: {day.isoformat()}\n:hours: {hours}\n"
        f":type: {kind}\n:participatory: {rng.choice(('yes', 'no'))}\n:organiser: Organiser {n % 17}\n"
        f":criteria: {criteria}\n:tags: {tags}\n\n{description}\n:::\n",
        f"::::{{reflection}} Reflecting on {title}\n:id: reflection-{n}\n:date: {later.isoformat()}\n"
        f":event: event-{n}\n:model: rolfe\n:criteria: {criteria}\n\n"
        f":::{{stage}} what\n{what}\n:::\n\n:::{{stage}} so-what\n{so_what}\n:::\n\n"
        f":::{{stage}} now-what\n{now_what}\n\n"
        f"```{{action}} Follow up {n}\n:due: {(later + timedelta(days=60)).isoformat()}\n"
        f":status: {rng.choice(('open', 'done', 'dropped'))}\n```\n:::\n::::\n",
    ]
    base = [
        f"# Entry {n}\n",
        f"## {title}\n\n{description}\n",
        f"## Reflecting on {title}\n\n### What?\n\n{what}\n\n### So what?\n\n{so_what}\n\n"
        f"### Now what?\n\n{now_what}\n\n#### Follow up {n}\n",
    ]
    if n % 5 == 0:
        note = paragraph(rng, 2)
        suffix = "pdf" if n % 250 == 0 else "txt"
        ours.append(
            f":::{{evidence}} Evidence for entry {n}\n:id: evidence-{n}\n"
            f":file: ../files/evidence-{n}.{suffix}\n:date: {day.isoformat()}\n:event: event-{n}\n"
            f":criteria: {criteria}\n\n{note}\n:::\n"
        )
        base.append(f"## Evidence for entry {n}\n\n{note}\n")
    if n % 10 == 0:
        caption = sentence(rng, 10)
        ours.append(
            f":::{{photo}} ../files/photo.png\n:alt: A desk with a notebook, entry {n}.\n"
            f":title: Desk {n}\n:author: Photographer {n % 7}\n:licence: CC-BY-4.0\n\n{caption}\n:::\n"
        )
        base.append(f"{caption}\n")
    if n % 20 == 0:
        ours.append(
            f":::{{rating}}\n:criterion: {CRITERIA[n % len(CRITERIA)]}\n:score: {n % 5}\n"
            f":date: {day.isoformat()}\n:::\n"
        )
    return "\n".join(ours), "\n".join(base)


def generate(n: int, target: Path) -> tuple[Path, Path]:
    """Write ``target/cpd`` and ``target/plain``; return both source folders."""
    rng = random.Random(20111128 + n)
    ours, plain = target / "cpd", target / "plain"
    for folder in (ours, plain):
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "entries").mkdir(parents=True)
    (ours / "conf.py").write_text(CONF.format(extensions='"sphinx_cpd"', theme="sphinx_cpd"))
    (plain / "conf.py").write_text(
        CONF.format(extensions='"myst_parser"', theme="alabaster").split("cpd_frameworks")[0]
    )
    files = ours / "files"
    files.mkdir()
    shutil.copy(IMAGE, files / "photo.png")
    start = date(2014, 1, 1)
    span = 10 * 365
    years: dict[int, list[str]] = {}
    for i in range(1, n + 1):
        day = start + timedelta(days=(i * span) // n)
        page, base = entry(rng, i, day)
        name = f"entry-{i:05d}"
        years.setdefault(day.year, []).append(name)
        (ours / "entries" / f"{name}.md").write_text(page)
        (plain / "entries" / f"{name}.md").write_text(base)
        if i % 5 == 0:
            if i % 250 == 0:
                shutil.copy(CERTIFICATE, files / f"evidence-{i}.pdf")
            else:
                (files / f"evidence-{i}.txt").write_text(paragraph(rng, 1) + "\n")
    # Like a real portfolio: a page per year, each listing that year's entries.
    for year, names in years.items():
        page = f"# {year}\n\n```{{toctree}}\n:maxdepth: 1\n\n" + "\n".join(
            f"entries/{x}" for x in names
        )
        for folder in (ours, plain):
            (folder / f"year-{year}.md").write_text(page + "\n```\n")
    entries = "\n".join(f"year-{year}" for year in sorted(years))
    # Grouped as the theme's navigation groups them: by the root's captions.
    index = (
        "```{toctree}\n:maxdepth: 1\n:caption: Overview\n\nlistings\n```\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Years\n\n{entries}\n```\n"
    )
    # The front page at a glance, as every new portfolio has it.
    (ours / "index.md").write_text(
        "# Benchmark portfolio\n\n## At a glance\n\n```{cpd-dashboard}\n```\n\n" + index
    )
    (plain / "index.md").write_text("# Benchmark portfolio\n\n## At a glance\n\n" + index)
    (ours / "listings.md").write_text(LISTINGS)
    (plain / "listings.md").write_text(BASELINE_LISTINGS)
    return ours, plain


if __name__ == "__main__":
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    for path in generate(count, folder):
        print(path)
