"""What the soaks share (``bench_soak.py``, the desktop; ``bench_soak_recorder.py``): the
simulated start, the target, the simulator's child process and SQLite's own memory."""

from __future__ import annotations

from datetime import datetime

import msgspec

from supervisor import timeutil

START = datetime(2026, 11, 23, 0, 0, tzinfo=timeutil.CHINA)  # a Monday, midnight in +08:00
TARGET_GROWTH = 0.10


def simulate(conn, seed: int, start: datetime, agents: int) -> None:  # type: ignore[no-untyped-def]
    """The child process: the simulator's messages up to each time asked, encoded."""
    from supervisor.sim.engine import Engine

    engine = Engine(seed, start, agents=agents)
    encode = msgspec.json.Encoder().encode
    seq = 0
    while True:
        until = conn.recv()
        if until == "stop":
            return
        messages = ([{"type": "snapshot", "ts": timeutil.fmt(start), "data": engine.snapshot()}]
                    if until is None else engine.advance(until))
        out = []
        for m in messages:
            seq += 1
            out.append(encode({"v": 1, "seq": seq, **m}))
        conn.send(out)


def sqlite_used(high: bool = False) -> int:
    """Bytes SQLite's own allocator holds now (or at most so far), all connections (Linux)."""
    import ctypes
    import ctypes.util

    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    except OSError:
        return 0
    fn = lib.sqlite3_memory_highwater if high else lib.sqlite3_memory_used
    fn.restype = ctypes.c_int64
    return int(fn(0) if high else fn())
