"""The publishing outbox: persisted pushes, the background sender (see store.py, worker.py)."""

from .models import Status
from .store import Outbox, backoff_s
from .worker import OutboxWorker

__all__ = ["Outbox", "OutboxWorker", "Status", "backoff_s"]
