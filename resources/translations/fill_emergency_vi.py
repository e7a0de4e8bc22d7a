"""Writes emergency_vi.ts (the emergency screen and the report dialog; the feature's actions are
in studio_vi.ts, the push dialog and the emergency tick box in publishing_vi.ts); compile with: pyside6-lrelease emergency_vi.ts -qm emergency_vi.qm"""

from pathlib import Path
from xml.sax.saxutils import escape

VI = {
    "Emergency": {
        "Emergency bulletin": "Bản tin khẩn cấp",
        "Destinations…": "Nơi nhận…",
        "Choose an audio file…": "Chọn tệp âm thanh…",
        "Use the open programme": "Dùng chương trình đang mở",
        "Record the bulletin, or choose a file or the open programme.": "Thu âm bản tin, hoặc chọn một tệp hay chương trình đang mở.",
        "▶ Listen back": "▶ Nghe lại",
        "■ Stop": "■ Dừng",
        "1. The bulletin's audio": "1. Âm thanh bản tin",
        "e.g. Thôn Đông, Xóm Bãi — empty: the whole commune": "ví dụ: Thôn Đông, Xóm Bãi — để trống: cả xã",
        "Title": "Tiêu đề",
        "Target areas": "Thôn/xóm nhận",
        "2. Title and target areas": "2. Tiêu đề và thôn/xóm nhận",
        "Broadcast emergency": "Phát khẩn cấp",
        "EMERGENCY BULLETIN — sent at once, priority khẩn cấp, to: %1": "BẢN TIN KHẨN CẤP — phát ngay, mức khẩn cấp, tới: %1",
        "No destination is marked for emergencies yet: press Destinations… and tick “Emergency bulletins” for the loudspeaker head-end.": "Chưa có nơi nhận nào nhận bản tin khẩn cấp: bấm Nơi nhận… và đánh dấu “Bản tin khẩn cấp” cho máy chủ loa.",
        "Ready: %1 (%2)": "Sẵn sàng: %1 (%2)",
        "Preparing the audio": "Đang chuẩn bị âm thanh",
        "the recording": "bản thu",
        "the open programme": "chương trình đang mở",
        "The open programme is empty.": "Chương trình đang mở còn trống.",
        "Preparing the emergency bulletin": "Đang chuẩn bị bản tin khẩn cấp",
        "%1 has it (%2)": "%1 đã nhận (%2)",
        "%1: not delivered yet — %2": "%1: chưa đến — %2",
        "%1: sending… %2 %": "%1: đang gửi… %2 %",
        "%1: waiting to be sent": "%1: đang chờ gửi",
    },
    "Report": {
        "Periodic report": "Báo cáo định kỳ",
        "Show": "Xem",
        "From": "Từ ngày",
        "to": "đến ngày",
        "Save CSV…": "Lưu CSV…",
        "Save HTML…": "Lưu HTML…",
        "Save PDF…": "Lưu PDF…",
        "Making the report": "Đang lập báo cáo",
        "%1 programmes, %2 pushes (%3 delivered), %4 emergency bulletins": "%1 chương trình, %2 lượt gửi (%3 lượt đã đến), %4 bản tin khẩn cấp",
        "Save the report": "Lưu báo cáo",
        "Saved %1": "Đã lưu %1",
    },
}


def main() -> None:
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1" language="vi_VN">']
    for context, messages in VI.items():
        out.append(f"<context>\n    <name>{context}</name>")
        for en, vi in messages.items():
            out.append(
                f"    <message>\n        <source>{escape(en)}</source>\n"
                f"        <translation>{escape(vi)}</translation>\n    </message>"
            )
        out.append("</context>")
    out.append("</TS>")
    Path(__file__).with_name("emergency_vi.ts").write_text("\n".join(out) + "\n", "utf-8")


if __name__ == "__main__":
    main()
