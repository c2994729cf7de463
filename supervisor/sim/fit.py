"""Keep a snapshot within the protocol's 1 MiB message limit: in parts, or trimmed.

``split_snapshot`` is what subscribers get (PROTOCOL.md: a state too large for one
message goes as consecutive parts with the same seq); ``fit_snapshot`` trims, for the
one place that must stay a single message (the epoch's first event in the buffer).

A large floor's full state outgrows one message by the afternoon (2,000 agents touch
tens of thousands of cases a day; even 60 agents approach 1 MiB by midnight). The
live essentials always go: queues, departments, agents. Then, most urgent first,
as many as fit of: waiting contacts (longest waiting first), unresolved escalations
(due soonest first), open and pending cases (newest first), cases closed today and
escalations resolved today (most recently touched first). What is left out still
arrives with its next update event; ``SimulatorServer.state()`` stays complete.
"""

from __future__ import annotations

from typing import Any

from supervisor import wire

Json = dict[str, Any]
# Room for the envelope (v, seq, ts, type) around the data.
ENVELOPE_ROOM = 4096


def _size(obj: Any) -> int:
    return len(wire.encode(obj))


def _touched(case: Json) -> str:
    notes = case.get("notes") or []
    return str(notes[-1]["at"]) if notes else str(case.get("opened_at", ""))


def fit_snapshot(data: Json, limit: int = wire.MAX_MESSAGE_BYTES - ENVELOPE_ROOM) -> tuple[Json, dict[str, int]]:
    """``data`` itself when it fits, else a trimmed copy and how many of each list were left out."""
    if _size(data) <= limit:
        return data, {}
    out: Json = {k: data[k] for k in ("queues", "agents", "departments")}
    out.update(waiting=[], escalations=[], cases=[])
    used = _size(out)
    escalations = data["escalations"]
    cases = data["cases"]
    candidates: list[tuple[str, list[Json]]] = [
        ("waiting", sorted(data["waiting"], key=lambda c: c["queued_at"])),
        ("escalations", sorted((e for e in escalations if e["status"] != "resolved"), key=lambda e: e["due_at"])),
        ("cases", sorted((c for c in cases if c["status"] != "closed"), key=lambda c: c["opened_at"], reverse=True)),
        ("cases", sorted((c for c in cases if c["status"] == "closed"), key=_touched, reverse=True)),
        ("escalations", sorted((e for e in escalations if e["status"] == "resolved"), key=lambda e: e["opened_at"],
                               reverse=True)),
    ]
    full = False
    for key, items in candidates:
        target = out[key]
        for item in items:
            size = _size(item) + 1  # the comma
            if used + size > limit:
                full = True
                break
            target.append(item)
            used += size
        if full:
            break
    dropped = {
        "waiting": len(data["waiting"]) - len(out["waiting"]),
        "escalations": len(escalations) - len(out["escalations"]),
        "cases": len(cases) - len(out["cases"]),
    }
    return out, {k: v for k, v in dropped.items() if v}


LISTS = ("queues", "departments", "agents", "waiting", "escalations", "cases")


def split_snapshot(data: Json, limit: int = wire.MAX_MESSAGE_BYTES - ENVELOPE_ROOM) -> list[Json]:
    """``[data]`` when it fits one message, else parts whose lists together are ``data``'s.

    Items keep their order (queues and departments first, so the first part already
    names them); every part carries every list key, most of them empty.
    """
    if _size(data) <= limit:
        return [data]
    empty = _size({key: [] for key in LISTS})
    parts: list[Json] = []
    part: Json = {key: [] for key in LISTS}
    used = empty
    for key in LISTS:
        for item in data.get(key, ()):
            size = _size(item) + 1  # the comma
            if used + size > limit and used > empty:
                parts.append(part)
                part = {k: [] for k in LISTS}
                used = empty
            part[key].append(item)
            used += size
    parts.append(part)
    return parts
