"""Translated display names of the protocol's code words (states, channels, categories...).

The wire carries English code words (``on_call``, ``fraud_report``); staff read them in
their language, never a mix, so every one shown goes through Qt's translator here.
"""

from __future__ import annotations

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
# Queue and department ids of the bank; the server's own names are Chinese, so English
# screens use these (and an unknown id is shown humanised rather than in Chinese).
_QUEUES = {
    "credit_card": QT_TRANSLATE_NOOP("names", "Credit cards"),
    "deposit_transfer": QT_TRANSLATE_NOOP("names", "Deposits and transfers"),
    "e_banking": QT_TRANSLATE_NOOP("names", "Online and mobile banking"),
    "personal_loan": QT_TRANSLATE_NOOP("names", "Personal loans"),
    "wealth": QT_TRANSLATE_NOOP("names", "Wealth management"),
    "card_loss_fraud": QT_TRANSLATE_NOOP("names", "Card loss and fraud"),
    "vip": QT_TRANSLATE_NOOP("names", "VIP service"),
}
_DEPARTMENTS = {
    "credit_card_center": QT_TRANSLATE_NOOP("names", "Credit card center"),
    "retail_lending": QT_TRANSLATE_NOOP("names", "Retail lending"),
    "it": QT_TRANSLATE_NOOP("names", "IT"),
    "operations": QT_TRANSLATE_NOOP("names", "Operations"),
    "compliance": QT_TRANSLATE_NOOP("names", "Compliance"),
    "risk": QT_TRANSLATE_NOOP("names", "Risk management (anti-fraud)"),
    "wealth_management": QT_TRANSLATE_NOOP("names", "Wealth management"),
    "consumer_protection": QT_TRANSLATE_NOOP("names", "Consumer protection"),
}


def _tr(table: dict[str, str], key: str | None) -> str:
    if not key:
        return ""
    source = table.get(key)
    if source is None:
        return key.replace("_", " ")
    return QCoreApplication.translate("names", source)


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


def queue(queue_id: str, server_name: str = "") -> str:
    """The server's (Chinese) queue name on a Chinese screen; the English name otherwise."""
    if _is_chinese_ui():
        return server_name or _tr(_QUEUES, queue_id)
    if queue_id in _QUEUES:
        return QCoreApplication.translate("names", _QUEUES[queue_id])
    if server_name and server_name.isascii():
        return server_name
    return queue_id.replace("_", " ").capitalize()


def department(dept_id: str, server_name: str = "") -> str:
    if _is_chinese_ui():
        return server_name or _tr(_DEPARTMENTS, dept_id)
    if dept_id in _DEPARTMENTS:
        return QCoreApplication.translate("names", _DEPARTMENTS[dept_id])
    if server_name and server_name.isascii():
        return server_name
    return dept_id.replace("_", " ").capitalize()


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
