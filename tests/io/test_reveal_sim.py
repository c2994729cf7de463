"""customer.reveal against the real simulator: the desktop's FeedClient and the whole desk.

A duty lead with a reason gets the unmasked record (and the simulator's audit trail, the
record of truth, has the reveal); a floor supervisor is refused, so is a reveal without a
reason or of an unknown customer. Through the real desk (Shell: bridge, journal, the case
dialog, QSettings), a reveal shows the record while the case is open, and afterwards the
SQLite file (WAL included), the settings file and the log hold none of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from supervisor import wire
from supervisor.sim.server import SimConfig, SimulatorThread, start_in_thread
from supervisor.store import Store
from supervisor.timeutil import CHINA
from tests.io.harness import Watched, run, until


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorThread]:
    server = start_in_thread(SimConfig(seed=11, speed=1.0, agents=20, prerun_hours=1.0,
                                       start=datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)))
    try:
        yield server
    finally:
        server.stop()


def a_case(events: list[wire.Event]) -> wire.Case:
    for ev in events:
        if isinstance(ev, wire.Snapshot):
            for case in ev.data.cases:
                if case.customer is not None and case.customer.name:
                    return case
    raise AssertionError("the simulator's snapshot has no case with a customer")


def raw_files(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


def test_the_simulator_reveals_to_a_duty_lead_with_a_reason_only(
        sim: SimulatorThread, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="supervisor")
    caplog.set_level(logging.DEBUG, logger="websockets.client")
    store = Store(f"sqlite:///{tmp_path / 'lead.db'}")

    async def main() -> tuple[wire.Case, object, object, object, object]:
        lead = Watched(sim.url, "demo-lead", store=store).start()
        floor_sup = Watched(sim.url, "demo-supervisor").start()
        await until(lambda: lead.client.status.state == "live" and floor_sup.client.status.state == "live",
                    timeout=20, what="both live")
        await until(lambda: any(isinstance(e, wire.Snapshot) for e in lead.events), what="a snapshot")
        case = a_case(lead.events)
        assert case.customer is not None and case.customer.masked and "*" in case.customer.name
        ok = await lead.client.reveal(case.customer.id, case.case_id, "客户来电，核实身份")
        no_reason = await lead.client.reveal(case.customer.id, case.case_id, "  ")
        unknown = await lead.client.reveal("k-nobody", None, "核实")
        refused = await floor_sup.client.reveal(case.customer.id, case.case_id, "核实")
        await lead.stop()
        await floor_sup.stop()
        assert all(r.customer is None for r in lead.results + floor_sup.results)
        return case, ok, no_reason, unknown, refused

    case, ok, no_reason, unknown, refused = run(main(), timeout=60)
    store.close()
    assert ok.status == "ok" and ok.customer is not None  # type: ignore[attr-defined]
    full: wire.Customer = ok.customer  # type: ignore[attr-defined]
    assert full.id == case.customer.id and not full.masked and "*" not in full.name + full.phone  # type: ignore[union-attr]
    assert len(full.phone) >= 11 and full.name
    assert (no_reason.status, no_reason.code) == ("error", "invalid")  # type: ignore[attr-defined]
    assert (unknown.status, unknown.code) == ("error", "not_found")  # type: ignore[attr-defined]
    assert (refused.status, refused.code, refused.customer) == ("error", "forbidden", None)  # type: ignore[attr-defined]
    # the server's audit trail (the record of truth) has the reveal, granted and refused
    trail = [e for e in sim.server.audit.entries if e.get("kind") == "reveal"]
    assert any(e.get("customer_id") == full.id for e in trail)
    # the lead's journal (WAL included) and the client's log never saw the record
    raw = raw_files(tmp_path)
    assert full.name.encode() not in raw and full.phone.encode() not in raw
    assert not any(full.name in r.getMessage() or full.phone in r.getMessage()
                   for r in caplog.records if not r.name.startswith(("websockets.server", "supervisor.sim")))


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")  # offscreen windows
def test_the_desk_reveals_in_the_case_dialog_and_keeps_nothing(
        qtbot, sim: SimulatorThread, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from tests.cases.qttext import visible_text
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    caplog.set_level(logging.DEBUG, logger="supervisor")
    caplog.set_level(logging.DEBUG, logger="ui")
    data = tmp_path / "desk"
    data.mkdir()
    db = f"sqlite:///{data / 'journal.db'}"
    settings = QSettings(str(data / "desk.ini"), QSettings.Format.IniFormat)
    shell = Shell(settings, bridge_factory=lambda inbox: FeedBridge(inbox, sim.url, "demo-lead", db_url=db, kpi=False),
                  beep=False, db_url=db, lang="en")
    try:
        shell.start()
        live = shell.live
        qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live"
                        and bool(live.floor.cases), timeout=20_000)
        case = next(c for c in sorted(live.floor.cases.values(), key=lambda c: c.case_id)
                    if c.customer is not None and c.customer.name)
        qtbot.waitUntil(lambda: shell.actions.store().last_position() is not None, timeout=10_000)
        dialog = shell.actions.open_case(case.case_id)
        assert dialog is not None and dialog.masked and dialog.reveal_action.allowed
        dialog.reveal_action._ask_reason = lambda: "客户来电，核实身份"  # the reason dialog's answer
        dialog.reveal_action.trigger()
        qtbot.waitUntil(lambda: not dialog.masked, timeout=15_000)
        full = dialog._revealed
        assert full is not None and "*" not in full.name and full.name in visible_text(dialog)
        [entry] = shell.actions.store().audit(kinds=["reveal"])
        assert entry.detail["result"] == "ok" and entry.actor["role"] == "duty_lead"
        dialog.close()
        again = shell.actions.open_case(case.case_id)
        assert again.masked and full.name not in visible_text(again)
        again.close()
        shell.window.close()  # writes the window's settings
        shell.shutdown()
    finally:
        shell.dispose()
    settings.sync()
    assert (data / "desk.ini").exists()
    raw = raw_files(data)
    assert any(p.name.endswith("-wal") for p in data.iterdir()) or (data / "journal.db").exists()
    assert full.name.encode() not in raw and full.phone.encode() not in raw
    assert not any(full.name in r.getMessage() or full.phone in r.getMessage()
                   for r in caplog.records if not r.name.startswith(("websockets.server", "supervisor.sim")))
