"""Start-up stays light: the parser is a table, each command's machinery is imported on demand."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio import cli

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "sqlalchemy", "alembic", "PySide6", "paramiko")


def _loaded_after(code: str) -> set[str]:
    """Top-level packages in sys.modules after `code` ran in a fresh interpreter."""
    probe = (
        f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STUDIO_LANG": "en"}
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split()[-1000:])


def test_help_imports_none_of_the_heavy_machinery():
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from studio.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'loudness' in out.getvalue()\n"
    )
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_probe_sees_a_heavy_import():
    # Guards the guard: the same probe does notice scipy when a command pulls it in.
    assert "scipy" in _loaded_after("import audio.loudness")


def _registered(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_each_table_entry_is_registered_by_its_module(name):
    registered = _registered(cli.build_parser(name))
    assert name in registered
    # Every name the module registers has its own line, or `studio --help` would hide it
    # and choosing it would import the wrong module.
    assert {
        n for n in registered if cli.COMMANDS.get(n, (None,))[0] != cli.COMMANDS[name][0]
    } == set()


def test_help_lists_every_command_with_its_line(capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    for name, (_module, en, _vi) in cli.COMMANDS.items():
        if en is not None:
            assert name in out and en in out
