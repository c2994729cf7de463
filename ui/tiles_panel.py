"""Queue tiles of the desk window: one per queue and one for all queues.

Each tile shows waiting (with the worst SLA state as colour AND symbol), longest wait,
service level today, offered today, ASA, abandon % and agents available / on call; the
service level, offered and ASA beside the same time a week ago with an arrow saying
where today stands (``ui.last_week``; nothing when the journal does not reach back). While the data is
not live the tile is grey and says "Stale" instead of an SLA state: it never looks current.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ui import formula as formulas
from ui import names
from ui.figures import TileFigures
from widgets.palette import THEMES
from widgets.strings import stale_mark


class QueueTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setObjectName("tileTitle")
        self.waiting = QLabel(self)
        self.waiting.setObjectName("tileHeadline")
        self.state = QLabel(self)
        self.details = QLabel(self)
        self.details.setObjectName("tileDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(2)
        for w in (self.title, self.waiting, self.state, self.details):
            lay.addWidget(w)
        font = self.waiting.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.waiting.setFont(font)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)

    def show_figures(self, f: TileFigures, live: bool) -> None:
        theme = THEMES["normal"]
        self.title.setText(f.title)
        self.waiting.setText(self.tr("%1 waiting").replace("%1", f.waiting_text))
        colour = theme[f.state] if live else theme["neutral"]
        self.waiting.setStyleSheet(f"color: {colour};")
        if live:
            state = names.sla_label(f.state)
            spoken_state = names.sla_state(f.state)
            if f.breached:
                state += " · " + self.tr("%n breached", "", f.breached)
                spoken_state += ", " + self.tr("%n breached", "", f.breached)
        else:
            state = "◌ " + stale_mark()
            spoken_state = stale_mark()
        self.state.setText(state)
        self.state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.details.setText("\n".join([
            self.tr("Longest wait %1").replace("%1", f.longest_wait),
            self.tr("Service level today %1").replace("%1", f.service_level)
            + self._week(f.sl_arrow, f.week_service_level, f.has_week),
            self.tr("ASA %1").replace("%1", f.asa) + self._week(f.asa_arrow, f.week_asa, f.has_week),
            self.tr("Offered today %1").replace("%1", f.offered)
            + self._week(f.offered_arrow, f.week_offered, f.has_week),
            self.tr("Abandoned %1").replace("%1", f.abandon),
            self.tr("Available %1 · On call %2").replace("%1", str(f.available)).replace("%2", str(f.on_call)),
        ]))
        # a screen reader says the tile as one thing: "信用卡服务, 14 位排队, 预警", then the figures
        self.setAccessibleName(", ".join((f.title, self.waiting.text(), spoken_state)))
        self.setAccessibleDescription(self.details.text().replace("\n", ", "))
        # which service level the tile shows (the dock's title names it too)
        tip = formulas.described(f.formula) if f.formula else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)


    def _week(self, arrow: str, then: str, shown: bool) -> str:
        """" ↑ last wk 78.0%": where today stands against the same time a week ago
        (nothing when the journal does not reach back)."""
        if not shown:
            return ""
        return " " + (arrow + " " if arrow else "") + self.tr("last wk %1").replace("%1", then)


class QueueTilesPanel(QWidget):
    """A grid of queue tiles, total first; tiles are reused across updates."""

    COLUMNS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setSpacing(6)
        self._tiles: dict[str, QueueTile] = {}

    def show_figures(self, figures: list[TileFigures], live: bool) -> None:
        wanted = [f.queue_id for f in figures]
        if wanted != list(self._tiles):
            for tile in self._tiles.values():
                tile.deleteLater()
            self._tiles = {}
            for i, qid in enumerate(wanted):
                tile = QueueTile(self)
                self._grid.addWidget(tile, i // self.COLUMNS, i % self.COLUMNS)
                self._tiles[qid] = tile
        for f in figures:
            self._tiles[f.queue_id].show_figures(f, live)

    def tile(self, queue_id: str) -> QueueTile | None:
        return self._tiles.get(queue_id)
