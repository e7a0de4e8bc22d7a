"""Secrets in the OS keyring (Secret Service in tests), never a plain-text fallback."""

from __future__ import annotations

import os
import uuid

import keyring
import keyring.backends.fail
import pytest

from audio.errors import StudioError
from studio.credentials import SERVICE, KeyringCredentials, MemoryCredentials


def secret_service() -> bool:
    return type(keyring.get_keyring()).__module__.startswith("keyring.backends.SecretService")


@pytest.mark.skipif(
    not secret_service() and not os.environ.get("CI"),
    reason="no Secret Service (run under scripts/run-tests.sh or dbus-run-session + gnome-keyring)",
)
def test_keyring_round_trip():
    store = KeyringCredentials()
    name = f"test-{uuid.uuid4().hex[:8]}"
    assert store.get(name) is None
    store.set(name, "mật-khẩu-1")
    assert store.get(name) == "mật-khẩu-1"
    assert keyring.get_password(SERVICE, f"destination:{name}") == "mật-khẩu-1"
    store.delete(name)
    store.delete(name)  # deleting twice is fine
    assert store.get(name) is None


def test_no_backend_refuses_clearly():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(StudioError, match="No secure password store") as err:
            KeyringCredentials()
        assert "không bao giờ" in err.value.vi
    finally:
        keyring.set_keyring(previous)


def test_memory_store():
    store = MemoryCredentials()
    store.set("a", "b")
    assert store.get("a") == "b"
    store.delete("a")
    assert store.get("a") is None
