"""The code keeps its shape: one description per kind, no import cycles, small modules.

Each option of an object kind is declared once (sphinx_cpd.kinds) and reaches the
directive, the details, portfolio.json and its schema, the CSV and the docs from
there; these tests hold the shape that makes that true.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from click.testing import CliRunner

from sphinx_cpd.cli import main
from sphinx_cpd.schema import schema_text
from tests.conftest import ROOT, Portfolio

PACKAGE = ROOT / "sphinx_cpd"


def test_the_published_schema_is_generated_from_the_kinds() -> None:
    committed = (ROOT / "docs" / "portfolio.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make schema`"


def test_an_option_declared_once_reaches_every_output(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n:::{event} Conference day\n:date: 2011-11-14\n:hours: 6\n:cost: £45\n:::\n",
    )
    result = portfolio.build()
    assert result.warnings == [], result.warnings_text
    details = result.html("index.html").select_one("dl.cpd-details").get_text(" ", strip=True)
    assert "Cost" in details and "£45" in details, details
    data = json.loads((result.outdir / "portfolio.json").read_text())
    assert data["events"][0]["cost"] == "£45"
    schema = json.loads(schema_text())
    assert "cost" in schema["$defs"]["event"]["properties"]


def test_the_log_command_uses_the_portfolio_ids(portfolio: Portfolio) -> None:
    portfolio.write(
        "index.md",
        "# Home\n\n:::{event} Talk\n:date: 2011-11-14\n:hours: 1\n:::\n\n"
        ":::{event} Talk\n:date: 2011-11-14\n:hours: 2\n:::\n",
    )
    result = portfolio.build()
    exported = [
        e["id"] for e in json.loads((result.outdir / "portfolio.json").read_text())["events"]
    ]
    out = CliRunner().invoke(main, ["log", str(portfolio.srcdir), "--format", "json"])
    assert out.exit_code == 0, out.output
    logged = [event["id"] for event in json.loads(out.stdout)["events"]]
    assert sorted(logged) == sorted(exported) == ["2011-11-14-talk", "2011-11-14-talk-2"]


def imports(path: Path, names: set[str]) -> set[str]:
    """The package's modules a module imports, at any level (TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("sphinx_cpd")
        ):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in names else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sphinx_cpd")}
    return found & names


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycles() -> None:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: imports(path, set(paths)) - {name} for name, path in paths.items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            assert state.get(other) != "open", " -> ".join([*trail, name, other])
            if other not in state:
                visit(other, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_the_readme_states_the_lower_bounds_pyproject_declares() -> None:
    """The README's table of supported versions says what pyproject.toml does."""
    from tests.oldest_constraints import constraints

    lowest = dict(pin.split("==") for pin in constraints())
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, package in (
        ("Sphinx", "sphinx"),
        ("MyST-Parser", "myst-parser"),
        ("sphinx-design", "sphinx-design"),
        ("Typst", "typst"),
    ):
        row = next(line for line in readme.splitlines() if line.startswith(f"| {name}"))
        assert f"| {lowest[package]} |" in row, (row, lowest[package])
