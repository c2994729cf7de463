"""My floor (issue 12 point 2): the queues and teams a desk and its wall watch.

A scope is two optional lists: queue ids (as the server sends them) and team names (as
the server sends them). ``None`` means all. What follows a scope:

- a waiting contact is in scope when its queue is one of the queues;
- an agent is in scope when their team is one of the teams; with queues but no teams,
  when they are skilled for one of the queues (``supervisor.floorstats.agent_in_scope``);
- escalations are NOT scoped: an escalation belongs to a department (a back office), not
  to a queue, and its case's contacts may long have left the floor; a deadline hidden by
  a filter is worse than an extra row, so every open escalation stays on screen, and the
  screens say so ("all departments").

Which scope a run uses: ``--queues``/``--teams`` on the command line (that run only,
never saved), else the one chosen in the settings (``scope/queues``, ``scope/teams``),
else all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings

from supervisor.floorstats import agent_in_scope
from ui import names

if TYPE_CHECKING:
    from supervisor import wire
    from supervisor.floor import Floor

KEY_QUEUES = "scope/queues"
KEY_TEAMS = "scope/teams"


def parse_list(text: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``"a, b"`` (or a list, as QSettings may give one) -> ("a", "b"); empty -> None (all).
    A full-width comma (，) separates too: Chinese keyboards type it."""
    if text is None:
        return None
    parts = text.replace("，", ",").split(",") if isinstance(text, str) else [str(t) for t in text]
    out = tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
    return out or None


@dataclass(frozen=True)
class Scope:
    queues: tuple[str, ...] | None = None
    teams: tuple[str, ...] | None = None

    @classmethod
    def of(cls, queues: str | Iterable[str] | None, teams: str | Iterable[str] | None) -> Scope:
        return cls(parse_list(queues), parse_list(teams))

    @property
    def whole(self) -> bool:
        """No scope: the whole floor."""
        return self.queues is None and self.teams is None

    def has_queue(self, queue_id: str) -> bool:
        return self.queues is None or queue_id in self.queues

    def has_contact(self, contact: wire.Contact) -> bool:
        return self.queues is None or contact.queue in self.queues

    def has_agent(self, agent: wire.Agent) -> bool:
        return agent_in_scope(agent.team, agent.skills, self.queues, self.teams)

    # ------------------------------------------------------------------ settings

    @classmethod
    def load(cls, settings: QSettings | None) -> Scope:
        if settings is None:
            return cls()
        return cls.of(settings.value(KEY_QUEUES), settings.value(KEY_TEAMS))

    def flat(self) -> dict[str, str]:
        """The settings' values: comma-separated, "" for all."""
        return {KEY_QUEUES: ",".join(self.queues or ()), KEY_TEAMS: ",".join(self.teams or ())}

    # ------------------------------------------------------------------ on screen

    def describe(self, queue_names: Mapping[str, str] | None = None) -> str:
        """'My floor: Credit cards, VIP service · Team 1' / '我的范围: 信用卡服务, 贵宾服务 · 一组';
        "" for the whole floor. ``queue_names``: id -> the server's name of the queue."""
        if self.whole:
            return ""
        known = queue_names or {}
        comma = QCoreApplication.translate("scope", ", ")  # between names: "、" in Chinese
        queues = (comma.join(names.queue(q, known.get(q, "")) for q in self.queues) if self.queues
                  else QCoreApplication.translate("scope", "All queues"))
        teams = comma.join(names.team(t) for t in self.teams) if self.teams else QCoreApplication.translate("scope", "all teams")
        return QCoreApplication.translate("scope", "My floor: %1 · %2").replace("%1", queues).replace("%2", teams)


def queue_names(floor: Floor) -> dict[str, str]:
    """The floor's queues: id -> the server's name ("" when it sent none)."""
    return {qid: q.name for qid, q in floor.queues.items()}


def calls_in_scope(floor: Floor, scope: Scope, call_ids: list[str]) -> list[str]:
    """The waiting contacts of ``call_ids`` in my floor's queues (a breach elsewhere calls for
    another supervisor's attention: no chime, no flash, no page turn here)."""
    if scope.queues is None:
        return call_ids
    waiting = floor.waiting
    return [c for c in call_ids if (w := waiting.get(c)) is not None and scope.has_contact(w)]
