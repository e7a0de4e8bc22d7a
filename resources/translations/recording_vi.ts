<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>RecordingPanel</name>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Channel {n}</source>
        <translation>Kênh {n}</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kênh thu</translation>
    </message>
    <message>
        <source>Check level</source>
        <translation>Kiểm tra mức thu</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Dropout at {time}</source>
        <translation>Mất tín hiệu tại {time}</translation>
    </message>
    <message>
        <source>Dropouts</source>
        <translation>Các lần mất tín hiệu</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Đầu vào</translation>
    </message>
    <message>
        <source>Left (1)</source>
        <translation>Trái (1)</translation>
    </message>
    <message>
        <source>Listening… read a sentence at your normal voice.</source>
        <translation>Đang nghe… hãy đọc một câu với giọng bình thường.</translation>
    </message>
    <message>
        <source>Mono (1)</source>
        <translation>Một kênh (1)</translation>
    </message>
    <message>
        <source>Record at</source>
        <translation>Thu lúc</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Thu âm</translation>
    </message>
    <message>
        <source>Right (2)</source>
        <translation>Phải (2)</translation>
    </message>
    <message>
        <source>Sample rate</source>
        <translation>Tần số lấy mẫu</translation>
    </message>
    <message>
        <source>Stereo (1+2)</source>
        <translation>Hai kênh (1+2)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Hệ thống âm thanh</translation>
    </message>
    <message>
        <source>for</source>
        <translation>trong</translation>
    </message>
    <message>
        <source>{lufs} LUFS</source>
        <translation>{lufs} LUFS</translation>
    </message>
</context>
<context>
    <name>RecordBar</name>
    <message>
        <source>Input level in dBFS. Speech should peak between −12 and −6; the light on the</source>
        <translation>Mức tín hiệu vào (dBFS). Giọng đọc nên có đỉnh trong khoảng −12 đến −6; đèn bên</translation>
    </message>
    <message>
        <source>right turns red when the sound clipped (click it to clear).</source>
        <translation>phải chuyển đỏ khi tiếng bị quá mức, méo (bấm vào để tắt đèn).</translation>
    </message>
    <message>
        <source>CLIP</source>
        <translation>QUÁ MỨC</translation>
    </message>
    <message>
        <source>Armed: %1</source>
        <translation>Sẵn sàng thu: %1</translation>
    </message>
    <message>
        <source>Recording %1</source>
        <translation>Đang thu %1</translation>
    </message>
    <message>
        <source>(%1 dropouts)</source>
        <translation>(mất tín hiệu %1 lần)</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Recording %1</source>
        <translation>Đang thu %1</translation>
    </message>
    <message>
        <source>Use this take (“%1”)</source>
        <translation>Dùng bản thu này (“%1”)</translation>
    </message>
    <message>
        <source>Hide the other takes</source>
        <translation>Ẩn các bản thu khác</translation>
    </message>
</context>
</TS>
