"""Read the vendored AMI captures (tests/fixtures/asterisk, see SOURCE.md) as frames."""

from __future__ import annotations

import json
import re
from pathlib import Path

from supervisor.gateway.ami import Frame, FrameParser

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "asterisk"
STATUS_ITEMS = {"queueparams", "queuemember", "queueentry"}


def raw_frames(text: bytes) -> list[Frame]:
    return FrameParser().feed(text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n\r\n")


def panoramisk(name: str) -> list[Frame]:
    return raw_frames((HERE / "panoramisk" / f"{name}.yaml").read_bytes())


def goami2(func: str) -> list[Frame]:
    """The packets of one fixture function, joined as they came off the socket."""
    src = (HERE / "goami2" / "fixtures_test.go").read_text(encoding="utf-8")
    start = src.index(f"func {func}()")
    end = src.index("\nfunc ", start + 1) if "\nfunc " in src[start + 1:] else len(src)
    body = src[start:end]
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    stream = "".join(lit.encode().decode("unicode_escape") for lit in literals)
    return FrameParser().feed(stream.encode())


def cacofonisk(name: str) -> list[Frame]:
    items = json.loads((HERE / "cacofonisk" / f"{name}.json").read_text(encoding="utf-8"))
    return [{k.lower(): str(v) for k, v in item.items() if k != "content"} for item in items]


def status_items(frames: list[Frame]) -> list[dict[str, str]]:
    """The QueueStatus list items of a capture, without their ActionID (the server adds its own)."""
    return [{k: v for k, v in f.items() if k != "actionid"} for f in frames
            if f.get("event", "").lower() in STATUS_ITEMS]


def events(frames: list[Frame], names: set[str] | None = None) -> list[dict[str, str]]:
    """The events of a capture that are not QueueStatus answers (optionally only ``names``)."""
    out = []
    for f in frames:
        ev = f.get("event", "").lower()
        if not ev or ev in STATUS_ITEMS or ev == "queuestatuscomplete" or "actionid" in f:
            continue
        if names is None or ev in names:
            out.append(dict(f))
    return out
