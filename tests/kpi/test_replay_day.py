"""A real day (Anonymous Bank, 1999-02-10) replayed by the simulator's replay module,
journaled, and read by ``command-center kpi --json``; the figures are checked against a
computation straight from the raw rows, written here without the replay or the engine.

The day has a call that crosses midnight (vru_entry 23:59:56, q_start 0:00:02): it is
queued on the 11th, so it is not offered on the 10th.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from supervisor import cli, wire
from tests.bankdata import raw_month
from tests.kpi.day import rnd

DAY = date(1999, 2, 10)
TZ = timezone(timedelta(hours=2))


def _data_file() -> Path:
    return raw_month("02")


@dataclass
class Row:
    queue: str
    queued_at: datetime
    outcome: str  # AGENT | HANG
    wait: int  # q_time, seconds
    service: int  # ser_time, seconds
    server: str


def raw_rows(path: Path) -> list[Row]:
    """The day's calls offered to a queue, read the way the data's README describes them."""
    midnight = datetime(DAY.year, DAY.month, DAY.day, tzinfo=TZ)

    def secs(clock: str) -> int:
        h, m, s = (int(x) for x in clock.strip().split(":"))
        return h * 3600 + m * 60 + s

    out = []
    with path.open(newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            if rec["date"].strip() != DAY.strftime("%y%m%d") or rec["outcome"] == "PHANTOM":
                continue
            if rec["outcome"] == "HANG" and rec["q_start"] == "0:00:00":
                continue  # hung up in the VRU, never queued
            start = rec["q_start"] if rec["q_start"] != "0:00:00" else rec["vru_exit"]
            t = secs(start)
            if t < secs(rec["vru_entry"]) - 12 * 3600:
                t += 86_400  # crossed midnight
            out.append(Row(rec["type"].strip(), midnight + timedelta(seconds=t), rec["outcome"],
                           int(rec["q_time"]), int(rec["ser_time"]), rec["server"].strip()))
    return out


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> str:
    from supervisor.sim.replay import ReplayDay
    from supervisor.store import Store, journal_row

    replay = ReplayDay.from_file(_data_file(), DAY)
    # the stream as the simulator serves it: a snapshot of the queues, then the day
    messages = [{"type": "snapshot", "ts": replay.stamp(replay.start_ms), "data": replay.snapshot()}]
    messages += replay.advance_ms(replay.start_ms + 2 * 86_400_000)
    assert replay.finished
    rows = []
    for seq, msg in enumerate(messages, 1):
        text = json.dumps({"v": 1, "seq": seq, **msg}, ensure_ascii=False)
        event = wire.decode(text)
        assert isinstance(event, wire.Event)
        rows.append(journal_row("replay-1999-02-10", event, text))
    url = f"sqlite:///{tmp_path_factory.mktemp('replay') / 'journal.db'}"
    with Store(url) as store:
        assert store.append(rows) == len(rows)
    return url


def test_replayed_day_matches_the_raw_rows(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["kpi", "--db", journal, "--from", "1999-02-10", "--to", "1999-02-11", "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert got["from"] == "1999-02-10T00:00:00+02:00"  # the journal's own offset

    end = datetime(1999, 2, 11, tzinfo=TZ)
    rows = raw_rows(_data_file())
    crossing = [r for r in rows if r.queued_at >= end]
    assert len(crossing) == 1  # the 23:59:56 call, queued after midnight
    offered = [r for r in rows if r.queued_at < end]
    assert len(offered) > 1000
    queues = sorted({r.queue for r in offered})
    assert set(queues) <= set(got["queues"])
    for q in queues:
        mine = [r for r in offered if r.queue == q]
        answered = [r for r in mine if r.outcome == "AGENT"]
        hang = [r for r in mine if r.outcome == "HANG"]
        abandoned = [r for r in hang if r.wait >= 5]
        short = [r for r in hang if r.wait < 5]
        within = [r for r in answered if r.wait <= 900]
        ended_today = [r for r in rows if r.queue == q and r.outcome == "AGENT"
                       and r.queued_at + timedelta(seconds=r.wait + r.service) < end]
        fig = got["queues"][q]
        assert fig["offered"] == len(mine), q
        assert fig["answered"] == len(answered), q
        assert fig["abandoned"] == len(abandoned), q
        assert fig["short_abandoned"] == len(short), q
        assert fig["waiting"] == 0 and fig["outcome_unknown"] == 0
        assert fig["answered_within_sla"] == len(within), q
        asa = Fraction(sum(r.wait for r in answered), len(answered)) if answered else None
        assert fig["asa_seconds"] == rnd(asa, 1), q
        waits = [r.wait for r in answered + hang]
        assert fig["max_wait_seconds"] == (float(max(waits)) if waits else None), q
        # no wrap-up in the replay (agents are available again at the end): handle = service
        aht = Fraction(sum(r.service for r in ended_today), len(ended_today)) if ended_today else None
        assert fig["aht_seconds"] == rnd(aht, 1), q
    total = got["total"]
    assert total["offered"] == len(offered)
    assert total["answered"] == sum(1 for r in offered if r.outcome == "AGENT")
    # every agent handled what the rows say they answered that day (answered at
    # queued_at + q_time: the midnight call was answered on the 11th)
    handled: dict[str, int] = {}
    for r in rows:
        if r.outcome == "AGENT" and r.queued_at + timedelta(seconds=r.wait) < end:
            handled[r.server] = handled.get(r.server, 0) + 1
    assert {a: f["handled"] for a, f in got["agents"].items()} == handled
