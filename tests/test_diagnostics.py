"""The app log (studio/applog.py: rotated, secrets masked) and the support text copied from Help."""

from __future__ import annotations

import logging

import pytest

from studio import applog, diagnostics
from studio.diagnostics import mask_secrets
from studio.settings import Settings


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("sftp://dai:hunter2@10.0.0.5/incoming", "hunter2"),
        ("postgresql+psycopg://radio:s3cr3t@db.local/lib", "s3cr3t"),
        ("login failed: password=hunter2&user=dai", "hunter2"),
        ('{"token": "abc.def.ghi", "title": "Bản tin"}', "abc.def.ghi"),
        ("Authorization: Bearer eyJhbGciOi", "eyJhbGciOi"),
        ("api_key: K-123456", "K-123456"),
        ("PASSWD = 'mật-khẩu'", "mật-khẩu"),
    ],
)
def test_secrets_are_masked(text, hidden):
    masked = mask_secrets(text)
    assert hidden not in masked and "***" in masked


def test_ordinary_text_is_left_alone():
    text = "Đã gửi 'Bản tin sáng.mp3' tới sftp://10.0.0.5/incoming (user dai), 12.3 s"
    assert mask_secrets(text) == text


@pytest.fixture
def window_log(studio_home):
    handler = diagnostics.start_log(studio_home)
    yield handler
    logging.getLogger().removeHandler(handler)
    handler.close()


def test_the_log_file_never_holds_a_secret(studio_home, window_log):
    log = logging.getLogger("studio.test")
    log.warning("push to %s failed", "ftp://dai:hunter2@127.0.0.1:2121/in")
    try:
        raise ConnectionError("server said: bad password=hunter2")
    except ConnectionError:
        log.exception("upload failed for Bản tin sáng")
    window_log.flush()
    text = diagnostics.log_file(studio_home).read_text("utf-8")
    assert "hunter2" not in text
    assert "ftp://dai:***@127.0.0.1:2121/in" in text
    assert "upload failed for Bản tin sáng" in text and "ConnectionError" in text
    # a second start (Help → wizard → window again) does not add a second handler
    assert diagnostics.start_log(studio_home) is window_log


def test_the_log_rotates(studio_home, monkeypatch):
    monkeypatch.setattr(applog, "LOG_BYTES", 2_000)
    handler = diagnostics.start_log(studio_home)
    try:
        log = logging.getLogger("studio.test")
        for i in range(400):
            log.info("dòng nhật ký số %d", i)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in studio_home.logs.iterdir())
    assert files == ["studio.log"] + [f"studio.log.{i}" for i in range(1, 6)]
    assert all((studio_home.logs / f).stat().st_size <= 2_100 for f in files)
    # the support text reads the newest lines, across the rotation
    lines = diagnostics.last_log_lines(studio_home, 40)
    assert len(lines) == 40 and lines[-1].endswith("dòng nhật ký số 399")


def test_the_support_text_has_versions_devices_settings_and_log_but_no_secret(
    studio_home, window_log
):
    settings = Settings(studio_home.settings_file)
    settings.set("station_name", "Đài truyền thanh xã Yên Lạc")
    settings.set("library_url", "postgresql+psycopg://radio:s3cr3t@10.0.0.9/lib")
    settings.save()
    logging.getLogger("studio.test").info("đã mở chương trình 'Bản tin sáng'")
    window_log.flush()
    text = diagnostics.report(studio_home, settings)
    assert "Studio Truyền Thanh: " in text and "PortAudio:" in text and "libsndfile:" in text
    assert "numpy:" in text and "SQLAlchemy:" in text
    assert "== Thiết bị âm thanh / audio devices ==" in text
    assert "station_name = Đài truyền thanh xã Yên Lạc" in text
    assert "library_url = postgresql+psycopg://radio:***@10.0.0.9/lib" in text
    assert "s3cr3t" not in text
    assert "đã mở chương trình 'Bản tin sáng'" in text
    assert f"media: {studio_home.media}" in text


def test_the_background_senders_log_and_its_console_mask_secrets_too(studio_home, capfd):
    """One log set-up (studio/applog.py) for the window, every command and `outbox serve`."""
    window = applog.log_to_file(studio_home)
    handler = applog.log_to_file(studio_home, "outbox", echo=True)
    root = logging.getLogger()
    try:
        # the process keeps one app log: the sender's replaces the launcher's studio.log
        assert window not in root.handlers
        logging.getLogger("studio.outbox").warning(
            "Outbox item 3 to tinh failed: %s", "sftp://radio:hunter2@127.0.0.1:2222/in"
        )
        handler.flush()
    finally:
        for h in [h for h in root.handlers if getattr(h, "studio_log", False)]:
            root.removeHandler(h)
            h.close()
    text = applog.log_path(studio_home, "outbox").read_text("utf-8")
    err = capfd.readouterr().err
    for where in (text, err):
        assert "hunter2" not in where and "sftp://radio:***@127.0.0.1:2222/in" in where
