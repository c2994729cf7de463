"""Where the desktop keeps its files by default (the user's data directory)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "CommandCenter"


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """The default journal: a SQLite file in the user's data directory."""
    return f"sqlite:///{data_dir() / 'journal.db'}"
