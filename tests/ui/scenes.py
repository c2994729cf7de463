"""A small but complete floor for window and wall tests (real events through the reducer)."""

from __future__ import annotations

from datetime import timedelta

from tests.ui.events import T0, Stream, agent, case, contact, escalation, queue
from ui.clock import ServerClock
from ui.inbox import Inbox
from ui.live import LiveFloor

QUEUES = [queue("credit_card", "信用卡服务"), queue("deposit_transfer", "储蓄与转账"),
          queue("e_banking", "网银与手机银行"), queue("personal_loan", "个人贷款"),
          queue("wealth", "理财"), queue("card_loss_fraud", "挂失与反欺诈"), queue("vip", "贵宾服务")]
STATES = ["available", "on_call", "on_call", "wrap_up", "break", "ringing", "on_call", "meeting", "training",
          "available", "on_call", "offline"]
NAMES = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐涛", "孙丽"]


class Mono:
    """A monotonic clock the test steps by hand: the feed's ``last_message_monotonic`` and the
    screens' ``monotonic`` on one clock, so an age never depends on how fast the test runs."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class Status:
    """A feed status as the client reports it (only the fields the UI reads)."""

    def __init__(self, state: str, last_message_monotonic: float | None, user=None) -> None:
        self.state = state
        self.last_message_monotonic = last_message_monotonic
        self.server_offset_s = 0.0
        self.retry_in_s = None
        self.user = user
        self.message = ""


def busy_floor() -> tuple[LiveFloor, Stream]:
    s = Stream()
    agents = [agent(f"a-{i:03d}", st, T0 - timedelta(seconds=37 * i + 20), name=NAMES[i % len(NAMES)],
                    team=["一组", "二组", "三组"][i % 3],
                    skills=(QUEUES[i % 7]["id"], QUEUES[(i + 2) % 7]["id"]),
                    reason="lunch" if st == "break" else None)
              for i, st in enumerate(STATES * 3)]
    waiting = []
    for i in range(14):
        q = QUEUES[i % 7]["id"]
        waiting.append(contact(f"c-{i:03d}", q, T0 - timedelta(seconds=75 * i + 15),
                               name=NAMES[(i + 3) % len(NAMES)], phone=f"1391234{i:04d}",
                               vip=(i % 5 == 0), case_id=f"case-{i}" if i % 4 == 0 else None,
                               channel=["voice", "chat", "callback", "email"][i % 4]))
    cases = [case(f"case-{i}", ["fraud_report", "card_loss", "complaint", "inquiry"][(i // 4) % 4], T0)
             for i in range(0, 14, 4)]
    escalations = [escalation(f"e-{i}", T0 + timedelta(minutes=25 * i - 30), T0 - timedelta(hours=2),
                              severity=["urgent", "high", "normal", "low"][i % 4],
                              department=["it", "credit_card_center", "risk", "operations"][i % 4])
                   for i in range(6)]
    clock = ServerClock(wall=lambda: s.now)
    live = LiveFloor(Inbox(), clock=clock)
    # the departments as a bank's server names them (screens show the server's names)
    departments = [{"id": d, "name": n, "members": [{"id": "s-4", "name": "李四"}]}
                   for d, n in (("it", "科技部"), ("credit_card_center", "信用卡中心"),
                                ("risk", "风险管理部（反欺诈）"), ("operations", "运营管理部"))]
    events = [s.snapshot(QUEUES, agents, waiting, cases, escalations, departments)]
    # earlier this morning: some contacts answered, a few abandoned, so today's KPIs have figures
    for i in range(24):
        q = QUEUES[i % 7]["id"]
        events.append(s.queued(contact(f"h-{i:03d}", q, s.now, name=NAMES[i % len(NAMES)])))
        s.advance(40 + 45 * (i % 5))
        events.append(s.abandoned(f"h-{i:03d}") if i % 6 == 5 else s.answered(f"h-{i:03d}", "a-000"))
    s.now = T0
    live.apply(events)
    live.tick()
    live.scene_events = events  # type: ignore[attr-defined]
    return live, s


def with_kpi(live: LiveFloor, events: list) -> None:
    """Today's KPI figures of ``events``, as the feed thread would post them."""
    from supervisor.kpi.builder import KpiBuilder
    from ui.kpi_today import TodayKpi

    builder = KpiBuilder()
    builder.feed_many(events)
    live.kpi = TodayKpi(builder).compute()
