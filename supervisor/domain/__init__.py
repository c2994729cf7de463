"""The domain: what protocol events mean, decided in one place (no Qt, no I/O).

``Interpreter`` turns decoded ``wire`` events, in journal order, into the facts of
``facts.py`` (contact lifecycle, agent state intervals, queue records, case and
escalation lifecycle, anomalies). The live floor, the KPI engine and the case file
consume those facts; none of them decides what an event means.
"""

from supervisor.domain.facts import (
    AgentStateChanged,
    AgentUnknown,
    Anomaly,
    CaseChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactEnded,
    ContactLost,
    ContactQueued,
    ContactQueuedLate,
    ContactTransferred,
    EscalationOpened,
    EscalationReassigned,
    EscalationReopened,
    EscalationResolved,
    EscalationUpdated,
    Fact,
    QueueDefined,
    ServerTime,
    SnapshotReplaced,
    SurveyCompleted,
    WrapUpEnded,
)
from supervisor.domain.interpreter import (
    ABANDONED,
    ANSWERED,
    UNKNOWN,
    WAITING,
    Interpreter,
    seconds_between,
)

__all__ = [
    "ABANDONED",
    "ANSWERED",
    "UNKNOWN",
    "WAITING",
    "AgentStateChanged",
    "AgentUnknown",
    "Anomaly",
    "CaseChanged",
    "ContactAbandoned",
    "ContactAnswered",
    "ContactEnded",
    "ContactLost",
    "ContactQueued",
    "ContactQueuedLate",
    "ContactTransferred",
    "EscalationOpened",
    "EscalationReassigned",
    "EscalationReopened",
    "EscalationResolved",
    "EscalationUpdated",
    "Fact",
    "Interpreter",
    "QueueDefined",
    "ServerTime",
    "SnapshotReplaced",
    "SurveyCompleted",
    "WrapUpEnded",
    "seconds_between",
]
