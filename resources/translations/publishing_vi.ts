<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Outbox</name>
    <message>
        <location filename="../../ui/outbox_view.py" line="67" />
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="68" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="69" />
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="70" />
        <source>Destination</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="71" />
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="72" />
        <source>Priority level</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="73" />
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="74" />
        <source>Reason / next try</source>
        <translation>Lý do / lần thử tới</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="178" />
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="179" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="180" />
        <source>Send again</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="181" />
        <source>Try a failed item again now</source>
        <translation>Thử gửi lại mục bị lỗi ngay bây giờ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="182" />
        <source>Publish the same file once more</source>
        <translation>Phát hành cùng tệp này thêm một lần</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="39" />
        <source>Queued</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="40" />
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="41" />
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="42" />
        <source>Sent and verified</source>
        <translation>Đã gửi và kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="43" />
        <source>Failed</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="44" />
        <source>Cancelled</source>
        <translation>Đã huỷ</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="50" />
        <source>Normal</source>
        <translation>Thông thường</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="51" />
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="52" />
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="133" />
        <source>{error} — needs your attention</source>
        <translation>{error} — cần anh/chị xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="130" />
        <source>{error} — next try at {time} UTC</source>
        <translation>{error} — thử lại lúc {time} UTC</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="227" />
        <source>{n} item(s) could not be sent and need your attention: {reason}</source>
        <translation>{n} mục không gửi được và cần anh/chị xử lý: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="217" />
        <source>Cannot read the outbox: {error}</source>
        <translation>Không đọc được hộp thư đi: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/outbox_view.py" line="234" />
        <source>{n} item(s) failed and will be tried again automatically.</source>
        <translation>{n} mục bị lỗi và sẽ được tự động gửi lại.</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="38" />
        <source>Folder (local, USB, network share)</source>
        <translation>Thư mục (máy này, USB, thư mục mạng)</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="39" />
        <source>FTP</source>
        <translation>FTP</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="40" />
        <source>FTPS (FTP with TLS)</source>
        <translation>FTPS (FTP có mã hoá TLS)</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="41" />
        <source>SFTP (SSH)</source>
        <translation>SFTP (SSH)</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="42" />
        <source>HTTP(S) upload</source>
        <translation>Tải lên HTTP(S)</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="43" />
        <source>Provincial source-information system</source>
        <translation>Hệ thống thông tin nguồn cấp tỉnh</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="66" />
        <source>Destinations</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="77" />
        <source>kept in the system keyring; empty = unchanged</source>
        <translation>lưu trong kho mật khẩu của hệ thống; để trống = giữ nguyên</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="86" />
        <source>Check connection</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="87" />
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="88" />
        <source>Remove</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="89" />
        <source>New</source>
        <translation>Thêm mới</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="92" />
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="93" />
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="94" />
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="95" />
        <source>User</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="96" />
        <source>Password or token</source>
        <translation>Mật khẩu hoặc mã truy cập</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="97" />
        <source>Options</source>
        <translation>Tuỳ chọn</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="201" />
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="241" />
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="253" />
        <source>Connection works: </source>
        <translation>Kết nối tốt: </translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="253" />
        <source>Connection failed: </source>
        <translation>Kết nối thất bại: </translation>
    </message>
    <message>
        <location filename="../../ui/destinations_dialog.py" line="174" />
        <source>Warning: certificate checks are switched off for this destination. Anyone on the network could pose as the server.</source>
        <translation>Cảnh báo: đã tắt kiểm tra chứng chỉ cho nơi nhận này. Bất kỳ ai trên mạng đều có thể giả làm máy chủ.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="42" />
        <source>Background sending: off</source>
        <translation>Gửi nền: tắt</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="43" />
        <source>Queued bulletins are sent while this window is open. Settings → Background sending keeps them going with the window closed.</source>
        <translation>Bản tin đang chờ chỉ được gửi khi cửa sổ này mở. Cài đặt → Gửi nền giúp tiếp tục gửi khi cửa sổ đã đóng.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="52" />
        <source>Bulletins still waiting</source>
        <translation>Còn bản tin đang chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="58" />
        <source>Keep sending in the background</source>
        <translation>Tiếp tục gửi trong nền</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="59" />
        <source>Close (send next time)</source>
        <translation>Đóng (gửi vào lần sau)</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="30" />
        <source>Background sending: on</source>
        <translation>Gửi nền: đang bật</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="36" />
        <source>Sending from another program</source>
        <translation>Đang gửi từ chương trình khác</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="56" />
        <source>Keep sending them in the background after the window closes?</source>
        <translation>Tiếp tục gửi trong nền sau khi đóng cửa sổ?</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="76" />
        <source>Start at logon</source>
        <translation>Chạy khi đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="95" />
        <source>Installed: queued bulletins are sent whenever you are logged in, also with the window closed.</source>
        <translation>Đã cài: bản tin đang chờ được gửi bất cứ khi nào bạn đăng nhập, kể cả khi cửa sổ đã đóng.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="98" />
        <source>Not installed: queued bulletins are sent only while the window is open.</source>
        <translation>Chưa cài: bản tin đang chờ chỉ được gửi khi cửa sổ chương trình mở.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="31" />
        <source>The background sender ({owner}) sends queued bulletins, also with the window closed.</source>
        <translation>Trình gửi nền ({owner}) gửi các bản tin đang chờ, kể cả khi cửa sổ đã đóng.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="37" />
        <source>{owner} is sending from this outbox; this window waits.</source>
        <translation>{owner} đang gửi từ hộp thư đi này; cửa sổ này chờ.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="54" />
        <source>{n} bulletin(s) in the outbox are not sent yet.</source>
        <translation>Còn {n} bản tin trong hộp thư đi chưa được gửi.</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="116" />
        <source>It starts at the next logon ({problem}).</source>
        <translation>Nó sẽ chạy từ lần đăng nhập sau ({problem}).</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/outbox_view.py" line="115" />
        <source>Interrupted, will resume</source>
        <translation>Bị gián đoạn, sẽ gửi tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="69" />
        <source>Background sending</source>
        <translation>Gửi nền</translation>
    </message>
    <message>
        <location filename="../../ui/publishing/background.py" line="80" />
        <source>Stop starting at logon</source>
        <translation>Thôi chạy khi đăng nhập</translation>
    </message>
    <message>
        <source>Emergency bulletins: send every one here at once</source>
        <translation>Bản tin khẩn cấp: gửi ngay mọi bản tới đây</translation>
    </message>
    <message>
        <source>Every emergency bulletin goes, priority khẩn cấp, to each destination ticked here.</source>
        <translation>Mọi bản tin khẩn cấp được gửi ngay, mức khẩn cấp, tới từng nơi được đánh dấu ở đây.</translation>
    </message>
    <message>
        <source>Gets every emergency bulletin</source>
        <translation>Nhận mọi bản tin khẩn cấp</translation>
    </message>
    <message>
        <source>Push to destination</source>
        <translation>Gửi đến nơi nhận</translation>
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
        <source>e.g. Thôn Đông, Xóm Bãi — empty: the whole commune</source>
        <translation>ví dụ: Thôn Đông, Xóm Bãi — để trống: cả xã</translation>
    </message>
    <message>
        <source>Play by a schedule (otherwise: as soon as possible)</source>
        <translation>Phát theo lịch (nếu không: phát ngay khi nhận)</translation>
    </message>
    <message>
        <source>until</source>
        <translation>đến ngày</translation>
    </message>
    <message>
        <source>06:00, 17:30 — empty: at the start time</source>
        <translation>06:00, 17:30 — để trống: vào giờ bắt đầu</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>Weekdays</source>
        <translation>Các thứ</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Giờ phát</translation>
    </message>
    <message>
        <source>Plays each time</source>
        <translation>Số lần phát mỗi giờ</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Xếp hàng gửi</translation>
    </message>
    <message>
        <source>The bulletin needs a title.</source>
        <translation>Bản tin cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
    <message>
        <source>Arrived at {time}</source>
        <translation>Đã đến lúc {time}</translation>
    </message>
</context>
</TS>
