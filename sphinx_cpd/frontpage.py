"""A neutral front page, for an audience that may not read the root page.

The portfolio's title, the profile and the contents (the root's toctrees, with
none of the author's words: no captions, names or entry titles). Never the
root page's prose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.nodes import explicit_title_re

from sphinx_cpd import config as cpd_config
from sphinx_cpd.i18n import _
from sphinx_cpd.pages import is_myst, make_scanner
from sphinx_cpd.scan import Scan

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def neutral_root(app: Sphinx, scan: Scan, docname: str, path: Path, text: str) -> str:
    """A front page for an audience that may not read the root page's prose: the
    portfolio's title, the profile, and the contents (the root's toctrees)."""
    myst = is_myst(app.config, path)
    # Every object on the page is withheld with it, and toctrees inside them too.
    scanner = make_scanner(app, scan, docname, path, scan.pages[docname])
    toctrees = scanner.scan(text, myst=myst).toctrees
    profile = cpd_config.read(app.config).profile
    line = ", ".join(
        part
        for part in (
            " ".join(p for p in (profile.get("name"), profile.get("post-nominals")) if p),
            profile.get("role"),
            profile.get("organisation"),
        )
        if part
    )
    # Translators: the front page's title when conf.py gives no project name.
    title = app.config.project or _("Portfolio")
    if myst:
        parts = [f"# {escape_markdown(title)}"] + ([escape_markdown(line)] if line else [])
    else:
        heading = escape_rst(title)
        parts = [f"{heading}\n{'=' * max(len(heading), 3)}"] + ([escape_rst(line)] if line else [])
    parts += [neutral_toctree(_dedent_block(block), myst) for block in toctrees]
    return "\n\n".join(parts) + "\n"


#: Toctree options that say nothing in the author's words.
_PLAIN_TOCTREE_OPTIONS = (
    "maxdepth",
    "hidden",
    "glob",
    "titlesonly",
    "numbered",
    "reversed",
    "includehidden",
)


def neutral_toctree(block: str, myst: bool) -> str:
    """A toctree of the same pages without the author's words: no caption, no
    name, no entry titles, no links elsewhere."""
    lines = block.split("\n")
    options: list[str] = []
    entries: list[str] = []
    in_yaml = False
    for line in lines[1:]:
        text = line.strip()
        if text.startswith("---"):
            in_yaml = not in_yaml
            continue
        if not text or text.startswith(("```", "~~~", ":::")):
            continue
        option = re.match(r"^:([\w-]+):" if not in_yaml else r"^([\w-]+):", text)
        if option is not None:
            name = option.group(1).lower()
            value = text[option.end() :].strip()
            if name in _PLAIN_TOCTREE_OPTIONS and value.lower() not in ("false", "no"):
                flag = value.lower() in ("true", "yes") or name not in ("maxdepth", "numbered")
                options.append(f":{name}:" if flag else f":{name}: {value}")
            continue
        explicit = explicit_title_re.match(text)
        target = explicit.group(2) if explicit else text
        if "://" not in target and not target.startswith("mailto:"):
            entries.append(target)
    if myst:
        return "\n".join(["```{toctree}", *options, "", *entries, "```"])
    indent = "   "
    return "\n".join(
        [".. toctree::", *(indent + o for o in options), "", *(indent + e for e in entries)]
    )


def escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~:$%&=^\"'])", r"\\\1", " ".join(text.split()))


def escape_rst(text: str) -> str:
    return re.sub(r"([\\`*_|:<>\[\]])", r"\\\1", " ".join(text.split()))


def _dedent_block(block: str) -> str:
    lines = block.split("\n")
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[margin:] for line in lines)
