"""Starting points for ``sphinx-cpd new``: a common base and one overlay per scheme."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent
NAMES: tuple[str, ...] = (
    "chartership",
    "certification",
    "fellowship",
    "revalidation",
    "cpd23",
    "generic",
)


def files(name: str) -> dict[str, Path]:
    """The files of a template by their path in a new portfolio; the overlay wins."""
    chosen: dict[str, Path] = {}
    for layer in ("common", name):
        root = TEMPLATES_DIR / layer
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts:
                chosen[path.relative_to(root).as_posix()] = path
    return chosen
