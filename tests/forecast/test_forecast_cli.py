"""``command-center forecast``: a scripted journal whose estimates are worked out by hand
here, through the real command (in process and as a subprocess), and the estimator's
rules (the week blend, thin data, multi-skilled agents) on plain samples."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from supervisor import cli, timeutil
from supervisor.forecast import agents_needed, erlang_a
from supervisor.forecast.estimate import AgentSample, ContactSample, estimate, forecast
from tests.kpi.script import Script, at, contact, queue

ROOT = Path(__file__).resolve().parents[2]
T = at("10:00:00")


def agent_rec(agent_id: str, state: str, since: datetime, skills: list[str], call_id: str | None = None) -> dict[str, Any]:
    return {"agent_id": agent_id, "name": f"坐席{agent_id}", "team": "一组", "skills": skills,
            "state": state, "reason": None, "since": timeutil.fmt(since), "call_id": call_id}


SKILLS = {"a1": ["credit_card"], "a2": ["credit_card"], "a3": ["credit_card"], "a4": ["credit_card"],
          "a5": ["credit_card", "loans"], "a6": ["loans"]}


def state(s: Script, ts: datetime, agent_id: str, st: str, call_id: str | None = None) -> None:
    s.emit("agent.state", ts, {"agent": agent_rec(agent_id, st, ts, SKILLS[agent_id], call_id)})


def call(s: Script, cid: str, q: str, queued: datetime, agent_id: str, wait: float, talk: float, wrap: float) -> None:
    s.emit("call.queued", queued, {"contact": contact(cid, q, queued)})
    ans = queued + timedelta(seconds=wait)
    s.answered(ans, cid, agent_id)
    state(s, ans, agent_id, "on_call", cid)
    end = ans + timedelta(seconds=talk)
    s.ended(end, cid, agent_id)
    state(s, end, agent_id, "wrap_up")
    state(s, end + timedelta(seconds=wrap), agent_id, "available")


def build() -> Script:
    """The morning, in time order (events are sorted by ts before they are journaled)."""
    s = Script()
    start = at("08:00:00")
    items: list[tuple[datetime, int, Any]] = []  # (ts, order, emit)
    s.snapshot(start, queues=[queue("credit_card", 900), queue("loans", 300)],
               agents=[agent_rec(a, "available", start, sk) for a, sk in SKILLS.items()])
    # T of credit_card moves to 600 s at 09:10 (in force at 10:00), and to 120 s at 10:10 (after T: unseen)
    sub = Script()
    sub.emit("queue.updated", at("09:10:00"), {"queue": queue("credit_card", 600)})
    sub.emit("queue.updated", at("10:10:00"), {"queue": queue("credit_card", 120)})
    # outside the hour: a long call at 08:30 (its handle 1230 s must not count)
    call(sub, "old", "credit_card", at("08:30:00"), "a1", 10, 1200, 30)
    # in the hour but before the 30 minutes: handle 230 s, wait 30 s
    call(sub, "c-early", "credit_card", at("09:20:00"), "a4", 30, 200, 30)
    # 24 answered in the 30 minutes: one every 75 s, wait 30 s, talk 120 s, wrap 30 s
    for i in range(24):
        call(sub, f"c{i}", "credit_card", at("09:30:00") + timedelta(seconds=75 * i), f"a{1 + i % 4}", 30, 120, 30)
    # 4 abandoned after 100 s
    for j in range(4):
        q_at = at("09:40:10") + timedelta(seconds=300 * j)
        sub.emit("call.queued", q_at, {"contact": contact(f"ab{j}", "credit_card", q_at)})
        sub.abandoned(q_at + timedelta(seconds=100), f"ab{j}")
    # one still waiting at T, queued 60 s before it
    sub.emit("call.queued", at("09:59:00"), {"contact": contact("w1", "credit_card", at("09:59:00"))})
    # after T: never read
    sub.emit("call.queued", at("10:05:00"), {"contact": contact("late", "credit_card", at("10:05:00"))})
    sub.abandoned(at("10:06:00"), "late")
    # loans: 10 answered at once by a6, handle 90 s; a6 goes on break at 09:56
    for i in range(10):
        call(sub, f"l{i}", "loans", at("09:31:00") + timedelta(seconds=150 * i), "a6", 0, 60, 30)
    state(sub, at("09:56:00"), "a6", "break")
    for n, (_, text) in enumerate(sub.messages):
        ts = timeutil.parse(json.loads(text)["type"] and json.loads(text)["ts"])
        items.append((ts, n, text))
    for ts, _, text in sorted(items, key=lambda x: (x[0], x[1])):
        data = json.loads(text)
        s.emit(data["type"], ts, data["data"])
    return s


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> str:
    from supervisor.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('forecast') / 'journal.db'}"
    with Store(url) as store:
        build().write(store)
    return url


def expected_credit_card() -> dict[str, Any]:
    """By hand. λ: 24 answered + 4 abandoned + 1 waiting queued in [09:30, 10:00) = 29 →
    58 per hour (the journal began 08:00: no week ago). μ: calls ended in [09:00, 10:00)
    with their wrap-up over before 10:00: c-early (230 s) and c0..c21 (150 s; c22 ends
    at 09:59:00 but its wrap-up only at 10:00:15) → (230 + 22·150)/23. θ: 4 abandons ÷
    (25 answered × 30 s + 4 × 100 s + 60 s waited so far by w1) = 4/1210 → 302.5 s.
    n: a1–a4 available, a5 shared with loans by load: credit_card 58 × μ⁻¹, loans 20/h
    × 90 s → a5 counts 0.83 here, 4.83 → 5 agents; a6 is on break. T = 600 s (09:10)."""
    handle = (230 + 22 * 150) / 23
    return {"arrivals_per_hour": 58.0, "mean_handle_seconds": handle, "patience_seconds": 1210 / 4,
            "agents": 5, "sla_seconds": 600}


def test_the_estimates_and_the_model_by_hand(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["forecast", "--db", journal, "--at", timeutil.fmt(T), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"at", "queues"} and timeutil.parse(data["at"]) == T
    cc = data["queues"]["credit_card"]
    assert list(cc) == ["arrivals_per_hour", "mean_handle_seconds", "patience_seconds", "agents", "sla_seconds",
                        "target_service_level", "service_level", "abandonment_rate", "asa_seconds",
                        "agents_needed", "enough_data"]
    want = expected_credit_card()
    for key, value in want.items():
        assert cc[key] == pytest.approx(value, rel=1e-12), key
    lam, mu, theta = 58 / 3600, 1 / want["mean_handle_seconds"], 4 / 1210
    r = erlang_a(lam, mu, theta, 5, 600)
    assert cc["service_level"] == pytest.approx(r.service_level, rel=1e-9)
    assert cc["abandonment_rate"] == pytest.approx(r.prob_abandon, rel=1e-9)
    assert cc["asa_seconds"] == pytest.approx(r.asa, rel=1e-9)
    assert cc["agents_needed"] == agents_needed(lam, mu, theta, 600, 0.8)
    assert cc["target_service_level"] == 0.8 and cc["enough_data"] is True
    # loans: 10 contacts in the 30 minutes, under 20: no numbers
    loans = data["queues"]["loans"]
    assert loans["enough_data"] is False and loans["sla_seconds"] == 300
    assert all(loans[k] is None for k in ("arrivals_per_hour", "service_level", "agents", "agents_needed"))


def test_the_table_says_why(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", "--db", journal, "--at", timeutil.fmt(T)]) == 0
    out = capsys.readouterr().out
    assert "29 queued in the last 30 min" in out and "4 abandoned" in out and "not enough data" in out


def test_through_the_real_command(journal: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "supervisor", "forecast", "--db", journal,
                           "--at", "2026-11-20T10:00:00+08:00", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    cc = json.loads(proc.stdout)["queues"]["credit_card"]
    assert cc["agents"] == 5 and cc["arrivals_per_hour"] == 58.0


def test_a_bad_time_is_a_usage_error(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", "--db", journal, "--at", "soon"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("command-center: --at")


def test_a_date_is_midnight_and_sees_nothing(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forecast", "--db", journal, "--at", "2026-11-20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["queues"] == {}


# --- the estimator's rules on plain samples ------------------------------------------------

AT = 1_000_000.0


def arrivals(q: str, start: float, count: int) -> list[ContactSample]:
    return [ContactSample(q, start + i, "answered", start + i + 5, start + i + 100, 200.0) for i in range(count)]


def test_week_blend_half_and_half() -> None:
    week = AT - 7 * 86400
    cs = arrivals("q", AT - 1000, 30) + arrivals("q", week + 10, 50) + arrivals("q", week - 600, 99)
    plain = estimate(AT, ["q"], cs, [], {"q": 60})["q"]
    blended = estimate(AT, ["q"], cs, [], {"q": 60}, week_covered=True)["q"]
    assert plain.arrivals_per_hour == 60.0 and plain.week_contacts is None
    assert blended.week_contacts == 50 and blended.arrivals_per_hour == 0.5 * 60 + 0.5 * 100


def test_thin_data_says_so() -> None:
    cs = arrivals("q", AT - 1000, 19)
    f = forecast(estimate(AT, ["q"], cs, [AgentSample("a", "available", ("q",))], {"q": 60})["q"])
    assert f.result is None and f.to_json()["enough_data"] is False and f.to_json()["service_level"] is None
    cs = arrivals("q", AT - 1000, 20)
    f = forecast(estimate(AT, ["q"], cs, [AgentSample("a", "available", ("q",))], {"q": 60})["q"])
    assert f.result is not None and f.to_json()["enough_data"] is True
    # no abandonment seen: patience null, Erlang C
    assert f.inputs.patience_seconds is None and f.result.patience_rate == 0.0


def test_multi_skilled_agents_are_shared_by_load() -> None:
    cs = arrivals("a", AT - 1000, 30) + arrivals("b", AT - 1000, 10)  # loads 60×200 and 20×200
    agents = [AgentSample("x", "available", ("a", "b")), AgentSample("y", "on_call", ("a", "b")),
              AgentSample("z", "break", ("a",)), AgentSample("g", "wrap_up", ())]  # g: no skills listed → both
    est = estimate(AT, ["a", "b"], cs, agents, {})
    assert est["a"].agent_share == pytest.approx(3 * 0.75) and est["b"].agent_share == pytest.approx(3 * 0.25)
    assert est["a"].agents == 2 and est["b"].agents == 1
    assert math.isclose(est["a"].agent_share + est["b"].agent_share, 3.0)
