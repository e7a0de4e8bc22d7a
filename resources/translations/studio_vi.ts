<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
    <context>
        <name>Editor</name>
        <message>
            <location filename="../../ui/timeline/editor.py" line="121" />
            <source>Undone: %1</source>
            <translation>Đã hoàn tác: %1</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/editor.py" line="130" />
            <source>Redone: %1</source>
            <translation>Đã làm lại: %1</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/editor.py" line="193" />
            <source>Select a clip first.</source>
            <translation>Hãy chọn một đoạn trước.</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/editor.py" line="201" />
            <source>No clip under the playhead to split.</source>
            <translation>Không có đoạn nào dưới đầu phát để tách.</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/editor.py" line="214" />
            <source>Drag across the timeline to select a time range first.</source>
            <translation>Hãy kéo chuột trên dòng thời gian để chọn một vùng trước.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/timeline/editor.py" line="237" />
            <source>Copied %n clip(s).</source>
            <translation>
                <numerusform>Đã sao chép %n đoạn.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/timeline/editor.py" line="249" />
            <source>Nothing to paste.</source>
            <translation>Không có gì để dán.</translation>
        </message>
    </context>
    <context>
        <name>EmergencyFeature</name>
        <message>
            <source>Emergency bulletin…</source>
            <translation>Bản tin khẩn cấp…</translation>
        </message>
        <message>
            <source>Emergency</source>
            <translation>Khẩn cấp</translation>
        </message>
        <message>
            <source>Record and send an emergency bulletin at once (%1)</source>
            <translation>Thu và phát ngay bản tin khẩn cấp (%1)</translation>
        </message>
        <message>
            <source>Periodic &amp;report…</source>
            <translation>Báo cáo định &amp;kỳ…</translation>
        </message>
        <message>
            <source>The outbox could not be opened, so nothing can be sent.</source>
            <translation>Không mở được hộp thư đi nên chưa gửi được gì.</translation>
        </message>
    </context>
    <context>
        <name>JobRunner</name>
        <message>
            <location filename="../../ui/jobs.py" line="122" />
            <source>Cancel</source>
            <translation>Huỷ</translation>
        </message>
    </context>
    <context>
        <name>LibraryFeature</name>
        <message>
            <location filename="../../ui/library/feature.py" line="126" />
            <source>Library</source>
            <translation>Thư viện</translation>
        </message>
        <message>
            <location filename="../../ui/library/feature.py" line="216" />
            <source>Untitled programme</source>
            <translation>Chương trình chưa đặt tên</translation>
        </message>
        <message>
        <source>Jingles</source>
        <translation>Nhạc hiệu</translation>
    </message>
    <message>
        <source>Music bed</source>
        <translation>Nhạc nền</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Giọng đọc</translation>
    </message>
</context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/window/main_window.py" line="87" />
            <source>Ready</source>
            <translation>Sẵn sàng</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="129" />
            <source>Mixer</source>
            <translation>Bàn trộn</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="264" />
            <source>&amp;New programme</source>
            <translation>Chương trình &amp;mới</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="266" />
            <source>&amp;Open…</source>
            <translation>&amp;Mở…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="267" />
            <source>&amp;Save</source>
            <translation>&amp;Lưu</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="268" />
            <source>Save &amp;as…</source>
            <translation>Lưu &amp;thành…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="269" />
            <source>&amp;Import audio…</source>
            <translation>&amp;Nhập âm thanh…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="270" />
            <source>&amp;Export MP3…</source>
            <translation>&amp;Xuất MP3…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="271" />
            <source>Se&amp;ttings…</source>
            <translation>&amp;Cài đặt…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="272" />
            <source>&amp;Quit</source>
            <translation>&amp;Thoát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="273" />
            <location filename="../../ui/window/main_window.py" line="468" />
            <source>&amp;Undo</source>
            <translation>&amp;Hoàn tác</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="274" />
            <location filename="../../ui/window/main_window.py" line="471" />
            <source>&amp;Redo</source>
            <translation>&amp;Làm lại</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="275" />
            <source>Cu&amp;t</source>
            <translation>&amp;Cắt</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="276" />
            <source>&amp;Copy</source>
            <translation>&amp;Sao chép</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="277" />
            <source>&amp;Paste at playhead</source>
            <translation>&amp;Dán tại đầu phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="278" />
            <source>D&amp;uplicate</source>
            <translation>&amp;Nhân bản</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="279" />
            <source>&amp;Split at playhead</source>
            <translation>&amp;Tách tại đầu phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="280" />
            <source>&amp;Delete</source>
            <translation>&amp;Xoá</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="282" />
            <source>Delete range and close &amp;gap</source>
            <translation>Xoá vùng và &amp;dồn khoảng trống</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="284" />
            <source>Cross&amp;fade with next clip</source>
            <translation>&amp;Chuyển tiếp chéo với đoạn sau</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="285" />
            <source>Clip &amp;gain…</source>
            <translation>&amp;Âm lượng đoạn…</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="286" />
            <source>Select &amp;all</source>
            <translation>Chọn &amp;tất cả</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="287" />
            <source>&amp;Add track</source>
            <translation>&amp;Thêm rãnh</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="288" />
            <source>&amp;Remove current track</source>
            <translation>&amp;Xoá rãnh đang chọn</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="289" />
            <source>Add &amp;marker at playhead</source>
            <translation>Thêm &amp;mốc tại đầu phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="291" />
            <source>Zoom &amp;in</source>
            <translation>&amp;Phóng to</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="294" />
            <source>Zoom &amp;out</source>
            <translation>&amp;Thu nhỏ</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="296" />
            <source>Zoom to &amp;fit</source>
            <translation>&amp;Vừa màn hình</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="298" />
            <source>S&amp;nap to edges and markers</source>
            <translation>&amp;Bắt dính vào mép đoạn và mốc</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="301" />
            <source>&amp;Follow playhead</source>
            <translation>&amp;Theo đầu phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="303" />
            <location filename="../../ui/window/main_window.py" line="417" />
            <source>&amp;Play / Pause</source>
            <translation>&amp;Phát / Tạm dừng</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="304" />
            <source>&amp;Stop</source>
            <translation>&amp;Dừng</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="305" />
            <source>Go to s&amp;tart</source>
            <translation>Về đầ&amp;u</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="307" />
            <source>Go to &amp;end</source>
            <translation>Về &amp;cuối</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="309" />
            <source>&amp;Loop selected range</source>
            <translation>&amp;Lặp vùng đã chọn</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="310" />
            <source>Playhead back 1 s</source>
            <translation>Lùi đầu phát 1 giây</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="311" />
            <source>Playhead forward 1 s</source>
            <translation>Tiến đầu phát 1 giây</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="312" />
            <source>Nudge clips left</source>
            <translation>Đẩy đoạn sang trái</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="313" />
            <source>Nudge clips right</source>
            <translation>Đẩy đoạn sang phải</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="314" />
            <source>&amp;Keyboard shortcuts</source>
            <translation>&amp;Phím tắt</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="315" />
            <source>&amp;About</source>
            <translation>&amp;Giới thiệu</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="331" />
            <source>&amp;File</source>
            <translation>&amp;Tệp</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="332" />
            <source>Open &amp;recent</source>
            <translation>Mở &amp;gần đây</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="350" />
            <source>&amp;Edit</source>
            <translation>&amp;Sửa</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="372" />
            <source>&amp;Track</source>
            <translation>&amp;Rãnh</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="375" />
            <source>T&amp;ransport</source>
            <translation>Đ&amp;iều khiển phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="388" />
            <source>&amp;View</source>
            <translation>&amp;Xem</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="399" />
            <source>&amp;Help</source>
            <translation>&amp;Trợ giúp</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="412" />
            <source>Transport</source>
            <translation>Điều khiển phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="428" />
            <source>Playhead (minutes:seconds.hundredths)</source>
            <translation>Đầu phát (phút:giây.phần trăm giây)</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="456" />
            <source>Untitled programme</source>
            <translation>Chương trình chưa đặt tên</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="468" />
            <source>&amp;Undo %1</source>
            <translation>&amp;Hoàn tác: %1</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="471" />
            <source>&amp;Redo %1</source>
            <translation>&amp;Làm lại: %1</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="490" />
            <source>Playing</source>
            <translation>Đang phát</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="490" />
            <source>Stopped</source>
            <translation>Đã dừng</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="520" />
            <source>Clip gain</source>
            <translation>Âm lượng đoạn</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="521" />
            <source>Gain of “%1” in dB:</source>
            <translation>Âm lượng của “%1” (dB):</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="531" />
            <source>Marker %1</source>
            <translation>Mốc %1</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="536" />
            <source>Marker</source>
            <translation>Mốc</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="536" />
            <source>Name (empty: remove the marker):</source>
            <translation>Tên (để trống: xoá mốc):</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="547" />
            <source>Track %1</source>
            <translation>Rãnh %1</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="555" />
            <source>Remove track “%1” and its clips?</source>
            <translation>Xoá rãnh “%1” cùng các đoạn của nó?</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="571" />
            <source>The new language is used after the app restarts.</source>
            <translation>Ngôn ngữ mới được dùng sau khi khởi động lại ứng dụng.</translation>
        </message>
        <message>
            <location filename="../../ui/window/main_window.py" line="591" />
            <source>Studio Truyền Thanh — record, edit and publish bulletins for commune radio.</source>
            <translation>Studio Truyền Thanh — thu, biên tập và phát hành bản tin cho đài truyền thanh xã.</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="43" />
            <source>Something went wrong: %1</source>
            <translation>Đã xảy ra lỗi: %1</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="51" />
            <location filename="../../ui/window/documents.py" line="175" />
            <source>Untitled programme</source>
            <translation>Chương trình chưa đặt tên</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="70" />
            <location filename="../../ui/window/documents.py" line="250" />
            <source>Voice</source>
            <translation>Giọng đọc</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="71" />
            <source>Music bed</source>
            <translation>Nhạc nền</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="129" />
            <location filename="../../ui/window/documents.py" line="263" />
            <source>Importing audio</source>
            <translation>Đang nhập âm thanh</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="144" />
            <location filename="../../ui/window/documents.py" line="160" />
            <source>Saved</source>
            <translation>Đã lưu</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="149" />
            <source>Bulletin</source>
            <translation>Bản tin</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="178" />
            <source>The app did not close properly last time. Restore the unsaved changes to “%1”?</source>
            <translation>Lần trước ứng dụng không được đóng đúng cách. Khôi phục các thay đổi chưa lưu của “%1”?</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="213" />
            <source>(none)</source>
            <translation>(không có)</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="344" />
            <source>Exported %1 (%2, gain %3 dB)</source>
            <translation>Đã xuất %1 (%2, chỉnh âm lượng %3 dB)</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="352" />
            <source>Export cancelled</source>
            <translation>Đã huỷ xuất tệp</translation>
        </message>
        <message>
            <location filename="../../ui/window/documents.py" line="354" />
            <source>Exporting MP3</source>
            <translation>Đang xuất MP3</translation>
        </message>
        <message>
        <source>&amp;Export…</source>
        <translation>&amp;Xuất tệp…</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>Đang xuất</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Lặp vùng</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Tách</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Vừa màn hình</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>Bắt dính</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
</context>
    <context>
        <name>MetersFeature</name>
        <message>
            <location filename="../../ui/meters/feature.py" line="72" />
            <source>Meters</source>
            <translation>Đồng hồ đo</translation>
        </message>
        <message>
            <location filename="../../ui/meters/feature.py" line="150" />
            <source>Checking the export</source>
            <translation>Đang kiểm tra tệp xuất</translation>
        </message>
        <message>
            <location filename="../../ui/meters/feature.py" line="155" />
            <source>Ready for broadcast.</source>
            <translation>Sẵn sàng phát sóng.</translation>
        </message>
        <message>
            <location filename="../../ui/meters/feature.py" line="157" />
            <source>Not ready for broadcast: see the lines marked ✗.</source>
            <translation>Chưa sẵn sàng phát sóng: xem các dòng có dấu ✗.</translation>
        </message>
    </context>
    <context>
        <name>MetersPanel</name>
        <message>
            <location filename="../../ui/meters/feature.py" line="35" />
            <source>Master</source>
            <translation>Tổng</translation>
        </message>
        <message>
            <location filename="../../ui/meters/feature.py" line="40" />
            <source>Loudness over time (after export)</source>
            <translation>Độ lớn theo thời gian (sau khi xuất)</translation>
        </message>
    </context>
    <context>
        <name>MissingMediaDialog</name>
        <message>
            <location filename="../../ui/window/dialogs.py" line="102" />
            <source>Missing audio</source>
            <translation>Thiếu âm thanh</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="107" />
            <source>Some audio used by this programme is missing from the media folder. Those clips play as silence until you find the files again.</source>
            <translation>Một số tệp âm thanh của chương trình này không còn trong thư mục dữ liệu. Các đoạn đó sẽ im lặng cho tới khi bạn tìm lại tệp.</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="113" />
            <source>File</source>
            <translation>Tệp</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="113" />
            <source>Last known place</source>
            <translation>Vị trí cũ</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="117" />
            <source>Find…</source>
            <translation>Tìm…</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="122" />
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="132" />
            <source>Found</source>
            <translation>Đã tìm thấy</translation>
        </message>
    </context>
    <context>
        <name>MixerPanel</name>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="372" />
            <source>%1 LUFS
(target %2)</source>
            <translation>%1 LUFS
(mục tiêu %2)</translation>
        </message>
    </context>
    <context>
        <name>MixerStrip</name>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="222" />
            <source>Gain in dB (double-click the value to type it)</source>
            <translation>Âm lượng theo dB (bấm đúp vào số để gõ)</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="240" />
            <source>Pan</source>
            <translation>Trái–phải</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="242" />
            <source>Mute</source>
            <translation>Tắt tiếng</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="243" />
            <source>Solo: hear only soloed tracks</source>
            <translation>Nghe riêng: chỉ nghe các rãnh được chọn nghe riêng</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="304" />
            <source>Master</source>
            <translation>Tổng</translation>
        </message>
        <message>
        <source>to the target</source>
        <translation>về mục tiêu</translation>
    </message>
    <message>
        <source>The export brings the whole programme to the target loudness</source>
        <translation>Khi xuất, cả chương trình được đưa về độ lớn mục tiêu</translation>
    </message>
    <message>
        <source>dips %1 dB</source>
        <translation>tự hạ %1 dB</translation>
    </message>
    <message>
        <source>%1: dips under the voice by %2 dB (Track → Automatic balance…)</source>
        <translation>%1: tự hạ %2 dB khi có giọng đọc (Rãnh → Cân bằng tự động…)</translation>
    </message>
    <message>
        <source>%1: levelled by its role (Track → Automatic balance…)</source>
        <translation>%1: tự cân bằng mức theo vai trò của rãnh (Rãnh → Cân bằng tự động…)</translation>
    </message>
</context>
    <context>
        <name>Prompts</name>
        <message>
            <location filename="../../ui/prompts.py" line="29" />
            <source>Unsaved changes</source>
            <translation>Thay đổi chưa lưu</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="30" />
            <source>Save the changes to “%1” before closing?</source>
            <translation>Lưu các thay đổi của “%1” trước khi đóng?</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="31" />
            <source>If you don't save, your changes will be lost.</source>
            <translation>Nếu không lưu, các thay đổi sẽ bị mất.</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="32" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="33" />
            <source>Don't save</source>
            <translation>Không lưu</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="34" />
            <source>Cancel</source>
            <translation>Huỷ</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="43" />
            <source>Open programme</source>
            <translation>Mở chương trình</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="45" />
            <location filename="../../ui/prompts.py" line="54" />
            <source>Programmes (*%1)</source>
            <translation>Chương trình (*%1)</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="52" />
            <source>Save programme</source>
            <translation>Lưu chương trình</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="60" />
            <source>Export MP3</source>
            <translation>Xuất MP3</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="60" />
            <source>MP3 audio (*.mp3)</source>
            <translation>Âm thanh MP3 (*.mp3)</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="69" />
            <source>Import audio</source>
            <translation>Nhập âm thanh</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="71" />
            <location filename="../../ui/prompts.py" line="80" />
            <source>Audio files (%1)</source>
            <translation>Tệp âm thanh (%1)</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="78" />
            <source>Find “%1”</source>
            <translation>Tìm “%1”</translation>
        </message>
        <message>
            <location filename="../../ui/prompts.py" line="85" />
            <location filename="../../ui/prompts.py" line="88" />
            <location filename="../../ui/prompts.py" line="91" />
            <source>Studio Truyền Thanh</source>
            <translation>Studio Truyền Thanh</translation>
        </message>
    </context>
    <context>
        <name>PublishingFeature</name>
        <message>
            <location filename="../../ui/publishing/feature.py" line="50" />
            <source>Outbox</source>
            <translation>Hộp thư đi</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="59" />
            <source>&amp;Push to destination…</source>
            <translation>&amp;Gửi đến nơi nhận…</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="62" />
            <source>&amp;Destinations…</source>
            <translation>&amp;Nơi nhận…</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="64" />
            <source>&amp;Publish</source>
            <translation>&amp;Phát hành</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="89" />
            <source>No destination is set up yet. Set one up now?</source>
            <translation>Chưa có nơi nhận nào. Thiết lập ngay bây giờ?</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="98" />
            <location filename="../../ui/publishing/feature.py" line="107" />
            <source>Push to destination</source>
            <translation>Gửi đến nơi nhận</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="99" />
            <source>Send “%1” to:</source>
            <translation>Gửi “%1” đến:</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="107" />
            <source>Priority:</source>
            <translation>Mức ưu tiên:</translation>
        </message>
        <message>
            <location filename="../../ui/publishing/feature.py" line="126" />
            <source>Queued for %1</source>
            <translation>Đã xếp hàng gửi đến %1</translation>
        </message>
    </context>
    <context>
        <name>RecordingFeature</name>
        <message>
            <location filename="../../ui/recording/feature.py" line="56" />
            <source>&amp;Record</source>
            <translation>&amp;Thu âm</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="62" />
            <source>Measure recording &amp;latency…</source>
            <translation>Đo độ &amp;trễ khi thu…</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="80" />
            <location filename="../../ui/recording/feature.py" line="88" />
            <source>Recording</source>
            <translation>Thu âm</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="130" />
            <location filename="../../ui/recording/feature.py" line="265" />
            <source>Take added to the track.</source>
            <translation>Đã thêm bản thu vào rãnh.</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="195" />
            <source>Recording… press R to stop.</source>
            <translation>Đang thu… bấm R để dừng.</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="227" />
            <source>Recording latency: %1 ms</source>
            <translation>Độ trễ khi thu: %1 ms</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="249" />
            <source>Nothing was recorded.</source>
            <translation>Không thu được gì.</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="284" />
            <source>%1 recording(s) were cut short when the app stopped. Recover them and add them to the programme on a track of their own?</source>
            <translation>Có %1 bản thu bị ngắt giữa chừng khi ứng dụng dừng. Khôi phục và thêm chúng vào chương trình trên một rãnh riêng?</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="289" />
            <source>The unfinished recordings stay in %1.</source>
            <translation>Các bản thu dở dang vẫn được giữ trong %1.</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="299" />
            <source>Recovered recordings</source>
            <translation>Bản thu khôi phục</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="315" />
            <source>Recovered recordings were added.</source>
            <translation>Đã thêm các bản thu được khôi phục.</translation>
        </message>
        <message>
            <location filename="../../ui/recording/feature.py" line="318" />
            <source>Recovering recordings</source>
            <translation>Đang khôi phục bản thu</translation>
        </message>
        <message>
        <source>Record on the armed track from the playhead (R)</source>
        <translation>Thu vào rãnh đã sẵn sàng thu, từ vị trí đầu phát (R)</translation>
    </message>
    <message>
        <source>Take added to the track. The programme you heard broke up %1 time(s) (the computer was busy): listen back to the take.</source>
        <translation>Đã thêm bản thu vào rãnh. Chương trình phát ra tai nghe bị ngắt quãng %1 lần (máy tính đang bận): hãy nghe lại bản thu.</translation>
    </message>
</context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../ui/window/dialogs.py" line="23" />
            <source>Settings</source>
            <translation>Cài đặt</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="29" />
            <source>Light</source>
            <translation>Sáng</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="30" />
            <source>Dark</source>
            <translation>Tối</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="33" />
            <source>Loudspeakers: −16 LUFS, mono 64 kbps</source>
            <translation>Loa truyền thanh: −16 LUFS, một kênh 64 kbps</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="34" />
            <source>EBU R128: −23 LUFS, stereo 128 kbps</source>
            <translation>EBU R128: −23 LUFS, hai kênh 128 kbps</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="37" />
            <source>Language</source>
            <translation>Ngôn ngữ</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="38" />
            <source>Theme</source>
            <translation>Giao diện</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="39" />
            <source>Export preset</source>
            <translation>Cấu hình xuất</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="40" />
            <source>A new language is used after the app restarts.</source>
            <translation>Ngôn ngữ mới được dùng sau khi khởi động lại ứng dụng.</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="45" />
            <source>OK</source>
            <translation>Đồng ý</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="46" />
            <source>Cancel</source>
            <translation>Huỷ</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <location filename="../../ui/window/dialogs.py" line="66" />
            <source>Keyboard shortcuts</source>
            <translation>Phím tắt</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="69" />
            <source>Menu</source>
            <translation>Trình đơn</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="69" />
            <source>Command</source>
            <translation>Lệnh</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="69" />
            <source>Keys</source>
            <translation>Phím</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="80" />
            <source>Mouse: drag a clip to move it (also to another track); drag its edges to trim; drag the small squares at its top corners for fades; drag the yellow line for its gain, or double-click the clip to type it. Drag on an empty part of a track to select a time range. Ctrl+wheel zooms, Shift+wheel scrolls sideways. Hold Alt while dragging to turn snapping off.</source>
            <translation>Chuột: kéo một đoạn để di chuyển (cả sang rãnh khác); kéo mép đoạn để cắt bớt; kéo các ô vuông nhỏ ở hai góc trên để làm lớn dần/nhỏ dần; kéo đường màu vàng để chỉnh âm lượng, hoặc bấm đúp vào đoạn để gõ số. Kéo trên chỗ trống của rãnh để chọn một vùng thời gian. Ctrl+lăn chuột để phóng to/thu nhỏ, Shift+lăn chuột để cuộn ngang. Giữ Alt khi kéo để tắt bắt dính.</translation>
        </message>
        <message>
            <location filename="../../ui/window/dialogs.py" line="88" />
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
    </context>
    <context>
        <name>TrackHeader</name>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="55" />
            <source>Track name</source>
            <translation>Tên rãnh</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="58" />
            <source>Voice</source>
            <translation>Giọng đọc</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="59" />
            <source>Music bed</source>
            <translation>Nhạc nền</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="60" />
            <source>Jingle</source>
            <translation>Nhạc hiệu</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="64" />
            <source>What this track holds</source>
            <translation>Rãnh này chứa gì</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="65" />
            <source>Arm for recording</source>
            <translation>Sẵn sàng thu vào rãnh này</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="66" />
            <source>Mute</source>
            <translation>Tắt tiếng</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="67" />
            <source>Solo: hear only soloed tracks</source>
            <translation>Nghe riêng: chỉ nghe các rãnh được chọn nghe riêng</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="73" />
            <source>Track gain</source>
            <translation>Âm lượng rãnh</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="77" />
            <source>Pan: left … right (double-click: centre)</source>
            <translation>Vị trí trái … phải</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="91" />
            <source>Pan</source>
            <translation>Trái–phải</translation>
        </message>
        <message>
        <source>%1 other takes of this track: click to show or hide them</source>
        <translation>Rãnh này có %1 bản thu khác: bấm để hiện hoặc ẩn</translation>
    </message>
</context>
    <context>
        <name>TrackHeaderPanel</name>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="172" />
            <source>+ Track</source>
            <translation>+ Rãnh</translation>
        </message>
        <message>
            <location filename="../../ui/timeline/tracks.py" line="173" />
            <source>Add a track (Ctrl+T)</source>
            <translation>Thêm rãnh (Ctrl+T)</translation>
        </message>
    </context>
<context>
    <name>ScriptPanel</name>
    <message>
        <source>Type or paste the script here; a blank line starts a new item.</source>
        <translation>Gõ hoặc dán kịch bản vào đây; một dòng trống bắt đầu mục mới.</translation>
    </message>
    <message>
        <source>Apply script</source>
        <translation>Áp dụng kịch bản</translation>
    </message>
    <message>
        <source>Prompter…</source>
        <translation>Nhắc chữ…</translation>
    </message>
    <message>
        <source>Record selected item</source>
        <translation>Thu mục đang chọn</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Mục</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Ước tính</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>Bản thu</translation>
    </message>
    <message>
        <source>not read</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>Total about {0}</source>
        <translation>Tổng khoảng {0}</translation>
    </message>
    <message>
        <source>Total about {0} for a {1} slot: {2} over</source>
        <translation>Tổng khoảng {0} cho khung {1}: dư {2}</translation>
    </message>
    <message>
        <source>Total about {0} for a {1} slot: {2} left</source>
        <translation>Tổng khoảng {0} cho khung {1}: còn {2}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>New programme from a template</source>
        <translation>Chương trình mới theo mẫu</translation>
    </message>
    <message>
        <source>e.g. Morning bulletin 02/12</source>
        <translation>ví dụ Bản tin sáng 02/12</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Mẫu</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>Các phần</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Tạo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
</context>
<context>
    <name>ScriptFeature</name>
    <message>
        <source>Script</source>
        <translation>Kịch bản</translation>
    </message>
    <message>
        <source>New from &amp;template…</source>
        <translation>Mới theo &amp;mẫu…</translation>
    </message>
    <message>
        <source>Save as te&amp;mplate…</source>
        <translation>Lưu làm m&amp;ẫu…</translation>
    </message>
    <message>
        <source>&amp;Prompter</source>
        <translation>&amp;Nhắc chữ</translation>
    </message>
    <message>
        <source>There is no input device to record from (see the Recording panel).</source>
        <translation>Không có thiết bị thu âm (xem bảng Thu âm).</translation>
    </message>
    <message>
        <source>Type the script and press Apply first.</source>
        <translation>Hãy gõ kịch bản và bấm Áp dụng trước.</translation>
    </message>
    <message>
        <source>Item {0} is in its place.</source>
        <translation>Đã đặt mục {0} vào chỗ.</translation>
    </message>
    <message>
        <source>Nothing in the library yet for: {0}</source>
        <translation>Thư viện chưa có đoạn cho: {0}</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>Lưu làm mẫu</translation>
    </message>
    <message>
        <source>Template id (lower-case letters, digits, dashes):</source>
        <translation>Mã mẫu (chữ thường không dấu, số, gạch ngang):</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
</TS>