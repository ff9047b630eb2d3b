"""Schemes: what a professional body asks for, and over which period.

A scheme is read from a bundled file, a TOML, YAML or JSON file of the author's,
or a dict in ``conf.py``, and checked as framework files are: everything wrong
is a problem naming the file, and what can still be used is kept (one bad
requirement does not lose the others).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from sphinx_cpd.catalogues.frameworks import (
    SUFFIXES,
    UNWRITABLE_WORDS,
    Problem,
    file_stamp,
    hashable,
    plain_text,
    read_file,
    unwritable,
)
from sphinx_cpd.model import MAX_HOURS

DATA = Path(__file__).parent / "data" / "schemes"
BUNDLED_IDS: tuple[str, ...] = (
    "nmc-revalidation",
    "hcpc-cpd",
    "cilip-revalidation",
    "cilip-certification",
    "cilip-chartership",
    "cilip-fellowship",
)
#: What a requirement may ask for.
KINDS = ("hours", "participatory-hours", "count", "words", "declaration")
#: The objects a ``count`` requirement may count, each by its own date (an
#: action by the day it was done).
COUNTABLE = ("event", "reflection", "evidence", "feedback", "rating", "action")
#: What the audience a build is shared with may be called.
SHARED_LABELS = ("mentor", "confirmer", "reviewer")
#: Periods longer than this are a slip of the keyboard.
MAX_YEARS = 10
#: More requirements than any body asks for: the rest are left out, with a warning.
MAX_REQUIREMENTS = 100

_SCHEME_KEYS = {
    "id",
    "title",
    "source",
    "period",
    "frameworks",
    "models",
    "shared-audience",
    "requirements",
}
_REQUIREMENT_KEYS = {"key", "title", "kind", "need", "count", "model", "type", "tag", "page"}
_REQUIREMENT_KEYS |= {"limit"}


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    title: str
    kind: str
    #: Hours for ``hours`` kinds, a number of objects for ``count``, None otherwise.
    need: Decimal | None = None
    #: ``count``: which objects, and which of them.
    count: str | None = None
    model: str | None = None
    type: str | None = None
    tag: str | None = None
    #: ``words``: the page (a docname) and its limit, if the scheme sets one.
    page: str | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    title: str
    source_title: str
    source_year: str
    source_url: str
    #: The period's length, or None: the whole portfolio counts.
    years: int | None
    #: Whether the period ends on ``cpd_renewal_date`` (else it follows the CPD year).
    renewal: bool
    frameworks: tuple[str, ...]
    models: tuple[str, ...]
    shared_label: str
    requirements: tuple[Requirement, ...]
    origin: str


def load(value: object, confdir: str) -> tuple[Scheme | None, tuple[Problem, ...]]:
    """The scheme ``cpd_scheme`` names (None for none), and the problems met.

    Memoised on the value and the file's modification time: listings and the
    exports ask for it many times per build.
    """
    if value is None or value == "":
        return None, ()
    if not isinstance(value, (str, Mapping)):
        message = f"cpd_scheme: {value!r} is not a scheme id, a file path or a dict"
        return None, (Problem(message[:300]),)
    try:
        frozen = hashable(value)
    except (RecursionError, TypeError, ValueError):
        return None, (Problem("cpd_scheme: the dict is nested too deeply or cannot be read"),)
    return _load(frozen, confdir, file_stamp(value, confdir))


@cache
def _load(value: object, confdir: str, _stamp: float) -> tuple[Scheme | None, tuple[Problem, ...]]:
    found: list[str | Problem] = []
    file: str | None = None
    scheme = None
    try:
        if isinstance(value, tuple) and value[:1] == ("dict",):
            scheme = _parse(json.loads(str(value[1])), "cpd_scheme", found)
        elif isinstance(value, str) and value.lower().endswith(SUFFIXES):
            path = Path(confdir, value)
            file = str(path)
            data = read_file(path, value, found, "scheme file")
            scheme = _parse(data, value, found) if data is not None else None
        elif isinstance(value, str) and value.strip().lower() in BUNDLED_IDS:
            ident = value.strip().lower()
            data = read_file(DATA / f"{ident}.toml", ident, found, "scheme file")
            scheme = _parse(data, f"bundled scheme {ident}", found) if data else None
        else:
            found.append(
                f"cpd_scheme: unknown scheme {value!r}; bundled schemes are "
                f"{', '.join(BUNDLED_IDS)}, or give the path of a .toml, .yaml or .json file"
            )
    except RecursionError:
        found.append("cpd_scheme: nested too deeply")
    problems = tuple(p if isinstance(p, Problem) else Problem(p, file=file) for p in found)
    return scheme, problems


def _parse(data: object, source: str, problems: list[str | Problem]) -> Scheme | None:
    if not isinstance(data, Mapping):
        problems.append(f"{source}: a scheme must be a table/mapping with id, title, requirements")
        return None
    for key in data:
        if key not in _SCHEME_KEYS:
            problems.append(
                f"{source}: unknown key {key!r}; a scheme has {', '.join(sorted(_SCHEME_KEYS))}"
            )
    ident = _word(data.get("id"), "'id'", source, problems).lower()
    if not ident:
        problems.append(f"{source}: the scheme has no 'id'; add e.g. id = \"my-scheme\"")
        return None
    title = _word(data.get("title"), "'title'", source, problems)
    if not title:
        problems.append(f"{source}: scheme {ident!r} has no 'title'")
        title = ident
    if unwritable(data):
        problems.append(f"{source}: scheme {ident!r} holds {UNWRITABLE_WORDS}: left out")
    source_table = data.get("source", {})
    if not isinstance(source_table, Mapping):
        problems.append(f"{source}: 'source' must be a table with title, year and url")
        source_table = {}
    years, renewal = _period(data.get("period"), source, problems)
    shared = _word(data.get("shared-audience") or "mentor", "'shared-audience'", source, problems)
    shared = shared.lower() or "mentor"
    if shared not in SHARED_LABELS:
        problems.append(
            f"{source}: shared-audience {shared!r} is not one of {', '.join(SHARED_LABELS)}"
        )
        shared = "mentor"
    requirements: dict[str, Requirement] = {}
    raw = data.get("requirements", [])
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        problems.append(f"{source}: 'requirements' must be a list")
        raw = []
    if len(raw) > MAX_REQUIREMENTS:
        problems.append(
            f"{source}: {len(raw)} requirements; only the first {MAX_REQUIREMENTS} are read"
        )
        raw = raw[:MAX_REQUIREMENTS]
    for n, item in enumerate(raw, start=1):
        requirement = _requirement(item, n, source, problems)
        if requirement is None:
            continue
        if requirement.key in requirements:
            problems.append(f"{source}: requirement key {requirement.key!r} appears twice")
            continue
        requirements[requirement.key] = requirement
    return Scheme(
        id=ident,
        title=title,
        source_title=_word(source_table.get("title"), "source title", source, problems),
        source_year=_word(source_table.get("year"), "source year", source, problems),
        source_url=_word(source_table.get("url"), "source url", source, problems),
        years=years,
        renewal=renewal,
        frameworks=_names(data.get("frameworks"), "frameworks", source, problems),
        models=_names(data.get("models"), "models", source, problems),
        shared_label=shared,
        requirements=tuple(requirements.values()),
        origin=source,
    )


def _word(value: object, what: str, where: str, problems: list[str | Problem]) -> str:
    """A name or title: text or a number; anything else is refused."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(f"{where}: {what} must be text, not {type(value).__name__}")
        return ""
    return plain_text(value)


def _names(value: object, what: str, source: str, problems: list[str | Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        problems.append(f"{source}: '{what}' must be a list of ids")
        return ()
    names = (_word(item, f"an entry of '{what}'", source, problems) for item in value)
    return tuple(dict.fromkeys(name.lower() for name in names if name))


def _period(value: object, source: str, problems: list[str | Problem]) -> tuple[int | None, bool]:
    """(years, whether it ends on the renewal date); no period: the whole portfolio."""
    if value is None:
        return None, False
    if not isinstance(value, Mapping) or set(value) - {"years", "ends"}:
        problems.append(
            f"{source}: 'period' must be a table such as {{years = 3}} (and optionally "
            'ends = "renewal" or "cpd-year")'
        )
        return None, False
    years = value.get("years")
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        problems.append(f"{source}: period years {years!r} is not a whole number from 1 to 10")
        return None, False
    ends = plain_text(value.get("ends") or ("cpd-year" if years == 1 else "renewal")).lower()
    if ends not in ("renewal", "cpd-year"):
        problems.append(f"{source}: period ends {ends!r} is not 'renewal' or 'cpd-year'")
        ends = "renewal"
    return years, ends == "renewal"


def _requirement(
    item: object, n: int, source: str, problems: list[str | Problem]
) -> Requirement | None:
    if not isinstance(item, Mapping):
        problems.append(f"{source}: requirement {n} must be a table with key, title and kind")
        return None
    key = _word(item.get("key"), "'key'", f"{source}: requirement {n}", problems).lower()
    if not key:
        problems.append(f"{source}: requirement {n} has no 'key'")
        return None
    where = f"{source}: requirement {key!r}"
    for name in item:
        if name not in _REQUIREMENT_KEYS:
            problems.append(f"{where}: unknown key {name!r}")
    kind = _word(item.get("kind"), "'kind'", where, problems).lower()
    if kind not in KINDS:
        problems.append(f"{where}: kind {kind or None!r} is not one of {', '.join(KINDS)}")
        return None
    title = _word(item.get("title"), "'title'", where, problems) or key
    need: Decimal | None = None
    if kind in ("hours", "participatory-hours", "count"):
        need = _need(item.get("need"), kind, where, problems)
        if need is None:
            return None
    count = None
    if kind == "count":
        count = _word(item.get("count"), "'count'", where, problems).lower()
        if count not in COUNTABLE:
            problems.append(
                f"{where}: count {count or None!r} is not one of {', '.join(COUNTABLE)}"
            )
            return None
    page, limit = None, None
    if kind == "words":
        written = _word(item.get("page"), "'page'", where, problems)
        # A page's name as Sphinx has it: "./statement.md" is "statement".
        page = (
            posixpath.normpath(written.removesuffix(".md").removesuffix(".rst")) if written else ""
        )
        if not page or page == "." or page.startswith(("/", "..")):
            problems.append(f"{where}: 'page' must name a page of the portfolio, e.g. statement")
            return None
        raw_limit = item.get("limit")
        if raw_limit is not None:
            if isinstance(raw_limit, bool) or not isinstance(raw_limit, int) or raw_limit < 1:
                problems.append(f"{where}: limit {raw_limit!r} is not a whole number of words")
            else:
                limit = raw_limit
    model, type_, tag = (
        _word(item.get(name), f"'{name}'", where, problems).lower() or None
        for name in ("model", "type", "tag")
    )
    if any(
        item.get(name) is not None and not value
        for name, value in zip(("model", "type", "tag"), (model, type_, tag), strict=True)
    ):
        return None  # a filter that cannot be read would count everything
    # A filter that cannot apply would make a requirement no record can meet.
    if model is not None and count != "reflection":
        problems.append(f"{where}: 'model' applies to a count of reflections only")
        return None
    if type_ is not None and count != "event":
        problems.append(f"{where}: 'type' applies to a count of events only")
        return None
    if (tag is not None) and kind != "count":
        problems.append(f"{where}: 'tag' applies to a count only")
        return None
    return Requirement(
        key=key,
        title=title,
        kind=kind,
        need=need,
        count=count,
        model=model,
        type=type_,
        tag=tag,
        page=page,
        limit=limit,
    )


def _need(value: object, kind: str, where: str, problems: list[str | Problem]) -> Decimal | None:
    try:
        if isinstance(value, bool) or value is None:
            raise InvalidOperation
        need = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.append(f"{where}: 'need' {value!r} is not a number")
        return None
    whole = kind == "count"
    if not need.is_finite() or need <= 0 or need > MAX_HOURS or (whole and need != int(need)):
        what = (
            "a whole number above 0" if whole else f"a number of hours above 0, up to {MAX_HOURS}"
        )
        problems.append(f"{where}: 'need' {value!r} is not {what}")
        return None
    return need
