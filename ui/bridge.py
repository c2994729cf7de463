"""The asyncio thread: the feed client, its journal store and the KPI builder live here.

ARCHITECTURE.md: two long-lived threads. This one owns the websocket and the database
session; it hands batches, statuses and KPI reports to the main thread through the
``Inbox`` and takes commands from it with ``asyncio.run_coroutine_threadsafe``. The KPI
report is computed here too, so the Qt thread never pays for it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from supervisor.errors import CommandCenterError
from ui.inbox import Inbox
from ui.kpi_today import DEFAULT_FORMULA, KpiToday, TodayKpi

if TYPE_CHECKING:
    from collections.abc import Iterable

    from supervisor import wire
    from supervisor.feed import CommandOutcome, FeedClient, FeedStatus
    from supervisor.kpi.builder import KpiBuilder
    from supervisor.store import Store
    from ui.forecast_feed import LiveForecaster
    from ui.last_week import LastWeek
    from ui.status import FeedState

log = logging.getLogger(__name__)

KPI_EVERY_S = 5.0


class FeedBridge:
    """Runs ``FeedClient`` (+ ``Store`` + ``KpiBuilder``) on its own thread and event loop."""

    def __init__(
        self,
        inbox: Inbox,
        url: str,
        token: str,
        *,
        ca_file: str | None = None,
        db_url: str | None = None,
        resume: tuple[str, int] | None = None,
        kpi: bool = True,
        client_factory: Callable[..., FeedClient] | None = None,
        formula: str = DEFAULT_FORMULA,
    ) -> None:
        self.inbox = inbox
        self.formula = formula  # KPI.md's service-level formula of today's figures
        # my floor: the queues and teams today's figures are of (None: all)
        self.scope: tuple[tuple[str, ...] | None, tuple[str, ...] | None] = (None, None)
        self.url = url
        self.token = token
        self.ca_file = ca_file
        self.db_url = db_url
        self.resume = resume
        self._kpi_enabled = kpi
        self._client_factory = client_factory
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: FeedClient | None = None
        self._ready = threading.Event()
        self._kpi_builder: KpiBuilder | None = None
        self._today: TodayKpi | None = None  # today's figures, of the KPI builder
        self._kpi_dirty = False
        self._forecaster: LiveForecaster | None = None  # beside the KPI builder
        self._last_week: LastWeek | None = None  # the same time a week ago, from the journal
        self._last_status: FeedState | None = None
        self.error: BaseException | None = None
        # called on the feed thread with every command result, late ones included (each
        # listener hands it to its own thread); add/remove from the main thread
        self.command_listeners: list[Callable[[CommandOutcome], None]] = []

    # ------------------------------------------------------------------ main thread API

    def start(self) -> None:
        self._thread = threading.Thread(target=self._thread_main, name="feed", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the client, let the store flush and close, join the thread."""
        loop, client = self._loop, self._client
        if loop is not None and client is not None and not loop.is_closed():
            try:
                fut = asyncio.run_coroutine_threadsafe(client.stop(), loop)
                fut.result(timeout=timeout)
            except (concurrent.futures.TimeoutError, RuntimeError) as exc:
                log.warning("feed client did not stop cleanly: %s", exc)
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            self._thread = None

    def reassign(self, escalation_id: str, to_owner: str, reason: str,
                 timeout: float = 10.0) -> concurrent.futures.Future[CommandOutcome]:
        """Send a reassignment; the future resolves with the server's result (or raises)."""
        if self._loop is None or self._client is None:
            raise RuntimeError("not connected")
        return asyncio.run_coroutine_threadsafe(
            self._client.reassign(escalation_id, to_owner, reason, timeout=timeout), self._loop)

    def reveal(self, customer_id: str, case_id: str | None, reason: str,
               timeout: float = 10.0) -> concurrent.futures.Future[CommandOutcome]:
        """Ask the server for a customer's unmasked record; the future's outcome carries it
        (``outcome.customer``) for the asking dialog alone, never for ``command_listeners``."""
        if self._loop is None or self._client is None:
            raise RuntimeError("not connected")
        return asyncio.run_coroutine_threadsafe(
            self._client.reveal(customer_id, case_id, reason, timeout=timeout), self._loop)

    def set_formula(self, formula: str) -> None:
        """Today's figures with another service-level formula, recomputed at once on the
        feed thread and posted like any report (the main thread never scans the day)."""
        from supervisor.kpi.figures import check_formula

        check_formula(formula)
        self.formula = formula
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # not started yet: the TodayKpi is made with self.formula
        try:
            loop.call_soon_threadsafe(self._switch_formula, formula)
        except RuntimeError:  # the loop closed meanwhile: nothing left to recompute
            pass

    def set_scope(self, queues: Sequence[str] | None, teams: Sequence[str] | None) -> None:
        """My floor (issue 12 point 2): today's and last week's figures of these queues'
        contacts and these teams' agents (None: all), recomputed at once on the feed thread."""
        self.scope = (None if queues is None else tuple(queues), None if teams is None else tuple(teams))
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # not started yet: the TodayKpi is given self.scope
        try:
            loop.call_soon_threadsafe(self._switch_scope, self.scope)
        except RuntimeError:  # the loop closed meanwhile
            pass

    def _switch_scope(self, scope: tuple[tuple[str, ...] | None, tuple[str, ...] | None]) -> None:
        today = self._today
        if today is None:
            return
        today.set_scope(*scope)
        self._post_now()

    def _switch_formula(self, formula: str) -> None:
        today = self._today
        if today is None:
            return
        today.set_formula(formula)
        self._post_now()

    def _post_now(self) -> None:
        """Today's figures recomputed and posted at once (after a change of formula or scope)."""
        try:
            report = self._today_report()
        except Exception:  # a KPI defect must not stop the live feed
            log.exception("KPI report failed")
            return
        if report is not None:
            self._never_reported = False
            self.inbox.post_kpi(report)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ feed thread

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except CommandCenterError as exc:
            # not authorised / another protocol version: the client already reported its
            # final state to the UI; keep the reason for the app's exit code
            self.error = exc
        except BaseException as exc:  # reported to the UI, never a silent dead thread
            log.exception("feed thread failed")
            self.error = exc
            self.inbox.post_status(_FailedStatus(str(exc)))
        finally:
            self._ready.set()
            # a stop() sent from the main thread finishes with the client; its future is only
            # resolved by a callback already queued on this loop: run the queue once more, or
            # stop() waits out its whole timeout
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=5))
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    async def _main(self) -> None:
        store = None
        if self.db_url:
            from supervisor.store import Store

            store = Store(self.db_url)
        if self._kpi_enabled:
            from supervisor.kpi.builder import KpiBuilder

            self._kpi_builder = KpiBuilder()
            self._today = TodayKpi(self._kpi_builder, formula=self.formula)
            self._today.set_scope(*self.scope)
            from ui.forecast_feed import LiveForecaster

            self._forecaster = LiveForecaster(store)
            if store is not None:
                from ui.last_week import LastWeek

                self._last_week = LastWeek(store)
        factory = self._client_factory
        if factory is None:
            from supervisor.feed import FeedClient

            factory = FeedClient
        kpi_task = None
        try:
            resume = self.resume
            if resume is None and store is not None:
                resume = self._warm_up(store)
            self._client = factory(
                self.url, self.token, ca_file=self.ca_file, store=store, resume=resume,
                on_batch=self._on_batch, on_status=self._on_status,
                on_command_result=self._on_command_result,
                # today's figures need the epoch's whole history: backfill it once
                backfill=True, on_history=self._on_history, on_preview=self._on_preview,
            )
            self._ready.set()
            if self._kpi_builder is not None:
                kpi_task = asyncio.get_running_loop().create_task(self._kpi_loop())
            await self._client.run()
        finally:
            if kpi_task is not None:
                kpi_task.cancel()
            if store is not None:
                store.close()

    def _warm_up(self, store: Store) -> tuple[str, int] | None:
        """The journal into the floor and the KPI builder, then resume right after it.

        The KPI builder gets every event since the journal day's midnight (or since the
        newest snapshot, if that is earlier), in journal order, so today's tiles equal
        ``command-center kpi`` over the same journal. The floor needs a whole state: it
        gets the newest snapshot of the newest epoch and everything after it. The stream
        then resumes from the journal's last seq: a server that still buffers what was
        missed while the desktop was down replays it, so the journal has no hole.
        """
        position = store.last_position()
        if position is None:
            return None
        tz = store.center_tz()
        newest = store.newest_ts()
        start_ids: list[int] = []
        if newest is not None:
            local = newest.astimezone(tz)
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            first_today = store.first_id_since(midnight)
            if first_today is not None:
                start_ids.append(first_today)
        snapshot = store.last_snapshot(position[0])
        if snapshot is None:
            log.warning("the journal holds no snapshot of epoch %s: the floor starts empty and "
                        "fills as events arrive", position[0])
        else:
            start_ids.append(snapshot[0])
        if not start_ids:
            return position
        start = min(start_ids)
        floor_from = snapshot[0] if snapshot is not None else start
        if start < floor_from:
            self._feed_journal(store.iter_events(from_id=start, before_id=floor_from), floor=False)
        self._feed_journal(store.iter_events(from_id=floor_from), floor=True)
        return position

    def _feed_journal(self, events: Iterable[wire.Event], *, floor: bool) -> None:
        chunk: list[wire.Event] = []
        for event in events:
            chunk.append(event)
            if len(chunk) >= 5_000:
                self._on_batch(chunk) if floor else self._on_history(chunk)
                chunk = []
        if chunk:
            self._on_batch(chunk) if floor else self._on_history(chunk)

    def _on_history(self, events: list[wire.Event]) -> None:
        """Events before the snapshot the floor starts from: only the KPI needs them."""
        builder = self._kpi_builder
        if builder is not None:
            for event in events:
                builder.feed(event)
            self._kpi_dirty = True
            if self._forecaster is not None:
                self._forecaster.observe(events)

    def _on_preview(self, snapshot: wire.Snapshot) -> None:
        """The snapshot that opened a backfill: the floor shows it at once."""
        self.inbox.post_events([snapshot])

    def _on_batch(self, events: list[wire.Event]) -> None:
        self.inbox.post_events(events)
        builder = self._kpi_builder
        if builder is not None:
            for event in events:
                builder.feed(event)
            self._kpi_dirty = True
            if self._forecaster is not None:
                self._forecaster.observe(events)

    def _on_command_result(self, outcome: CommandOutcome) -> None:
        for listener in list(self.command_listeners):  # a copy: the main thread may edit it
            try:
                listener(outcome)
            except Exception:  # a closed dialog must not break the feed
                log.exception("command result listener failed")

    def _on_status(self, status: FeedStatus) -> None:
        self._last_status = status
        self.inbox.post_status(status)

    async def _kpi_loop(self) -> None:
        while True:
            # quick until the first figures are on screen, then every few seconds
            await asyncio.sleep(0.5 if self._never_reported else KPI_EVERY_S)
            if not self._kpi_dirty:
                continue
            self._kpi_dirty = False
            try:
                report = self._today_report()
            except Exception:  # a KPI defect must not stop the live feed
                log.exception("KPI report failed")
                continue
            if report is not None:
                self._never_reported = False
                self.inbox.post_kpi(report)

    _never_reported = True

    def _today_report(self) -> KpiToday | None:
        self._forecast_step()  # first: the KPI pass folds settled contacts the forecast still needs
        if self._today is None:  # started without the KPI
            return None
        today = self._today.compute()
        if today is not None and self._last_week is not None:
            today = self._with_last_week(today)
        return today

    def _with_last_week(self, today: KpiToday) -> KpiToday:
        """Today's figures with those of the same time a week ago (over the same queues)."""
        from dataclasses import replace

        now = today.server_now
        if now is None:
            return today
        last_week, today_kpi = self._last_week, self._today
        if last_week is None or today_kpi is None:
            return today
        try:
            week = last_week.compute(now, formula=today.formula, queues=today_kpi.queues, teams=today_kpi.teams)
        except Exception:  # the journal unreadable a moment: no comparison this time
            log.exception("reading the journal a week ago failed")
            return today
        return replace(today, last_week=week)

    def _forecast_step(self) -> None:
        forecaster, builder = self._forecaster, self._kpi_builder
        if forecaster is None or builder is None:
            return
        try:
            outlook = forecaster.step(builder.facts)
        except Exception:  # a forecast defect must stop neither the KPI nor the feed
            log.exception("live forecast failed")
            return
        if outlook is not None:
            self.inbox.post_forecast(outlook)


class _FailedStatus:
    """A status for a feed thread that died: shown as 'not connected' with the reason."""

    state = "stopped"
    user = None
    epoch = None
    seq = None
    server_offset_s = None
    last_message_monotonic = None
    retry_in_s = None

    def __init__(self, message: str) -> None:
        self.message = message
