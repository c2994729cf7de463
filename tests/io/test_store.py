"""The journal store on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from supervisor import wire
from supervisor.errors import CannotConnect, UsageError
from supervisor.store import QuarantineEntry, SchemaError, Store, journal_row, payload_text
from supervisor.store import migrations
from supervisor.store.store import engine_for
from tests.io import messages as m

UTC = timezone.utc


def rows_of(epoch: str, *raws: str) -> list:  # type: ignore[type-arg]
    out = []
    for raw in raws:
        event = wire.decode(raw)
        assert isinstance(event, wire.Event)
        out.append(journal_row(epoch, event, raw))
    return out


def test_new_database_gets_the_schema_and_reopens_with_its_data(db_url: str) -> None:
    with Store(db_url) as store:
        assert store.schema_version == migrations.STEPS[-1].version
        assert store.last_position() is None
        assert store.center_tz() is None
        assert list(store.iter_events()) == []
        assert store.append(rows_of("E1", m.snapshot(1), m.queued(2))) == 2
    with Store(db_url) as again:
        assert again.event_count() == 2
        assert again.last_position() == ("E1", 2)
        with again.engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version FROM schema_version")).scalars().all()
        assert versions == [migrations.STEPS[-1].version]


def test_append_is_idempotent_on_epoch_and_seq(db_url: str) -> None:
    with Store(db_url) as store:
        batch = rows_of("E1", m.snapshot(1), m.queued(2), m.queued(3))
        assert store.append(batch) == 3
        assert store.append(batch) == 0
        # a batch that overlaps: only the new row counts
        assert store.append(rows_of("E1", m.queued(3), m.queued(4))) == 1
        # the same seq in another epoch is another event
        assert store.append(rows_of("E2", m.queued(3))) == 1
        assert store.event_count() == 5
        assert [(e.seq) for e in store.iter_events()] == [1, 2, 3, 4, 3]
        assert store.last_position() == ("E2", 3)


def test_payload_is_kept_exactly_and_decodes_again(db_url: str) -> None:
    raw = m.queued(7, call_id="c-七")
    with Store(db_url) as store:
        store.append(rows_of("E1", raw))
        with store.engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT payload FROM journal")).scalar_one()
        assert payload_text(kept) == raw
        if store.dialect == "sqlite":  # kept compact (supervisor/store/payload.py)
            assert isinstance(kept, bytes) and len(kept) < len(raw.encode()) / 2
        (event,) = store.iter_events()
        assert event == wire.decode(raw)


def test_iter_events_is_journal_order_within_half_open_ts_bounds(db_url: str) -> None:
    # events arrive out of ts order (a late one): journal order wins, ts only filters
    raws = [m.envelope("call.abandoned", seq, {"call_id": f"c-{seq}", "at": m.ts(at)}, at=at)
            for seq, at in [(1, 0), (2, 3600), (3, 1800), (4, 7200), (5, 3599.999)]]
    with Store(db_url) as store:
        store.append(rows_of("E1", *raws))
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 4, 5]
        since, until = m.T0 + timedelta(seconds=1800), m.T0 + timedelta(seconds=3600)
        assert [e.seq for e in store.iter_events(since, until)] == [3, 5]  # 3600 excluded
        # the same instants written in UTC select the same events
        assert [e.seq for e in store.iter_events(since.astimezone(UTC), until.astimezone(UTC))] == [3, 5]
        assert [e.seq for e in store.iter_events(since=m.T0 + timedelta(seconds=3600))] == [2, 4]
        assert [e.seq for e in store.iter_events(until=m.T0 + timedelta(seconds=1))] == [1]
        assert list(store.iter_events(m.T0 + timedelta(days=1))) == []
        with pytest.raises(ValueError):
            list(store.iter_events(datetime(2026, 11, 22)))


def test_iter_events_streams_more_than_one_chunk(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from supervisor.store import store as store_module

    monkeypatch.setattr(store_module, "CHUNK", 7)
    with Store(db_url) as store:
        store.append(rows_of("E1", *[m.queued(seq) for seq in range(1, 51)]))
        assert [e.seq for e in store.iter_events()] == list(range(1, 51))
        mid = [e.seq for e in store.iter_events(m.T0 + timedelta(seconds=10), m.T0 + timedelta(seconds=40))]
        assert mid == list(range(10, 40))


def test_events_for_finds_events_by_call_case_escalation_and_agent(db_url: str) -> None:
    escalation = {"escalation": {
        "escalation_id": "e-1", "case_id": "case-9", "department": "it",
        "owner": {"id": "s-1", "name": "李四"}, "severity": "high", "status": "open",
        "opened_at": m.ts(5), "due_at": m.ts(7205), "summary": "",
    }}
    raws = [
        m.queued(1, call_id="c-a", case_id="case-9"),
        m.queued(2, call_id="c-b"),
        m.answered(3, "c-a", "a-7"),
        m.envelope("escalation.opened", 4, escalation),
        m.envelope("escalation.resolved", 5, {"escalation_id": "e-1", "at": m.ts(5), "resolution": "ok"}),
        m.answered(6, "c-b", "a-8"),
    ]
    with Store(db_url) as store:
        store.append(rows_of("E1", *raws))
        assert [e.seq for e in store.events_for(call_ids=["c-a"])] == [1, 3]
        assert [e.seq for e in store.events_for(case_ids=["case-9"])] == [1, 4]
        assert [e.seq for e in store.events_for(escalation_ids=["e-1"])] == [4, 5]
        assert [e.seq for e in store.events_for(agent_ids=["a-8"])] == [6]
        # overlapping criteria: each event once, journal order
        both = store.events_for(call_ids=["c-a", "c-b"], case_ids=["case-9"], escalation_ids=["e-1"])
        assert [e.seq for e in both] == [1, 2, 3, 4, 5, 6]
        assert store.events_for() == []
        assert store.events_for(call_ids=["nope"]) == []
        many = [f"x-{i}" for i in range(1200)] + ["c-b"]  # more ids than one IN list holds
        assert [e.seq for e in store.events_for(call_ids=many)] == [2, 6]


def test_nul_in_an_id_does_not_sink_the_batch(db_url: str) -> None:
    # json.dumps writes the NUL as the escape \\u0000: valid JSON, but PostgreSQL TEXT cannot hold it
    raw = m.queued(1, call_id="c-\x00-x")
    assert "\\u0000" in raw
    with Store(db_url) as store:
        assert store.append(rows_of("E1", raw, m.queued(2))) == 2
        (first, _) = store.iter_events()
        assert isinstance(first, wire.CallQueued) and first.data.contact.call_id == "c-\x00-x"


def test_center_tz_is_the_offset_of_the_journal_events(db_url: str) -> None:
    with Store(db_url) as store:
        store.append(rows_of("E1", m.queued(1)))
        assert store.center_tz() == timezone(timedelta(hours=8))


def test_quarantine_keeps_text_binary_and_huge_messages_safely(db_url: str) -> None:
    now = datetime.now(UTC)
    huge = "x" * (3 << 20)
    entries = [
        QuarantineEntry.of('{"v": 1, "seq": "one"}', "malformed", "seq: expected int", now, "E1"),
        QuarantineEntry.of(b"\x00\xff\x10binary", "binary", "binary frame", now),
        QuarantineEntry.of('{"text": "nul \x00 inside"}', "malformed", "not JSON", now, "E1"),
        QuarantineEntry.of(huge, "oversized", "larger than 1 MiB", now),
    ]
    with Store(db_url) as store:
        store.add_quarantine(entries)
        store.append(rows_of("E1", m.queued(1)), [QuarantineEntry.of("nope", "malformed", "not JSON", now)])
        assert store.quarantine_count() == 5
        assert store.event_count() == 1
        kept = store.quarantined()
        assert [q.kind for q in kept] == ["malformed", "binary", "malformed", "oversized", "malformed"]
        assert kept[0].raw == '{"v": 1, "seq": "one"}' and kept[0].encoding == "text"
        assert kept[0].epoch == "E1" and kept[0].reason == "seq: expected int"
        assert kept[1].encoding == "base64" and kept[1].raw_bytes() == b"\x00\xff\x10binary"
        assert "\\x00" in kept[1].preview()
        assert kept[2].raw_bytes() == '{"text": "nul \x00 inside"}'.encode()
        assert kept[3].truncated and kept[3].size == len(huge) and len(kept[3].raw) == 64 * 1024
        assert abs((kept[0].received_at - now).total_seconds()) < 0.001
        assert [q.kind for q in store.quarantined(limit=2)] == ["oversized", "malformed"]


def test_audit_entries_filter_by_subject_and_kind(db_url: str) -> None:
    at = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    lead = {"id": "u7", "name": "王五", "role": "duty_lead"}
    with Store(db_url) as store:
        store.add_audit("reassign", lead, at, "e-1", {"to_owner": "s-2", "result": "ok"})
        store.add_audit("reveal", lead, at + timedelta(minutes=1), "k-9", {"field": "phone"})
        store.add_audit("reassign", lead, at + timedelta(minutes=2), "e-2", {"result": "unknown"})
        everything = store.audit()
        assert [a.kind for a in everything] == ["reassign", "reveal", "reassign"]
        assert everything[0].actor == lead and everything[0].detail == {"to_owner": "s-2", "result": "ok"}
        assert everything[0].at == at and everything[0].at.tzinfo is not None
        assert [a.subject_id for a in store.audit(subject_ids=["e-1", "e-2"])] == ["e-1", "e-2"]
        assert [a.subject_id for a in store.audit(kinds=["reveal"])] == ["k-9"]
        assert store.audit(subject_ids=["e-1"], kinds=["reveal"]) == []


def test_a_database_from_a_newer_program_is_refused(db_url: str) -> None:
    Store(db_url).close()
    engine = engine_for(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_version SET version = 99"))
    engine.dispose()
    with pytest.raises(SchemaError, match="newer"):
        Store(db_url)


def test_a_foreign_database_with_our_table_names_is_refused(db_url: str) -> None:
    engine = engine_for(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE journal (x INTEGER)"))
    engine.dispose()
    with pytest.raises(SchemaError, match="not a command center journal"):
        Store(db_url)


def test_migrations_run_in_order_on_an_existing_database(db_url: str) -> None:
    Store(db_url).close()  # the latest version, with data
    with Store(db_url) as store:
        store.append(rows_of("E1", m.queued(1)))
    latest = len(migrations.STEPS)

    def next_step(conn: sa.Connection) -> None:
        conn.execute(sa.text("ALTER TABLE journal ADD COLUMN note TEXT"))
        conn.execute(sa.text("UPDATE journal SET note = 'migrated'"))

    steps = (*migrations.STEPS, migrations.Step(latest + 1, "a note column", next_step))
    engine = engine_for(db_url)
    try:
        assert migrations.migrate(engine, steps) == latest + 1
        assert migrations.migrate(engine, steps) == latest + 1  # idempotent
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT note FROM journal")).scalar_one() == "migrated"
            assert migrations.current_version(conn) == latest + 1
        with pytest.raises(ValueError):
            migrations.migrate(engine, (migrations.STEPS[0], migrations.Step(3, "skips 2", next_step)))
    finally:
        engine.dispose()


def test_a_version_1_journal_is_migrated_and_keeps_every_row(db_url: str) -> None:
    engine = engine_for(db_url)
    try:
        assert migrations.migrate(engine, migrations.STEPS[:1]) == 1
        with engine.begin() as conn:  # rows as version 1 wrote them
            for seq, kind, payload in ((1, "snapshot", m.snapshot(1)), (2, "call.queued", m.queued(2)),
                                       (3, "call.queued", m.queued(3))):
                conn.execute(sa.text(
                    "INSERT INTO journal (epoch, seq, type, ts, call_id, payload) "
                    "VALUES ('E1', :seq, :type, :ts, :call, :payload)"),
                    {"seq": seq, "type": kind, "ts": datetime(2026, 11, 22, 1, 0, seq),
                     "call": None if kind == "snapshot" else f"c-{seq}", "payload": payload})
    finally:
        engine.dispose()
    with Store(db_url) as store:
        assert store.schema_version == len(migrations.STEPS)
        assert [(e.seq, type(e).__name__) for e in store.iter_events()] == [
            (1, "Snapshot"), (2, "CallQueued"), (3, "CallQueued")]
        assert [e.seq for e in store.events_for(call_ids=["c-3"])] == [3]
        # version 2: a snapshot taken at seq 3 and the event at seq 3 are both kept
        snap = m.snapshot(3)
        assert store.append(rows_of("E1", snap)) == 1
        assert store.append(rows_of("E1", m.queued(3))) == 0  # the event itself: a duplicate
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 3]
        assert store.missing_events() == 0
        assert store.append(rows_of("E1", m.queued(7))) == 1
        assert store.missing_events() == 3  # 4, 5 and 6


def test_a_failed_migration_leaves_the_database_as_it_was(db_url: str) -> None:
    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("step failed")

    engine = engine_for(db_url)
    try:
        with pytest.raises(RuntimeError):
            migrations.migrate(engine, (*migrations.STEPS, migrations.Step(len(migrations.STEPS) + 1, "broken", broken)))
        with engine.connect() as conn:
            assert migrations.current_version(conn) is None  # nothing at all was committed
            assert not sa.inspect(conn).has_table("half_done")
    finally:
        engine.dispose()
    with Store(db_url) as store:
        assert store.schema_version == len(migrations.STEPS)


def test_concurrent_opens_migrate_once(db_url: str) -> None:
    errors: list[BaseException] = []
    versions: list[int] = []

    def open_store() -> None:
        try:
            with Store(db_url) as store:
                versions.append(store.schema_version)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and versions == [len(migrations.STEPS)] * 4


def test_sqlite_file_uses_wal_and_creates_its_directory(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_bad_urls_give_a_clear_error() -> None:
    with pytest.raises(UsageError, match="not a database URL"):
        Store("journal.db")
    with pytest.raises(UsageError, match="unsupported database"):
        Store("mysql://localhost/x")


def test_a_sqlite_path_that_cannot_exist_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(CannotConnect, match="cannot open the journal database"):
        Store(f"sqlite:///{blocker / 'sub' / 'journal.db'}")
    with pytest.raises(CannotConnect, match="cannot open the journal database"):
        Store(f"sqlite:///{tmp_path}")  # a directory, not a file


def test_an_unreachable_postgresql_server_is_cannot_connect(pg_url: str) -> None:
    # a port nobody listens on: the same server URL with its port changed
    url = sa.engine.make_url(pg_url).set(port=1, query={"connect_timeout": "2"})
    with pytest.raises(CannotConnect, match="cannot open the journal database"):
        Store(url.render_as_string(hide_password=False))


def test_batches_of_any_size_use_a_few_insert_statements_and_keep_every_row(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One SQL text per batch size kept a prepared statement per size in the driver's
    cache (~120 MB of SQLite by mid-morning in bench_soak_recorder); sizes now come from a
    fixed set, and every row still lands once, in order."""
    from supervisor.store import store as store_module

    monkeypatch.setattr(store_module, "ROWS_PER_INSERT", 16)
    with Store(db_url) as store:
        seq = 0
        for size in (1, 3, 16, 17, 31, 33, 50, 7, 15, 64, 2):
            raws = [m.queued(seq + k + 1, call_id=f"c-{seq + k + 1}") for k in range(size)]
            assert store.append(rows_of("E1", *raws)) == size
            seq += size
        assert store.event_count() == seq
        assert [e.seq for e in store.iter_events()] == list(range(1, seq + 1))
        # 16 whole, then 8, 4, 2, 1: at most five texts, whatever the batch sizes were
        assert set(store._insert_sql) <= {16, 8, 4, 2, 1}  # noqa: SLF001
