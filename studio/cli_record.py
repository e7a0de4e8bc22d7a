"""`studio record`: timer recording without the window, and `studio recover-takes`.

    studio record OUT.wav --duration SECONDS [--device NAME] [--channels 1|2] [--rate 48000]
                  [--start HH:MM]

The file is written as it is recorded and its header is refreshed every half second, so a
kill or a power cut leaves a valid WAV missing at most about the last second. Dropouts are
printed as they happen and listed at the end; a device that cannot be opened is one clear
line and exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from audio.devices import find_device
from audio.errors import StudioError
from audio.errors import localized as _t
from audio.recording import Dropout
from studio import cli_values
from studio.paths import StudioHome
from studio.recording import RecordingSession


def _clock(seconds: float) -> str:
    m, s = divmod(seconds, 60)
    return f"{int(m):02d}:{s:06.3f}"


def _parse_start(text: str, now: dt.datetime) -> dt.datetime:
    try:
        hour, minute = (int(x) for x in text.split(":"))
        when = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError as exc:
        raise StudioError(
            f"--start takes a time as HH:MM, not '{text}'.",
            f"--start cần giờ dạng HH:MM, không phải '{text}'.",
        ) from exc
    if when <= now:
        when += dt.timedelta(days=1)  # 06:00 asked at 22:00 means tomorrow morning
    return when


def cmd_record(args: argparse.Namespace, home: StudioHome) -> int:
    if args.item is not None:
        return _record_item(args, home)
    out = Path(args.output)
    if out.exists():
        raise StudioError(
            f"'{out}' already exists; a recording never overwrites a file. Choose another name.",
            f"'{out}' đã tồn tại; bản thu không bao giờ ghi đè tệp. Hãy chọn tên khác.",
        )
    if args.duration <= 0:
        raise StudioError("--duration must be positive.", "--duration phải lớn hơn 0.")
    if not out.parent.exists():
        raise StudioError(
            f"The folder '{out.parent}' does not exist.", f"Thư mục '{out.parent}' không tồn tại."
        )
    take = _record_take(args, out, home)
    return 1 if take.ended_by is not None else 0


def _record_take(args: argparse.Namespace, out: Path, home: StudioHome):
    """Record `args.duration` seconds into `out`, printing dropouts as they happen."""
    # Resolve the device before waiting for --start, so a wrong name fails at once.
    device = find_device(args.device or None, "input")
    channels = tuple(range(args.channels))
    if device.max_input_channels < args.channels:
        raise StudioError(
            f"'{device.name}' has only {device.max_input_channels} input channel(s).",
            f"'{device.name}' chỉ có {device.max_input_channels} kênh vào.",
        )
    session = RecordingSession(home)
    session.choose(device.host_api, device.name, args.rate, channels, remember=False)
    if args.start:
        when = _parse_start(args.start, dt.datetime.now())
        print(_t(f"Waiting until {when:%H:%M}…", f"Đang chờ đến {when:%H:%M}…"), flush=True)
        while (left := (when - dt.datetime.now()).total_seconds()) > 0:
            time.sleep(min(left, 1.0))

    rate = args.rate

    def report(drop: Dropout) -> None:
        print(
            _t(
                f"Dropout at {_clock(drop.seconds(rate))}",
                f"Mất tín hiệu tại {_clock(drop.seconds(rate))}",
            ),
            flush=True,
        )

    def started(warning) -> None:
        if warning:
            print(warning.message(), file=sys.stderr)
        print(
            _t(
                f"Recording {args.duration:g} s from '{device.name}' to {out}",
                f"Đang thu {args.duration:g} giây từ '{device.name}' vào {out}",
            ),
            flush=True,
        )

    take = session.record_file(out, args.duration, {"source": "studio record"}, report, started)
    if take is None:
        raise StudioError("Nothing was recorded.", "Không thu được gì.")
    print(
        _t(
            f"Wrote {out} ({take.frames / rate:.2f} s), {len(take.dropouts)} dropout(s)",
            f"Đã ghi {out} ({take.frames / rate:.2f} giây), {len(take.dropouts)} lần mất tín hiệu",
        )
    )
    for drop in take.dropouts:
        print(f"  {_clock(drop.seconds(rate))}  {drop.kind}  {drop.lost_frames}")
    if take.ended_by is not None:
        print(take.ended_by.message(), file=sys.stderr)
    return take


def _record_item(args: argparse.Namespace, home: StudioHome) -> int:
    """Record the take of one script item into its place in the programme."""
    from audio.media import MediaStore
    from studio.programme import load_programme, save_programme
    from studio.reading import add_item_take, check_item, take_path
    from studio.script import reader_pace
    from studio.settings import Settings

    if args.duration <= 0:
        raise StudioError("--duration must be positive.", "--duration phải lớn hơn 0.")
    home = home.ensure()
    programme = load_programme(args.output)
    index = args.item - 1
    check_item(programme, index)
    if args.rate != programme.timeline.rate:
        args.rate = programme.timeline.rate  # the take is recorded at the programme's rate
    out = take_path(home.recordings, programme, index)
    print(f"{args.item}. {programme.script.items[index].text}", flush=True)
    take = _record_take(args, out, home)
    programme, _ = add_item_take(programme, index, out, MediaStore(home.media))
    save_programme(programme, args.output)
    settings = Settings(home.settings_file)
    pace = reader_pace(programme.timeline, programme.script, 0.0)
    if pace:
        settings.set("reader_pace_sps", round(pace, 2))
        settings.save()
    print(
        _t(
            f"Item {args.item}'s take is in place in {args.output}",
            f"Đã đặt bản thu mục {args.item} vào {args.output}",
        )
    )
    return 1 if take.ended_by is not None else 0


def cmd_recover_takes(args: argparse.Namespace, home: StudioHome) -> int:
    recovered = RecordingSession(home.ensure()).recover()
    for item in recovered:
        print(
            _t(
                f"Recovered {item.take.path.name}: {item.take.frames / item.take.rate:.2f} s",
                f"Đã khôi phục {item.take.path.name}: {item.take.frames / item.take.rate:.2f} giây",
            )
        )
    if not recovered:
        print(_t("No unfinished takes.", "Không có bản thu dở dang."))
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "record", help=_t("record from an input (timer recording)", "thu âm (hẹn giờ)")
    )
    p.set_defaults(handler=cmd_record)
    p.add_argument(
        "output",
        help=_t("WAV file; with --item, the programme", "tệp WAV; với --item là chương trình"),
    )
    p.add_argument(
        "--duration", type=cli_values.duration, required=True, help=_t("seconds", "giây")
    )
    p.add_argument(
        "--item", type=int, help=_t("record this script item's take", "thu mục kịch bản này")
    )
    p.add_argument("--device", help=_t("input device name", "tên thiết bị thu"))
    p.add_argument("--channels", type=int, choices=[1, 2], default=1)
    p.add_argument("--rate", type=int, choices=[48_000, 44_100], default=48_000)
    p.add_argument("--start", help="HH:MM")

    p = sub.add_parser(
        "recover-takes",
        help=_t("recover takes cut short by a crash", "khôi phục bản thu bị gián đoạn"),
    )
    p.set_defaults(handler=cmd_recover_takes)
