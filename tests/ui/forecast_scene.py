"""A floor with an hour of traffic behind it, for the live forecast's tests and screens.

08:00–09:00 (T0): credit card calls every 36 s (answered after a wait, or abandoned),
deposit calls every 80 s, a handful elsewhere; then a snapshot at T0 with the agents as
they are now (some on break, in a meeting, in training) and the contacts still waiting.
``forecast_of`` runs the feed thread's real path over the same events: a folding KPI
builder harvested by ``LiveForecaster`` before each ``TodayKpi`` pass.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.ui.events import T0, Stream, agent, contact, queue
from ui.clock import ServerClock
from ui.inbox import Inbox
from ui.live import LiveFloor

QUEUES = [queue("credit_card", "信用卡服务"), queue("deposit_transfer", "储蓄与转账"),
          queue("e_banking", "网银与手机银行"), queue("personal_loan", "个人贷款")]
START = T0 - timedelta(hours=1)
NAMES = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐涛", "孙丽",
         "马超", "朱琳", "胡军", "郭敏", "何平", "高翔"]

# (id, state now, skills, minutes in that state)
AGENTS = [
    *[(f"cc-{i}", st, ("credit_card",), 3) for i, st in
      enumerate(["on_call", "on_call", "wrap_up", "on_call", "wrap_up", "on_call"])],
    ("cc-6", "break", ("credit_card",), 14),
    ("cc-7", "break", ("credit_card",), 6),
    ("cc-8", "meeting", ("credit_card", "deposit_transfer"), 25),
    ("cc-9", "training", ("credit_card",), 40),
    ("cc-10", "offline", ("credit_card",), 60),
    *[(f"dp-{i}", st, ("deposit_transfer",), 4) for i, st in
      enumerate(["available", "on_call", "available", "wrap_up", "on_call"])],
    ("dp-5", "break", ("deposit_transfer", "credit_card"), 9),
    ("eb-0", "available", ("e_banking", "personal_loan"), 10),
    ("pl-0", "on_call", ("personal_loan",), 2),
]
CALLERS = ["张三丰", "李四", "王五", "赵六", "钱七", "孙八"]


def _agent_name(agent_id: str) -> str:
    return NAMES[[a[0] for a in AGENTS].index(agent_id) % len(NAMES)]


def traffic() -> tuple[list[tuple[datetime, str, Any]], list[dict]]:
    """(ts, kind, payload) of the hour, and the contacts still waiting at T0."""
    items: list[tuple[datetime, str, Any]] = []
    waiting: list[dict] = []

    def calls(q: str, every: float, agents: list[str], waits: list[float], talk: float, wrap: float,
              abandon_every: int, prefix: str) -> None:
        t, i = START, 0
        answered: list[tuple[datetime, str]] = []
        while t < T0:
            cid = f"{prefix}{i:03d}"
            rec = contact(cid, q, t, name=CALLERS[i % len(CALLERS)], phone=f"1380000{i:04d}",
                          vip=(i % 11 == 0))
            items.append((t, "queued", rec))
            left = t + timedelta(seconds=waits[i % len(waits)])
            if left >= T0:
                waiting.append(rec)
            elif abandon_every and i % abandon_every == abandon_every - 1:
                items.append((left, "abandoned", cid))
            else:
                answered.append((left, cid))
            t += timedelta(seconds=every)
            i += 1
        # each answer goes to the agent free longest (so no agent is on two calls)
        free_at = {a: START for a in agents}
        for ans, cid in sorted(answered):
            who = min(agents, key=lambda a: (free_at[a], a))
            end = ans + timedelta(seconds=talk)
            free_at[who] = end + timedelta(seconds=wrap)
            items.append((ans, "answered", (cid, who)))
            if end < T0:
                items.append((end, "ended", (cid, who)))
                if end + timedelta(seconds=wrap) < T0:
                    items.append((end + timedelta(seconds=wrap), "wrapped", who))

    # credit card: busy; one caller in 7 gives up
    calls("credit_card", 36, [f"cc-{k}" for k in range(11)], [40, 150, 320, 90, 610, 240, 75, 1000],
          250, 40, 7, "cc")
    # deposits: calm, every call answered
    calls("deposit_transfer", 80, [f"dp-{k}" for k in range(6)], [20, 35, 60, 15], 180, 30, 0, "dp")
    # e-banking and loans: too few calls for a forecast
    calls("e_banking", 600, ["eb-0"], [30, 80], 200, 20, 0, "eb")
    calls("personal_loan", 900, ["pl-0"], [50], 300, 30, 0, "pl")
    items.sort(key=lambda x: x[0])
    return items, waiting


def events() -> list[Any]:
    s = Stream(START)
    first_agents = [agent(a, "available", START, name=_agent_name(a), skills=sk) for a, _, sk, _ in AGENTS]
    out = [s.snapshot(QUEUES, first_agents)]
    items, waiting = traffic()
    skills = {a: sk for a, _, sk, _ in AGENTS}
    for ts, kind, payload in items:
        s.now = ts
        if kind == "queued":
            out.append(s.queued(payload))
        elif kind == "abandoned":
            out.append(s.abandoned(payload))
        elif kind == "answered":
            cid, who = payload
            out.append(s.answered(cid, who))
            out.append(s.agent(agent(who, "on_call", ts, name=_agent_name(who), skills=skills[who], call_id=cid)))
        elif kind == "ended":
            cid, who = payload
            out.append(s._event("call.ended", {"call_id": cid, "agent_id": who, "at": _fmt(ts)}))
            out.append(s.agent(agent(who, "wrap_up", ts, name=_agent_name(who), skills=skills[who])))
        elif kind == "wrapped":
            out.append(s.agent(agent(payload, "available", ts, name=_agent_name(payload), skills=skills[payload])))
    s.now = T0
    now_agents = [agent(a, st, T0 - timedelta(minutes=m), name=_agent_name(a), skills=sk,
                        reason="lunch" if st == "break" else None)
                  for a, st, sk, m in AGENTS]
    out.append(s.snapshot(QUEUES, now_agents, waiting))
    return out


def _fmt(ts: datetime) -> str:
    from supervisor.timeutil import fmt

    return fmt(ts)


def forecast_of(evs: list[Any], store: Any = None) -> Any:
    """The outlook the feed thread would post after ``evs`` (fed in batches, harvested and
    folded between them as the bridge does)."""
    from supervisor.kpi.builder import KpiBuilder
    from ui.forecast_feed import LiveForecaster
    from ui.kpi_today import TodayKpi

    builder = KpiBuilder()
    today = TodayKpi(builder)
    forecaster = LiveForecaster(store)
    outlook = None
    for k in range(0, len(evs), 50):
        batch = evs[k:k + 50]
        for e in batch:
            builder.feed(e)
        forecaster.observe(batch)
        got = forecaster.step(builder.facts)
        outlook = got or outlook
        today.compute()
    forecaster._last_at = None  # the last word as of the last event, whatever the pace
    return forecaster.compute(builder.facts), today, forecaster


def forecast_floor() -> tuple[LiveFloor, list[Any], Any]:
    """A LiveFloor after the hour, with today's KPI and the live forecast posted."""
    evs = events()
    clock = ServerClock(wall=lambda: T0)
    live = LiveFloor(Inbox(), clock=clock)
    live.apply(evs)
    live.tick()
    outlook, today, _ = forecast_of(evs)
    live.kpi = today.compute()
    live.set_forecast(outlook)
    live.tick()
    return live, evs, outlook
