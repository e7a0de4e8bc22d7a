"""User settings, each declared once with its type and default.

Stored as JSON in the studio home (written atomically). Unknown keys from a newer version are
kept untouched; a damaged file falls back to the defaults and is set aside, never lost.
Secrets never go here (they go to the OS keyring).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio.fileio import write_text_atomically


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting("language", str, "vi", "UI language: vi or en"),
    Setting("theme", str, "light", "light or dark"),
    Setting("recent_programmes", list, [], "most recent first"),
    Setting("input_host_api", str, "", "PortAudio host API name for recording"),
    Setting("input_device", str, "", "input device name; empty = system default"),
    Setting("output_device", str, "", "output device name; empty = system default"),
    Setting("input_rate", int, 48_000, "recording sample rate"),
    Setting("input_channels", list, [0], "device input channels that feed an armed track"),
    Setting("export_preset", str, "loudspeaker", "export preset (export/presets.py)"),
    Setting("export_folder", str, "", "folder of the last export; empty = the home's exports"),
    Setting("library_url", str, "", "database URL; empty = SQLite in the studio home"),
    Setting("station_name", str, "", "written into ID3 tags, titles and reports"),
    Setting("commune", str, "", "the commune the station serves, used in titles and scripts"),
    Setting(
        "reader_pace_sps", float, 0.0, "the reader's pace in syllables/s; 0 = not yet measured"
    ),
    Setting("script_pause_s", float, 0.8, "pause between script items' takes, in seconds"),
    Setting("media_folder", str, "", "where the media store lives; empty = in the studio home"),
    Setting("media_moving_from", str, "", "the old media folder, moved on the next start"),
    Setting("first_start_done", bool, False, "the first-start assistant was finished or skipped"),
    Setting("autosave_seconds", int, 60, "how often the recovery file is written"),
    Setting("balance_auto_level", bool, True, "auto-level clips by their track's role"),
    Setting("balance_duck", bool, True, "music beds dip under the voice"),
    Setting("balance_speech_lufs", float, -20.0, "where auto-level sets the voice, LUFS"),
    Setting("balance_bed_below_speech_lu", float, 8.0, "a bed on its own, LU under the voice"),
    Setting("balance_bed_fade_s", float, 3.0, "a bed's own fade-out, seconds"),
)
_BY_KEY = {s.key: s for s in SETTINGS}


class Settings:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._values: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            return
        except (OSError, ValueError, UnicodeDecodeError):
            # Keep the damaged file for inspection and start from the defaults.
            self.path.replace(self.path.with_suffix(f".damaged-{int(time.time())}.json"))
            return
        if "loudness_preset" in data and "export_preset" not in data:
            # Releases before the one export preset model kept the loudness preset's name
            # here; the name is an alias of its export preset.
            data["export_preset"] = data.pop("loudness_preset")
        self._values = data

    def get(self, key: str) -> Any:
        spec = _BY_KEY[key]
        value = self._values.get(key, spec.default)
        if not isinstance(value, spec.type):
            return spec.default
        return list(value) if isinstance(value, list) else value

    def set(self, key: str, value: Any) -> None:
        spec = _BY_KEY[key]
        if not isinstance(value, spec.type):
            raise TypeError(f"setting {key} takes {spec.type.__name__}")
        self._values[key] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(self.path, json.dumps(self._values, ensure_ascii=False, indent=1))
