<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Emergency</name>
    <message>
        <source>Emergency bulletin</source>
        <translation>Bản tin khẩn cấp</translation>
    </message>
    <message>
        <source>Destinations…</source>
        <translation>Nơi nhận…</translation>
    </message>
    <message>
        <source>Choose an audio file…</source>
        <translation>Chọn tệp âm thanh…</translation>
    </message>
    <message>
        <source>Use the open programme</source>
        <translation>Dùng chương trình đang mở</translation>
    </message>
    <message>
        <source>Record the bulletin, or choose a file or the open programme.</source>
        <translation>Thu âm bản tin, hoặc chọn một tệp hay chương trình đang mở.</translation>
    </message>
    <message>
        <source>▶ Listen back</source>
        <translation>▶ Nghe lại</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ Dừng</translation>
    </message>
    <message>
        <source>1. The bulletin's audio</source>
        <translation>1. Âm thanh bản tin</translation>
    </message>
    <message>
        <source>e.g. Thôn Đông, Xóm Bãi — empty: the whole commune</source>
        <translation>ví dụ: Thôn Đông, Xóm Bãi — để trống: cả xã</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Target areas</source>
        <translation>Thôn/xóm nhận</translation>
    </message>
    <message>
        <source>2. Title and target areas</source>
        <translation>2. Tiêu đề và thôn/xóm nhận</translation>
    </message>
    <message>
        <source>Broadcast emergency</source>
        <translation>Phát khẩn cấp</translation>
    </message>
    <message>
        <source>EMERGENCY BULLETIN — sent at once, priority khẩn cấp, to: %1</source>
        <translation>BẢN TIN KHẨN CẤP — phát ngay, mức khẩn cấp, tới: %1</translation>
    </message>
    <message>
        <source>No destination is marked for emergencies yet: press Destinations… and tick “Emergency bulletins” for the loudspeaker head-end.</source>
        <translation>Chưa có nơi nhận nào nhận bản tin khẩn cấp: bấm Nơi nhận… và đánh dấu “Bản tin khẩn cấp” cho máy chủ loa.</translation>
    </message>
    <message>
        <source>Ready: %1 (%2)</source>
        <translation>Sẵn sàng: %1 (%2)</translation>
    </message>
    <message>
        <source>Preparing the audio</source>
        <translation>Đang chuẩn bị âm thanh</translation>
    </message>
    <message>
        <source>the recording</source>
        <translation>bản thu</translation>
    </message>
    <message>
        <source>the open programme</source>
        <translation>chương trình đang mở</translation>
    </message>
    <message>
        <source>The open programme is empty.</source>
        <translation>Chương trình đang mở còn trống.</translation>
    </message>
    <message>
        <source>Preparing the emergency bulletin</source>
        <translation>Đang chuẩn bị bản tin khẩn cấp</translation>
    </message>
    <message>
        <source>%1 has it (%2)</source>
        <translation>%1 đã nhận (%2)</translation>
    </message>
    <message>
        <source>%1: not delivered yet — %2</source>
        <translation>%1: chưa đến — %2</translation>
    </message>
    <message>
        <source>%1: sending… %2 %</source>
        <translation>%1: đang gửi… %2 %</translation>
    </message>
    <message>
        <source>%1: waiting to be sent</source>
        <translation>%1: đang chờ gửi</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Periodic report</source>
        <translation>Báo cáo định kỳ</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Xem</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến ngày</translation>
    </message>
    <message>
        <source>Save CSV…</source>
        <translation>Lưu CSV…</translation>
    </message>
    <message>
        <source>Save HTML…</source>
        <translation>Lưu HTML…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>Lưu PDF…</translation>
    </message>
    <message>
        <source>Making the report</source>
        <translation>Đang lập báo cáo</translation>
    </message>
    <message>
        <source>%1 programmes, %2 pushes (%3 delivered), %4 emergency bulletins</source>
        <translation>%1 chương trình, %2 lượt gửi (%3 lượt đã đến), %4 bản tin khẩn cấp</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Lưu báo cáo</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
</context>
</TS>
