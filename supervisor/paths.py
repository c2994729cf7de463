"""Where the desktop keeps its files by default (the user's data directory), and files
readable by their owner alone.

The journal, the quarantine, exported workbooks and the desktop's settings may hold
customer data (masked, but still a bank's records): they are created readable and
writable by their owner alone (0600 on POSIX), the folders the app creates for them 0700.
Windows keeps others out of the user's profile folders already; there these are no-ops.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "CommandCenter"
POSIX = os.name == "posix"

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """The user's data directory for the app; created readable by its owner alone (0700):
    it holds the journal."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    private_dir(path)
    return path


def default_db_url() -> str:
    """The default journal: a SQLite file in the user's data directory."""
    return f"sqlite:///{data_dir() / 'journal.db'}"


def private_dir(path: Path) -> None:
    """Create the folder ``path`` (and its parents) if missing, the folder itself 0700.
    An existing folder is left as it is: the user chose it."""
    if path.is_dir():
        return
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if POSIX:
        os.chmod(path, 0o700)  # whatever the umask


def private_file(path: Path) -> None:
    """Make ``path`` a file readable and writable by its owner alone (0600 on POSIX).

    A missing file is created empty with that mode (programs that then write it in place,
    or replace it keeping its mode, like SQLite and Qt's QSaveFile, keep it); an existing
    one of ours that others may read is tightened (``tighten``). A file the user may only
    read is opened as it is.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        tighten(path)
    else:
        os.close(fd)
        if POSIX:
            os.chmod(path, 0o600)  # whatever the umask


def tighten(path: Path) -> None:
    """Take group and others' access away from an existing file of ours (an older version
    made its files 0644); a missing file or one owned by someone else is left alone."""
    if not POSIX:
        return
    try:
        st = path.stat()
        if stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 and st.st_uid == os.geteuid():
            os.chmod(path, stat.S_IMODE(st.st_mode) & 0o700)
            log.info("%s was readable by others: now by its owner alone", path)
    except OSError:
        pass
