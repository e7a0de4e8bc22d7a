"""Destination secrets (passwords, tokens) in the OS keyring, and nowhere else.

Windows keeps them in the Credential Manager, a Linux desktop in the Secret Service, macOS in
the Keychain, all through `keyring` under the service name "studio-truyen-thanh". Never in
settings, the database, project files or logs. When no usable keyring exists the operation
fails with a clear StudioError: there is deliberately no plain-text fallback.
"""

from __future__ import annotations

from typing import Protocol

from audio.errors import StudioError

SERVICE = "studio-truyen-thanh"


class CredentialStore(Protocol):
    def get(self, destination: str) -> str | None: ...
    def set(self, destination: str, secret: str) -> None: ...
    def delete(self, destination: str) -> None: ...


def _no_keyring(detail: str) -> StudioError:
    return StudioError(
        "No secure password store (OS keyring) is available, so the password cannot be kept. "
        f"Passwords are never stored in plain text. ({detail})",
        "Không có kho mật khẩu an toàn (keyring của hệ điều hành) nên không lưu được mật khẩu. "
        f"Mật khẩu không bao giờ được lưu dạng chữ thường. ({detail})",
    )


def _key(destination: str) -> str:
    return f"destination:{destination}"


class KeyringCredentials:
    """The real store: the OS keyring."""

    def __init__(self):
        import keyring
        import keyring.errors

        self._keyring = keyring
        self._errors = keyring.errors
        backend = keyring.get_keyring()
        module = type(backend).__module__
        # keyring's fail/null backends store nothing; keyrings.alt's plaintext ones would put
        # the secret in a file: refuse all of them.
        if (
            module.startswith("keyring.backends.fail")
            or module.startswith("keyring.backends.null")
            or module.startswith("keyrings.alt")
            or getattr(backend, "priority", 1) <= 0
        ):
            raise _no_keyring(f"backend: {type(backend).__name__}")
        self._backend = backend

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except self._errors.PasswordDeleteError:
            return None
        except (self._errors.KeyringError, RuntimeError) as exc:
            raise _no_keyring(f"{type(exc).__name__}: {exc}") from exc

    def get(self, destination: str) -> str | None:
        return self._call(self._backend.get_password, SERVICE, _key(destination))

    def set(self, destination: str, secret: str) -> None:
        self._call(self._backend.set_password, SERVICE, _key(destination), secret)

    def delete(self, destination: str) -> None:
        self._call(self._backend.delete_password, SERVICE, _key(destination))


class MemoryCredentials:
    """A test store that keeps secrets in memory for the life of the object."""

    def __init__(self):
        self._secrets: dict[str, str] = {}

    def get(self, destination: str) -> str | None:
        return self._secrets.get(destination)

    def set(self, destination: str, secret: str) -> None:
        self._secrets[destination] = secret

    def delete(self, destination: str) -> None:
        self._secrets.pop(destination, None)
