"""Evidence numbers, E1, E2, …: in portfolio order, around the numbers authors
fix with ``:number:`` so that an assessor's "see E3" does not go stale when
evidence is added earlier in the portfolio."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_cpd.kinds import EvidenceData, Record

if TYPE_CHECKING:
    from sphinx_cpd.domain import CPDDomain

logger = logging.getLogger(__name__)


def number_evidence(
    evidence: list[Record],
) -> tuple[dict[tuple[str, int], int], list[tuple[str, int]]]:
    """Each piece of evidence's number, and the pieces whose ``:number:`` was
    claimed already (the first to claim a number, in portfolio order, keeps it;
    the others are numbered as if they had none)."""
    numbers: dict[tuple[str, int], int] = {}
    clashes: list[tuple[str, int]] = []
    claimed: set[int] = set()
    for record in evidence:
        wanted = record.of(EvidenceData).number
        if wanted is None:
            continue
        if wanted in claimed:
            clashes.append(record.key)
        else:
            claimed.add(wanted)
            numbers[record.key] = wanted
    following = 1
    for record in evidence:
        if record.key in numbers:
            continue
        while following in claimed:
            following += 1
        numbers[record.key] = following
        claimed.add(following)
    return numbers, clashes


def report_clashes(domain: CPDDomain) -> None:
    """A warning at each piece of evidence that claimed a number already taken."""
    holders = {
        domain.number(record): record
        for record in domain.all_records()
        if record.kind == "evidence" and record.key not in domain.data.get("clashes", [])
    }
    for key in domain.data.get("clashes", []):
        record = domain.record_at(key)
        if record is None:
            continue
        wanted = record.of(EvidenceData).number
        holder = holders.get(wanted)
        by = f" by {holder.title!r} ({holder.docname}, line {holder.lineno})" if holder else ""
        logger.warning(
            f"evidence {record.title!r}: :number: {wanted} is claimed already{by}; it is "
            f"E{domain.number(record)} for now: give one of them another :number:",
            type="cpd",
            subtype="number",
            location=(record.docname, record.lineno),
        )
