"""Times as people read them: m:ss on the ruler, m:ss.hh in the transport."""

from __future__ import annotations


def clock(frames: int, rate: int) -> str:
    """m:ss.hh (hundredths), e.g. 12:03.45; negative times get a minus sign."""
    sign = "-" if frames < 0 else ""
    hundredths = abs(int(frames)) * 100 // rate
    minutes, rest = divmod(hundredths, 6000)
    return f"{sign}{minutes}:{rest // 100:02d}.{rest % 100:02d}"


def ruler(frames: int, rate: int, step_frames: int) -> str:
    """m:ss for ruler labels; finer steps than a second add hundredths or the frame."""
    if step_frames >= rate:
        seconds = int(frames) // rate
        return f"{seconds // 60}:{seconds % 60:02d}"
    if step_frames * 100 >= rate:
        return clock(frames, rate)
    if step_frames * 1000 >= rate:  # milliseconds
        ms = abs(int(frames)) * 1000 // rate
        return f"{ms // 60000}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    return str(int(frames))  # zoomed to the sample: the frame number itself
