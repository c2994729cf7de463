"""The live forecast's rules on plain samples: thin data says so, what to do for a queue
below target (extra agents; who should come back, ranked, each step re-computed here
with Erlang A independently of the ranking), the sample cache, the breach rates."""

from __future__ import annotations

import math

from supervisor.forecast import agents_needed, erlang_a
from supervisor.forecast.estimate import AgentSample, ContactSample
from supervisor.forecast.live import (
    FEW_CONTACTS,
    KEEP_SECONDS,
    NO_HANDLE,
    SHORT_HISTORY,
    AwayAgent,
    SampleCache,
    breach_rates,
    outlook,
)

AT = 1_800_000_000.0


def busy(queue: str = "cc", n: int = 50, handle: float = 300.0, abandons: int = 5) -> list[ContactSample]:
    """``n`` contacts queued in the last 30 minutes, answered after 60 s and handled in
    ``handle`` s, the last ``abandons`` of them abandoned after 120 s instead."""
    out = []
    for k in range(n):
        queued = AT - 1790 + k * (1600 / n)  # every outcome before AT
        if k >= n - abandons:
            out.append(ContactSample(queue, queued, "abandoned", left=queued + 120))
        else:
            out.append(ContactSample(queue, queued, "answered", left=queued + 60, ended=queued - 10,
                                     handle=handle))
    return out


def test_a_queue_below_target_gets_extra_agents_and_a_ranked_comeback_list() -> None:
    contacts = busy()
    staffed = [AgentSample(f"s{k}", "on_call", ("cc",)) for k in range(6)]
    staffed += [AgentSample(f"l{k}", "available", ("loans",)) for k in range(4)]
    away = [
        AwayAgent("t1", "培训甲", "training", AT - 3000, ("cc",)),
        AwayAgent("b1", "休息甲", "break", AT - 600, ("cc",)),
        AwayAgent("b2", "休息乙", "break", AT - 1200, ("cc",)),
        AwayAgent("m2", "会议乙", "meeting", AT - 900, ("cc", "loans")),  # shared with loans
        AwayAgent("x", "别的", "break", AT - 900, ("loans",)),  # no cc skill
    ]
    loans = busy("loans", 30, 200.0, 0)
    o = outlook(AT, ["cc", "loans"], contacts + loans, staffed, {"cc": 900.0, "loans": 900.0}, away=away,
                observed_since=AT - 7200)
    cc = o.queues["cc"]
    assert cc.thin == ()
    i = cc.inputs
    # by hand: 50 in 30 min → 100/h; 45 handles of 300 s; 5 abandons ÷ (45·60 + 5·120) s waited
    assert i.arrivals_per_hour == 100.0 and i.mean_handle_seconds == 300.0
    assert math.isclose(i.patience_seconds, (45 * 60 + 5 * 120) / 5)
    assert i.agents == 6
    lam, mu, theta = 100 / 3600, 1 / 300, 5 / (45 * 60 + 5 * 120)
    sl = erlang_a(lam, mu, theta, 6, 900).service_level
    assert math.isclose(cc.service_level, sl, rel_tol=1e-12) and sl < 0.8 and cc.below_target
    needed = agents_needed(lam, mu, theta, 900, 0.8)
    assert cc.extra_agents == needed - 6 > 0
    # the ranking: "x" lacks the skill; all four others listed
    assert cc.away_with_skill == 4
    ranked = [c.agent_id for c in cc.comebacks]
    assert sorted(ranked) == ["b1", "b2", "m2", "t1"]
    # m2 is shared by load with loans: cc gets λμ⁻¹ of cc over the sum
    load_cc, load_loans = 100 * 300.0, 60 * 200.0
    m2 = next(c for c in cc.comebacks if c.agent_id == "m2")
    assert math.isclose(m2.share, load_cc / (load_cc + load_loans))
    # each step independently: the level after it, and no other remaining candidate lifts more
    share, current = 6.0, sl
    left = {a.agent_id: a for a in away if a.agent_id != "x"}
    shares = {k: (m2.share if k == "m2" else 1.0) for k in left}
    for c in cc.comebacks:
        def level(extra: float) -> float:
            # a part of an agent: linear between the whole numbers around it
            x = share + extra
            lo = math.floor(x + 1e-9)
            low = erlang_a(lam, mu, theta, lo, 900).service_level
            high = erlang_a(lam, mu, theta, lo + 1, 900).service_level
            return low + (x - lo) * (high - low)
        best = max(level(shares[k]) for k in left)
        assert math.isclose(c.service_level, level(shares[c.agent_id]), rel_tol=1e-12)
        assert math.isclose(c.service_level, best, rel_tol=1e-12)
        assert math.isclose(c.gain, c.service_level - current, abs_tol=1e-12)
        share += shares[c.agent_id]
        current = c.service_level
        del left[c.agent_id]
    assert m2.gain > 0  # a part of an agent lifts the level in proportion (rounding would make it 0)
    # equal lifts: a break before training, the longest break first
    assert ranked[:2] == ["b2", "b1"]
    # "needed": up to the first that reaches the target, which takes ``extra`` whole agents
    reach = next(k for k, c in enumerate(cc.comebacks) if c.service_level >= 0.8)
    assert [c.needed for c in cc.comebacks] == [k <= reach for k in range(len(cc.comebacks))]
    # the queue on target has no list
    assert not o.queues["loans"].below_target and o.queues["loans"].comebacks == ()
    assert o.worst() == ("cc", cc)


def test_thin_inputs_give_no_number_and_say_why() -> None:
    staffed = [AgentSample("s", "available", ("cc",))]
    few = busy(n=19)
    o = outlook(AT, ["cc"], few, staffed, {"cc": 900.0}, observed_since=AT - 7200)
    assert o.queues["cc"].thin == (FEW_CONTACTS,) and o.queues["cc"].service_level is None
    assert o.queues["cc"].forecast.to_json()["enough_data"] is False
    # enough contacts, but the desktop has seen only 20 minutes of the day
    o = outlook(AT, ["cc"], busy(), staffed, {"cc": 900.0}, observed_since=AT - 1200)
    assert o.queues["cc"].thin == (SHORT_HISTORY,) and o.queues["cc"].service_level is None
    assert outlook(AT, ["cc"], busy(), staffed, {"cc": 900.0}, observed_since=None).queues["cc"].thin == (
        SHORT_HISTORY,)
    # no call ended in the last hour: no handle time
    waiting = [ContactSample("cc", AT - 1700 + k * 30, "waiting") for k in range(30)]
    o = outlook(AT, ["cc"], waiting, staffed, {"cc": 900.0}, observed_since=AT - 7200)
    assert o.queues["cc"].thin == (NO_HANDLE,)
    assert o.worst() is None and breach_rates(o) == {}
    # 20 is enough
    o = outlook(AT, ["cc"], busy(n=20), staffed, {"cc": 900.0}, observed_since=AT - 1800)
    assert o.queues["cc"].thin == () and o.queues["cc"].service_level is not None
    mu, theta, n, t = breach_rates(o)["cc"]
    assert (mu, n, t) == (1 / 300, 1, 900.0) and theta > 0


def test_sample_cache_keeps_the_newest_state_and_forgets_what_is_too_old() -> None:
    cache = SampleCache()
    cache.update([("a", ContactSample("cc", AT - 100, "waiting")),
                  ("b", ContactSample("cc", AT - KEEP_SECONDS - 500, "answered", left=AT - KEEP_SECONDS - 400)),
                  ("c", ContactSample("cc", AT - KEEP_SECONDS - 500, "answered", left=AT - 100))])
    cache.update([("a", ContactSample("cc", AT - 100, "abandoned", left=AT - 10))])
    assert cache.samples["a"].outcome == "abandoned"
    assert cache.expire(AT) == 1 and set(cache.samples) == {"a", "c"}
    # a waiting contact the source dropped without an outcome leaves; one it still holds stays
    cache.update([("w", ContactSample("cc", AT - 50, "waiting")), ("v", ContactSample("cc", AT - 50, "waiting"))])
    cache.update([], present={"v"})
    assert set(cache.samples) == {"a", "c", "v"}
