"""The drill-down's words: one timeline entry as (event, details), translated and masked.

Kept apart from the dialog so the wording can be tested and reused (an export of a case
file, say) without building widgets. Free text (subjects, notes, reasons, summaries)
passes through ``mask_text`` while the viewer's data is masked; staff names are not
customer data and are shown as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject

from supervisor.casefile import Entry
from supervisor.masking import mask_text
from supervisor.timeutil import format_duration
from ui import names


def _fmt(template: str, *args: str) -> str:
    """Fill %1..%9 in one pass, so a value that itself contains "%2" stays as it is."""
    return re.sub(r"%(\d)", lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(args)
                  else m.group(0), template)


class CaseText(QObject):
    """Formats case-file values for display (translation context "CaseText").

    ``queue`` and ``dept`` turn ids into display names (the server's names on a Chinese
    screen, English ones otherwise); by default the ids' translated names.
    """

    def __init__(self, parent: QObject | None = None, queue: Callable[[str], str] | None = None,
                 dept: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self._queue = queue or names.queue
        self._dept = dept or names.department

    def when(self, at: datetime | None, tz: tzinfo) -> str:
        if at is None:
            return ""
        return at.astimezone(tz).strftime("%m-%d %H:%M:%S")

    def free(self, text: str, masked: bool) -> str:
        return mask_text(text) if masked else text

    def case_status(self, status: str) -> str:
        return {"open": self.tr("Open"), "pending": self.tr("Pending"),
                "closed": self.tr("Closed")}.get(status, status)

    def outcome(self, outcome: str) -> str:
        return {"waiting": self.tr("Waiting"), "talking": self.tr("Talking"), "ended": self.tr("Ended"),
                "abandoned": self.tr("Abandoned"), "answered": self.tr("Answered"),
                "unknown": self.tr("Unknown")}.get(outcome, outcome)

    def result(self, code: str) -> str:
        return {"ok": self.tr("done"), "forbidden": self.tr("refused: not allowed"),
                "not_found": self.tr("refused: no such escalation"),
                "conflict": self.tr("refused: already resolved or changed"),
                "invalid": self.tr("refused: invalid request"),
                "unknown": self.tr("outcome unknown (no answer in time)"),
                "not_connected": self.tr("not sent: not connected")}.get(code, code)

    def reveal_result(self, code: str) -> str:
        return {"forbidden": self.tr("refused: not allowed"),
                "not_found": self.tr("refused: customer not known to the server"),
                "invalid": self.tr("refused: invalid request"),
                "unavailable": self.tr("refused: the server could not audit it"),
                "no_record": self.tr("no record in the answer"),
                "unknown": self.tr("outcome unknown (no answer in time)"),
                "not_connected": self.tr("not sent: not connected")}.get(code, code)

    @staticmethod
    def _who(person: Mapping[str, Any] | None) -> str:
        if not person:
            return "?"
        return str(person.get("name") or person.get("id") or "?")

    def _agent(self, info: Mapping[str, Any]) -> str:
        return str(info.get("agent_name") or info.get("agent_id") or "?")

    def _field(self, name: str) -> str:
        return {"status": self.tr("status"), "category": self.tr("category"), "subject": self.tr("subject"),
                "severity": self.tr("severity"), "department": self.tr("department"),
                "due_at": self.tr("due"), "owner": self.tr("owner")}.get(name, name)

    def _value(self, name: str, value: Any, masked: bool, dept: Callable[[str], str]) -> str:
        if name == "status":
            return names.escalation_status(value) if value in ("in_progress", "resolved") else self.case_status(value)
        if name == "category":
            return names.category(value)
        if name == "severity":
            return names.severity(value)
        if name == "department":
            return dept(value)
        if name == "owner":
            return self._who(value)
        if name == "due_at" and isinstance(value, datetime):
            return value.strftime("%m-%d %H:%M")
        return self.free(str(value), masked)

    def describe(self, e: Entry, masked: bool) -> tuple[str, str]:
        """(what happened, details) for one timeline entry."""
        i = e.info
        dept = self._dept
        call = f"{e.call_id} · " if e.call_id else ""
        k = e.kind
        if k == "queued":
            return self.tr("Queued"), call + self._queue(str(i.get("queue", ""))) + " · " + names.channel(str(i.get("channel", "")))
        if k == "transferred":
            return self.tr("Transferred"), call + _fmt(self.tr("%1 → %2"), self._queue(str(i.get("from_queue", ""))) or "?", self._queue(str(i.get("queue", ""))))
        if k == "answered":
            text = _fmt(self.tr("answered by %1"), self._agent(i))
            if "wait_s" in i:
                text += " · " + _fmt(self.tr("waited %1"), format_duration(i["wait_s"]))
            return self.tr("Answered"), call + text
        if k == "abandoned":
            wait = _fmt(self.tr("waited %1"), format_duration(i["wait_s"])) if "wait_s" in i else ""
            return self.tr("Abandoned"), call + wait
        if k == "ended":
            text = _fmt(self.tr("ended by %1"), self._agent(i))
            if "talk_s" in i:
                text += " · " + _fmt(self.tr("talked %1"), format_duration(i["talk_s"]))
            return self.tr("Ended"), call + text
        if k == "agent_state":
            return self.tr("Agent"), call + f"{self._agent(i)}: {names.agent_state(str(i.get('state', '')))}"
        if k == "survey":
            return self.tr("Survey"), call + _fmt(self.tr("score %1 / 5"), str(i.get("score", "")))
        if k == "case_opened":
            return self.tr("Case opened"), (names.category(str(i.get("category", ""))) + " · "
                                           + self.free(str(i.get("subject", "")), masked))
        if k == "case_updated":
            parts = [f"{self._field(n)}: {self._value(n, a, masked, dept)} → {self._value(n, b, masked, dept)}"
                     for n, a, b in i.get("changes", [])]
            linked = i.get("calls_linked") or []
            if linked:
                parts.append(_fmt(self.tr("call linked: %1"), ", ".join(linked)))
            return self.tr("Case updated"), "; ".join(parts)
        if k == "note":
            return self.tr("Note"), f"{i.get('by') or '?'}: {self.free(str(i.get('text', '')), masked)}"
        if k == "escalation_opened":
            return self.tr("Escalated"), f"{e.escalation_id} · " + _fmt(self.tr("%1, owner %2, %3, due %4"), dept(str(i.get("department", ""))), self._who(i.get("owner")), names.severity(str(i.get("severity", ""))), self._value("due_at", i.get("due_at"), masked, dept)) + " · " + self.free(str(i.get("summary", "")), masked)
        if k == "escalation_updated":
            parts = [f"{self._field(n)}: {self._value(n, a, masked, dept)} → {self._value(n, b, masked, dept)}"
                     for n, a, b in i.get("changes", [])]
            return self.tr("Escalation updated"), f"{e.escalation_id} · " + "; ".join(parts)
        if k == "reassigned":
            return self.tr("Reassigned"), f"{e.escalation_id} · " + _fmt(self.tr("%1 → %2 by %3: %4"), self._who(i.get("from")), self._who(i.get("to")), self._who(i.get("by")), self.free(str(i.get("reason", "")), masked))
        if k == "escalation_resolved":
            return self.tr("Resolved"), f"{e.escalation_id} · " + self.free(str(i.get("resolution", "")), masked)
        if k == "reassign_request":
            text = _fmt(self.tr("%1 asked %2 → %3: %4 — %5"), self._who(i.get("actor")), self._who(i.get("from")), self._who(i.get("to")), self.free(str(i.get("reason", "")), masked), self.result(str(i.get("result", ""))))
            if i.get("late"):
                text += " " + self.tr("(answer arrived late)")
            return self.tr("Reassignment (audit)"), f"{e.escalation_id} · {text}"
        if k == "reveal":
            who = self._who(i.get("actor"))
            reason = self.free(str(i.get("reason", "")), True)  # a reveal's reason is never unmasked
            result = str(i.get("result", "ok"))
            if result == "ok":
                text = _fmt(self.tr("the server revealed the customer data to %1"), who)
            else:
                text = _fmt(self.tr("%1 asked to reveal the customer data — %2"), who, self.reveal_result(result))
            if reason:
                text += " · " + _fmt(self.tr("reason: %1"), reason)
            return self.tr("Reveal (audit)"), text

        return k, ""
