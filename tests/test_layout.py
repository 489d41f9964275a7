"""Guard rails on the package's shape (issue 13): the folders the README draws are the folders
there are, modules stay short enough to read, and every source declares itself."""

from __future__ import annotations

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
