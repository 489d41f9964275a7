"""Guard rails on the package's shape (issue 13): the folders the README draws are the folders
there are, modules stay short enough to read, and every source declares itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tradewh.sources import registry
from tradewh.sources.spec import Source

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tradewh"
LAYOUT = (ROOT / "README.md").read_text().split("## Layout", 1)[1].split("```", 2)[1]
MAX_LINES = 400
MAX_TOP_MODULES = 12


def test_every_package_is_in_the_readme_layout() -> None:
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages, "no packages found"
    missing = [name for name in packages if f"{name}/" not in LAYOUT]
    assert not missing, f"README's Layout does not draw {missing}"


def test_few_modules_sit_directly_in_the_package() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= MAX_TOP_MODULES, modules


@pytest.mark.parametrize("folder", ["tradewh", "flows"])
def test_no_module_is_too_long_to_read(folder: str) -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_every_source_package_exports_its_source() -> None:
    packages = sorted(p.parent.name for p in (PACKAGE / "sources").glob("*/__init__.py"))
    held = registry()
    assert sorted(held) == packages, "a source package is missing from registry()"
    for name, source in held.items():
        assert isinstance(source, Source) and source.name == name


# Test folders that are not a package of the tree: shared harnesses and data.
TEST_SUPPORT = {"badinput", "crash", "fixtures", "__pycache__"}
# Tests about the whole house rather than one package, and the harness's own test.
HOUSE_WIDE = {"test_docs.py", "test_layout.py", "test_lint_rules.py", "test_properties.py"}
HOUSE_WIDE |= {"test_warehouse_copies.py"}


def test_tests_mirror_the_tree() -> None:
    tests = ROOT / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir()} - TEST_SUPPORT
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} | {"flows"}
    assert folders <= packages, f"test folders with no package: {sorted(folders - packages)}"
    loose = {p.name for p in tests.glob("test_*.py")} - HOUSE_WIDE
    assert not loose, f"tests/ holds {sorted(loose)}: put each beside its package's tests"


# One way to the warehouse (issue 13, item 3).


def _modules(*allowed: str) -> dict[str, str]:
    """Every module of the package but the allowed ones, by path relative to the root."""
    skip = set(allowed)
    return {
        str(path.relative_to(ROOT)): path.read_text()
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(ROOT)) not in skip
    }


def test_transactions_go_through_the_helper() -> None:
    statement = re.compile(r"""["'](BEGIN(\s+TRANSACTION)?|COMMIT|ROLLBACK)["']""", re.I)
    found = {
        module: hits
        for module, text in _modules("tradewh/store/transaction.py").items()
        if (hits := [m[0] for m in statement.finditer(text)])
    }
    assert not found, f"write `with transaction(con):` (tradewh/store/transaction.py): {found}"


def _reads_text(text: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "read_text"
    ]


def test_sql_files_are_read_by_the_loader() -> None:
    """No .read_text() on a path under sql/ but in tradewh/store/sqlfiles.py: neither on an
    expression naming SQL, nor anywhere in a module that builds paths from sql_dir."""
    found = {}
    for module, text in _modules("tradewh/store/sqlfiles.py").items():
        calls = [ast.unparse(call) for call in _reads_text(text)]
        suspect = [c for c in calls if "sql" in c.lower() or "sql_dir" in text]
        if suspect:
            found[module] = suspect
    assert not found, f"read SQL with sql_text / read_sql (tradewh/store/sqlfiles.py): {found}"


def test_rows_become_dicts_in_one_place() -> None:
    found = [
        module for module, text in _modules("tradewh/store/rows.py").items() if "dict(zip(" in text
    ]
    assert not found, f"use rows_as_dicts / fetch_dicts (tradewh/store/rows.py): {found}"


def test_python_writes_and_compares_statuses_through_the_enums() -> None:
    """A status literal in a SQL string in Python (status = 'open', status IN ('published',
    ...)) is a parameter from tradewh/store/statuses.py instead; sql/ files keep theirs."""
    literal = re.compile(r"\bstatus\s*(=|<>|!=|\bIN\b)\s*\(?\s*'", re.I)
    found = {m: literal.findall(t) for m, t in _modules().items() if literal.search(t)}
    assert not found, found


def test_one_function_builds_the_frame_gx_validates() -> None:
    """DuckDB's .df() and Arrow's to_pandas() give different dtypes for the same rows: only
    tradewh/ingest/gx_frame.py turns rows into a pandas frame."""
    found = {
        module: calls
        for module, text in _modules("tradewh/ingest/gx_frame.py").items()
        if (calls := re.findall(r"\.(df|fetchdf|fetch_df\w*|to_pandas)\(", text))
    }
    assert not found, f"build GX's frame with gx_frame (tradewh/ingest/gx_frame.py): {found}"
