"""`studio --self-test`: prove that this installation works, without touching the user's data.

Run from the source tree or from the bundle, headless. Each check is a small function that
returns one line of detail or raises; the runner catches everything, so a failure is a reason
on the summary line and a non-zero exit code, never a traceback. Everything happens in a
temporary studio home (its own settings, library database and media store) that is removed
afterwards; `STUDIO_LIBRARY_URL` is ignored for the run, so a shared library is never touched.

The window check is given by the caller (the launcher passes one from `ui/` when Qt is there),
so this module stays free of Qt.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audio.errors import StudioError, current_language
from audio.errors import localized as _t

WindowCheck = Callable[[Path], str]  # studio home -> detail; raises on failure


@dataclass(frozen=True, slots=True)
class CheckResult:
    key: str
    title: str
    ok: bool
    detail: str
    seconds: float
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class SelfTestReport:
    results: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok or r.skipped for r in self.results)

    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.ok and not r.skipped]

    def lines(self) -> list[str]:
        from studio import __version__

        out = [
            _t(
                f"Studio Truyền Thanh {__version__} self-test (Python {platform.python_version()}, "
                f"{platform.system()} {platform.machine()})",
                f"Studio Truyền Thanh {__version__} tự kiểm tra (Python "
                f"{platform.python_version()}, {platform.system()} {platform.machine()})",
            )
        ]
        for r in self.results:
            mark = "SKIP" if r.skipped else ("OK  " if r.ok else "FAIL")
            out.append(f"  [{mark}] {r.title}: {r.detail} ({r.seconds:.1f} s)")
        failed = self.failures()
        if failed:
            out.append(
                _t(
                    f"Result: FAILED ({len(failed)} of {len(self.results)} checks).",
                    f"Kết quả: KHÔNG ĐẠT ({len(failed)}/{len(self.results)} mục lỗi).",
                )
            )
        else:
            out.append(_t("Result: all checks passed.", "Kết quả: mọi mục đều đạt."))
        return out


@contextlib.contextmanager
def temporary_home() -> Iterator[Path]:
    """A throwaway STUDIO_HOME for the run; the caller's environment is put back after."""
    saved = {k: os.environ.get(k) for k in ("STUDIO_HOME", "STUDIO_LIBRARY_URL")}
    root = Path(tempfile.mkdtemp(prefix="studio-self-test-"))
    os.environ["STUDIO_HOME"] = str(root)
    os.environ.pop("STUDIO_LIBRARY_URL", None)
    try:
        yield root
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(root, ignore_errors=True)


# --- the checks ------------------------------------------------------------------------------


def check_devices(home: Path) -> str:
    """PortAudio loads and lists the devices. None at all is not a failure of the app (a PC
    may have its mixer unplugged), but the line says so."""
    from audio import devices

    found = devices.list_devices()
    inputs = [d for d in found if d.max_input_channels > 0]
    outputs = [d for d in found if d.max_output_channels > 0]
    apis = sorted({d.host_api for d in found})
    import sounddevice as sd

    version = sd.get_portaudio_version()[1].split(",")[0]
    return _t(
        f"{len(inputs)} input and {len(outputs)} output devices ({', '.join(apis) or 'none'}); "
        f"{version}",
        f"{len(inputs)} thiết bị thu, {len(outputs)} thiết bị phát "
        f"({', '.join(apis) or 'không có'}); {version}",
    )


def one_second_programme(store, rate: int = 48_000):
    """A programme with one second of a 440 Hz tone, its media in `store`."""
    import numpy as np
    import soundfile as sf

    from audio.timeline import TrackRole
    from studio.edits import add_source_clip
    from studio.programme import Programme

    t = np.arange(rate) / rate
    tone = (0.25 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    wav = Path(store.root) / "self-test-tone.wav"
    sf.write(str(wav), tone, rate, subtype="FLOAT")
    info = store.import_file(wav, rate)
    wav.unlink()
    programme = Programme(title="Tự kiểm tra")
    return add_source_clip(programme, info, "Giọng đọc", 0, role=TrackRole.VOICE)


def check_render(home: Path) -> str:
    """Render, normalise, encode (MP3) and read back a one-second programme."""
    import soundfile as sf

    from audio.loudness import LoudnessMeter
    from export.presets import preset
    from studio.exporting import ExportService
    from studio.paths import StudioHome

    service = ExportService(StudioHome(home))
    programme = one_second_programme(service.store)
    out = home / "exports" / "tu-kiem-tra.mp3"
    out.parent.mkdir(parents=True, exist_ok=True)
    service.export(programme, out, preset("loudspeaker"))
    data, file_rate = sf.read(str(out), dtype="float32", always_2d=True)
    seconds = len(data) / file_rate
    if abs(seconds - 1.0) > 0.01:
        raise StudioError(
            f"the MP3 reads back as {seconds:.3f} s instead of 1.000 s",
            f"tệp MP3 đọc lại dài {seconds:.3f} giây thay vì 1,000 giây",
        )
    meter = LoudnessMeter(file_rate, data.shape[1])
    meter.feed(data)
    lufs = meter.integrated_lufs()
    if lufs is None or abs(lufs + 16.0) > 1.0:
        raise StudioError(
            f"the MP3 measures {lufs} LUFS instead of about -16",
            f"tệp MP3 đo được {lufs} LUFS thay vì khoảng -16",
        )
    size = out.stat().st_size
    return _t(
        f"1 s programme → MP3 {size // 1024} KiB, read back {seconds:.3f} s at {lufs:.1f} LUFS",
        f"chương trình 1 giây → MP3 {size // 1024} KiB, đọc lại {seconds:.3f} giây, "
        f"{lufs:.1f} LUFS",
    )


def check_library(home: Path) -> str:
    """Create and migrate the library database, file a segment, find it without diacritics."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from studio.db import MIGRATIONS
    from studio.library.service import open_library
    from studio.paths import StudioHome

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    library = open_library(StudioHome(home))
    try:
        with library.db.engine.connect() as conn:
            current = conn.execute(text("select version_num from alembic_version")).scalar()
        if current != head:
            raise StudioError(
                f"the schema is at {current}, not at the newest revision {head}",
                f"lược đồ đang ở {current}, không phải bản mới nhất {head}",
            )
        clip = one_second_programme(library.store).timeline.tracks[0].clips[0]
        library.add(library.store.info(clip.source_id, library.rate), title="Bản tin tự kiểm tra")
        if len(library.search("ban tin tu kiem tra")) != 1:
            raise StudioError(
                "a segment just filed is not found by search",
                "không tìm thấy đoạn vừa lưu vào thư viện",
            )
        dialect = library.dialect
    finally:
        library.close()
    return _t(
        f"{dialect} database created and migrated to {head}; search finds a filed segment",
        f"tạo cơ sở dữ liệu {dialect}, nâng cấp tới {head}; tìm thấy đoạn vừa lưu",
    )


def check_keyring(home: Path) -> str:
    """The OS keyring is usable: a throwaway secret is stored, read back and removed."""
    from studio.credentials import KeyringCredentials

    store = KeyringCredentials()
    name = f"self-test-{uuid.uuid4().hex[:12]}"
    secret = uuid.uuid4().hex
    store.set(name, secret)
    try:
        back = store.get(name)
    finally:
        store.delete(name)
    if back != secret:
        raise StudioError(
            "the keyring did not give back the secret it was given",
            "kho mật khẩu không trả lại đúng mật khẩu vừa lưu",
        )
    backend = type(store._backend).__name__
    return _t(f"{backend}: store, read and remove work", f"{backend}: lưu, đọc, xoá đều được")


# --- the runner ------------------------------------------------------------------------------


def _titles() -> dict[str, str]:
    return {
        "window": _t("Main window", "Cửa sổ chính"),
        "devices": _t("Audio devices", "Thiết bị âm thanh"),
        "render": _t("Render, encode, read back", "Dựng, mã hoá, đọc lại"),
        "library": _t("Library database", "Cơ sở dữ liệu thư viện"),
        "keyring": _t("Password store (keyring)", "Kho mật khẩu (keyring)"),
    }


def _reason(exc: BaseException) -> str:
    if isinstance(exc, StudioError):
        return exc.message(current_language())
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def run_self_test(window_check: WindowCheck | None = None) -> SelfTestReport:
    """Run every check in a temporary studio home; never raises."""
    titles = _titles()
    checks: list[tuple[str, Callable[[Path], str] | None]] = [
        ("window", window_check),
        ("devices", check_devices),
        ("render", check_render),
        ("library", check_library),
        ("keyring", check_keyring),
    ]
    results = []
    with temporary_home() as home:
        for key, check in checks:
            t0 = time.perf_counter()
            if check is None:
                detail = _t(
                    "Qt is not installed: window not checked",
                    "không có Qt: không kiểm tra cửa sổ",
                )
                results.append(CheckResult(key, titles[key], False, detail, 0.0, skipped=True))
                continue
            try:
                detail, ok = check(home), True
            except Exception as exc:  # noqa: BLE001 - every failure becomes a reason line
                detail, ok = _reason(exc), False
            results.append(CheckResult(key, titles[key], ok, detail, time.perf_counter() - t0))
    return SelfTestReport(tuple(results))


def main(window_check: WindowCheck | None = None) -> int:
    """Print the summary; 0 when every check passed, 1 otherwise."""
    report = run_self_test(window_check)
    for line in report.lines():
        print(line, flush=True)
    if not report.ok:
        print(
            "; ".join(f"{r.title}: {r.detail}" for r in report.failures()),
            file=sys.stderr,
        )
    return 0 if report.ok else 1
