"""The publish use case: a finished file + its metadata + destinations → outbox items, and the
management of destinations. The window and the command line both call this.

    service = PublishService.open(home)              # or PublishService(outbox)
    config, warnings = service.add_destination("tinh", "sftp", "sftp://radio@host:2222/upload",
                                               secret="…")   # user "radio" taken from the URL
    rows = service.publish("ban-tin.mp3", ["tinh"], {"title": "Bản tin sáng"}, "khan-cap")
    check = service.connection_check(config)         # build now (errors now) …
    line = check()                                   # … run on a worker thread

A destination's URL is parsed once, where it enters (`studio.outbox.store.destination_config`):
a user name in an FTP/FTPS/SFTP URL becomes the destination's user, and a password inside
any URL is refused with a clear bilingual message (it is never stored or printed: secrets go to
the OS keyring). Every bad value raises StudioError; nothing is queued for any destination
unless all of them exist and accept the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from export.destinations import KINDS, PRIORITIES, DestinationConfig
from studio.outbox import Outbox
from studio.paths import StudioHome

__all__ = ["KINDS", "PRIORITIES", "DestinationConfig", "PublishService"]


class PublishService:
    """Destinations and pushes of one outbox (one database, one keyring)."""

    kinds = tuple(KINDS)
    priorities = PRIORITIES

    def __init__(self, outbox: Outbox):
        self.outbox = outbox

    @classmethod
    def open(cls, home: StudioHome, credentials=None) -> PublishService:
        return cls(Outbox.open(home, credentials))

    def close(self) -> None:
        self.outbox.close()

    # --- destinations -----------------------------------------------------------------------

    def destinations(self) -> list[DestinationConfig]:
        return self.outbox.destinations()

    def destination(self, name: str) -> DestinationConfig:
        return self.outbox.destination(name)

    def add_destination(
        self,
        name: str,
        kind: str,
        url: str,
        user: str = "",
        options: dict[str, Any] | None = None,
        secret: str | None = None,
        replace: bool = False,
        emergency: bool = False,
    ) -> tuple[DestinationConfig, list[str]]:
        """Save a destination (the secret to the keyring; `emergency`: it gets every
        emergency bulletin); returns it as stored and the warnings its settings deserve
        (plain FTP, TLS checks off…)."""
        config = self.outbox.add_destination(
            name, kind, url, user, options, secret, replace, emergency=emergency
        )
        return config, self.outbox.plugin_for(config, secret).warnings()

    def remove_destination(self, name: str) -> None:
        self.outbox.remove_destination(name)

    def emergency_destinations(self) -> list[str]:
        """The destinations that get every emergency bulletin."""
        return self.outbox.emergency_destinations()

    def set_emergency(self, name: str, emergency: bool) -> None:
        self.outbox.set_emergency(name, emergency)

    def connection_check(
        self, config: DestinationConfig, secret: str | None = None
    ) -> Callable[[], str]:
        """A call that checks the connection and the account of `config` (saved or only
        typed into a form; without `secret` the stored one is used) and returns a line for the
        user. Made at once (a bad URL raises here); call the result off the GUI thread."""
        return self.outbox.plugin_for(config, secret).check

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self,
        file: str | os.PathLike,
        destinations: Sequence[str],
        metadata: dict[str, Any] | None = None,
        priority: str = "thuong",
        name: str | None = None,
    ) -> list[dict[str, Any]]:
        """Queue `file` for each destination (a private copy each, its broadcast-ready report
        sent along); the queued rows. Nothing is queued unless every destination exists."""
        if not destinations:
            from audio.errors import StudioError

            raise StudioError("Choose at least one destination.", "Hãy chọn ít nhất một nơi nhận.")
        for d in destinations:
            self.outbox.destination(d)  # StudioError for an unknown one, before queueing any
        return [self.outbox.enqueue(file, d, metadata, priority, name) for d in destinations]
