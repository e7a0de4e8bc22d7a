"""The balance switches in the window: per-clip auto-level, the balance dialog."""
