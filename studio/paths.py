"""Where the app keeps its data.

Everything (settings, library database, media store, logs, outbox, recovery files) lives under
one folder: `STUDIO_HOME` when set (tests, scripts, several stations on one PC), otherwise the
platform's user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "StudioTruyenThanh"


@dataclass(frozen=True, slots=True)
class StudioHome:
    root: Path

    @classmethod
    def default(cls) -> StudioHome:
        env = os.environ.get("STUDIO_HOME")
        root = Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls(root)

    def ensure(self) -> StudioHome:
        for folder in (
            self.root,
            self.media,
            self.recordings,
            self.recovery,
            self.logs,
            self.exports,
        ):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from audio.errors import StudioError

                raise StudioError(
                    f"The studio folder '{folder}' cannot be made ({exc.strerror}): set "
                    "STUDIO_HOME to a folder you may write to.",
                    f"Không tạo được thư mục '{folder}' ({exc.strerror}): hãy đặt STUDIO_HOME "
                    "là một thư mục có quyền ghi.",
                ) from exc
        return self

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def recovery(self) -> Path:
        return self.root / "recovery"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def library_url(self) -> str:
        return f"sqlite:///{(self.root / 'library.sqlite3').as_posix()}"
