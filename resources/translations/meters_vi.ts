<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Meters</name>
    <message>
        <source>Peak {peak} dBTP, momentary {m} LUFS, short-term {s} LUFS</source>
        <translation>Đỉnh {peak} dBTP, tức thời {m} LUFS, ngắn hạn {s} LUFS</translation>
    </message>
    <message>
        <source>Pk</source>
        <translation>Đỉnh</translation>
    </message>
    <message>
        <source>M</source>
        <translation>TT</translation>
    </message>
    <message>
        <source>S</source>
        <translation>NH</translation>
    </message>
    <message>
        <source>Integrated {value} LUFS (target {target})</source>
        <translation>Tích hợp {value} LUFS (mục tiêu {target})</translation>
    </message>
    <message>
        <source>Short-term loudness (LUFS)</source>
        <translation>Độ lớn ngắn hạn (LUFS)</translation>
    </message>
</context>
</TS>
