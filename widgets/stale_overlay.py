"""The wall's "data stale" warning: a loud full-width banner, and an overlay that dims a page.

UI.md: when the feed is stale the whole display says so in a way nobody can miss, and
the numbers stop pretending to be current. The banner carries the age; the overlay
lays a dark wash over everything under it and puts the banner on top.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.format import format_age
from widgets.icons import paint_icon
from widgets.metrics import LABEL_PX, scaled_px
from widgets.palette import theme_colors
from widgets.strings import stale_banner_text

# Opacity of the dark wash the overlay lays over the page.
WASH_OPACITY = 0.55


def stale_reason_text(reason: str, age: str | None) -> str:
    """The banner when the data is stale for a reason other than silence (a relaying server
    that lost its source): "DATA STALE — the server has lost its data source · for 0:42"."""
    if age is None:
        #: %1 is why the data is stale (a sentence already translated)
        return QCoreApplication.translate("Widgets", "DATA STALE — %1").replace("%1", reason)
    #: %1 is why the data is stale (a sentence already translated), %2 how long it has been
    return (QCoreApplication.translate("Widgets", "DATA STALE — %1 · for %2")
            .replace("%1", reason).replace("%2", age))


def paint_stale_banner(painter: QPainter, rect: QRectF, text: str, colors: Mapping[str, str],
                       font: QFont) -> None:
    """Paint the banner into ``rect``: stale fill, hazard-striped edges, icon and bold text."""
    c = colors
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(rect, QColor(c["stale_bg"]))
    # Diagonal stripes on both ends: reads as "alert" even where colour doesn't.
    stripe = rect.height() * 0.35
    painter.setClipRect(rect)
    pen = QPen(QColor(c["on_stale"]), stripe * 0.35)
    painter.setPen(pen)
    band = rect.height() * 1.2
    for x0 in (rect.left(), rect.right() - band):
        x = x0 - rect.height()
        while x < x0 + band:
            painter.drawLine(int(x), int(rect.bottom()), int(x + rect.height()), int(rect.top()))
            x += stripe
    painter.setClipping(False)
    f = QFont(font)
    f.setWeight(QFont.Weight.Black)
    fm = QFontMetricsF(f)
    inner = rect.adjusted(band + rect.height() * 0.3, 0, -(band + rect.height() * 0.3), 0)
    icon = min(rect.height() * 0.7, fm.height())
    text_w = min(fm.horizontalAdvance(text), max(0.0, inner.width() - icon * 1.4))
    total = icon * 1.4 + text_w
    left = inner.center().x() - total / 2
    paint_icon(painter, QRectF(left, rect.center().y() - icon / 2, icon, icon), "stale",
               QColor(c["on_stale"]))
    painter.setFont(f)
    painter.setPen(QColor(c["on_stale"]))
    painter.drawText(QRectF(left + icon * 1.4, rect.top(), text_w + 2, rect.height()),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     fm.elidedText(text, Qt.TextElideMode.ElideRight, text_w + 2))
    painter.restore()


class StaleBanner(QWidget):
    """Full-width banner "DATA STALE — last update 1:12 ago"; put it in a layout and show/hide it.

    ``StaleBanner(age_s=None, theme="wall", scale=1.0)``: text is 1.25x the label size
    (35 px at 1080p), bold, on the stale colour with striped ends. ``set_age(seconds)``
    each second; None means nothing was ever received. ``set_reason(text)`` (translated)
    when the data is stale for a reason other than silence; the age is then how long
    that has lasted. An empty reason goes back to the age of the last update.
    """

    def __init__(self, *, age_s: float | None = None, theme: str = "wall", scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._age = age_s
        self._reason = ""
        self._colors = theme_colors(theme)
        self._scale = scale
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._changed()

    def text(self) -> str:
        age = None if self._age is None else format_age(self._age)
        if self._reason:
            return stale_reason_text(self._reason, age)
        return stale_banner_text(age)

    def reason(self) -> str:
        return self._reason

    def set_age(self, age_s: float | None) -> None:
        """Seconds since the last update (None: never)."""
        if age_s != self._age:
            self._age = age_s
            self._changed()

    def set_reason(self, reason: str) -> None:
        """Why the data is stale when it is not silence (already translated); "" for silence."""
        if reason != self._reason:
            self._reason = reason
            self._changed()

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.updateGeometry()
        self.update()

    def text_pixel_size(self) -> int:
        return scaled_px(LABEL_PX * 1.25, self._scale)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(scaled_px(900, self._scale), round(self.text_pixel_size() * 2.0))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPixelSize(self.text_pixel_size())
        paint_stale_banner(painter, QRectF(self.rect()), self.text(), self._colors, font)
        painter.end()

    def _changed(self) -> None:
        self.setAccessibleName(self.text())
        self.update()


class StaleOverlay(QWidget):
    """Covers ``target`` entirely: a dark wash over the page and the stale banner across it.

    ``StaleOverlay(target, theme="wall", scale=1.0)``; it follows the target's size, lets
    mouse events through, and starts hidden: ``show_age(seconds)`` shows it, ``hide()``
    (or ``clear()``) removes it. ``banner_rect()`` says where the banner is drawn.
    """

    def __init__(self, target: QWidget, *, theme: str = "wall", scale: float = 1.0) -> None:
        super().__init__(target)
        self._target = target
        self._age: float | None = None
        self._colors = theme_colors(theme)
        self._scale = scale
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.hide()

    def show_age(self, age_s: float | None) -> None:
        """Show the overlay with the data age in seconds (None: never updated)."""
        self._age = age_s
        self.setAccessibleName(self.text())
        self.setGeometry(self._target.rect())
        self.raise_()
        self.show()
        self.update()

    def clear(self) -> None:
        """Hide the overlay (the feed is live again)."""
        self.hide()

    def text(self) -> str:
        return stale_banner_text(None if self._age is None else format_age(self._age))

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def banner_rect(self) -> QRectF:
        """The banner's rectangle: full width, a third of the way down, 2.2x its text height."""
        h = scaled_px(LABEL_PX * 1.25, self._scale) * 2.2
        return QRectF(0, self.height() * 0.33 - h / 2, self.width(), h)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._target.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        wash = QColor(self._colors["background"])
        wash.setAlphaF(WASH_OPACITY)
        painter.fillRect(self.rect(), wash)
        font = QFont(self.font())
        font.setPixelSize(scaled_px(LABEL_PX * 1.25, self._scale))
        paint_stale_banner(painter, self.banner_rect(), self.text(), self._colors, font)
        painter.end()
