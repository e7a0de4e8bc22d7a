"""Screenshots of every page of the first-start assistant on a 1366×768 screen, to look at.

    .venv/bin/python scripts/first-start-screenshots.py [OUT_DIR] [--display :94]

Starts its own Xvfb (1366×768), opens the assistant with the real sound devices, shows a level
check result for a quiet reading, and saves one PNG of the whole screen per page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="first-start-shots")
    parser.add_argument("--display", default=":94")
    args = parser.parse_args()
    xvfb = subprocess.Popen(
        ["Xvfb", args.display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        os.environ.update(DISPLAY=args.display, QT_QPA_PLATFORM="xcb")
        return shoot(Path(args.out))
    finally:
        xvfb.terminate()


def shoot(out: Path) -> int:
    import numpy as np

    from studio.level_check import check_reading
    from studio.paths import StudioHome
    from studio.settings import Settings
    from ui.app import prepare_looks
    from ui.first_start.wizard import FirstStartWizard

    home = StudioHome(Path(tempfile.mkdtemp(prefix="first-start-"))).ensure()
    settings = Settings(home.settings_file)
    app = prepare_looks(settings)
    wizard = FirstStartWizard(settings, home)
    wizard.show()
    screen = app.primaryScreen().geometry()
    wizard.move((screen.width() - wizard.width()) // 2, (screen.height() - wizard.height()) // 2)
    out.mkdir(parents=True, exist_ok=True)

    def settle(seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    for i, key in enumerate(wizard.PAGE_KEYS):
        settle()
        if key == "level":  # what a quiet microphone is told
            t = np.arange(7 * 48_000) / 48_000
            voice = np.sin(2 * np.pi * 150 * t) * np.clip(np.sin(2 * np.pi * 4 * t), 0, None)
            voice *= ((t % 2.5) < 1.9) * 0.03
            wizard.pages["level"].show_result(check_reading(voice.astype(np.float32), 48_000))
        if key == "station":
            wizard.pages["station"].station.setText("Đài truyền thanh xã Yên Lạc")
            wizard.pages["station"].commune.setText("xã Yên Lạc")
        settle(0.2)
        path = out / f"{i}-{key}.png"
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path)
        if key != "done":
            wizard.next()
    wizard.session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
