"""Render a timeline to a finished master: loudness, limiting, encoders, tags, destinations."""
