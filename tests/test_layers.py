"""The layers hold: ui -> studio -> export -> audio, imports point down only, only ui/ imports
Qt. The same rules are the import-linter contracts in pyproject.toml (`lint-imports` in CI);
this test checks them again from the source, so that a plain `pytest` run sees a break too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["audio", "export", "studio", "ui"]  # a package may import only those before it
# The launcher is the composition root: it alone may reach up into ui/ to open the window.
ALLOWED_UPWARD = {("studio/__main__.py", "ui")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_imports_point_down_only():
    problems = []
    for package in ORDER:
        allowed = set(ORDER[: ORDER.index(package) + 1])
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            for name in _imports(path):
                if name in ("PySide6", "shiboken6") and package != "ui":
                    problems.append(f"{rel} imports {name}")
                if name in ORDER and name not in allowed and (rel, name) not in ALLOWED_UPWARD:
                    problems.append(f"{rel} imports {name} (upward)")
    assert problems == []


def test_core_imports_without_qt(tmp_path):
    """Every module outside ui/ imports in a process where PySide6 cannot be imported."""
    blocker = tmp_path / "PySide6"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('Qt is not allowed below ui/')\n")
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in ORDER[:-1]
        for p in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in p.parts and p.name != "__main__.py"
    ]
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    env_path = f"{tmp_path}:{ROOT}"
    proc = subprocess.run(
        [sys.executable, "-c", code, *modules],
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(modules) > 10


def test_import_linter_contracts_hold():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
