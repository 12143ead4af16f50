"""The house keeps its shape: the mathematical core imports no plotting, widgets,
exercises or command line, and no core module reaches up into those layers."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "calcml"
# the layers above the core: what the core must never import
UPPER = ("calcml.figures", "calcml.widgets", "calcml.exercises", "calcml.cli", "calcml.book",
         "calcml.grading",
         "calcml.notebook", "matplotlib", "ipywidgets", "IPython")
NOT_CORE = {"figures", "widgets", "exercises", "cli", "book", "notebook", "lessons", "grading"}


def _core_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in NOT_CORE:
            continue
        name = ".".join(("calcml", *parts)).removesuffix(".__init__")
        yield name, path


CORE = list(_core_modules())


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_core_is_not_empty():
    names = {name for name, _ in CORE}
    assert {"calcml.numdiff", "calcml.symbolic", "calcml.autodiff.tensor",
            "calcml.optimize", "calcml.datasets"} <= names


@pytest.mark.parametrize(("name", "path"), CORE, ids=[n for n, _ in CORE])
def test_core_module_imports_no_upper_layer(name, path):
    bad = sorted(m for m in _imports(path)
                 if any(m == u or m.startswith(u + ".") for u in UPPER))
    assert not bad, f"{name} (core) imports {bad}: move the code into figures/, cli/ or exercises/"


def test_importing_the_whole_core_loads_no_matplotlib():
    names = [name for name, _ in CORE]
    code = ("import sys\n" + "".join(f"import {n}\n" for n in names)
            + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
              "{'matplotlib', 'ipywidgets', 'IPython'} or m.startswith(('calcml.figures', "
              "'calcml.cli', 'calcml.exercises', 'calcml.widgets')))\n"
              "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"importing the core loaded {out}"
