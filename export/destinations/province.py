"""The provincial source-information system ("hệ thống thông tin nguồn cấp tỉnh").

Sends the audio with a bulletin metadata JSON document (see `docs/province-bulletin.md` and its
JSON Schema `docs/province-bulletin.schema.json`) as one multipart HTTP(S) request with an
Idempotency-Key. Each province names its fields differently, so the top-level keys can be
renamed with the `field_map` option (a JSON object: our key → their key; null drops a key) and
priority values with `priority_map`.

Options beyond those of `HttpDestination`: audio_field (default "audio"), metadata_field
(default "metadata"), field_map, priority_map, station.
"""

from __future__ import annotations

import json
from typing import Any

from .base import PRIORITIES, Plan, TransferError
from .http import HttpDestination

SCHEMA_ID = "https://studio-truyen-thanh.example/schemas/province-bulletin/1.json"
PRIORITY_LABELS = {"thuong": "Thông thường", "uu-tien": "Ưu tiên", "khan-cap": "Khẩn cấp"}


def bulletin_document(plan: Plan, station: str = "") -> dict[str, Any]:
    """The canonical bulletin document for a plan (before any province field mapping)."""
    m = plan.metadata
    priority = m.get("priority") or "thuong"
    if priority not in PRIORITIES:
        raise TransferError(
            f"Unknown priority '{priority}' (use thuong, uu-tien or khan-cap).",
            f"Mức ưu tiên '{priority}' không hợp lệ (dùng thuong, uu-tien hoặc khan-cap).",
            retryable=False,
        )
    title = (m.get("title") or "").strip()
    if not title:
        raise TransferError(
            "A bulletin for the province needs a title.",
            "Bản tin gửi tỉnh cần có tiêu đề.",
            retryable=False,
        )
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "id": plan.idempotency_key,
        "title": title,
        "summary": m.get("summary") or "",
        "category": m.get("category") or "",
        "priority": priority,
        "priority_label": PRIORITY_LABELS[priority],
        "duration_s": float(m.get("duration_s") or 0.0),
        "language": m.get("language") or "vi",
        "target_areas": list(dict.fromkeys(m.get("target_areas") or [])),  # unique, in order
        "schedule": m.get("schedule"),
        "author": m.get("author") or "",
        "station": m.get("station") or station,
        "created_at": m.get("created_at") or "",
        "audio": {
            "file_name": plan.final_name,
            "size": plan.size,
            "sha256": plan.sha256,
            "mime_type": "audio/mpeg" if plan.final_name.lower().endswith(".mp3") else None,
        },
        "broadcast_ready_report": m.get("report"),
    }
    if doc["audio"]["mime_type"] is None:
        import mimetypes

        doc["audio"]["mime_type"] = (
            mimetypes.guess_type(plan.final_name)[0] or "application/octet-stream"
        )
    return doc


def _json_option(value: Any, name: str) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise TransferError(
            f"The option '{name}' must be a JSON object.",
            f"Tuỳ chọn '{name}' phải là một đối tượng JSON.",
            retryable=False,
        )
    return parsed


def apply_mapping(doc: dict[str, Any], field_map: dict, priority_map: dict) -> dict[str, Any]:
    """Rename top-level keys (null drops one) and priority values for one province."""
    doc = dict(doc)
    if priority_map and doc.get("priority") in priority_map:
        doc["priority"] = priority_map[doc["priority"]]
    out: dict[str, Any] = {}
    for key, value in doc.items():
        target = field_map.get(key, key)
        if target is None:
            continue
        out[str(target)] = value
    return out


class ProvinceDestination(HttpDestination):
    kind = "province"
    default_file_field = "audio"

    def document(self, plan: Plan) -> dict[str, Any]:
        doc = bulletin_document(plan, self.config.option("station", ""))
        return apply_mapping(
            doc,
            _json_option(self.config.option("field_map"), "field_map"),
            _json_option(self.config.option("priority_map"), "priority_map"),
        )

    def prepare(self, item):  # noqa: ANN001 - same signature as the base
        plan = super().prepare(item)
        self.document(plan)  # fail early on a bad title/priority/mapping, before queueing
        return plan

    def extra_fields(self, plan: Plan) -> dict[str, str]:
        fields = self._prefixed("field.")
        fields[self.config.option("metadata_field", "metadata")] = json.dumps(
            self.document(plan), ensure_ascii=False
        )
        return fields
