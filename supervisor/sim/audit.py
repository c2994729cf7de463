"""The server's audit trail of reveals and reassignments: the record of truth (PROTOCOL.md).

Where a command is authorised, it is audited: every ``customer.reveal`` and every
``escalation.reassign`` the server answers, granted or refused, becomes one entry. With
``simulate --audit PATH`` the entries go to a JSON Lines file, one object per line, which
an auditor reads with any text tool and the server only ever appends to:

    {"at": "2026-11-23T10:15:02.123+08:00", "recorded_at": "2026-11-20T14:03:11.482+08:00",
     "kind": "reveal", "user": {"id": "u-lead", "name": "…", "role": "duty_lead"},
     "customer_id": "k-…", "case_id": "case-…", "escalation_id": null,
     "reason": "…", "result": "ok", "request_id": "r-…"}

- ``at``: the server's clock (the stream's time, simulated in the simulator), so an entry
  lines up with the journal; ``recorded_at``: the wall clock when it was written.
- ``kind``: ``reveal`` or ``reassign``; a reassignment also has ``from`` and ``to``
  (``{"id", "name"}``; ``to`` as asked when the command was refused).
- ``result``: ``ok``, or the refusal's code (``forbidden``, ``invalid``, ``not_found``, …).
- ``reason`` is kept as the user wrote it: the trail is the server's own record, readable
  by its owner alone. A revealed record itself is never written, only whose it was.

The file is created 0600 (an existing one is narrowed to 0600), opened without following
a symlink, and each entry is one ``write`` of a whole line in append mode followed by
``fsync``: a crash loses at most the entry being written, never an earlier one, and two
writers never interleave within a line. Without a file the trail is kept in memory (the
newest ``MEMORY_ENTRIES``). It is never broadcast.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from supervisor.timeutil import fmt

log = logging.getLogger("supervisor.sim")

MEMORY_ENTRIES = 10_000


class AuditError(Exception):
    """The trail cannot be written: what needs auditing must not happen."""


class AuditTrail:
    """Append-only audit entries: a JSON Lines file (``path``) or memory (``path`` None)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.entries: deque[dict[str, Any]] = deque(maxlen=MEMORY_ENTRIES)
        self._fd: int | None = None
        if self.path is not None:
            self._fd = self._open(self.path)

    @staticmethod
    def _open(path: Path) -> int:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            raise AuditError(f"cannot open the audit trail {path}: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise AuditError(f"the audit trail {path} is not a regular file")
            if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
                os.fchmod(fd, 0o600)  # an older trail readable by others: the owner's alone from now on
        except BaseException:
            os.close(fd)
            raise
        return fd

    @property
    def where(self) -> str:
        """Where the entries go, for the startup banner."""
        return str(self.path) if self.path is not None else "memory only (no --audit file)"

    def write(self, entry: dict[str, Any]) -> None:
        """Append one entry, durably (flush + fsync) when there is a file; raises AuditError."""
        entry = dict(entry)
        entry.setdefault("recorded_at", fmt(datetime.now().astimezone()))
        if self._fd is not None:
            line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            try:
                written = os.write(self._fd, line)
                if written != len(line):  # a full disk mid-line: never leave half an entry unsaid
                    raise OSError(0, f"short write ({written} of {len(line)} bytes)")
                os.fsync(self._fd)
            except OSError as exc:
                raise AuditError(f"cannot write the audit trail {self.path}: {exc.strerror or exc}") from None
        self.entries.append(entry)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_trail(path: str | Path) -> list[dict[str, Any]]:
    """The entries of a JSON Lines trail (a torn last line, from a crash mid-write, is skipped)."""
    out: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out
