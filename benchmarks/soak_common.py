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


def report_growth(curve: list[tuple[datetime, float]]) -> int:
    """Print RSS growth from hour 2 to the last hour (the issue's measure), the peak and
    day over day; 0 when within TARGET_GROWTH, else 1."""
    if len(curve) < 3:
        print("RSS: fewer than 3 simulated hours, no growth figure")
        return 0
    (t2, rss2), (tn, rssn) = curve[1], curve[-1]
    growth = (rssn - rss2) / rss2
    verdict = "PASS" if growth <= TARGET_GROWTH else "FAIL"
    print(f"RSS hour 2 ({t2:%m-%d %H:%M}) {rss2:.1f} MB -> last hour ({tn:%m-%d %H:%M}) {rssn:.1f} MB: "
          f"{growth * 100:+.1f} % (target <= {TARGET_GROWTH * 100:.0f} %): {verdict}")
    tp, peak = max(curve[1:], key=lambda point: point[1])
    print(f"RSS peak {peak:.1f} MB at {tp:%m-%d %H:%M} ({(peak - rss2) / rss2 * 100:+.1f} % over hour 2)")
    if len(curve) > 24:
        day1 = curve[23][1]
        print(f"RSS after the first day {day1:.1f} MB -> last hour {rssn:.1f} MB: "
              f"{(rssn - day1) / day1 * 100:+.1f} % (day after day)")
    return 0 if verdict == "PASS" else 1
