"""`studio level`: the balance of a programme, clip by clip (auto-level by role, auto-duck,
bed fades), the same one `studio render` and the window apply.

    studio level PROGRAMME [--json]             # measured loudness, gain chosen and why
    studio level PROGRAMME --off 3 --on 1       # switch auto-level of clip rows off / on
    studio level PROGRAMME --duck "Nhạc nền=off" --duck-depth "Nhạc nền=15"
    studio level PROGRAMME --apply              # save the balanced values in the file
    studio level PROGRAMME --even-out 2         # ride a drifting reading's level (leveler)

Row numbers are the ones the listing prints. Every change is saved in the programme file.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from audio.errors import StudioError, current_language
from audio.errors import localized as _t
from studio.paths import StudioHome
from studio.programme import load_programme, save_programme


def _named(pairs: list[str], what_en: str, what_vi: str) -> list[tuple[str, str]]:
    out = []
    for pair in pairs:
        name, sep, value = pair.rpartition("=")
        if not sep or not name:
            raise StudioError(
                f"{what_en} takes TRACK=VALUE, not '{pair}'.",
                f"{what_vi} cần dạng RÃNH=GIÁ_TRỊ, không phải '{pair}'.",
            )
        out.append((name, value))
    return out


def _track(timeline, name: str) -> int:
    index = timeline.track_index(name)
    if index is None:
        names = ", ".join(t.name for t in timeline.tracks) or "—"
        raise StudioError(
            f"There is no track '{name}' (tracks: {names}).",
            f"Không có rãnh '{name}' (các rãnh: {names}).",
        )
    return index


def _set_ducking(timeline, args):
    tracks = list(timeline.tracks)
    for name, value in _named(args.duck, "--duck", "--duck"):
        i = _track(timeline, name)
        if value not in ("on", "off"):
            raise StudioError("--duck takes on or off.", "--duck nhận on hoặc off.")
        tracks[i] = tracks[i].with_changes(
            ducking=replace(tracks[i].duck_settings, enabled=value == "on")
        )
    for name, value in _named(args.duck_depth, "--duck-depth", "--duck-depth"):
        i = _track(timeline, name)
        try:
            duck = replace(tracks[i].duck_settings, enabled=True, depth_db=abs(float(value)))
        except ValueError as exc:
            raise StudioError(
                f"Duck depth must be a number of dB from 0 to 40, not '{value}'.",
                f"Độ hạ phải là số dB từ 0 đến 40, không phải '{value}'.",
            ) from exc
        tracks[i] = tracks[i].with_changes(ducking=duck)
    return timeline.with_changes(tracks=tuple(tracks))


def _check_rows(rows: list[tuple[int, int]], numbers: list[int]) -> None:
    for n in numbers:
        if not 1 <= n <= len(rows):
            raise StudioError(
                f"There is no clip row {n} (1…{len(rows)}).",
                f"Không có dòng đoạn số {n} (1…{len(rows)}).",
            )


def _switch(timeline, rows: list[tuple[int, int]], numbers: list[int], on: bool):
    _check_rows(rows, numbers)
    for n in numbers:
        ti, ci = rows[n - 1]
        track = timeline.tracks[ti]
        clips = list(track.clips)
        clips[ci] = clips[ci].with_changes(auto_level=on)
        timeline = timeline.with_track(ti, track.with_changes(clips=tuple(clips)))
    return timeline


def _clip_json(row: int, d, timeline, lang: str) -> dict:
    clip = timeline.tracks[d.track].clips[d.clip]
    return {
        "row": row,
        "track": d.track_name,
        "clip": d.clip_name,
        "role": str(d.role),
        "auto_level": clip.auto_level,
        "measure": d.measure,
        "measured_lufs": d.measured_lufs,
        "target_lufs": d.target_lufs,
        "level_db": d.level_db,
        "ducked": bool(clip.duck),
        "auto_fade_s": clip.fade_out / timeline.rate if clip.auto_fade else 0.0,
        "reason": d.reason(lang),
    }


def cmd_level(args: argparse.Namespace, home: StudioHome) -> int:
    from audio.media import MediaStore
    from studio import edits
    from studio.balance import Analyses, BalanceSettings, balance, even_out
    from studio.settings import Settings

    home = home.ensure()
    programme = load_programme(args.programme)
    timeline = programme.timeline
    rows = [(ti, ci) for ti, t in enumerate(timeline.tracks) for ci in range(len(t.clips))]
    changed = bool(args.off or args.on or args.duck or args.duck_depth or args.even_out)
    timeline = _switch(timeline, rows, args.off, False)
    timeline = _switch(timeline, rows, args.on, True)
    timeline = _set_ducking(timeline, args)
    settings = BalanceSettings.from_settings(Settings(home.settings_file))
    analyses = Analyses(MediaStore(home.media), timeline.rate)
    if args.even_out:
        _check_rows(rows, args.even_out)
        refs = [edits.ClipRef(*rows[n - 1]) for n in args.even_out]
        timeline, evened = even_out(timeline, refs, analyses)
        print(
            _t(
                f"Evened out {evened} of {len(refs)} clip(s) (a clip under 3 s or silent "
                "gets nothing).",
                f"Đã làm đều giọng {evened}/{len(refs)} đoạn (đoạn dưới 3 giây hoặc im lặng "
                "thì không).",
            )
        )
    result = balance(timeline, analyses, settings)
    if changed or args.apply:
        save_programme(programme.with_changes(timeline=result.timeline), args.programme)
    lang = current_language()
    tl = result.timeline
    if args.json:
        out = {
            "speech_lufs": settings.speech_lufs,
            "clips": [_clip_json(n, d, tl, lang) for n, d in enumerate(result.levels, 1)],
            "tracks": [
                {
                    "track": t.name,
                    "role": str(t.role),
                    "ducking": t.duck_settings.enabled,
                    "duck_depth_db": t.duck_settings.depth_db,
                }
                for t in tl.tracks
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if not result.levels:
        print(_t("The programme has no clips.", "Chương trình chưa có đoạn nào."))
    for n, d in enumerate(result.levels, 1):
        clip = tl.tracks[d.track].clips[d.clip]
        extra = []
        if clip.duck:
            extra.append(_t("ducked under the voice", "tự hạ dưới giọng đọc"))
        if clip.auto_fade:
            extra.append(
                _t(
                    f"fades out {clip.fade_out / tl.rate:.1f} s",
                    f"nhỏ dần {clip.fade_out / tl.rate:.1f} giây",
                )
            )
        name = d.clip_name or "—"
        gain = f"{d.level_db:+.1f} dB" if clip.auto_level else _t("off", "tắt")
        print(
            f"{n:>3}  {d.track_name} / {name}: {gain} — {d.reason(lang)}"
            + (f"; {', '.join(extra)}" if extra else "")
        )
    for t in tl.tracks:
        if t.duck_settings.enabled and t.role != "voice":
            print(
                _t(
                    f"Track '{t.name}' dips {t.duck_settings.depth_db:.0f} dB under the voice.",
                    f"Rãnh '{t.name}' tự hạ {t.duck_settings.depth_db:.0f} dB khi có giọng đọc.",
                )
            )
    if changed or args.apply:
        print(_t(f"Saved {args.programme}.", f"Đã lưu {args.programme}."))
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "level",
        help=_t(
            "auto-level and ducking: what is measured and chosen per clip",
            "tự cân bằng mức và tự hạ nhạc nền: đo và chọn gì cho từng đoạn",
        ),
    )
    p.set_defaults(handler=cmd_level)
    p.add_argument("programme")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--apply",
        action="store_true",
        help=_t("save the balanced values in the file", "lưu các giá trị đã cân bằng vào tệp"),
    )
    p.add_argument(
        "--off", type=int, action="append", default=[], metavar="ROW",
        help=_t("switch auto-level off for this clip row", "tắt tự cân bằng mức cho dòng này"),
    )  # fmt: skip
    p.add_argument(
        "--on", type=int, action="append", default=[], metavar="ROW",
        help=_t("switch auto-level on for this clip row", "bật tự cân bằng mức cho dòng này"),
    )  # fmt: skip
    p.add_argument(
        "--even-out", type=int, action="append", default=[], metavar="ROW",
        help=_t(
            "ride the level of a drifting reading (an envelope on the clip)",
            "làm đều giọng đọc to nhỏ thất thường trong đoạn (đường bao trên đoạn)",
        ),
    )  # fmt: skip
    p.add_argument(
        "--duck", action="append", default=[], metavar="TRACK=on|off",
        help=_t("ducking of a track on or off", "bật/tắt tự hạ cho một rãnh"),
    )  # fmt: skip
    p.add_argument(
        "--duck-depth", action="append", default=[], metavar="TRACK=DB",
        help=_t("how far a track dips under the voice", "rãnh tự hạ bao nhiêu dB"),
    )  # fmt: skip
