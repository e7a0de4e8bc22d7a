"""ui/ uses the core: it imports `studio` and, of the engine, only its value types
(`audio.timeline`, `audio.errors`); never `export`. import-linter holds the same contract in
pyproject.toml; this test also catches a new engine module that the contract does not list."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VALUE_TYPES = {"audio.timeline", "audio.errors"}
CONTRACT = "ui imports studio and the engine's value types only, never export"


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "audio":  # from audio import devices
                names.update(f"audio.{a.name}" for a in node.names)
    return names


def _contract() -> dict:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    (contract,) = [c for c in data["tool"]["importlinter"]["contracts"] if c["name"] == CONTRACT]
    return contract


def test_ui_imports_only_the_core_and_the_engines_value_types():
    allowed_ignores = {tuple(i.split(" -> ")) for i in _contract().get("ignore_imports", [])}
    problems = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for name in _imported(path):
            top = name.split(".")[0]
            bad = top == "export" or (
                top == "audio" and name != "audio" and name not in VALUE_TYPES
            )
            if bad and not any(module == a and name.startswith(b) for a, b in allowed_ignores):
                problems.append(f"{module} imports {name}")
    assert problems == []


def test_the_contract_lists_every_engine_module_but_the_value_types():
    engine = {f"audio.{p.stem}" for p in (ROOT / "audio").glob("*.py") if p.stem != "__init__"}
    assert set(_contract()["forbidden_modules"]) == (engine - VALUE_TYPES) | {"export"}
