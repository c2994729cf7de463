"""The case dialog's reveal goes through the server and lives only while the dialog is open.

The journal here is masked at rest, as the client keeps it: the only unmasked record is
the (scripted) server's answer. After a reveal, the raw bytes of the SQLite file (journal,
audit, WAL) and the log hold no unmasked value; a new dialog is masked again; refusals
read as one sentence; a late answer is dropped; floor supervisors and the wall never get it.
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from supervisor import wire
from supervisor.feed.status import CommandOutcome
from supervisor.store import Store, journal_row
from tests.cases.qttext import visible_text
from tests.cases.scenario import ID_NUMBER, NAME, PHONE, at, case_life
from ui import reveal as reveal_module
from ui.case_dialog import CaseDialog
from ui.reveal import ReasonDialog

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

LEAD = {"id": "u-7", "name": "值班长"}
MASKED = {NAME: "张*丰", PHONE: "138****5678", ID_NUMBER: "110***********4512",
          "李四": "李*", "13900001111": "139****1111"}
CUSTOMER = wire.Customer(id="k-1", name=NAME, phone=PHONE, segment="vip", masked=False)
REASON = "客户来电核实身份"


def masked_at_rest(store: Store) -> Any:
    """case_life() as the client journals it: every customer value masked (PROTOCOL.md)."""
    s = case_life()
    rows, events = [], []
    for raw in s.stream.raw:
        for full, masked in MASKED.items():
            raw = raw.replace(full, masked)
        raw = re.sub(r'("segment": "(?:vip|standard)")\}', r'\1, "masked": true}', raw)
        ev = wire.decode(raw)
        assert isinstance(ev, wire.Event)
        events.append(ev)
        rows.append(journal_row("E1", ev, raw))
    store.append(rows)
    s.events = events
    return s


class Server:
    """A stand-in for ``FeedBridge.reveal``: records each request, answers when told."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None, str]] = []
        self.futures: list[concurrent.futures.Future[Any]] = []
        self.connected = True

    def __call__(self, customer_id: str, case_id: str | None, reason: str) -> concurrent.futures.Future[Any]:
        if not self.connected:
            raise RuntimeError("not connected")
        self.requests.append((customer_id, case_id, reason))
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.futures.append(future)
        return future

    def answer(self, outcome: CommandOutcome, index: int = -1, *, thread: bool = True) -> None:
        """Resolve from another thread, as the asyncio thread does."""
        future = self.futures[index]
        if thread:
            t = threading.Thread(target=future.set_result, args=(outcome,))
            t.start()
            t.join()
        else:
            future.set_result(outcome)


def ok() -> CommandOutcome:
    return CommandOutcome("r-1", "ok", customer=CUSTOMER)


def refused(code: str) -> CommandOutcome:
    return CommandOutcome("r-1", "error", code, "the server's own words")


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store(f"sqlite:///{tmp_path / 'journal.db'}")
    yield s
    s.close()


@pytest.fixture
def scenario(store: Store) -> Any:
    return masked_at_rest(store)


def open_dialog(qtbot, store, scenario, role: str = "duty_lead", server: Server | None = None,
                reason: str | None = REASON, **kw: Any) -> CaseDialog:  # type: ignore[no-untyped-def]
    d = CaseDialog("case-1", store, scenario.floor(), role, True, LEAD, None, now=lambda: at(4000),
                   reveal=server, ask_reveal_reason=lambda: reason, **kw)
    qtbot.addWidget(d)
    return d


def shows_unmasked(d: CaseDialog) -> bool:
    text = visible_text(d)
    return NAME in text or PHONE in text


def test_masked_then_revealed_by_the_server_then_masked_again_in_a_new_dialog(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    d = open_dialog(qtbot, store, scenario, server=server)
    assert d.masked and not shows_unmasked(d)
    assert d._fields["customer"].text().startswith("张*丰") and d._fields["phone"].text() == "138****5678"
    assert not d.reveal_button.isHidden() and d.reveal_action.isEnabled()

    d.reveal_action.trigger()
    assert server.requests == [("k-1", "case-1", REASON)]
    assert d.mask_label.text() == "Asking the server…" and not d.reveal_action.isEnabled()
    assert "Asking the server" in d.status_label.text()
    assert not shows_unmasked(d)  # nothing until the server answers

    server.answer(ok())
    qtbot.waitUntil(lambda: not d.masked, timeout=3000)
    assert d._fields["customer"].text().startswith(NAME) and d._fields["phone"].text() == PHONE
    assert d._fields["customer_id"].text() == "k-1"
    assert PHONE in d._fields["subject"].text()  # the masked phone in the subject reads in full
    assert "Revealed by the server" in d.mask_label.text() and d.reveal_button.isHidden()
    summary = d.escalations.item(0, 6).text()
    assert ID_NUMBER not in summary and "110***********4512" in summary  # not this record's: stays masked
    assert "李*" in visible_text(d.timeline) or "李四" not in visible_text(d)  # another customer stays masked
    last = d.timeline.rowCount() - 1
    assert d.timeline.item(last, 1).text() == "Reveal (audit)"
    assert "revealed the customer data to 值班长" in d.timeline.item(last, 2).text()

    d.close()  # closing drops the record: the widgets of this dialog hold it no more
    assert d.masked and not shows_unmasked(d)
    again = open_dialog(qtbot, store, scenario, server=server)
    assert again.masked and not shows_unmasked(again)
    assert again._fields["customer"].text().startswith("张*丰")


def test_the_local_audit_is_a_masked_convenience_entry(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    reason = f"{NAME}来电, 手机 {PHONE}, 要求核实"  # a reason that quotes the customer
    d = open_dialog(qtbot, store, scenario, "manager", server, reason=reason)
    d.reveal_action.trigger()
    server.answer(ok())
    qtbot.waitUntil(lambda: not d.masked, timeout=3000)
    assert server.requests[0][2] == reason  # the server gets the reason as written (its trail)
    [entry] = store.audit(kinds=["reveal"])
    assert entry.subject_id == "case-1"
    assert entry.actor == {"id": "u-7", "name": "值班长", "role": "manager"}
    assert entry.detail == {"case_id": "case-1", "customer_id": "k-1",
                            "reason": "张*丰来电, 手机 138****5678, 要求核实", "result": "ok"}
    assert NAME not in str(entry) and PHONE not in str(entry)


@pytest.mark.parametrize(("code", "words"), [
    ("forbidden", "your role may not reveal"),
    ("invalid", "a reason is required"),
    ("not_found", "does not know this customer"),
    ("unavailable", "cannot record the reveal"),
    ("unknown", "No answer from the server in time"),
    ("conflict", "refused the reveal (conflict)"),
])
def test_a_refusal_reads_as_one_sentence_and_reveals_nothing(qtbot, store, scenario, code: str, words: str) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    d = open_dialog(qtbot, store, scenario, server=server)
    d.reveal_action.trigger()
    outcome = CommandOutcome("r-1", "unknown", None, "no result") if code == "unknown" else refused(code)
    server.answer(outcome)
    qtbot.waitUntil(lambda: words in d.status_label.text(), timeout=3000)
    assert d.masked and not shows_unmasked(d)
    assert d.status_label.text().count(". ") == 0 and "server's own words" not in d.status_label.text()
    assert d.mask_label.text() == "🔒 Customer data masked" and d.reveal_action.isEnabled()  # may try again
    [entry] = store.audit(kinds=["reveal"])
    assert entry.detail["result"] == code
    last = d.timeline.rowCount() - 1
    assert "asked to reveal the customer data" in d.timeline.item(last, 2).text()


def test_not_connected_sends_nothing_and_says_so(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    server.connected = False
    d = open_dialog(qtbot, store, scenario, server=server)
    d.reveal_action.trigger()
    assert "no connection to the server" in d.status_label.text() and d.masked
    no_bridge = open_dialog(qtbot, store, scenario, server=None)
    no_bridge.reveal_action.trigger()
    assert "no connection to the server" in no_bridge.status_label.text()
    assert [e.detail["result"] for e in store.audit(kinds=["reveal"])] == ["not_connected", "not_connected"]


def test_no_reason_no_request(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    for reason in (None, "", "   "):
        d = open_dialog(qtbot, store, scenario, server=server, reason=reason)
        d.reveal_action.trigger()
        assert d.masked
    assert server.requests == [] and store.audit() == []


def test_the_reason_dialog_requires_a_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ReasonDialog("case-1")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("客户来电核实")
    assert dialog.ok_button.isEnabled() and dialog.reason() == "客户来电核实"
    dialog.reason_edit.setPlainText("x" * 1001)
    assert not dialog.ok_button.isEnabled() and "too long" in dialog.problem_label.text()


def test_a_late_answer_is_dropped(qtbot, store, scenario, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reveal_module, "GRACE_S", 0.0)
    server = Server()
    d = open_dialog(qtbot, store, scenario, server=server, reveal_timeout_s=0.05)
    d.reveal_action.trigger()
    qtbot.waitUntil(lambda: "No answer from the server in time" in d.status_label.text(), timeout=3000)
    server.answer(ok())  # the record comes after the person was told "unknown"
    qtbot.wait(100)
    assert d.masked and not shows_unmasked(d) and d._revealed is None
    assert [e.detail["result"] for e in store.audit(kinds=["reveal"])] == ["unknown"]

    # and a dialog closed while its reveal is in flight never shows what comes after
    d2 = open_dialog(qtbot, store, scenario, server=server)
    d2.reveal_action.trigger()
    d2.close()
    server.answer(ok())
    qtbot.wait(100)
    assert d2.masked and d2._revealed is None and not shows_unmasked(d2)


def test_floor_supervisors_and_the_wall_never_reveal(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    server = Server()
    floor_sup = open_dialog(qtbot, store, scenario, "floor_supervisor", server)
    assert not floor_sup.reveal_action.allowed and not floor_sup.reveal_action.isVisible()
    assert floor_sup.reveal_button.isHidden() and floor_sup.reassign_button is None
    floor_sup.reveal_action.trigger()  # even triggered somehow: nothing is asked
    for role in ("duty_lead", "manager"):
        wall = open_dialog(qtbot, store, scenario, role, server, wall=True)
        assert not wall.reveal_action.allowed and wall.reveal_button.isHidden()
        assert wall.reassign_button is None
        wall.reveal_action.trigger()
        assert wall.masked
    assert server.requests == [] and store.audit() == []
    lead = open_dialog(qtbot, store, scenario, "duty_lead", server)
    assert lead.reveal_action.allowed and lead.reassign_button is not None
    manager = open_dialog(qtbot, store, scenario, "manager", server)
    assert manager.reveal_action.allowed and manager.reassign_button is None  # reassign: duty leads only


def test_nothing_unmasked_reaches_the_disk_or_the_log(qtbot, store, scenario, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    caplog.set_level(logging.DEBUG)
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    settings.setValue("probe", "written")  # the desktop's settings file exists and is written
    server = Server()
    d = open_dialog(qtbot, store, scenario, server=server, reason=f"核实 {NAME} {PHONE}")
    d.reveal_action.trigger()
    server.answer(ok())
    qtbot.waitUntil(lambda: not d.masked, timeout=3000)
    assert shows_unmasked(d)  # shown …
    d.refresh()
    d.close()
    settings.sync()
    # … but kept nowhere: the SQLite file with its WAL and shared memory, the settings file
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert any(p.name == "journal.db" for p in files) and any(p.suffix == ".ini" for p in files)
    raw = b"".join(p.read_bytes() for p in files)
    for value in (NAME, PHONE):
        assert value.encode("utf-8") not in raw
        assert value.encode("utf-16-le") not in raw
    assert b"\\u5f20\\u4e09\\u4e30" not in raw.lower()  # 张三丰 as a JSON escape
    assert not any(NAME in r.getMessage() or PHONE in r.getMessage() for r in caplog.records)


def test_a_failed_local_audit_still_shows_the_servers_answer_and_says_so(qtbot, store, scenario) -> None:  # type: ignore[no-untyped-def]
    class Broken:
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(store, name)

        def add_audit(self, *a, **k):  # type: ignore[no-untyped-def]
            raise OSError("disk full")

    server = Server()
    d = CaseDialog("case-1", Broken(), scenario.floor(), "duty_lead", True, LEAD, None,
                   reveal=server, ask_reveal_reason=lambda: REASON)
    qtbot.addWidget(d)
    d.reveal_action.trigger()
    server.answer(ok())  # the server audited it (the record of truth): the answer stands
    qtbot.waitUntil(lambda: not d.masked, timeout=3000)
    assert "could not be added to this desktop's audit view" in d.status_label.text()
