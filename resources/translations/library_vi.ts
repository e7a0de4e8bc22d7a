<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>LibraryDock</name>
    <message>
        <location filename="../../ui/library_dock.py" line="76" />
        <source>Jingle</source>
        <translation>Nhạc hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="77" />
        <source>Music bed</source>
        <translation>Nhạc nền</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="78" />
        <source>News item</source>
        <translation>Tin bài</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="79" />
        <source>Announcement</source>
        <translation>Thông báo</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="80" />
        <source>Interview</source>
        <translation>Phỏng vấn</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="81" />
        <source>Advert</source>
        <translation>Quảng cáo</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="82" />
        <source>Recording</source>
        <translation>Bản thu</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="219" />
        <location filename="../../ui/library_dock.py" line="349" />
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="220" />
        <location filename="../../ui/library_dock.py" line="350" />
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="221" />
        <location filename="../../ui/library_dock.py" line="351" />
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="222" />
        <source>Duration</source>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="223" />
        <source>Loudness</source>
        <translation>Độ lớn</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="224" />
        <source>Last used</source>
        <translation>Dùng lần cuối</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="225" />
        <location filename="../../ui/library_dock.py" line="357" />
        <source>Valid until</source>
        <translation>Hiệu lực đến</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="251" />
        <source>Expired</source>
        <translation>Đã hết hiệu lực</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="253" />
        <source>Expires soon</source>
        <translation>Sắp hết hiệu lực</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="255" />
        <source>Not valid yet</source>
        <translation>Chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="331" />
        <source>Segment details</source>
        <translation>Thông tin đoạn âm thanh</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="352" />
        <source>Tags</source>
        <translation>Từ khoá</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="353" />
        <source>Author / source</source>
        <translation>Tác giả / nguồn</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="354" />
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="355" />
        <source>Recorded on</source>
        <translation>Ngày thu</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="356" />
        <source>Valid from</source>
        <translation>Hiệu lực từ</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="422" />
        <source>Library</source>
        <translation>Thư viện</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="443" />
        <source>Search title, tags, notes, author…</source>
        <translation>Tìm theo tiêu đề, từ khoá, ghi chú, tác giả…</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="449" />
        <source>All kinds</source>
        <translation>Mọi loại</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="453" />
        <source>Valid today</source>
        <translation>Còn hiệu lực hôm nay</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="454" />
        <source>Hide expired</source>
        <translation>Ẩn mục hết hạn</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="458" />
        <source>Last used: any time</source>
        <translation>Dùng lần cuối: bất kỳ</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="460" />
        <source>Not used for </source>
        <translation>Chưa dùng trong </translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="461" />
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="470" />
        <source>Recorded from</source>
        <translation>Thu từ ngày</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="472" />
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="494" />
        <source>Preview</source>
        <translation>Nghe thử</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="495" />
        <source>Details…</source>
        <translation>Chi tiết…</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="496" />
        <source>Delete</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="497" />
        <source>Import…</source>
        <translation>Nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="507" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="595" />
        <source>Showing the first %1 matches; type more to narrow them.</source>
        <translation>Hiển thị %1 kết quả đầu tiên; gõ thêm để thu hẹp.</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="601" />
        <source>%1 segments.</source>
        <translation>%1 đoạn.</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="612" />
        <source>All categories</source>
        <translation>Mọi lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="674" />
        <source>Delete a segment in use?</source>
        <translation>Xoá đoạn đang được dùng?</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="699" />
        <source>Import audio files</source>
        <translation>Nhập tệp âm thanh</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="701" />
        <source>Audio files</source>
        <translation>Tệp âm thanh</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="711" />
        <source>An import is already running.</source>
        <translation>Đang có một lượt nhập chạy.</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="724" />
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="746" />
        <source>Added %1, already there %2, failed %3.</source>
        <translation>Đã thêm %1, đã có %2, lỗi %3.</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="752" />
        <source>Import cancelled.</source>
        <translation>Đã huỷ nhập.</translation>
    </message>
    <message>
        <location filename="../../ui/library_dock.py" line="763" />
        <source>Import failed: %1</source>
        <translation>Nhập không thành công: %1</translation>
    </message>
    <message>
        <source>Add at playhead</source>
        <translation>Thêm vào đầu phát</translation>
    </message>
    <message>
        <source>Put the selected segments on the timeline at the playhead (Enter)</source>
        <translation>Đặt các đoạn đang chọn lên dòng thời gian tại đầu phát (Enter)</translation>
    </message>
    <message>
        <source>Set the kind of every selected segment</source>
        <translation>Đặt loại cho mọi đoạn đang chọn</translation>
    </message>
</context>
</TS>