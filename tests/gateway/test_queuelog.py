"""``command-center import queue-log``: Asterisk's queue_log history into the journal.

``tests/fixtures/asterisk/synthetic/small_day.queue_log`` is a hand-written day in the
documented format (docs.asterisk.org "Queue Logs"; its first line, a QueueMetrics INFO
line, says it is synthetic). Times below are seconds after 09:00:00 +08:00 on
2026-11-20 (Unix 1795136400). The figures are worked out by hand from the file:

credit (--queues: T=60 s, W=30 s, wrapuptime 30 s)
  A  enters 10, CONNECT by 1001 at 40 (wait 30), COMPLETECALLER 340 (talk 300, wrap to 370)
  C  enters 200, EXITWITHTIMEOUT 300, enters general 302: a transfer (final queue general)
  D  enters 500, ABANDON 600 (wait 100 > T: a breach)
  E  enters 1000, EXITWITHKEY 1030, never enters again: abandoned at 1030 (wait 30)
  F  enters 1900, CONNECT by 1001 at 1920 (wait 20), COMPLETEAGENT 2000 (talk 80, wrap to 2030)
general (not listed: T=900 s, no wrap-up)
  B  enters 100, ABANDON 103 (wait 3 < 5 s: short)
  C  (from credit, queued at 200) CONNECT by 1002 at 400 (wait 200), COMPLETEAGENT 460 (talk 60)
  G  no ENTERQUEUE in the file: CONNECT at 2200 with holdtime 15 (queued 2185), ends 2260 (talk 60)
  H  enters 2300, still waiting at the end of the file
PJSIP/1001: available 0–40, on_call 40–340, wrap_up 340–370, available 370–700, break
  "Lunch" 700–1800, available 1800–1920, on_call 1920–2000, wrap_up 2000–2030, available
  2030–2100, offline from REMOVEMEMBER at 2100.
PJSIP/1002: available 0–400, on_call 400–460, available 460–2200, on_call 2200–2260,
  available 2260–2300 (the journal's last event: open states run to it).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from supervisor.gateway.queuelog import QueueLogMapper, import_queue_log, parse_line
from supervisor.store import Store, payload_text
from tests.gateway.support import ROOT, cli, env

FIXTURE = ROOT / "tests" / "fixtures" / "asterisk" / "synthetic" / "small_day.queue_log"
QUEUES = [{"id": "credit", "name": "信用卡", "sla_seconds": 60, "warn_seconds": 30, "wrapuptime": 30}]
CST = timezone(timedelta(hours=8))


def run_import(path: Path, db: Path, queues: Path | None = None, *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["import", "queue-log", str(path), "--db", f"sqlite:///{db}", "--center-tz", "+08:00", *extra]
    if queues is not None:
        args += ["--queues", str(queues)]
    return subprocess.run(cli(*args), capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60)


def kpi_json(db: Path, start: str = "2026-11-20", end: str = "2026-11-21") -> dict[str, Any]:
    out = subprocess.run(cli("kpi", "--db", f"sqlite:///{db}", "--from", start, "--to", end, "--json"),
                         capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def rows(db: Path) -> list[tuple[str, int, int, str]]:
    con = sqlite3.connect(db)
    try:
        return [(e, q, n, payload_text(p))
                for e, q, n, p in con.execute("select epoch, seq, part, payload from journal order by id")]
    finally:
        con.close()


@pytest.fixture
def queues_file(tmp_path: Path) -> Path:
    path = tmp_path / "queues.json"
    path.write_text(json.dumps(QUEUES, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_small_day_gives_the_figures_worked_out_by_hand(tmp_path: Path, queues_file: Path) -> None:
    db = tmp_path / "j.db"
    out = run_import(FIXTURE, db, queues_file)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    # 28 lines: INFO and QUEUESTART have nothing to measure, the other 26 are imported
    assert "28 lines read, 26 imported, 2 with nothing to measure, 0 skipped as bad" in out.stdout
    f = kpi_json(db)
    credit, general, total = f["queues"]["credit"], f["queues"]["general"], f["total"]
    assert (credit["name"], credit["sla_seconds"]) == ("信用卡", 60.0)
    # credit: A, D, E, F offered; A (30 s) and F (20 s) answered within 60 s; D (100 s) and E (30 s) abandoned
    assert (credit["offered"], credit["answered"], credit["abandoned"], credit["short_abandoned"],
            credit["waiting"]) == (4, 2, 2, 0, 0)
    assert credit["answered_within_sla"] == 2
    assert credit["service_level"] == 0.5  # 2 / (2 + 2)
    assert credit["abandonment_rate"] == 0.5  # 2 / (4 - 0)
    assert credit["asa_seconds"] == 25.0  # (30 + 20) / 2
    assert credit["max_wait_seconds"] == 100.0  # D
    assert credit["sla_breaches"] == 1  # D: abandoned after 100 s > 60 s
    assert credit["aht_seconds"] == 220.0  # A 300 + 30 wrap, F 80 + 30 wrap: (330 + 110) / 2
    # general: B (short), C (transferred in, 200 s from its first entry), G (15 s), H waiting
    assert (general["name"], general["sla_seconds"]) == ("general", 900.0)
    assert (general["offered"], general["answered"], general["abandoned"], general["short_abandoned"],
            general["waiting"]) == (4, 2, 0, 1, 1)
    assert general["service_level"] == 1.0  # 2 / (2 + 0)
    assert general["abandonment_rate"] == 0.0  # 0 / (4 - 1)
    assert general["asa_seconds"] == 107.5  # (200 + 15) / 2
    assert general["max_wait_seconds"] == 200.0
    assert general["aht_seconds"] == 60.0  # C 60, G 60, no wrap-up
    assert general["sla_breaches"] == 0
    assert (total["offered"], total["answered"], total["abandoned"], total["short_abandoned"]) == (8, 4, 2, 1)
    assert total["service_level"] == 0.6667  # 4 / 6
    assert total["abandonment_rate"] == 0.2857  # 2 / 7
    assert total["asa_seconds"] == 66.3  # 265 / 4 = 66.25
    assert total["aht_seconds"] == 140.0  # (330 + 110 + 60 + 60) / 4
    a1, a2 = f["agents"]["PJSIP/1001"], f["agents"]["PJSIP/1002"]
    assert a1["state_seconds"] == {"available": 560.0, "on_call": 380.0, "wrap_up": 60.0, "break": 1100.0}
    assert (a1["handled"], a1["aht_seconds"], a1["occupancy"]) == (2, 220.0, 0.44)  # 440 / 1000
    assert a2["state_seconds"] == {"available": 2180.0, "on_call": 120.0}
    assert (a2["handled"], a2["aht_seconds"], a2["occupancy"]) == (2, 60.0, 0.0522)  # 120 / 2300
    assert f["missing_events"] == 0 and f["anomalies"] == {}
    # caller numbers and names masked, the pause reason kept
    payloads = "".join(p for *_, p in rows(db))
    for number in ("13812345678", "13900001111", "13722223333", "13644445555"):
        assert number not in payloads
    assert "王小明" not in payloads and "王*明" in payloads and "138****5678" in payloads
    assert '"reason":"Lunch"' in payloads


@pytest.mark.slow
def test_the_same_file_twice_adds_nothing(tmp_path: Path, queues_file: Path) -> None:
    db = tmp_path / "j.db"
    first = run_import(FIXTURE, db, queues_file)
    assert first.returncode == 0, first.stderr
    before = rows(db)
    second = run_import(FIXTURE, db, queues_file)
    assert second.returncode == 0, second.stderr
    assert "(0 new in the journal)" in second.stdout
    assert rows(db) == before
    # another --center-tz writes other offsets but finds every (epoch, seq) already there
    third = run_import(FIXTURE, db, queues_file, "--center-tz", "+00:00")
    assert third.returncode == 0, third.stderr
    assert "(0 new in the journal)" in third.stdout


def test_a_grown_file_adds_only_its_new_lines(tmp_path: Path) -> None:
    tz = CST
    text = FIXTURE.read_bytes()
    lines = text.splitlines(keepends=True)
    for cut in (5, 10, 20, 21, 25):  # 20: right after E's EXITWITHKEY, decided only by a later line
        db = tmp_path / f"grown{cut}.db"
        part = tmp_path / f"part{cut}.queue_log"
        part.write_bytes(b"".join(lines[:cut]))
        with Store(f"sqlite:///{db}") as store:
            first = import_queue_log(part, store, tz, QUEUES, {"credit": 30.0})
            before = set(rows(db))
            part.write_bytes(text)  # the same file, grown
            grown = import_queue_log(part, store, tz, QUEUES, {"credit": 30.0})
        after = set(rows(db))
        assert before <= after  # nothing imported first changed
        assert grown.new == len(after) - len(before) > 0
        assert first.new + grown.new == grown.events
        # and the journal is exactly that of the whole file imported at once
        whole = tmp_path / f"whole{cut}.db"
        with Store(f"sqlite:///{whole}") as store:
            import_queue_log(FIXTURE, store, tz, QUEUES, {"credit": 30.0})
        assert after == set(rows(whole))


def test_a_last_line_still_being_written_waits(tmp_path: Path) -> None:
    text = FIXTURE.read_bytes()
    path = tmp_path / "queue_log"
    path.write_bytes(text + b"1795138800|1795138800.9|credit|NONE|ENTERQ")
    with Store(f"sqlite:///{tmp_path / 'j.db'}") as store:
        summary = import_queue_log(path, store, CST)
        assert summary.partial and summary.lines == 28 and not summary.bad
        assert "waits for the next import" in summary.text()
        path.write_bytes(text + b"1795138800|1795138800.9|credit|NONE|ENTERQUEUE||13000000000|1\n")
        again = import_queue_log(path, store, CST)
        assert again.new == 1 and not again.partial  # the call.queued of the finished line


@pytest.mark.slow
def test_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    good = FIXTURE.read_text(encoding="utf-8").splitlines()
    bad = [
        "this is not a queue_log line",
        "2026-11-20 09:10:00|1.1|credit|NONE|ENTERQUEUE||13800000000|1",
        "1795137000|NONE|credit|NONE|ENTERQUEUE||13800000000|1",
        "1795137000|1795137000.7|credit|NONE|CONNECT|30|x|1",
        "1795137000|1795137000.8|credit|PJSIP/1001|CONNECT|soon|x|1",
        "1795137000|1795137000.9|credit|NONE|FOOBAR|1",
    ]
    text = "\n".join(good[:10] + bad + good[10:]) + "\n"
    path = tmp_path / "queue_log"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "j.db"
    out = run_import(path, db)
    assert out.returncode == 0, out.stderr  # never fatal
    errors = out.stderr.strip().splitlines()
    assert errors == [
        f"{path}:11: skipped: has 1 field where queue_log has at least 5 (time|callid|queue|agent|event)",
        f"{path}:12: skipped: the time '2026-11-20 09:10:00' is not a Unix time in seconds",
        f"{path}:13: skipped: ENTERQUEUE without the caller's unique id (field 2)",
        f"{path}:14: skipped: CONNECT without the queue member (field 4)",
        f"{path}:15: skipped: CONNECT needs the hold time (parameter 1) as a number of seconds, not 'soon'",
    ]
    # FOOBAR is a verb this importer does not know: counted and named, not a bad line
    assert "34 lines read, 26 imported, 3 with nothing to measure, 5 skipped as bad" in out.stdout
    assert "verbs not known: FOOBAR x1" in out.stdout
    f = kpi_json(db)
    assert f["total"]["offered"] == 8 and f["total"]["answered"] == 4  # the good lines all count


def test_parse_line_and_mapper_basics() -> None:
    line = parse_line(1, "1795136410|1795136410.1|credit|NONE|enterqueue||13812345678|1")
    assert (line.verb, line.queue, line.data[1]) == ("ENTERQUEUE", "credit", "13812345678")
    m = QueueLogMapper(CST)
    out = m.feed(line)
    assert [e["type"] for e in out] == ["call.queued"]
    # an Asterisk 11 AGENTLOGIN agent with no queue known is available, its logoff offline
    login = m.feed(parse_line(2, "1795136420|NONE|NONE|Agent/1001|AGENTLOGIN|SIP/1001"))
    assert login[0]["data"]["agent"]["state"] == "available"
    paused = m.feed(parse_line(3, "1795136430|NONE|NONE|Agent/1001|PAUSEALL|training"))
    assert paused[0]["data"]["agent"]["state"] == "training"
    assert paused[0]["data"]["agent"]["reason"] == "training"
    off = m.feed(parse_line(4, "1795136440|NONE|NONE|Agent/1001|AGENTLOGOFF|SIP/1001|20"))
    assert off[0]["data"]["agent"]["state"] == "offline"
    # the caller enters again after an outcome: a new contact
    m.feed(parse_line(5, "1795136450|1795136410.1|credit|NONE|ABANDON|1|1|40"))
    again = m.feed(parse_line(6, "1795136460|1795136410.1|credit|NONE|ENTERQUEUE||13812345678|1"))
    assert again[0]["data"]["contact"]["call_id"] == "c-1795136410.1-2"
