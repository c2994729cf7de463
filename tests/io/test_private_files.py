"""Issue 9: journal (with its -wal and -shm), quarantine, workbooks and settings files are
created readable by their owner alone (0600 on POSIX); the default journal's folder 0700.
Checked with os.stat on real files."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from supervisor import paths
from supervisor.export.atomic import atomic_output
from supervisor import wire
from supervisor.store import QuarantineEntry, Store, journal_row

AGENT = ('{"v": 1, "seq": 1, "ts": "2026-11-20T09:00:00.000+08:00", "type": "agent.state", "data": '
         '{"agent": {"agent_id": "a-1", "state": "available", "since": "2026-11-20T09:00:00.000+08:00"}}}')

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def loose_umask():  # type: ignore[no-untyped-def]
    """The usual 022 umask, under which a plain new file would be 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_journal_and_its_wal_and_shm_are_owner_only(tmp_path: Path, loose_umask: None) -> None:
    db = tmp_path / "new" / "journal.db"
    store = Store(f"sqlite:///{db}")
    try:
        assert mode(db) == 0o600
        assert mode(db.parent) == 0o700  # the folder we created for it
        entry = QuarantineEntry.of("not json", "malformed", "x", datetime.now(timezone.utc))
        store.append([journal_row("E1", wire.decode(AGENT), AGENT)], [entry])
        # SQLite made the -wal and -shm beside the database with the database's mode
        wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
        assert wal.exists() and shm.exists()
        assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        # and so does a second connection that is not the store's (a reader, sqlite3 itself)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 1
        assert mode(wal) == 0o600
    finally:
        store.close()
    assert mode(db) == 0o600


def test_an_older_journal_readable_by_others_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    db = tmp_path / "journal.db"
    Store(f"sqlite:///{db}").close()
    os.chmod(db, 0o644)
    wal = Path(f"{db}-wal")
    wal.write_bytes(b"")
    os.chmod(wal, 0o644)
    Store(f"sqlite:///{db}").close()
    assert mode(db) == 0o600
    if wal.exists():
        assert mode(wal) == 0o600


def test_a_journal_the_user_may_only_read_is_opened_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    Store(f"sqlite:///{db}").close()
    os.chmod(db, 0o400)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as root: every file is writable")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True):
            pass
        paths.private_file(db)  # no error: an existing file is not opened for writing
        assert mode(db) == 0o400
    finally:
        os.chmod(db, 0o600)


def test_default_journal_folder_is_created_0700(tmp_path: Path, loose_umask: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "data" / "CommandCenter"
    monkeypatch.setattr(paths.platformdirs, "user_data_dir", lambda *a, **k: str(where))
    url = paths.default_db_url()
    assert url == f"sqlite:///{where / 'journal.db'}"
    assert mode(where) == 0o700
    Store(url).close()
    assert mode(where / "journal.db") == 0o600
    # a folder that exists already is the user's choice and left as it is
    os.chmod(where, 0o750)
    paths.data_dir()
    assert mode(where) == 0o750


def test_exported_workbook_is_owner_only(tmp_path: Path, loose_umask: None) -> None:
    target = tmp_path / "day.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    with atomic_output(target) as tmp:
        assert mode(tmp) == 0o600  # from its first byte, not only once complete
        tmp.write_bytes(b"PK new")
    assert target.read_bytes() == b"PK new"
    assert mode(target) == 0o600


def test_settings_file_is_owner_only(tmp_path: Path, loose_umask: None) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from ui import app

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    try:
        settings = app._settings()
        path = Path(settings.fileName())
        assert tmp_path in path.parents, path
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
        settings.setValue("window/geometry", b"x" * 10)
        settings.sync()
        assert settings.status() == QSettings.Status.NoError
        assert mode(path) == 0o600  # Qt's save keeps the mode of the file it replaces
        # an older version's 0644 settings file is tightened the next time the desktop starts
        os.chmod(path, 0o644)
        del settings
        app._settings()
        assert mode(path) == 0o600
    finally:
        default = Path.home() / ".config"
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                          os.environ.get("XDG_CONFIG_HOME", str(default)))
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          os.environ.get("XDG_CONFIG_HOME", str(default)))
