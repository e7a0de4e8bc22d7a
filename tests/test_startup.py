"""Start-up stays light: the parser is a table, each command's machinery is imported on demand."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
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
    # Guards the guard: the same probe does notice a heavy import when a command pulls it in.
    assert "sqlalchemy" in _loaded_after("import studio.library")


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


# The meters start without scipy: the numpy filters are scipy's, to rounding.


@pytest.mark.parametrize("rate", [44_100, 48_000, 96_000])
def test_numpy_k_weighting_is_scipys_sosfilt(rate):
    from scipy.signal import sosfilt

    from audio.iir import SosFilter
    from audio.loudness import k_weighting_sos

    sos = k_weighting_sos(rate)
    filt = SosFilter(sos)
    rng = np.random.default_rng(rate)
    x = rng.standard_normal((20_000, 2))
    zi = rng.standard_normal((2, 2, 2)) * 0.1
    want, want_zf = sosfilt(sos, x, axis=0, zi=zi)
    # Fed in uneven pieces, the state carried between them, 1-D and 2-D.
    got, zf = [], zi.copy()
    for lo, hi in [(0, 1), (1, 64), (64, 129), (129, 5000), (5000, 20_000)]:
        y, zf = filt(x[lo:hi], zf)
        got.append(y)
    np.testing.assert_allclose(np.concatenate(got), want, rtol=0, atol=1e-10)
    np.testing.assert_allclose(zf, want_zf, rtol=0, atol=1e-10)
    y1, zf1 = filt(x[:, 0], zi[:, :, 0])
    np.testing.assert_allclose(y1, want[:, 0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(zf1, want_zf[:, :, 0], rtol=0, atol=1e-10)


def test_true_peak_taps_are_firwins():
    from scipy.signal import firwin

    from audio.loudness import kaiser_lowpass

    for factor in (2, 4):
        want = firwin(factor * 16 - 1, 1.0 / factor, window=("kaiser", 7.0))
        np.testing.assert_allclose(
            kaiser_lowpass(factor * 16 - 1, 1.0 / factor, 7.0), want, atol=1e-15
        )


def test_a_long_offline_run_switches_to_scipy_with_the_same_reading():
    from audio import loudness

    rate = 8_000  # a minute is cheap to feed
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((int(75 * rate), 2)) * 0.1).astype(np.float32)
    x[: 20 * rate] *= 0.3
    switching = loudness.LoudnessMeter(rate, 2)
    for i in range(0, len(x), 32_768):
        switching.feed(x[i : i + 32_768])
    assert switching._compiled is not None
    live = loudness.LoudnessMeter(rate, 2)
    for i in range(0, len(x), 4_000):  # live-sized blocks never switch
        live.feed(x[i : i + 4_000])
    assert live._compiled is None or "scipy.signal" in sys.modules
    a, b = switching.report(), live.report()
    assert a.integrated_lufs == pytest.approx(b.integrated_lufs, abs=1e-9)
    assert a.loudness_range_lu == pytest.approx(b.loudness_range_lu, abs=1e-9)
    assert a.short_term_max_lufs == pytest.approx(b.short_term_max_lufs, abs=1e-9)


def test_head_revision_read_from_the_files_is_alembics():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from studio.db import MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_an_up_to_date_database_opens_without_alembic(tmp_path):
    from studio.db import Database, current_revision, head_revision

    url = f"sqlite:///{tmp_path / 'studio.sqlite3'}"
    Database(url).close()  # a new database: migrated by Alembic
    loaded = _loaded_after(
        "from studio.db import Database, current_revision\n"
        f"db = Database({url!r})\n"
        "print(current_revision(db.engine))\n"
    )
    assert "alembic" not in loaded
    db = Database(url, upgrade=False)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.close()
