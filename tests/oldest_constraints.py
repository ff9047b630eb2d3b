"""The lowest version of every runtime dependency, as pip constraints.

``make test-oldest`` installs sphinx-cpd with these and runs the whole suite,
so that each lower bound in ``pyproject.toml`` is a tested promise. They are
read from ``pyproject.toml`` itself (``name>=X`` becomes ``name==X``): the two
cannot drift apart. A dependency without a lower bound is an error.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
_LOWER = re.compile(r"^\s*([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,.*)?$")


def constraints(pyproject: Path = PYPROJECT) -> list[str]:
    """``name==lowest`` for each of the project's runtime dependencies."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = _LOWER.match(requirement.split(";")[0])
        if found is None:
            raise SystemExit(f"{requirement!r} in pyproject.toml has no lower bound (>=)")
        pins.append(f"{found.group(1)}=={found.group(2)}")
    return pins


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in constraints()))
