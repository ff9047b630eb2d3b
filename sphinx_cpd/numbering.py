"""Evidence numbers, E1, E2, …: in portfolio order, around the numbers authors
fix with ``:number:`` so that an assessor's "see E3" does not go stale when
evidence is added earlier in the portfolio."""

from __future__ import annotations

from sphinx_cpd.kinds import EvidenceData, Record


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
