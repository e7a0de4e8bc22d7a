"""The bulletin sidecar: a JSON file beside the audio for head-ends that read one.

A folder, FTP/FTPS or SFTP head-end cannot receive metadata with the file the way the province
API does, so the bulletin document (the same JSON as `docs/province-bulletin.md`: title,
priority, target areas, schedule, sha256 …) is written beside it as `<audio name>.bulletin.json`.
It is put in place (temporary name, then rename) *before* the audio appears, so a head-end that
sees the audio finds its sidecar at once. See `docs/schedules.md`.

The destination option `sidecar` chooses when: `auto` (default: when the push carries a
schedule), `always`, or `never`.
"""

from __future__ import annotations

import json

from .base import DestinationConfig, Plan, TransferError
from .province import bulletin_document

SUFFIX = ".bulletin.json"
MODES = ("auto", "always", "never")


def sidecar_name(final_name: str) -> str:
    return final_name + SUFFIX


def sidecar_mode(config: DestinationConfig) -> str:
    mode = str(config.option("sidecar") or "auto").strip().lower()
    if mode not in MODES:
        raise TransferError(
            f"The option sidecar={mode} is not one of {', '.join(MODES)}.",
            f"Tuỳ chọn sidecar={mode} không hợp lệ (dùng {', '.join(MODES)}).",
            retryable=False,
        )
    return mode


def sidecar_bytes(config: DestinationConfig, plan: Plan) -> bytes | None:
    """The sidecar to write with this plan, or None when the destination wants none."""
    mode = sidecar_mode(config)
    if mode == "never" or (mode == "auto" and not plan.metadata.get("schedule")):
        return None
    doc = bulletin_document(plan, config.option("station", ""))
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
