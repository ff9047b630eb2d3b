"""Frameworks of criteria: the bundled ones and the user's own files.

A framework is read from TOML, YAML, JSON or a dict in ``conf.py``. Everything
wrong in one is reported as a problem naming the file; what can still be used is
kept, so one bad criterion does not lose the rest of the framework.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
BUNDLED_IDS: tuple[str, ...] = (
    "cilip-certification",
    "cilip-chartership",
    "cilip-fellowship",
    "pksb",
    "cpd23",
    "nmc-code",
    "hcpc-cpd",
)
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
#: Criteria nest (areas, sub-areas, …); deeper than this is a mistake or an attack.
MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in ``cpd_frameworks``: what, of which kind, and where."""

    message: str
    kind: str = "config"
    #: The framework file, when the problem is in one.
    file: str | None = None
    line: int = 1

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    title: str
    description: str = ""
    parent: str | None = None
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Scale:
    min: int = 0
    max: int = 4
    labels: Mapping[int, str] = field(default_factory=dict)

    def label(self, score: int) -> str:
        return self.labels.get(score, "")


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    title: str
    short: str
    version: str
    scale: Scale
    criteria: tuple[Criterion, ...]
    source: str

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The frameworks of one configuration, with the problems met loading them."""

    frameworks: Mapping[str, Framework]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    def resolve(self, reference: str) -> tuple[Framework | None, Criterion | None]:
        """Look up ``FRAMEWORK:CODE``; either part is None where it is unknown."""
        framework_id, _, code = reference.partition(":")
        framework = self.frameworks.get(framework_id.strip().lower())
        if framework is None:
            return None, None
        return framework, framework.criterion(code.strip())


def load(value: object, confdir: str) -> Catalogue:
    """Load the frameworks named by ``cpd_frameworks``.

    Memoised on the value and the files' modification times, because the
    directives and the listings ask for the catalogue of the same configuration
    many times per build.
    """
    entries = _entries(value)
    stamps = tuple(file_stamp(entry, confdir) for entry in entries)
    try:
        frozen = tuple(hashable(e) for e in entries)
    except (RecursionError, TypeError, ValueError):
        problem = Problem("cpd_frameworks: a dict in it is nested too deeply or cannot be read")
        return Catalogue({}, (problem,), ())
    return _load(frozen, confdir, stamps)


def _entries(value: object) -> list[object]:
    if value is None:
        return list(BUNDLED_IDS)
    if isinstance(value, (str, Mapping)):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def file_stamp(entry: object, confdir: str) -> float:
    """When a file an entry names last changed (-1: it is missing; 0: not a
    file), so that memoised catalogues notice an edited file."""
    if isinstance(entry, str) and entry.lower().endswith(SUFFIXES):
        path = Path(confdir, entry)
        return path.stat().st_mtime if path.is_file() else -1.0
    return 0.0


def hashable(entry: object) -> object:
    """A hashable stand-in for an entry, so that dict entries can be memoised
    (in the order written: keys of several types cannot be sorted).

    Raises RecursionError, TypeError or ValueError for a dict JSON cannot hold.
    """
    if isinstance(entry, Mapping):
        return ("dict", json.dumps(entry, default=str))
    return entry


@cache
def _load(entries: tuple[object, ...], confdir: str, _stamps: tuple[float, ...]) -> Catalogue:
    frameworks: dict[str, Framework] = {}
    problems: list[Problem] = []
    files: list[str] = []
    for entry in entries:
        found: list[str | Problem] = []
        framework = _entry(entry, confdir, files, found)
        file = files[-1] if isinstance(entry, str) and entry.lower().endswith(SUFFIXES) else None
        problems += [p if isinstance(p, Problem) else Problem(p, file=file) for p in found]
        if framework is None:
            continue
        if framework.id in frameworks:
            problems.append(
                Problem(
                    f"{framework.source}: framework id {framework.id!r} is already defined by "
                    f"{frameworks[framework.id].source}; give one of them another id",
                    file=file,
                )
            )
            continue
        frameworks[framework.id] = framework
    return Catalogue(frameworks, tuple(problems), tuple(files))


def _entry(
    entry: object, confdir: str, files: list[str], problems: list[str | Problem]
) -> Framework | None:
    """One entry of ``cpd_frameworks``: a dict, a file or a bundled id."""
    try:
        if isinstance(entry, tuple) and entry[:1] == ("dict",):
            source = "a dict in cpd_frameworks"
            return _parse(json.loads(entry[1]), source, problems)
        if isinstance(entry, str) and entry.lower().endswith(SUFFIXES):
            path = Path(confdir, entry)
            files.append(str(path))
            data = read_file(path, entry, problems)
            return _parse(data, entry, problems) if data is not None else None
        if isinstance(entry, str):
            if entry.lower() not in BUNDLED_IDS:
                problems.append(
                    f"cpd_frameworks: unknown framework {entry!r}; bundled frameworks are "
                    f"{', '.join(BUNDLED_IDS)}, or give the path of a .toml, .yaml or .json file"
                )
                return None
            data = read_file(DATA / f"{entry.lower()}.toml", entry, problems)
            return _parse(data, f"bundled {entry.lower()}", problems) if data is not None else None
        problems.append(
            f"cpd_frameworks: {entry!r} is neither a framework id, a file path nor a dict"
        )
    except RecursionError:
        problems.append(f"{entry if isinstance(entry, str) else 'a dict'}: nested too deeply")
    return None


def read_file(
    path: Path, name: str, problems: list[str | Problem], what: str = "framework file"
) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        problems.append(f"{what} {name}: cannot be read ({exc.strerror or exc})")
        return None
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                f"{what} {name}: is not UTF-8 text (byte {exc.start}: {exc.reason}); "
                "save it as UTF-8",
                kind="encoding",
                file=str(path),
            )
        )
        return None
    if not text.strip():
        problems.append(Problem(f"{what} {name}: is empty", file=str(path)))
        return None
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        if path.suffix.lower() == ".json":
            return json.loads(text)
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text)):
            # An alias repeats a node; nested aliases make a small file enormous.
            problems.append(
                Problem(
                    f"{what} {name}: uses YAML aliases (*name); write each criterion out instead",
                    file=str(path),
                )
            )
            return None
        return yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        # Python 3.11's TOML errors give the line in their message only.
        at = re.search(r"at line (\d+)", str(exc))
        line = (
            getattr(exc, "lineno", None)
            or (int(at.group(1)) if at else None)
            or getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        )
        problems.append(
            Problem(
                f"{what} {name}: not valid {path.suffix[1:].upper()}: {exc}",
                file=str(path),
                line=line,
            )
        )
        return None
    except RecursionError:
        problems.append(Problem(f"{what} {name}: nested too deeply", file=str(path)))
        return None


#: Characters no output can hold as text: controls (a terminal escape, a NUL),
#: halves of surrogate pairs (which no encoder writes), and the bidirectional
#: overrides and isolates that make text read in another order than it is stored.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def plain_text(value: object) -> str:
    """Codes and titles may be written as numbers (``code = 1``); read them as
    text, without characters no output can hold (see :func:`unwritable`)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(_UNWRITABLE.sub(" ", str(value)).split())


#: What a framework's or a scheme's problem says of the characters it loses.
UNWRITABLE_WORDS = "control characters, bidirectional overrides or lone surrogates"


def unwritable(data: object, depth: int = 0) -> bool:
    """Whether any text in a framework holds characters :func:`_text` leaves out."""
    if isinstance(data, str):
        return _UNWRITABLE.search(data) is not None
    if depth > MAX_DEPTH * 2:
        return False
    if isinstance(data, Mapping):
        return any(unwritable(v, depth + 1) for v in data.values())
    if isinstance(data, Sequence) and not isinstance(data, (bytes, bytearray)):
        return any(unwritable(v, depth + 1) for v in data)
    return False


def _parse(data: object, source: str, problems: list[str | Problem]) -> Framework | None:
    if not isinstance(data, Mapping):
        problems.append(f"{source}: a framework must be a table/mapping with id, title, criteria")
        return None
    ident = plain_text(data.get("id")).lower()
    title = plain_text(data.get("title"))
    if not ident:
        problems.append(f"{source}: the framework has no 'id'; add e.g. id = \"my-framework\"")
        return None
    if ":" in ident or "," in ident:
        problems.append(f"{source}: framework id {ident!r} may not contain ':' or ','")
        return None
    if not title:
        problems.append(f"{source}: framework {ident!r} has no 'title'")
        title = ident
    if unwritable(data):
        problems.append(f"{source}: framework {ident!r} holds {UNWRITABLE_WORDS}: left out")
    criteria: list[Criterion] = []
    _criteria(data.get("criteria"), source, ident, None, 0, criteria, problems)
    if not data.get("criteria"):
        problems.append(f"{source}: framework {ident!r} has no criteria; add [[criteria]] entries")
    return Framework(
        id=ident,
        title=title,
        short=plain_text(data.get("short")) or title,
        version=plain_text(data.get("version")),
        scale=_scale(data.get("scale"), source, ident, problems),
        criteria=tuple(criteria),
        source=source,
    )


def _criteria(
    items: object,
    source: str,
    ident: str,
    parent: str | None,
    depth: int,
    out: list[Criterion],
    problems: list[str | Problem],
) -> None:
    if items is None:
        return
    if depth >= MAX_DEPTH:
        problems.append(
            f"{source}: criteria of {ident!r} are nested more than {MAX_DEPTH} levels deep; "
            "the deeper ones are left out"
        )
        return
    if not isinstance(items, Sequence) or isinstance(items, (str, bytes)):
        problems.append(f"{source}: 'criteria' of {ident!r} must be a list")
        return
    seen = {c.code for c in out}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            problems.append(
                f"{source}: criterion {n} of {ident!r} must be a table with code, title"
            )
            continue
        code = plain_text(item.get("code"))
        if not code:
            problems.append(f"{source}: criterion {n} of {ident!r} has no 'code'")
            continue
        if code in seen:
            problems.append(f"{source}: criterion code {code!r} appears twice in {ident!r}")
            continue
        seen.add(code)
        title = plain_text(item.get("title"))
        if not title:
            problems.append(f"{source}: criterion {code!r} of {ident!r} has no 'title'")
        out.append(
            Criterion(code, title or code, plain_text(item.get("description")), parent, depth)
        )
        _criteria(item.get("criteria"), source, ident, code, depth + 1, out, problems)
        seen = {c.code for c in out}


def _scale(value: object, source: str, ident: str, problems: list[str | Problem]) -> Scale:
    if value is None:
        return Scale()
    if not isinstance(value, Mapping):
        problems.append(f"{source}: 'scale' of {ident!r} must be a table with min and max")
        return Scale()
    try:
        low, high = int(value.get("min", 0)), int(value.get("max", 4))
    except (TypeError, ValueError):
        problems.append(f"{source}: scale min and max of {ident!r} must be whole numbers")
        return Scale()
    if low >= high:
        problems.append(f"{source}: scale of {ident!r} has min {low} not below max {high}")
        return Scale()
    labels: dict[int, str] = {}
    raw = value.get("labels")
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        labels = {low + n: plain_text(label) for n, label in enumerate(raw)}
    elif isinstance(raw, Mapping):
        for score, label in raw.items():
            try:
                labels[int(score)] = plain_text(label)
            except (TypeError, ValueError):
                problems.append(f"{source}: scale label key {score!r} of {ident!r} is not a score")
    elif raw is not None:
        problems.append(f"{source}: scale labels of {ident!r} must be a list or a mapping")
    if any(score < low or score > high for score in labels):
        problems.append(f"{source}: scale labels of {ident!r} fall outside {low}-{high}")
    return Scale(low, high, labels)
