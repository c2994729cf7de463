"""Journals from before the facts, ``rebuild-facts`` and ``prune`` (real SQLite files)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from supervisor import cli
from supervisor.errors import UsageError
from supervisor.store import Store, schema
from supervisor.store.maintenance import prune_bound
from supervisor.store.migrations import STEPS
from supervisor.timeutil import CHINA
from tests.export.journals import write_simulated
from tests.store.test_facts_equal_engine import dump

START = datetime(2026, 9, 14, 6, tzinfo=CHINA)  # a month before the tests' "now" (see below)


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("maint") / "journal.db"
    write_simulated(f"sqlite:///{path}", START, 40, agents=10, seed=3)
    return path


def copy(src: Path, tmp_path: Path) -> str:
    dst = tmp_path / "copy.db"
    dst.write_bytes(src.read_bytes())
    return f"sqlite:///{dst}"


def kpi(url: str, day: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        engine: str = "facts") -> dict[str, Any]:
    monkeypatch.setenv("CC_KPI_ENGINE", engine)
    nxt = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    assert cli.main(["kpi", "--db", url, "--from", day, "--to", nxt, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def as_version_2(url: str) -> None:
    """What a journal written before the facts looks like: schema version 2, no fact tables."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in (*reversed(schema.FACT_TABLES), schema.ts_marks):
            conn.exec_driver_sql(f"DROP TABLE {table.name}")
        conn.exec_driver_sql("CREATE INDEX ix_journal_ts ON journal (ts)")
        conn.exec_driver_sql("UPDATE schema_version SET version = 2")
    engine.dispose()


def test_a_journal_from_before_the_facts_gets_them_once(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = copy(journal, tmp_path)
    kept = dump(url)
    as_version_2(url)
    with Store(url) as store:  # migrated to v3: empty facts, behind the journal
        assert store.schema_version == STEPS[-1].version
        assert not store.facts_complete()
    events = kpi(url, "2026-09-15", monkeypatch, capsys, engine="events")
    facts = kpi(url, "2026-09-15", monkeypatch, capsys)
    assert facts == events and facts["total"]["offered"] > 100
    assert dump(url) == kept
    with Store(url) as store:
        assert store.facts_complete()


def test_rebuild_facts_gives_the_facts_kept_as_events_arrived(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = copy(journal, tmp_path)
    kept = dump(url)
    assert cli.main(["rebuild-facts", "--db", url]) == 0
    assert "kept the facts of" in capsys.readouterr().out
    assert dump(url) == kept


def test_prune_keeps_the_figures_and_drops_the_events(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = copy(journal, tmp_path)
    before = {day: kpi(url, day, monkeypatch, capsys) for day in ("2026-09-14", "2026-09-15")}
    with Store(url) as store:
        events = store.event_count()
    assert cli.main(["prune", "--db", url, "--before", "2026-09-15"]) == 0
    assert "their facts are kept" in capsys.readouterr().out
    with Store(url) as store:
        left = store.event_count()
        first = next(iter(store.iter_events()))
    assert 0 < left < events
    assert first.ts >= datetime(2026, 9, 15, tzinfo=CHINA)
    for day, figures in before.items():
        assert kpi(url, day, monkeypatch, capsys) == figures
    # the facts of pruned events cannot be rebuilt: refused, nothing dropped
    assert cli.main(["rebuild-facts", "--db", url]) == 1
    assert "pruned" in capsys.readouterr().err
    assert kpi(url, "2026-09-14", monkeypatch, capsys) == before["2026-09-14"]


def test_prune_refuses_the_current_month(journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = copy(journal, tmp_path)
    now = datetime.now(CHINA)
    nxt = (now.replace(day=28) + timedelta(days=5)).date().isoformat()
    assert cli.main(["prune", "--db", url, "--before", nxt]) == 2
    assert "current month" in capsys.readouterr().err
    with Store(url) as store:
        assert store.event_count() > 0 and not store.prune_events(datetime(2000, 1, 1, tzinfo=CHINA))


def test_prune_bound() -> None:
    now = datetime(2026, 11, 20, 15, tzinfo=CHINA)
    assert prune_bound("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=CHINA)
    assert prune_bound("2026-10-15", now) == datetime(2026, 10, 15, tzinfo=CHINA)
    for bad in ("2026-11-02", "2026-11-01T00:00:01+08:00", "2026-12-01", "yesterday"):
        with pytest.raises(UsageError):
            prune_bound(bad, now)


def test_a_fault_in_the_facts_never_costs_an_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The events are journaled even when keeping their facts fails; the facts catch up
    with the next write."""
    from supervisor.store import facts
    from tests.store.test_facts_equal_engine import dump

    url = f"sqlite:///{tmp_path / 'journal.db'}"
    write_simulated(url, START, 2, agents=4, seed=1)
    reference = dump(url)
    path = tmp_path / "journal.db"
    twin = tmp_path / "twin.db"
    twin.write_bytes(path.read_bytes())
    good_feed = facts.FactKeeper.feed

    def broken(self: Any, event: Any) -> None:
        raise RuntimeError("a fault in the facts")

    with Store(f"sqlite:///{twin}") as store:
        rows = _rows_after(url, hours=3)
        monkeypatch.setattr(facts.FactKeeper, "feed", broken)
        assert store.append(rows[:200]) == 200  # journaled, facts not kept
        assert not store.facts_complete()
        monkeypatch.setattr(facts.FactKeeper, "feed", good_feed)
        assert store.append(rows[200:]) == len(rows) - 200
        assert store.facts_complete()
    with Store(url) as store:
        store.append(rows)
    assert dump(f"sqlite:///{twin}") == dump(url) != reference


def _rows_after(url: str, hours: float) -> list[Any]:
    """The simulator's next events after ``write_simulated(url, START, 2, agents=4, seed=1)``."""
    import json as _json

    from supervisor import wire
    from supervisor.sim.engine import Engine
    from supervisor.store import journal_row

    eng = Engine(1, START, agents=4, hours=2 + hours)
    eng.advance(START + timedelta(hours=2))
    out = []
    for seq, m in enumerate(eng.advance(START + timedelta(hours=2 + hours)), 10_000):
        text = _json.dumps({"v": 1, "seq": seq, **m}, ensure_ascii=False)
        out.append(journal_row("E-export", wire.decode(text), text))
    return out
