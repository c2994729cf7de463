"""Forgetting old facts, so a desktop that runs for weeks keeps a bounded builder.

After ``prune_facts(facts, before)`` every figure, interval row and list of a period
that starts at or after ``before`` is what it was: only facts that can no longer count
in such a period are dropped (contacts answered and ended, or abandoned, before it;
agent state intervals that ended before it; escalations resolved before it and
reassignments made before it). Contacts still waiting, talking or of unknown outcome
are kept, as is every agent's current state.
"""

from __future__ import annotations

from supervisor.kpi.facts import ABANDONED, ANSWERED, ContactFact, KpiFacts, StateTimeline


def prune_facts(facts: KpiFacts, before_us: int) -> int:
    """Drop what periods starting at ``before_us`` or later cannot see; returns how many facts went."""
    removed = 0
    for call_id in [cid for cid, c in facts.contacts.items() if _done_before(c, before_us)]:
        del facts.contacts[call_id]
        removed += 1
    for a in facts.agents.values():
        t = a.timeline
        keep = [i for i in range(len(t)) if t.ends[i] > before_us]
        if len(keep) < len(t):
            fresh = StateTimeline()
            for i in keep:
                fresh.append(t.states[i], t.starts[i], t.ends[i])
            removed += len(t) - len(fresh)
            a.timeline = fresh
    for eid in [
        eid for eid, e in facts.escalations.items()
        if e.status == "resolved" and e.resolved_us is not None and e.resolved_us < before_us
        and (e.opened_us is None or e.opened_us < before_us)
    ]:
        del facts.escalations[eid]
        removed += 1
    kept = [r for r in facts.reassignments if r.at_us >= before_us]
    removed += len(facts.reassignments) - len(kept)
    facts.reassignments = kept
    if facts.folded is not None:  # aggregates of facts folded away (fold.py) before the cut
        removed += facts.folded.prune(before_us)
    return removed


def _done_before(c: ContactFact, before_us: int) -> bool:
    """Answered and ended, or abandoned, with every time of it before ``before_us``."""
    for t in (c.queued_us, c.outcome_us, c.ended_us):
        if t is not None and t >= before_us:
            return False
    if c.outcome == ABANDONED:
        return c.outcome_us is not None
    if c.outcome == ANSWERED:
        # its handle time counts in the period of its end, which is before the cut
        return c.ended_us is not None
    return False  # still waiting, or outcome unknown: may yet be answered or abandoned
