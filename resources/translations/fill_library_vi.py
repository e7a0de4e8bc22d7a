"""Fill library_vi.ts with the Vietnamese strings, then compile it (run after lupdate).

pyside6-lupdate ui/library/dock.py -ts resources/translations/library_vi.ts
python resources/translations/fill_library_vi.py
pyside6-lrelease resources/translations/library_vi.ts
"""

import xml.etree.ElementTree as ET
from pathlib import Path

VI = {
    "Jingle": "Nhạc hiệu",
    "Music bed": "Nhạc nền",
    "News item": "Tin bài",
    "Announcement": "Thông báo",
    "Interview": "Phỏng vấn",
    "Advert": "Quảng cáo",
    "Recording": "Bản thu",
    "Title": "Tiêu đề",
    "Kind": "Loại",
    "Category": "Lĩnh vực",
    "Duration": "Thời lượng",
    "Loudness": "Độ lớn",
    "Last used": "Dùng lần cuối",
    "Valid until": "Hiệu lực đến",
    "Expired": "Đã hết hiệu lực",
    "Expires soon": "Sắp hết hiệu lực",
    "Not valid yet": "Chưa có hiệu lực",
    "Segment details": "Thông tin đoạn âm thanh",
    "Tags": "Từ khoá",
    "Author / source": "Tác giả / nguồn",
    "Notes": "Ghi chú",
    "Recorded on": "Ngày thu",
    "Valid from": "Hiệu lực từ",
    "Library": "Thư viện",
    "Search title, tags, notes, author…": "Tìm theo tiêu đề, từ khoá, ghi chú, tác giả…",
    "All kinds": "Mọi loại",
    "Valid today": "Còn hiệu lực hôm nay",
    "Hide expired": "Ẩn mục hết hạn",
    "Last used: any time": "Dùng lần cuối: bất kỳ",
    "Not used for ": "Chưa dùng trong ",
    " days": " ngày",
    "Recorded from": "Thu từ ngày",
    "to": "đến",
    "Preview": "Nghe thử",
    "Details…": "Chi tiết…",
    "Delete": "Xoá",
    "Import…": "Nhập…",
    "Cancel": "Huỷ",
    "Showing the first %1 matches; type more to narrow them.": (
        "Hiển thị %1 kết quả đầu tiên; gõ thêm để thu hẹp."
    ),
    "%1 segments.": "%1 đoạn.",
    "All categories": "Mọi lĩnh vực",
    "Delete a segment in use?": "Xoá đoạn đang được dùng?",
    "Import audio files": "Nhập tệp âm thanh",
    "Audio files": "Tệp âm thanh",
    "An import is already running.": "Đang có một lượt nhập chạy.",
    "Importing…": "Đang nhập…",
    "Added %1, already there %2, failed %3.": "Đã thêm %1, đã có %2, lỗi %3.",
    "Import cancelled.": "Đã huỷ nhập.",
    "Import failed: %1": "Nhập không thành công: %1",
}

path = Path(__file__).with_name("library_vi.ts")
tree = ET.parse(path)
missing = []
for message in tree.iter("message"):
    source = message.findtext("source")
    translation = message.find("translation")
    if source in VI:
        translation.text = VI[source]
        translation.attrib.pop("type", None)
    else:
        missing.append(source)
tree.getroot().set("language", "vi_VN")
tree.write(path, encoding="utf-8", xml_declaration=True)
if missing:
    raise SystemExit(f"untranslated: {missing}")
