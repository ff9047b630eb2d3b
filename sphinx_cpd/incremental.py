"""Incremental builds that stay current: every page whose view of others changed.

Each page's *view* of other pages' records (the references it shows, the
back-links on its events, the listings it holds) is fingerprinted before
reading and compared after, so an incremental build rewrites exactly the pages
that now show something else, in the same way with or without ``-j``. The
fingerprints are kept in the domain's data, so that they survive between builds.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Any

from sphinx_cpd.catalogues import scheme as scheme_of
from sphinx_cpd.domain import CPDDomain, get_domain, portfolio_order
from sphinx_cpd.kinds import ActionData, Record
from sphinx_cpd.model import build_date
from sphinx_cpd.navigation import root_groups

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def fingerprint(domain: CPDDomain, docname: str, everything: str = "", today: str = "") -> str:
    """A digest of everything from outside ``docname`` that its page shows.

    ``everything`` is the digest of all records, which a page holding a
    listing shows (see :meth:`digest`); ``today``, the build date, decides
    which of its own open actions are marked overdue.
    """
    parts: list[Any] = []
    if docname in domain.data["listings"]:
        parts.append(("listings", everything))
    for reftype, target in domain.data["refs"].get(docname, ()):
        record = domain.lookup(target.strip())
        parts.append((reftype, target, signature(domain, record)))
    for record in domain.records.get(docname, ()):
        parts.append(("own", domain.final_id(record), domain.number(record)))
        if record.kind == "action" and today:
            parts.append(("overdue", record.of(ActionData).overdue(date.fromisoformat(today))))
        if record.kind == "event":
            for key in domain.data["backlinks"].get(domain.final_id(record), ()):
                parts.append(("back", signature(domain, domain.record_at(key))))
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def digest(domain: CPDDomain, today: str) -> str:
    """A digest of every record as listings show it, and of the build date,
    which decides what is overdue."""
    parts = [today, *(signature(domain, record) for record in domain.all_records())]
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def signature(domain: CPDDomain, record: Record | None) -> Any:
    if record is None:
        return None
    return (domain.final_id(record), domain.number(record), repr(record))


def structure(env: BuildEnvironment) -> str:
    """A digest of the portfolio's shape: its pages in order, with their titles,
    and the root's toctree captions that group them.

    Every page's navigation shows it, so when it changes every page is stale.
    """
    shape: list[Any] = [
        (docname, env.titles[docname].astext() if docname in env.titles else "")
        for docname in portfolio_order(env)
    ]
    shape.append(root_groups(env))
    return hashlib.sha1(repr(shape).encode(), usedforsecurity=False).hexdigest()


def snapshot(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember what every page showed of other pages before anything is re-read."""
    domain = get_domain(env)
    domain.reread = added | changed | removed
    # The date the listings were last built for: what was overdue then.
    built_on = domain.data.get("built_on") or build_date().isoformat()
    everything = digest(domain, built_on)
    # Documents about to be removed (or withheld) are left out: their names
    # may not be kept.
    domain.data["fingerprints"] = {
        docname: fingerprint(domain, docname, everything, built_on)
        for docname in env.all_docs
        if docname in env.found_docs
    }
    domain.data["structure"] = structure(env) if env.all_docs else None
    return []


def changed_views(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages not re-read whose references, back-links or listings now show something else."""
    domain = get_domain(env)
    before: dict[str, str] = domain.data["fingerprints"]
    domain.data["built_on"] = build_date().isoformat()
    if domain.data.get("structure") not in (None, structure(env)):
        return sorted(env.found_docs & set(env.all_docs))
    everything = digest(domain, domain.data["built_on"])
    # The pages that hold listings show the scheme (its file may change without
    # any page or conf.py changing) and the words of the pages it limits.
    scheme = scheme_of(app.config)
    signature_now = hashlib.sha1(repr(scheme).encode(), usedforsecurity=False).hexdigest()
    counted = {r.page for r in scheme.requirements if r.page} if scheme else set()
    rescheme = domain.data["scheme_signature"] not in (None, signature_now) or bool(
        counted & domain.reread
    )
    domain.data["scheme_signature"] = signature_now
    return sorted(
        docname
        for docname in env.all_docs
        if (rescheme and docname in domain.data["listings"])
        or (
            docname in before
            and before[docname] != fingerprint(domain, docname, everything, domain.data["built_on"])
        )
    )


def setup_incremental(app: Sphinx) -> None:
    # After sphinx_cpd.pages has taken withheld pages out of the project (100).
    app.connect("env-get-outdated", snapshot)
    app.connect("env-get-updated", changed_views)
