<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Prompter</name>
    <message>
        <source>Prompter</source>
        <translation>Nhắc chữ</translation>
    </message>
    <message>
        <source>Record this item</source>
        <translation>● Thu mục này</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ Dừng</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Mục trước</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Mục sau ▶</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Cỡ chữ</translation>
    </message>
    <message>
        <source>not read yet</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>Item {0} of {1} · about {2} · take: {3}</source>
        <translation>Mục {0}/{1} · khoảng {2} · bản thu: {3}</translation>
    </message>
    <message>
        <source>The programme has no script yet: type it in the Script panel.</source>
        <translation>Chương trình chưa có kịch bản: hãy gõ ở bảng Kịch bản.</translation>
    </message>
</context>
</TS>
