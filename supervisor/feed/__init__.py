"""The websocket feed client of PROTOCOL.md: subscribe, resume, journal, commands."""

from __future__ import annotations

from supervisor.feed.backoff import Backoff
from supervisor.feed.client import FeedClient
from supervisor.feed.status import CommandOutcome, FeedCounts, FeedStatus
from supervisor.feed.writer import JournalLost, JournalWriter

__all__ = [
    "Backoff", "CommandOutcome", "FeedClient", "FeedCounts", "FeedStatus", "JournalLost",
    "JournalWriter",
]
