"""Translated display names of the protocol's code words (states, channels, categories...).

The wire carries English code words (``on_call``, ``fraud_report``); staff read them in
their language, never a mix, so every one shown goes through Qt's translator here.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

_AGENT_STATES = {
    "offline": QT_TRANSLATE_NOOP("names", "Offline"),
    "available": QT_TRANSLATE_NOOP("names", "Available"),
    "ringing": QT_TRANSLATE_NOOP("names", "Ringing"),
    "on_call": QT_TRANSLATE_NOOP("names", "On call"),
    "wrap_up": QT_TRANSLATE_NOOP("names", "Wrap-up"),
    "break": QT_TRANSLATE_NOOP("names", "Break"),
    "meeting": QT_TRANSLATE_NOOP("names", "Meeting"),
    "training": QT_TRANSLATE_NOOP("names", "Training"),
}
_CHANNELS = {
    "voice": QT_TRANSLATE_NOOP("names", "Voice"),
    "chat": QT_TRANSLATE_NOOP("names", "Chat"),
    "callback": QT_TRANSLATE_NOOP("names", "Callback"),
    "email": QT_TRANSLATE_NOOP("names", "Email"),
}
_CATEGORIES = {
    "inquiry": QT_TRANSLATE_NOOP("names", "Inquiry"),
    "complaint": QT_TRANSLATE_NOOP("names", "Complaint"),
    "service_request": QT_TRANSLATE_NOOP("names", "Service request"),
    "card_loss": QT_TRANSLATE_NOOP("names", "Card loss"),
    "fraud_report": QT_TRANSLATE_NOOP("names", "Fraud report"),
}
_SEVERITIES = {
    "low": QT_TRANSLATE_NOOP("names", "Low"),
    "normal": QT_TRANSLATE_NOOP("names", "Normal"),
    "high": QT_TRANSLATE_NOOP("names", "High"),
    "urgent": QT_TRANSLATE_NOOP("names", "Urgent"),
}
_ESCALATION_STATUS = {
    "open": QT_TRANSLATE_NOOP("names", "Open"),
    "in_progress": QT_TRANSLATE_NOOP("names", "In progress"),
    "resolved": QT_TRANSLATE_NOOP("names", "Resolved"),
}
_SLA = {
    "ok": QT_TRANSLATE_NOOP("names", "OK"),
    "warning": QT_TRANSLATE_NOOP("names", "Warning"),
    "breached": QT_TRANSLATE_NOOP("names", "Breached"),
}
# Never colour alone (UI.md): a symbol and a word for each SLA state.
SLA_SYMBOLS = {"ok": "✓", "warning": "!", "breached": "✕"}
_REASONS = {
    "lunch": QT_TRANSLATE_NOOP("names", "Lunch"),
    "coffee": QT_TRANSLATE_NOOP("names", "Coffee"),
    "rest": QT_TRANSLATE_NOOP("names", "Rest"),
    "personal": QT_TRANSLATE_NOOP("names", "Personal"),
    "coaching": QT_TRANSLATE_NOOP("names", "Coaching"),
    "team_meeting": QT_TRANSLATE_NOOP("names", "Team meeting"),
    "system": QT_TRANSLATE_NOOP("names", "System"),
}
# English for the Chinese names banks commonly give their queues and departments, keyed
# by the SERVER's name, never by an id: a queue is called what the server calls it, and
# English screens translate that name when it is a common one (the simulator's among
# them); any other name is shown as the server sent it.
_QUEUE_NAMES = {
    "信用卡服务": QT_TRANSLATE_NOOP("names", "Credit cards"),
    "储蓄与转账": QT_TRANSLATE_NOOP("names", "Deposits and transfers"),
    "网银与手机银行": QT_TRANSLATE_NOOP("names", "Online and mobile banking"),
    "个人贷款": QT_TRANSLATE_NOOP("names", "Personal loans"),
    "理财": QT_TRANSLATE_NOOP("names", "Wealth management"),
    "挂失与反欺诈": QT_TRANSLATE_NOOP("names", "Card loss and fraud"),
    "贵宾服务": QT_TRANSLATE_NOOP("names", "VIP service"),
}
_DEPARTMENT_NAMES = {
    "信用卡中心": QT_TRANSLATE_NOOP("names", "Credit card center"),
    "零售信贷部": QT_TRANSLATE_NOOP("names", "Retail lending"),
    "科技部": QT_TRANSLATE_NOOP("names", "IT"),
    "运营管理部": QT_TRANSLATE_NOOP("names", "Operations"),
    "合规部": QT_TRANSLATE_NOOP("names", "Compliance"),
    "风险管理部（反欺诈）": QT_TRANSLATE_NOOP("names", "Risk management (anti-fraud)"),
    "财富管理部": QT_TRANSLATE_NOOP("names", "Wealth management"),
    "消费者权益保护部": QT_TRANSLATE_NOOP("names", "Consumer protection"),
}


# The tables' values are QT_TRANSLATE_NOOP's, typed ``object`` by PySide6's stubs: at run
# time the English source text itself (as in ui/formula.py), made a str for the translator.
def _tr(table: Mapping[str, object], key: str | None) -> str:
    if not key:
        return ""
    source = table.get(key)
    if source is None:
        return key.replace("_", " ")
    return QCoreApplication.translate("names", str(source))


def agent_state(state: str) -> str:
    return _tr(_AGENT_STATES, state)


def channel(name: str) -> str:
    return _tr(_CHANNELS, name)


def category(name: str | None) -> str:
    return _tr(_CATEGORIES, name)


def severity(name: str) -> str:
    return _tr(_SEVERITIES, name)


def escalation_status(name: str) -> str:
    return _tr(_ESCALATION_STATUS, name)


def sla_state(name: str) -> str:
    return _tr(_SLA, name)


def sla_label(name: str) -> str:
    """Symbol and word: '✕ Breached' / '✕ 超时'."""
    return f"{SLA_SYMBOLS.get(name, '')} {sla_state(name)}".strip()


def reason(name: str | None) -> str:
    return _tr(_REASONS, name)


def _is_chinese_ui() -> bool:
    # the translator answers for the whole UI: "Voice" translated means a Chinese screen
    return QCoreApplication.translate("names", "Voice") != "Voice"


def _server_named(names: Mapping[str, object], entity_id: str, server_name: str) -> str:
    """What the server calls it; on an English screen its English name when it is a
    common one. Without a server name, the id as sent: never a name guessed from an id."""
    if not server_name:
        return entity_id
    if not _is_chinese_ui() and server_name in names:
        return QCoreApplication.translate("names", str(names[server_name]))
    return server_name


def queue(queue_id: str, server_name: str = "") -> str:
    """A queue's display name: the server's name (see ``_server_named``)."""
    return _server_named(_QUEUE_NAMES, queue_id, server_name)


def department(dept_id: str, server_name: str = "") -> str:
    """A department's display name: the server's name (see ``_server_named``)."""
    return _server_named(_DEPARTMENT_NAMES, dept_id, server_name)


def total() -> str:
    return QCoreApplication.translate("names", "All queues")


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 (the simulator's and most banks' team numbering) as an int."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text] if len(text) == 1 else None


def team(name: str) -> str:
    """Team names as staff read them: 三组 stays on a Chinese screen, "Team 3" on an English one."""
    if not name or _is_chinese_ui() or not name.endswith("组"):
        return name
    number = _chinese_number(name[:-1])
    if number is None:
        return name
    return QCoreApplication.translate("names", "Team %1").replace("%1", str(number))
