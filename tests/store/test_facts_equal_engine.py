"""The facts kept beside the journal give exactly the KPI engine's figures.

Real journals (the KPI tests' scripted day with every edge case of KPI.md, a simulated
stretch of the synthetic center), journaled with ``Store.append`` as the recorder does,
on SQLite and on the real PostgreSQL; every figure, interval row and list of
``FactFigures`` (SQL over the fact rows) is compared with ``KpiBuilder`` fed the same
journal's events.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from supervisor.kpi import FORMULAS, KpiBuilder
from supervisor.store import Store, schema
from supervisor.store.facts_query import FactFigures
from supervisor.timeutil import CHINA
from tests.export.journals import write_script, write_simulated

DAY = datetime(2026, 11, 20, tzinfo=CHINA)
SIM_START = datetime(2026, 11, 16, 6, tzinfo=CHINA)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'journal.db'}"
    return str(request.getfixturevalue("pg_db_url"))


def engine_of(url: str) -> tuple[KpiBuilder, FactFigures]:
    store = Store(url)
    builder = KpiBuilder()
    builder.feed_many(store.iter_events())
    assert store.facts_complete()
    figures = FactFigures(store.engine)
    assert figures.missing_events() == store.missing_events()
    return builder, figures


def periods(first: datetime, days: int) -> list[tuple[datetime, datetime]]:
    # a long period (read by scans on SQLite), the days, a part of a day, and a period
    # whose bounds are not midnights of the center (another offset)
    out = [(first - timedelta(days=9), first + timedelta(days=days + 9)), (first, first + timedelta(days=days))]
    other = timezone(timedelta(hours=-5))
    out.append((first.astimezone(other).replace(hour=0) + timedelta(days=1),
                first.astimezone(other).replace(hour=0) + timedelta(days=2, hours=7)))
    for d in range(days):
        out.append((first + timedelta(days=d), first + timedelta(days=d + 1)))
    out.append((first + timedelta(hours=9, minutes=17), first + timedelta(hours=13, seconds=1)))
    return out


def same_everything(builder: KpiBuilder, figures: FactFigures, start: datetime, end: datetime,
                    **kw: Any) -> None:
    for formula in FORMULAS:
        assert figures.report(start, end, formula=formula, **kw) == builder.report(start, end, formula=formula, **kw)
    for minutes in (30, 60):
        assert figures.intervals(start, end, minutes=minutes, queues=kw.get("queues")) == \
            builder.intervals(start, end, minutes=minutes, queues=kw.get("queues"))
    q = {"queues": kw["queues"]} if "queues" in kw else {}
    assert figures.sla_breaches(start, end, **q) == builder.sla_breaches(start, end, **q)
    assert figures.contacts(start, end, **q) == builder.contacts(start, end, **q)
    assert len(figures.sla_breach_rows(start, end, **q)) == len(builder.sla_breaches(start, end, **q))
    assert figures.escalations(start, end) == builder.escalations(start, end)
    assert figures.reassignments(start, end) == builder.reassignments(start, end)


def test_scripted_day(url: str) -> None:
    write_script(url)
    builder, figures = engine_of(url)
    assert figures.anomalies == builder.anomalies
    assert figures.server_now == builder.server_now
    for start, end in periods(DAY - timedelta(days=1), 3):
        same_everything(builder, figures, start, end)
    queues = list(builder.facts.queue_order)[:1]
    same_everything(builder, figures, DAY, DAY + timedelta(days=1), queues=queues)
    teams = sorted({a.team for a in builder.facts.agents.values() if a.team})[:1]
    assert figures.report(DAY, DAY + timedelta(days=1), teams=teams) == \
        builder.report(DAY, DAY + timedelta(days=1), teams=teams)


def test_simulated_days(url: str) -> None:
    write_simulated(url, SIM_START, 30, agents=12)
    builder, figures = engine_of(url)
    assert figures.anomalies == builder.anomalies
    for start, end in periods(datetime(2026, 11, 16, tzinfo=CHINA), 2):
        same_everything(builder, figures, start, end)


def test_facts_survive_a_restart_and_a_rebuild(tmp_path: Path) -> None:
    """Written in two sessions (the second keeper restores its interpreter from the rows),
    the facts equal those rebuilt from the whole journal in one pass."""
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    write_simulated(url, SIM_START, 14, agents=10, seed=5)
    first = dump(url)
    # a second session appends to the same journal
    from tests.export.journals import Journal
    from supervisor.sim.engine import Engine

    eng = Engine(5, SIM_START, agents=10, hours=28)
    eng.advance(SIM_START + timedelta(hours=14))  # the events already journaled
    with Store(url) as store:
        j = Journal(store)
        j.seq = 10 ** 6
        j.add_all(eng.advance(SIM_START + timedelta(hours=28)))
        j.flush()
    kept = dump(url)
    assert kept != first
    with Store(url) as store:
        store.rebuild_facts(chunk=3_000)
    assert dump(url) == kept
    builder, figures = engine_of(url)
    for start, end in periods(datetime(2026, 11, 16, tzinfo=CHINA), 2):
        same_everything(builder, figures, start, end)


def dump(url: str) -> dict[str, list[Any]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in schema.FACT_TABLES:
                cols = [c for c in table.columns if c.name != "id"]
                out[table.name] = sorted(tuple(r) for r in conn.execute(sa.select(*cols)))
            return out
    finally:
        engine.dispose()


def test_two_writers_on_one_journal_keep_the_facts_of_one(url: str) -> None:
    """A desktop and a recorder journal the same stream into one database: batches from
    either (each row once) give the facts of the whole journal, as a rebuild does."""
    from supervisor import wire
    from supervisor.sim.engine import Engine
    from supervisor.store import journal_row

    import json

    eng = Engine(9, SIM_START, agents=8)
    messages = [{"type": "snapshot", "ts": eng.ts(), "data": eng.snapshot()}]
    messages += eng.advance(SIM_START + timedelta(hours=10))
    rows = []
    for seq, m in enumerate(messages, 1):
        text = json.dumps({"v": 1, "seq": seq, **m}, ensure_ascii=False)
        rows.append(journal_row("E-two", wire.decode(text), text))
    a, b = Store(url), Store(url)
    try:
        for i in range(0, len(rows), 700):
            chunk = rows[i:i + 900]  # overlapping batches, as two live writers would
            (a if (i // 700) % 2 == 0 else b).append(chunk)
        kept = dump(url)
        assert kept["contact_facts"]
        a.rebuild_facts(chunk=2_000)
        assert dump(url) == kept
    finally:
        a.close()
        b.close()


def test_forgetting_settled_contacts_changes_no_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A keeper that forgets settled contacts after 30 s of server time (the default is
    hours) keeps the same rows as one that remembers: late surveys, wrap-ups that end
    long after their call, duplicates read their rows again. Only the anomaly texts may
    differ (an event about a forgotten contact is about an unknown one)."""
    from supervisor.store import facts

    url = f"sqlite:///{tmp_path / 'journal.db'}"
    write_simulated(url, SIM_START, 12, agents=10, seed=8)
    remembered = dump(url)
    monkeypatch.setattr(facts, "HORIZON", timedelta(seconds=30))
    monkeypatch.setattr(facts, "FORGET_EVERY", 50)
    with Store(url) as store:
        store.rebuild_facts(chunk=500)
        assert len(store.keeper._contacts) < 50  # it did forget
    forgetful = dump(url)
    for table in remembered:
        if table != "fact_anomalies":
            assert forgetful[table] == remembered[table], table


def test_time_ranges_come_from_the_minute_marks(url: str) -> None:
    """Without an index on journal.ts, ``iter_events(since, until)`` and
    ``first_id_since`` find exactly the events a filter over the whole journal finds."""
    write_simulated(url, SIM_START, 6, agents=6, seed=4)
    with Store(url) as store:
        everything = list(store.iter_events())
        with store.engine.connect() as conn:
            ids = [i for (i,) in conn.execute(sa.select(schema.journal.c.id).order_by(schema.journal.c.id))]
        bounds = [SIM_START - timedelta(hours=1), SIM_START, SIM_START + timedelta(minutes=1, seconds=30),
                  SIM_START + timedelta(hours=2, milliseconds=7), SIM_START + timedelta(hours=5, minutes=59),
                  SIM_START + timedelta(hours=9)]
        for since in (None, *bounds):
            for until in (None, *bounds):
                got = list(store.iter_events(since, until))
                want = [e for e in everything if (since is None or e.ts >= since) and (until is None or e.ts < until)]
                assert got == want, (since, until)
        for since in bounds:
            first = store.first_id_since(since)
            expected = next((i for i, e in zip(ids, everything) if e.ts >= since), None)
            assert first == expected, since
