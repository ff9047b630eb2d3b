"""``cpd_feed``: what the Atom feed of a build holds, checked.

``{"limit": 20, "kinds": ["reflection"]}`` by default; ``"audiences"`` says
which builds write one (``["public"]`` unless asked for: a mentor's or the
author's own build is not published); ``None`` or ``False``: no feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: What a feed may hold: what a reader follows, as it is written.
#: (Dated kinds only: an entry needs its date.)
FEED_KINDS = ("reflection", "event", "evidence")
FEED_AUDIENCES = ("public", "mentor", "private")
DEFAULT_FEED: dict[str, object] = {"limit": 20, "kinds": ["reflection"]}
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class FeedSettings:
    limit: int = 20
    kinds: tuple[str, ...] = ("reflection",)
    audiences: tuple[str, ...] = ("public",)

    @property
    def enabled(self) -> bool:
        return bool(self.audiences and self.kinds)


Warn = Callable[[str], None]


def _names(value: object, allowed: tuple[str, ...], key: str, warn: Warn) -> tuple[str, ...] | None:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        warn(f'"{key}" must be a list of names, e.g. {list(allowed[:2])}')
        return None
    unknown = [item for item in items if item not in allowed]
    if unknown:
        warn(f'"{key}": {", ".join(map(repr, unknown))} not one of {", ".join(allowed)}; left out')
    return tuple(dict.fromkeys(item for item in items if item in allowed))


def check_feed(value: object, warn: Warn) -> FeedSettings:
    """The checked ``cpd_feed``; what cannot be used is said and the default kept."""
    if value is None or value is False:
        return FeedSettings(audiences=())
    if not isinstance(value, dict):
        warn('must be a dict such as {"limit": 20, "kinds": ["reflection"]}, or None for no feed')
        return FeedSettings()
    settings = FeedSettings()
    unknown = sorted(str(key) for key in value if key not in ("limit", "kinds", "audiences"))
    if unknown:
        warn(
            f"unknown key(s) {', '.join(map(repr, unknown))}; the keys are limit, kinds, audiences"
        )
    limit = value.get("limit", settings.limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        warn(f'"limit" must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}')
        limit = settings.limit
    kinds = _names(value.get("kinds", list(settings.kinds)), FEED_KINDS, "kinds", warn)
    audiences = _names(
        value.get("audiences", list(settings.audiences)), FEED_AUDIENCES, "audiences", warn
    )
    return FeedSettings(
        limit=limit,
        kinds=settings.kinds if kinds is None else kinds,
        # A value that cannot be read writes no feed: a feed is public by nature.
        audiences=() if audiences is None else audiences,
    )
