"""The live forecast on screen (issue 11 point 4): the desk's panel and the wall's line.

Per queue, the predicted service level of the next 30 minutes against its target, the
extra agents needed, and the agents on break, in a meeting or in training who have the
skill, ranked by how much each brings the forecast back ("who should come back"); each
estimate with the inputs it came from, so a supervisor can see why. Nothing is
computed here: the feed thread posts a ``LiveOutlook`` (``ui.forecast_feed``).

A forecast never pretends: a queue with too little data says so instead of a number,
and nothing is shown while the feed is not live or the forecast is not current (older
than ``MAX_FORECAST_AGE_S`` of server time).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from supervisor.forecast.estimate import MIN_CONTACTS, WINDOW_SECONDS
from supervisor.forecast.live import FEW_CONTACTS, NO_HANDLE, SHORT_HISTORY, LiveOutlook, QueueOutlook
from supervisor.timeutil import format_duration
from ui import names
from ui.i18n import fmt_percent
from ui.models.waiting import MAX_FORECAST_AGE_S
from widgets.metrics import HEADLINE_PX, scaled_px
from widgets.palette import THEMES

if TYPE_CHECKING:
    from supervisor.floor import Floor
    from ui.live import LiveFloor
    from ui.scope import Scope

QUEUE_ROLE = int(Qt.ItemDataRole.UserRole) + 11  # the queue id of a top-level item


def current(outlook: LiveOutlook | None, now: datetime | None) -> bool:
    """Whether ``outlook`` may be shown at server time ``now`` (not older than allowed)."""
    if outlook is None or now is None:
        return False
    return abs(now.timestamp() - outlook.at) <= MAX_FORECAST_AGE_S


def queue_name(floor: Floor, queue_id: str) -> str:
    record = floor.queues.get(queue_id)
    return names.queue(queue_id, record.name if record else "")


def clock_text(epoch: float, tz: tzinfo | None) -> str:
    return datetime.fromtimestamp(epoch, tz).strftime("%H:%M")


def _ordered(outlook: LiveOutlook) -> list[tuple[str, QueueOutlook]]:
    """Below target first (furthest below first), then the others, then the thin ones."""
    def key(item: tuple[str, QueueOutlook]) -> tuple[int, float]:
        o = item[1]
        sl = o.service_level
        if sl is None:
            return (2, 0.0)
        return (0 if o.below_target else 1, sl - o.forecast.target_service_level)

    return sorted(outlook.queues.items(), key=key)


def thin_text(o: QueueOutlook, outlook: LiveOutlook) -> str:
    """Why a queue has no forecast, in words."""
    i = o.inputs
    parts: list[str] = []
    if FEW_CONTACTS in o.thin:
        parts.append(QCoreApplication.translate("forecast", "%1 contacts in the last 30 minutes (%2 needed)")
                     .replace("%1", str(i.recent_contacts)).replace("%2", str(MIN_CONTACTS)))
    if NO_HANDLE in o.thin:
        parts.append(QCoreApplication.translate("forecast", "no call ended in the last hour"))
    if SHORT_HISTORY in o.thin:
        since = outlook.observed_since
        minutes = 0 if since is None else max(0, int((outlook.at - since) // 60))
        parts.append(QCoreApplication.translate("forecast", "only %1 min of today's data (30 needed)").replace("%1", str(minutes)))
    return QCoreApplication.translate("forecast", "Not enough data for a forecast: %1").replace("%1", QCoreApplication.translate("forecast", "; ").join(parts))


def input_lines(o: QueueOutlook) -> list[str]:
    """Each estimate with what it came from."""
    i = o.inputs
    arrivals = (QCoreApplication.translate("forecast", "Arrivals %1/h: %2 queued in the last 30 min")
                .replace("%1", f"{i.arrivals_per_hour:.1f}").replace("%2", str(i.recent_contacts)))
    if i.week_contacts is not None:
        arrivals += QCoreApplication.translate("forecast", ", averaged with %1 in the same half hour a week ago").replace("%1", str(i.week_contacts))
    handle = (QCoreApplication.translate("forecast", "Handle %1: mean of %2 calls ended in the last hour (talk + wrap-up)")
              .replace("%1", format_duration(i.mean_handle_seconds)).replace("%2", str(i.handle_samples)))
    if i.patience_seconds is None:
        patience = (QCoreApplication.translate("forecast", "Patience: no abandonment in the last hour (%1 waited): none modelled")
                    .replace("%1", format_duration(i.waiting_seconds)))
    else:
        patience = (QCoreApplication.translate("forecast", "Patience %1: %2 abandoned ÷ %3 waited in the last hour")
                    .replace("%1", format_duration(i.patience_seconds)).replace("%2", str(i.abandons))
                    .replace("%3", format_duration(i.waiting_seconds)))
    agents = (QCoreApplication.translate("forecast", "Agents %1: staffed with the skill; an agent with several skills counts in part, "
                 "split by the queues' load (%2 in all)")
              .replace("%1", str(i.agents)).replace("%2", f"{i.agent_share:.2f}"))
    return [arrivals, handle, patience, agents]


def comeback_lines(o: QueueOutlook, at: float) -> list[str]:
    """One line per ranked agent; those needed to reach the target start with ●."""
    out = []
    for rank, c in enumerate(o.comebacks, 1):
        share = "" if c.share >= 0.999 else QCoreApplication.translate("forecast", " (%1 of them here)").replace("%1", f"{c.share:.2f}")
        out.append(("● " if c.needed else "○ ") + QCoreApplication.translate("forecast", "%1. %2 · %3 for %4%5 → %6 (+%7 pts)")
                   .replace("%1", str(rank)).replace("%2", c.name)
                   .replace("%3", names.agent_state(c.state)).replace("%4", format_duration(max(0.0, at - c.since)))
                   .replace("%5", share).replace("%6", fmt_percent(c.service_level))
                   .replace("%7", f"{100 * c.gain:.1f}"))
    return out


def headline(queue: str, o: QueueOutlook, horizon: str) -> str:
    """The wall's sentence for a queue below target."""
    sl = fmt_percent(o.service_level)
    if o.extra_agents is None:
        return (QCoreApplication.translate("forecast", "%1 forecast %2 service level %3 · target out of reach")
                .replace("%1", queue).replace("%2", horizon).replace("%3", sl))
    return (QCoreApplication.translate("forecast", "%1 forecast %2 service level %3 · agents to add: %4")
            .replace("%1", queue).replace("%2", horizon).replace("%3", sl).replace("%4", str(o.extra_agents)))


def in_scope(live: LiveFloor, outlook: LiveOutlook) -> LiveOutlook:
    """The forecast of my floor's queues alone (issue 12 point 2): a wall watching one area
    names the worst of its own queues, not another area's (each queue's forecast itself
    counts every agent with its skill, as the floor does)."""
    queues = live.scope.queues
    if queues is None:
        return outlook
    return replace(outlook, queues={q: o for q, o in outlook.queues.items() if q in queues})


def wall_line(live: LiveFloor, data_live: bool) -> tuple[str, str]:
    """(text, state) of the wall's forecast line; state is ok / breached / neutral."""
    outlook: LiveOutlook | None = live.forecast
    now = live.clock.now() if live.floor.last_ts is not None else None
    if not data_live:
        return QCoreApplication.translate("forecast", "Forecast paused: the data is not live"), "neutral"
    if not current(outlook, now):
        return QCoreApplication.translate("forecast", "Forecast: waiting for current data"), "neutral"
    assert outlook is not None
    outlook = in_scope(live, outlook)
    horizon = clock_text(outlook.horizon, live.clock.tz)
    worst = outlook.worst()
    if worst is not None:
        q, o = worst
        more = sum(1 for x in outlook.queues.values() if x.below_target) - 1
        text = "✕ " + headline(queue_name(live.floor, q), o, horizon)
        if more:
            text += QCoreApplication.translate("forecast", " (+%1 more queues below target)").replace("%1", str(more))
        return text, "breached"
    if any(o.service_level is not None for o in outlook.queues.values()):
        thin = sum(1 for o in outlook.queues.values() if o.service_level is None)
        text = "✓ " + QCoreApplication.translate("forecast", "Forecast to %1: every queue on target").replace("%1", horizon)
        if thin:
            text += QCoreApplication.translate("forecast", " (%1 without enough data)").replace("%1", str(thin))
        return text, "ok"
    return QCoreApplication.translate("forecast", "Forecast: not enough data yet"), "neutral"


class ForecastLine(QLabel):
    """The wall's one big forecast line."""

    def __init__(self, live: LiveFloor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.setObjectName("forecastLine")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.state = "neutral"
        self._scale = 1.0
        self._style()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._style()

    def refresh(self, data_live: bool) -> None:
        text, state = wall_line(self.live, data_live)
        if text != self.text():
            self.setText(text)
        if state != self.state:
            self.state = state
            self._style()

    def _style(self) -> None:
        wall = THEMES["wall"]
        colour = {"ok": wall["ok"], "breached": wall["breached"]}.get(self.state, wall["text_muted"])
        weight = "bold" if self.state == "breached" else "normal"
        self.setStyleSheet(f"QLabel#forecastLine {{ color: {colour}; font-weight: {weight}; "
                           f"font-size: {scaled_px(HEADLINE_PX * 0.6, self._scale)}px; }}")


class ForecastPanel(QWidget):
    """The desk's forecast: a tree with one item per queue, its inputs and who should come back."""

    COLUMNS = 5

    def __init__(self, live: LiveFloor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.setObjectName("forecastPanel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel(self)
        self.caption.setObjectName("forecastCaption")
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("forecastTree")
        self.tree.setColumnCount(self.COLUMNS)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.COLUMNS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.tree, 1)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._data_live = False
        self._shown_key: tuple[int, Scope] | None = None
        self._expanded: dict[str, bool] = {}
        self._headers()
        live.forecast_changed.connect(self._on_live_forecast)
        self.refresh(False)

    def _headers(self) -> None:
        self.tree.setHeaderLabels([self.tr("Queue"), self.tr("Service level, next 30 min"), self.tr("Target"),
                                   self.tr("Agents"), self.tr("Extra agents needed")])

    def _on_live_forecast(self, _outlook: LiveOutlook | None) -> None:
        self.refresh(self._data_live)

    def refresh(self, data_live: bool) -> None:
        """Show the newest forecast, or why there is none (``data_live``: the feed is live)."""
        self._data_live = data_live
        live = self.live
        outlook: LiveOutlook | None = live.forecast
        now = live.clock.now() if live.floor.last_ts is not None else None
        if not data_live:
            self._show_none(self.tr("No forecast while the data is not live."))
            return
        if not current(outlook, now):
            self._show_none(self.tr("No forecast yet: waiting for current data."))
            return
        assert outlook is not None
        key = (id(outlook), live.scope)
        if key == self._shown_key:
            return
        self._shown_key = key
        tz = live.clock.tz
        self.caption.setText(
            self.tr("Forecast %1–%2 (Erlang A, M/M/n+M), from the last 30 minutes%3 and the agents staffed now.")
            .replace("%1", clock_text(outlook.at, tz)).replace("%2", clock_text(outlook.at + WINDOW_SECONDS, tz))
            .replace("%3", self.tr(", blended with the same half hour a week ago") if outlook.week_covered else ""))
        self._fill(in_scope(live, outlook))

    def _show_none(self, text: str) -> None:
        self._remember_expanded()
        self._shown_key = None
        self.caption.setText(text)
        self.tree.clear()

    def _remember_expanded(self) -> None:
        for r in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(r)
            if item is not None:
                self._expanded[item.data(0, QUEUE_ROLE)] = item.isExpanded()

    def _fill(self, outlook: LiveOutlook) -> None:
        self._remember_expanded()
        tree = self.tree
        scroll = tree.verticalScrollBar().value()  # a new forecast every 10 s must not jump the view
        tree.clear()
        desk = THEMES["normal"]
        for q, o in _ordered(outlook):
            i = o.inputs
            item = QTreeWidgetItem(tree)
            item.setData(0, QUEUE_ROLE, q)
            item.setText(0, queue_name(self.live.floor, q))
            item.setText(2, fmt_percent(o.forecast.target_service_level))
            item.setText(3, str(i.agents))
            for col in range(1, self.COLUMNS):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if o.service_level is None:
                item.setText(1, self.tr("not enough data"))
                item.setText(4, "—")
                item.setForeground(1, QBrush(QColor(desk["text_muted"])))
                _child(item, thin_text(o, outlook))
            else:
                below = o.below_target
                item.setText(1, ("✕ " if below else "✓ ") + fmt_percent(o.service_level))
                item.setForeground(1, QBrush(QColor(desk["breached" if below else "ok"])))
                item.setText(4, "—" if o.extra_agents is None else (f"+{o.extra_agents}" if o.extra_agents else "0"))
                if below:
                    for col in range(self.COLUMNS):
                        item.setFont(col, self._bold)
                    self._comebacks(item, o, outlook)
            inputs = _child(item, self.tr("Inputs"))
            for line in input_lines(o):
                _child(inputs, line)
            expand = self._expanded.get(q, o.below_target)
            item.setExpanded(expand)
            inputs.setExpanded(expand)
        tree.verticalScrollBar().setValue(scroll)

    def _comebacks(self, item: QTreeWidgetItem, o: QueueOutlook, outlook: LiveOutlook) -> None:
        r = o.forecast.result
        if not o.comebacks:
            _child(item, self.tr("Nobody with the skill is on break, in a meeting or in training."))
            return
        reached = o.comebacks[-1].service_level >= o.forecast.target_service_level
        title = (self.tr("Who should come back (%1 away with the skill), ranked; ● brings the queue to its target:")
                 .replace("%1", str(o.away_with_skill)))
        head = _child(item, title)
        for line, c in zip(comeback_lines(o, outlook.at), o.comebacks):
            row = _child(head, line)
            if c.needed:
                row.setFont(0, self._bold)
        if not reached and r is not None:
            if len(o.comebacks) < o.away_with_skill:
                _child(head, self.tr("The first %1 listed; the target needs more.").replace("%1", str(len(o.comebacks))))
            else:
                _child(head, self.tr("Even with all of them back the queue stays below its target."))
        head.setExpanded(True)


def _child(parent: QTreeWidgetItem, text: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent)
    item.setText(0, text)
    item.setToolTip(0, text)
    item.setFirstColumnSpanned(True)
    return item
