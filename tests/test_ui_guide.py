"""Help → Hướng dẫn sử dụng: the HTML guide of resources/guide/ opens in the window offscreen,
every picture it names is there and loads, and the Vietnamese guide is Vietnamese."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from studio.settings import Settings
from tests.test_ui_integration import home, open_window, reset_language  # noqa: F401
from ui.window.dialogs import GUIDE, GuideDialog, guide_page

PAGES = {"vi": GUIDE / "index.html", "en": GUIDE / "index-en.html"}
# words only an English sentence has ("to" is left out: Vietnamese "to" means big)
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "you",
        "your",
        "with",
        "for",
        "this",
        "that",
        "from",
        "it",
        "be",
        "when",
        "press",
        "click",
        "file",
        "files",
        "track",
        "tracks",
        "open",
        "then",
        "each",
        "every",
        "which",
        "there",
        "their",
        "what",
        "where",
    ]
)
VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def english_sentences(text: str) -> list[str]:
    """Sentences (or list items, cells) that read as English: two or more English-only
    words, or four words or more without a single Vietnamese letter."""
    found = []
    for sentence in re.split(r"[.!?:;\n]+", text):
        words = re.findall(r"[^\W\d_]+", sentence.lower())
        if not words:
            continue
        english = [w for w in words if w in ENGLISH]
        vietnamese = any(ch in VIETNAMESE_LETTERS for ch in sentence.lower())
        if len(english) >= 2 or (len(words) >= 4 and not vietnamese):
            found.append(" ".join(sentence.split()))
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_picture_of_the_guide_exists(lang):
    page = parse(PAGES[lang])
    assert len(page.images) >= (8 if lang == "vi" else 1)
    for src in page.images:
        path = (PAGES[lang].parent / src).resolve()
        assert path.is_file(), src
        assert path.is_relative_to(GUIDE.resolve()), src  # bundled with the guide
        image = QImage(str(path))
        assert not image.isNull(), src
        assert image.width() <= 900, (src, image.width())


def test_the_pictures_are_small_enough_to_ship():
    sizes = {p.name: p.stat().st_size for p in (GUIDE / "images").glob("*.png")}
    assert sizes and sum(sizes.values()) < 2_000_000, sizes
    used = {src.split("/")[-1] for page in PAGES.values() for src in parse(page).images}
    assert set(sizes) == used, "every picture is used, none is missing"


def test_the_vietnamese_guide_has_no_english_sentences():
    text = " ".join(parse(PAGES["vi"]).text)
    assert english_sentences(text) == []
    # the check itself: it finds the English guide's sentences
    assert len(english_sentences(" ".join(parse(PAGES["en"]).text))) > 10


def test_the_vietnamese_guide_covers_the_morning_routine():
    text = " ".join(parse(PAGES["vi"]).text)
    for words in (
        "Thu âm",
        "Thư viện",
        "Cân bằng tự động",
        "Tệp → Xuất tệp…",
        "Sẵn sàng phát sóng",
        "Nơi nhận",
        "Hộp thư đi",
        "Khẩn cấp",
        "mất điện",
        "StudioTruyenThanh",
    ):
        assert words.lower() in text.lower(), words


@pytest.mark.parametrize(("lang", "title"), [("vi", "Hướng dẫn sử dụng"), ("en", "User guide")])
def test_help_opens_the_guide_in_the_window(qtbot, home, lang, title):  # noqa: F811
    settings = Settings(home.settings_file)
    settings.set("language", lang)
    w, _features = open_window(qtbot, home, settings=settings)
    assert w.act_guide in w.help_menu.actions()
    assert w.act_guide.text().replace("&", "") == title
    w.act_guide.trigger()
    dialog = w.guide_dialog
    assert isinstance(dialog, GuideDialog) and dialog.isVisible()
    assert dialog.windowTitle() == title
    assert dialog.page == PAGES[lang]
    html = dialog.browser.toHtml()
    assert ("buổi sáng" in html) == (lang == "vi")
    doc = dialog.browser.document()
    for src in parse(PAGES[lang]).images:
        image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(src))
        assert image is not None and not image.isNull() and image.width() > 100, src
    w.act_guide.trigger()  # a second time: the same dialog comes forward
    assert w.guide_dialog is dialog
    dialog.close()
    w.close()


def test_a_language_without_a_guide_gets_the_vietnamese_one():
    assert guide_page("fr") == PAGES["vi"]
    assert guide_page("vi") == PAGES["vi"]
    assert guide_page("en") == PAGES["en"]
