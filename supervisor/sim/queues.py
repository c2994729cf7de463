"""Queue records of a simulator run: the ``--queues`` file, and changing a queue while it runs.

A queues file is a JSON list of PROTOCOL.md queue records (the format an Asterisk
gateway reads too)::

    [{"id": "vip", "name": "贵宾专线", "sla_seconds": 300, "warn_seconds": 180},
     {"id": "credit_card", "sla_seconds": 600, "warn_seconds": 420}]

Each record is validated as a ``wire.Queue``. A record changes the fields it names and
keeps the others: a simulated queue's own values, or the protocol defaults (900 s, 600 s,
the id as its name) for a queue the simulator does not have. Such an unknown queue is
listed all the same (in every snapshot, with no traffic) and the run warns about it:
the same file may describe queues of a real center that the simulator does not model,
and refusing it would stop one file from serving both, while the warning still catches
a typo such as ``"VIP"``. Ids must be unique and ``warn_seconds`` must be less than
``sla_seconds``; anything else is a ``QueueFileError`` with one sentence saying what.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from supervisor import wire

Json = dict[str, Any]
FIELDS = ("id", "name", "sla_seconds", "warn_seconds")


class QueueFileError(ValueError):
    """A queues file or record that cannot be used; the message says why, in one sentence."""


def _check(record: Json, where: str) -> Json:
    """A complete record that obeys the rules a wire.Queue alone does not express."""
    sla, warn = record["sla_seconds"], record["warn_seconds"]
    if not (math.isfinite(sla) and math.isfinite(warn)):
        raise QueueFileError(f"{where}: sla_seconds and warn_seconds must be finite numbers")
    if not warn < sla:
        raise QueueFileError(
            f"{where}: warn_seconds ({warn:g}) must be less than sla_seconds ({sla:g})"
        )
    return record


def base_record(queue_id: str) -> Json:
    """The record of a queue nobody described: the protocol's defaults, named by its id."""
    return {"id": queue_id, "name": queue_id, "sla_seconds": wire.DEFAULT_SLA_SECONDS,
            "warn_seconds": wire.DEFAULT_WARN_SECONDS}


def merge(given: Mapping[str, Any], base: Mapping[str, Any] | None, origin: str = "") -> Json:
    """``base`` with the fields ``given`` names; validated as a wire.Queue and by ``_check``.

    Without a ``base`` (a queue the source does not have) the protocol defaults apply.
    ``origin`` (a file name) starts any error message.
    """
    prefix = f"queues file {origin}: " if origin else ""
    try:
        checked = msgspec.convert(dict(given), wire.Queue)
    except msgspec.ValidationError as exc:
        raise QueueFileError(f"{prefix}queue record: {exc}") from None
    out = dict(base) if base is not None else base_record(checked.id)
    for key in FIELDS:
        if key in given:
            value = getattr(checked, key)
            out[key] = float(value) if key in ("sla_seconds", "warn_seconds") else value
    return _check(out, f"{prefix}queue {checked.id!r}")


def parse_records(raw: bytes | str, origin: str) -> list[Json]:
    """The records of a queues file's text, each with only the fields it gives, validated.

    Other fields are left out (a gateway may keep its own there); ``ignored_fields``
    names them, so that a typo such as ``sla_second`` can be reported.
    """
    try:
        msgspec.json.decode(raw, type=list[wire.Queue])
    except msgspec.ValidationError as exc:
        text = str(exc)
        if text.startswith("Expected `array`"):
            raise QueueFileError(f"queues file {origin} must hold a JSON list of queue records") from None
        raise QueueFileError(f"queues file {origin}: {text}") from None
    except msgspec.DecodeError as exc:
        raise QueueFileError(f"queues file {origin} is not valid JSON ({exc})") from None
    plain: list[Json] = msgspec.json.decode(raw)
    seen: set[str] = set()
    records = []
    for item in plain:
        if item["id"] in seen:
            raise QueueFileError(f"queues file {origin}: queue id {item['id']!r} appears more than once")
        seen.add(item["id"])
        # warn < sla is checked on the merged record (resolve), where omitted fields are known
        records.append({k: item[k] for k in FIELDS if k in item})
    return records


def ignored_fields(raw: bytes | str) -> list[str]:
    """The fields of a valid queues file's records that are not queue record fields."""
    out: list[str] = []
    for item in msgspec.json.decode(raw):
        out.extend(k for k in item if k not in FIELDS and k not in out)
    return out


def read_file(path: str | Path) -> tuple[list[Json], list[str]]:
    """The records of the queues file at ``path`` and its ignored fields (``ignored_fields``).

    An unreadable or invalid file is a QueueFileError.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise QueueFileError(f"cannot read queues file {path}: {exc.strerror or exc}") from None
    return parse_records(raw, str(path)), ignored_fields(raw)


def signature(path: str | Path) -> tuple[int, int, int] | None:
    """What tells a changed file from an unchanged one without reading it; None if absent."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def resolve(given: Iterable[Mapping[str, Any]], defaults: list[Json], origin: str = "") -> list[Json]:
    """The full queue list: ``defaults`` in their order with ``given`` applied, then new queues."""
    by_id = {q["id"]: q for q in defaults}
    changed: dict[str, Json] = {}
    extra: list[Json] = []
    for rec in given:
        full = merge(rec, by_id.get(str(rec.get("id"))), origin)
        if full["id"] in changed or any(e["id"] == full["id"] for e in extra):
            prefix = f"queues file {origin}: " if origin else ""
            raise QueueFileError(f"{prefix}queue id {full['id']!r} appears more than once")
        if full["id"] in by_id:
            changed[full["id"]] = full
        else:
            extra.append(full)
    return [changed.get(q["id"], dict(q)) for q in defaults] + extra


def unknown_ids(given: Iterable[Mapping[str, Any]], defaults: list[Json]) -> list[str]:
    known = {q["id"] for q in defaults}
    return [str(r["id"]) for r in given if r.get("id") not in known]


def replace(records: list[Json], record: Json) -> bool:
    """Put ``record`` in ``records`` (in place of the one with its id, else at the end).

    True when that changed anything: an identical record is not a change.
    """
    for i, q in enumerate(records):
        if q["id"] == record["id"]:
            if q == record:
                return False
            records[i] = dict(record)
            return True
    records.append(dict(record))
    return True


def updated_event(ts: str, record: Json) -> dict[str, Any]:
    """The ``queue.updated`` event of a changed record."""
    return {"type": "queue.updated", "ts": ts, "data": {"queue": dict(record)}}
