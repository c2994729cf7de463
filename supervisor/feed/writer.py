"""The journal writer: one thread that writes batches to the store in arrival order.

The asyncio thread only hands batches over, so reading the socket never waits for the
database. Each transaction also keeps the facts of its new rows beside the journal
(``Store.append``, supervisor/store/facts.py); a journal whose facts lag behind (written
before they existed) gets them first, in chunks, before the first batch is written. Batches that queue up while a transaction runs are merged into the next one,
so the batch size grows with the load instead of paying a commit per few events. A
failing write is retried (the rows are kept), never dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from supervisor.errors import CommandCenterError
from supervisor.store import JournalRow, QuarantineEntry, Store

log = logging.getLogger(__name__)

MAX_ROWS_PER_TX = 10_000
# A burst waits up to this long after the previous commit to join one transaction. Few,
# large transactions matter on SQLite: each commit writes every index page it touched to
# the WAL again (the agent index is touched all over), so many small commits write the
# same pages over and over. The UI never waits for this: it gets events before they are
# written, and stop() writes at once.
LINGER_S = 0.1
RETRY_CAP_S = 30.0


class JournalLost(CommandCenterError):
    """The database kept failing at shutdown: some received events were not journaled."""


class JournalWriter:
    """Writes to ``store`` on its own thread.

    ``on_written(inserted, submitted)`` and ``on_error(message or None)`` are called on the
    writer thread; the caller hops them to its own thread.
    """

    def __init__(
        self,
        store: Store,
        on_written: Callable[[int, int], None] | None = None,
        on_error: Callable[[str | None], None] | None = None,
    ) -> None:
        self._store = store
        self._on_written = on_written
        self._on_error = on_error
        self._queue: deque[tuple[Sequence[JournalRow], Sequence[QuarantineEntry]]] = deque()
        self._cond = threading.Condition()
        self._backlog = 0  # rows + entries submitted and not yet committed
        self._queued = 0  # rows + entries in the queue, not yet taken by the thread
        self._last_commit = 0.0
        self._closing = False
        self._close_deadline: float | None = None
        self._unwritten = 0
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    @property
    def backlog(self) -> int:
        return self._backlog

    def submit(self, rows: Sequence[JournalRow], quarantine: Sequence[QuarantineEntry] = ()) -> None:
        """Queue a batch; returns at once."""
        if not rows and not quarantine:
            return
        with self._cond:
            if self._closing:
                raise RuntimeError("the journal writer is closed")
            self._queue.append((rows, quarantine))
            self._backlog += len(rows) + len(quarantine)
            self._queued += len(rows) + len(quarantine)
            self._cond.notify()

    def close(self, timeout: float = 30.0) -> int:
        """Write everything queued, stop the thread, return how many rows could not be
        written (0 unless the database kept failing for ``timeout`` seconds)."""
        with self._cond:
            self._closing = True
            self._close_deadline = time.monotonic() + timeout
            self._cond.notify()
        self._thread.join()
        return self._unwritten

    def _take(self) -> tuple[list[JournalRow], list[QuarantineEntry]] | None:
        with self._cond:
            while not self._queue and not self._closing:
                self._cond.wait()
            if not self._queue:
                return None
            deadline = self._last_commit + LINGER_S
            while not self._closing and self._queued < MAX_ROWS_PER_TX:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            rows: list[JournalRow] = []
            entries: list[QuarantineEntry] = []
            while self._queue and len(rows) < MAX_ROWS_PER_TX:
                r, q = self._queue.popleft()
                rows.extend(r)
                entries.extend(q)
                self._queued -= len(r) + len(q)
            return rows, entries

    def _catch_up(self) -> None:
        try:
            read = self._store.catch_up_facts()
        except Exception as exc:  # noqa: BLE001 - the first append catches up in its transaction
            log.warning("the journal's facts could not be brought up to date yet: %s",
                        str(exc).splitlines()[0])
            return
        if read:
            log.info("kept the facts of %d journal rows written before them", read)

    def _run(self) -> None:
        self._catch_up()
        while True:
            batch = self._take()
            if batch is None:
                return
            rows, entries = batch
            delay = 0.2
            while True:
                try:
                    inserted = self._store.append(rows, entries)
                except Exception as exc:  # noqa: BLE001 - any database failure is retried
                    message = f"the journal cannot be written: {str(exc).splitlines()[0]}"
                    log.error("%s (retrying in %.1f s)", message, delay)
                    if self._on_error:
                        self._on_error(message)
                    with self._cond:
                        deadline = self._close_deadline
                        if deadline is not None and time.monotonic() + delay > deadline:
                            self._give_up(len(rows) + len(entries))
                            return
                        self._cond.wait(delay)  # woken early by close()
                    delay = min(delay * 2, RETRY_CAP_S)
                    continue
                if delay > 0.2 and self._on_error:
                    self._on_error(None)  # recovered
                break
            with self._cond:
                self._backlog -= len(rows) + len(entries)
                self._last_commit = time.monotonic()
            if self._on_written:
                self._on_written(inserted, len(rows))

    def _give_up(self, in_hand: int) -> None:
        # called with the lock held, at close only: the process is stopping and the
        # database has failed past the deadline; say loudly how much is lost
        lost = in_hand + sum(len(r) + len(q) for r, q in self._queue)
        self._queue.clear()
        self._queued = 0
        self._unwritten = lost
        self._backlog = 0
        log.error("gave up writing %d journal rows: the database kept failing", lost)
