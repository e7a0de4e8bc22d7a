"""Where the app keeps its data.

Everything (settings, library database, media store, logs, outbox, recovery files) lives under
one folder: `STUDIO_HOME` when set (tests, scripts, several stations on one PC), otherwise the
platform's user data folder (Windows: `%LOCALAPPDATA%\\StudioTruyenThanh`; Linux:
`~/.local/share/StudioTruyenThanh`). The media store alone may live elsewhere (a bigger disk):
the `media_folder` setting. A new media folder chosen while the app runs is moved to on the
next start (`settle_media_move`), before anything reads the store.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "StudioTruyenThanh"


@dataclass(frozen=True, slots=True)
class StudioHome:
    root: Path
    media_folder: Path | None = None  # None: `root/media`

    @classmethod
    def default(cls) -> StudioHome:
        env = os.environ.get("STUDIO_HOME")
        root = Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls.at(root)

    @classmethod
    def at(cls, root: str | os.PathLike) -> StudioHome:
        """The home at `root`, with the media folder its settings name (a pending move of the
        media folder is carried out first)."""
        root = Path(root)
        settle_media_move(root)
        chosen = _settings_of(root).get("media_folder")
        return cls(root, Path(chosen) if isinstance(chosen, str) and chosen else None)

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
        return self.media_folder or self.root / "media"

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


def _settings_of(root: Path) -> dict:
    try:
        data = json.loads((root / "settings.json").read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def settle_media_move(root: Path) -> None:
    """Carry out a media-folder change asked for while the app was running: move every entry
    of the old store (`media_moving_from`) into the new one (`media_folder`), then forget the
    old one. Entries already in the new folder are kept. A move that fails half-way is taken
    up again on the next start (nothing is deleted that was not moved)."""
    from studio.settings import Settings

    values = _settings_of(root)
    source, target = values.get("media_moving_from"), values.get("media_folder")
    if not source:
        return
    source = Path(source)
    target = Path(target) if target else root / "media"
    if source.is_dir() and source.resolve() != target.resolve():
        target.mkdir(parents=True, exist_ok=True)
        for entry in sorted(source.iterdir()):
            dest = target / entry.name
            if entry.is_dir() and dest.is_dir():
                for item in entry.iterdir():
                    if not (dest / item.name).exists():
                        shutil.move(str(item), str(dest / item.name))
            elif not dest.exists():
                shutil.move(str(entry), str(dest))
    settings = Settings(root / "settings.json")
    settings.set("media_moving_from", "")
    settings.save()


def choose_media_folder(settings, home: StudioHome, folder: str | os.PathLike) -> bool:
    """Remember `folder` as the media folder (a studio.settings.Settings, saved by the caller).
    When the current store has media, it moves there on the next start; returns True then."""
    new = Path(folder)
    current = home.media
    if new.resolve() == current.resolve():
        return False
    settings.set("media_folder", str(new))
    has_media = current.is_dir() and any(current.iterdir())
    settings.set("media_moving_from", str(current) if has_media else "")
    return has_media
