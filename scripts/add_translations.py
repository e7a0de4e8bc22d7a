"""Add Vietnamese translations to a Qt .ts file, then compile it with lrelease.

    python scripts/add_translations.py resources/translations/studio_vi.ts STRINGS.json

STRINGS.json maps a context (the class whose `self.tr` says it) to {English: Vietnamese}.
New messages are inserted as text at the end of their context (or in a new context before
`</TS>`), so the rest of the file stays exactly as lupdate wrote it; a message already there
keeps its translation.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

EMPTY = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="vi_VN">\n</TS>\n'


def _message(source: str, vi: str) -> str:
    return (
        "    <message>\n"
        f"        <source>{escape(source)}</source>\n"
        f"        <translation>{escape(vi)}</translation>\n"
        "    </message>\n"
    )


def add(ts_path: Path, table: dict[str, dict[str, str]]) -> None:
    text = ts_path.read_text("utf-8") if ts_path.exists() else EMPTY
    for name, messages in table.items():
        ctx = re.search(
            rf"<context>\s*<name>{re.escape(escape(name))}</name>.*?</context>", text, re.S
        )
        body = ctx.group(0) if ctx else ""
        new = "".join(
            _message(src, vi)
            for src, vi in messages.items()
            if f"<source>{escape(src)}</source>" not in body
        )
        if not new:
            continue
        if ctx:
            end = ctx.end() - len("</context>")
            text = text[:end] + new + text[end:]
        else:
            block = f"<context>\n    <name>{escape(name)}</name>\n{new}</context>\n"
            at = text.rindex("</TS>")
            text = text[:at] + block + text[at:]
    ts_path.write_text(text, "utf-8")
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).with_name("pyside6-lrelease")
    )
    subprocess.run([lrelease, "-silent", str(ts_path)], check=True)


if __name__ == "__main__":
    add(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text("utf-8")))
