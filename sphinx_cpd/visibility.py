"""Who may see what: the visibility rules, in one place and free of Sphinx (but
for the catalogue that translates what an edition is called).

The scanner that withholds blocks before parsing (:mod:`sphinx_cpd.withhold`)
and the object directives (:mod:`sphinx_cpd.objects.base`) both decide with
:func:`decide`, so a block is cut or kept for the same reason everywhere.
Anything ambiguous is private: a typo must never publish.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from sphinx_cpd.i18n import N_, _

#: Visibilities from narrowest to widest; an audience sees what is at least as wide.
VISIBILITIES: tuple[str, ...] = ("private", "mentor", "public")
#: The audiences a build can be for: the same words, read from the other side.
AUDIENCES = VISIBILITIES
#: How a reference to something this edition does not hold reads: the same for
#: every kind and visibility, so that it says nothing about what is missing.
NOT_IN_EDITION = N_("an item not in this edition")
#: What happens to an object whose visibility cannot be read.
PRIVATE_UNTIL = "it is private until this is corrected"
#: What the mentor's audience is called where a scheme names it otherwise (an
#: NMC confirmer, an HCPC reviewer); the audience itself stays ``mentor``.
SHARED_DEFAULT = "mentor"


def edition(audience: str, shared: str = SHARED_DEFAULT) -> str:
    """Who a build is for, as the PDF's cover and the website's header say it."""
    if audience == "mentor":
        # Whole sentences for the bundled names: a language may change the
        # word after "my" (Welsh mutates it).
        known = {
            "mentor": N_("For my mentor: not for publication"),
            "confirmer": N_("For my confirmer: not for publication"),
            "reviewer": N_("For my reviewer: not for publication"),
        }
        if shared in known:
            return _(known[shared])
        return _("For my %(audience)s: not for publication") % {"audience": shared}
    if audience == "public":
        return _("Public edition")
    return _("Draft \u2014 private: for the author only")


#: The front-matter key (MyST) or field (reST) that sets a page's visibility.
PAGE_KEY = "cpd-visibility"


def visible(visibility: str | None, audience: str) -> bool:
    """An audience sees what is at least as wide as itself; no visibility is private."""
    return VISIBILITIES.index(visibility or "private") >= VISIBILITIES.index(audience)


def narrowest(*visibilities: str | None) -> str | None:
    """The narrowest of the given visibilities; ``None`` where none is given."""
    given = [v for v in visibilities if v]
    if not given:
        return None
    return min(given, key=VISIBILITIES.index)


def read_visibility(value: object) -> tuple[str, str | None]:
    """A written visibility and, when it cannot be used, why (it is then private)."""
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text in VISIBILITIES:
        return text, None
    return "private", f"{value!r} is not a visibility (one of {', '.join(VISIBILITIES)})"


def visibility_message(decision: Decision) -> str | None:
    """The warning for a decision that needs one: doubt, or a narrowed visibility."""
    if decision.problem:
        return f"{decision.problem}; {PRIVATE_UNTIL}"
    return decision.narrowed


@lru_cache(maxsize=4096)
def near_miss(key: str) -> bool:
    """Whether a metadata key looks like a misspelt ``cpd-visibility``.

    Kept per key: every field line of every page is asked (the same few names
    over and over), and the similarity measure is the slow part of scanning
    a page before it is parsed."""
    normal = key.strip().lower().replace("_", "-").replace(" ", "-")
    if normal == PAGE_KEY:
        return key != PAGE_KEY
    if normal in {"visibility", "cpd-visible", "cpdvisibility", "visible"}:
        return True
    return difflib.SequenceMatcher(None, normal, PAGE_KEY).ratio() >= 0.8


@dataclass(frozen=True, slots=True)
class Decision:
    """The visibility of one object, and the problems met deciding it."""

    visibility: str
    #: The written ``:visibility:`` could not be used (the object is private).
    problem: str | None = None
    #: The written ``:visibility:`` was wider than the page or parent allows.
    narrowed: str | None = None


def decide(
    own: str | None,
    *,
    kind_default: str | None,
    page: str,
    parent: str | None,
    parent_kind: str | None = None,
    doubt: str | None = None,
) -> Decision:
    """The narrowest of the object's own visibility (or its kind's default, or its
    page's), its page's and its parent's.

    ``page`` is the page's effective visibility (its own or
    ``cpd_default_visibility``, already narrowed by anything that includes it);
    ``doubt`` says why the written options cannot be trusted, which makes the
    object private.
    """
    problem = None
    written = None
    if doubt is not None:
        # The options themselves are in doubt (repeated, misspelt, unreadable).
        written, problem = "private", doubt
    elif own is not None:
        written, problem = read_visibility(own)
        problem = f":visibility: {problem}" if problem else None
    given = written or kind_default or page
    result = narrowest(given, page, parent) or "private"
    narrowed = None
    if written is not None and problem is None and result != written:
        why = (
            f"it sits inside a {parent} {parent_kind or 'object'}"
            if parent is not None and narrowest(parent, page) == parent and parent != page
            else f"its page is {page}"
        )
        narrowed = (
            f":visibility: {written} asks for more than its place allows: it is shown as "
            f"{result}, because {why}; widen the page or parent, or write :visibility: {result}"
        )
    return Decision(result, problem, narrowed)


_MYST_OPTION = re.compile(r"^\s*:([^:\s][^:]*):\s*(.*)$")
_YAML_KEY = re.compile(r"^([^\s:#'\"-][^:]*?)\s*:(?:\s+(.*))?$")
_RST_FIELD = re.compile(r"^:((?:[^:\\]|\\.)+):(?:\s+(.*))?$")


def written_options(content: str, *, myst: bool) -> list[tuple[str, str]]:
    """The options written at the start of a directive's body, as written: (name, value).

    ``content`` is everything after the directive's first line. The parsers keep
    only the last of a repeated option and drop misspelt ones, so the scanner
    and the directives look at what was written to fail closed on both.
    """
    lines = content.split("\n")
    found: list[tuple[str, str]] = []
    if myst and lines and lines[0].startswith("---"):
        for line in lines[1:]:
            if line.startswith("---"):
                break
            if match := _YAML_KEY.match(line):
                found.append((match.group(1), (match.group(2) or "").strip()))
            elif line.strip() and not line[:1].isspace() and line[0] not in "#-":
                # A key this reading cannot see (YAML's "? key" form): as written,
                # so that a visibility in it is in doubt, never passed over.
                found.append((line.strip(), ""))
        return found
    if myst:
        for line in lines:
            stripped = line.lstrip()
            if not stripped.startswith(":") or stripped.startswith(":::"):
                break
            if match := _MYST_OPTION.match(line):
                found.append((match.group(1), match.group(2).strip()))
            else:  # an option line the parser cannot read (``: visibility: x``)
                found.append((stripped, ""))
        return found
    # reST: argument lines, then the field list of options, up to a blank line; a
    # value runs on over the lines indented under it, as docutils reads it.
    for line in lines:
        if not line.strip():
            break
        if match := _RST_FIELD.match(line.strip()):
            found.append((match.group(1), (match.group(2) or "").strip()))
        elif found and line[:1].isspace():
            name, value = found[-1]
            found[-1] = (name, f"{value}\n{line.strip()}".strip())
    return found


@lru_cache(maxsize=1024)
def _misspelt(normal: str) -> bool:
    """Whether an option's name (lower case, ``-`` for ``_``) looks like
    ``visibility`` (asked once per name: a portfolio writes the same few)."""
    return (
        normal == "visibility"
        or normal in {"visible", "cpd-visibility"}
        or difflib.SequenceMatcher(None, normal, "visibility").ratio() >= 0.8
    )


def key_problem(
    options: list[tuple[str, str]], *, myst: bool, known: Collection[str] | None = None
) -> str | None:
    """Why the written options leave the visibility in doubt, if they do: a
    repeated or misspelt visibility, one hidden in another option's value, or
    (given the directive's ``known`` options) an option the parser would drop,
    which may be how its author meant to say private (``:hidden:``)."""
    keys = [name for name, _ in options]
    exact = [k for k in keys if (k if myst else k.lower()) == "visibility"]
    if len(exact) > 1:
        return ":visibility: is given more than once"
    for key, value in options:
        if key in exact:
            if STRAY_IN.search(value):
                return f":{key}: holds a second visibility in its value"
            continue
        if _misspelt(key.strip().lower().replace("_", "-")):
            return f":{key}: looks like a misspelt :visibility:"
        if STRAY_IN.search(value) or _STRAY.match(value.strip()):
            return f"the value of :{key}: holds a visibility (two options on one line?)"
        if known is not None and (key if myst else key.lower()) not in known:
            return (
                f":{key.strip()}: is not an option here, so what it says cannot be known "
                f"(the options are {', '.join(sorted(known))})"
            )
    return None


#: Why an object whose visibility is written where no parser reads it is private.
STRAY = "a visibility is written where it is not read as an option (after a blank line or text)"
_STRAY = re.compile(r"^:?\s*(cpd[-_ ]?)?visib[a-z]*\s*:", re.I)
#: A visibility inside a value or an argument (``x :visibility: public``);
#: sphinx_cpd.importing writes imported text so that it never matches.
STRAY_IN = re.compile(r":\s*(cpd[-_ ]?)?visib", re.I)
_OPENER = re.compile(r"^\s*(?:(?:`{3,}|~{3,}|:{3,})\{[^}]+\}|(?:\S+\s+)?\.\.\s+[\w:.+-]+\s?::)")


def stray_visibility(argument: str, text: str, *, myst: bool, options_first: bool) -> bool:
    """Whether ``text`` (a directive's body, or all after its first line) writes a
    visibility the parser will not read as an option: after a blank line, after
    other text, in a second options block, inside an argument.

    The options of directives nested in it are theirs and are skipped, as are the
    directive's own leading options when ``options_first``.
    """
    if STRAY_IN.search(argument):
        return True
    lines = text.split("\n")
    if not myst and options_first:
        # reST: the argument runs on until the options or a blank line.
        for line in lines:
            if not line.strip() or line.strip().startswith(":"):
                break
            if STRAY_IN.search(line):
                return True
    in_options = options_first
    first = options_first  # a YAML block of options opens on the first line only
    in_yaml = False
    for line in lines:
        stripped = line.strip()
        if in_yaml:
            in_yaml = not stripped.startswith("---")
            continue
        opening, first = first, False
        if in_options:
            if stripped.startswith("---") and myst and opening:
                in_yaml = True
                continue
            if stripped.startswith(":") and not stripped.startswith(":::"):
                continue
            if not myst and stripped and line[:1].isspace():
                continue  # a value running on
            in_options = False
        if _OPENER.match(line):
            in_options = first = True
            continue
        if _STRAY.match(stripped):
            return True
    return False
