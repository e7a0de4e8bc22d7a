"""Reading the script: one take per item, filed in its place on the voice track.

The window's prompter and `studio record PROGRAMME --item N` both end here: the take file is
imported into the media store, its silent head and tail are trimmed (only the clip's window:
the audio stays whole), and the clip goes where the item stands in script order.
"""

from __future__ import annotations

import re
from pathlib import Path

from audio.errors import StudioError
from audio.media import MediaInfo, MediaStore
from audio.timeline import Clip
from studio.programme import Programme, media_ref_for
from studio.script import place_item_take, trim_silence


def check_item(programme: Programme, index: int) -> None:
    count = len(programme.script.items)
    if count == 0:
        raise StudioError(
            "This programme has no script yet (studio script set PROGRAMME FILE.txt).",
            "Chương trình chưa có kịch bản (studio script set CHƯƠNG_TRÌNH TỆP.txt).",
        )
    if not 0 <= index < count:
        raise StudioError(
            f"There is no item {index + 1}: the script has {count} item(s).",
            f"Không có mục {index + 1}: kịch bản có {count} mục.",
        )


def take_path(recordings: Path, programme: Programme, index: int) -> Path:
    """A new file name for item `index`'s take, named after the programme and the item:
    'Ban tin sang 02-12 - muc 3 - lan 2.wav'. Never an existing file."""
    stem = re.sub(r"[^\w\- ]+", "-", programme.title or "Chuong trinh").strip(" -") or "take"
    n = 1
    while True:
        path = recordings / f"{stem} - muc {index + 1} - lan {n}.wav"
        if not path.exists():
            return path
        n += 1


def add_item_take(
    programme: Programme, index: int, path: str | Path, store: MediaStore, trim: bool = True
) -> tuple[Programme, MediaInfo]:
    """Import the take at `path` and put it in item `index`'s place (a take the item had
    before goes to the takes lane)."""
    check_item(programme, index)
    rate = programme.timeline.rate
    info = store.import_file(path, rate)
    offset, length = 0, info.frames
    if trim:
        offset, length = trim_silence(store.frames(info.source_id, rate), rate)
    clip = Clip(
        info.source_id,
        0,
        length,
        source_offset=offset,
        name=f"{programme.script.voice_track} {index + 1}",
        auto_level=True,
    )
    timeline, script = place_item_take(programme.timeline, programme.script, index, clip)
    programme = programme.with_changes(timeline=timeline, script=script)
    return programme.with_media(media_ref_for(info, path)), info
