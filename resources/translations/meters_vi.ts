<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Meters</name>
    <message>
        <source>Peak {peak} dBFS, momentary {m} LUFS, short-term {s} LUFS</source>
        <translation>Đỉnh {peak} dBFS, độ lớn tức thời {m} LUFS, độ lớn ngắn hạn {s} LUFS</translation>
    </message>
    <message>
        <source>Pk</source>
        <translation>Đỉnh</translation>
    </message>
    <message>
        <source>M</source>
        <translation>Tức thời</translation>
    </message>
    <message>
        <source>S</source>
        <translation>Ngắn hạn</translation>
    </message>
    <message>
        <source>Integrated {value} LUFS (target {target})</source>
        <translation>Độ lớn cả bài {value} LUFS (mục tiêu {target})</translation>
    </message>
    <message>
        <source>Short-term loudness (LUFS)</source>
        <translation>Độ lớn ngắn hạn (LUFS)</translation>
    </message>
    <message>
        <source>Peak level, dBFS</source>
        <translation>Mức đỉnh, dBFS</translation>
    </message>
</context>
</TS>
