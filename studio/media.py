"""The studio's media as the core hands it out: the content-addressed store of one home.

Audio is imported once (decoded, resampled to the project rate, stored by SHA-256), and
playback, export, waveforms and the library read it back from here. The window and the CLI
open the store through `open_media_store(home)`, so `ui/` needs none of the engine's
machinery: the store itself is `audio.media.MediaStore` (`import_file`, `info`, `frames`,
`peaks`, whose buckets are `PEAK_BUCKET` frames wide).
"""

from __future__ import annotations

from audio.media import PEAK_BUCKET, MediaInfo, MediaStore
from studio.paths import StudioHome

__all__ = ["PEAK_BUCKET", "MediaInfo", "MediaStore", "open_media_store"]


def open_media_store(home: StudioHome) -> MediaStore:
    """The media store of `home` (its folder made when missing)."""
    return MediaStore(home.ensure().media)
