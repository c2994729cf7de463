"""Pixel helpers for the widget tests: grab a widget into a numpy array and measure it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget


def pixels(widget: QWidget, save_to: Path | None = None) -> npt.NDArray[np.uint8]:
    """``widget.grab()`` as an (h, w, 3) RGB uint8 array; also saved as PNG when asked."""
    pixmap = widget.grab()
    assert not pixmap.isNull(), "grab() returned an empty pixmap"
    if save_to is not None:
        assert pixmap.save(str(save_to)), f"could not save {save_to}"
    return image_array(pixmap.toImage())


def image_array(image: QImage) -> npt.NDArray[np.uint8]:
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = img.width(), img.height(), img.bytesPerLine()
    raw = np.frombuffer(img.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return raw[:, : w * 3].reshape(h, w, 3).copy()


def luma(arr: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    return arr[..., 0] * 0.2126 + arr[..., 1] * 0.7152 + arr[..., 2] * 0.0722


def share_near(arr: npt.NDArray[np.uint8], color: str, tol: int = 24) -> float:
    """Fraction of pixels within ``tol`` (per channel) of ``color``."""
    c = QColor(color)
    target = np.array([c.red(), c.green(), c.blue()], dtype=np.int16)
    close = np.all(np.abs(arr.astype(np.int16) - target) <= tol, axis=-1)
    return float(close.mean())


def changed_share(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    """Fraction of pixels that differ between two same-size images."""
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.any(a != b, axis=-1).mean())


def ink_rows(arr: npt.NDArray[np.uint8], background: str, tol: int = 40) -> tuple[int, int]:
    """First and last row holding anything but ``background`` (the painted extent)."""
    c = QColor(background)
    target = np.array([c.red(), c.green(), c.blue()], dtype=np.int16)
    ink = np.any(np.abs(arr.astype(np.int16) - target) > tol, axis=-1).any(axis=1)
    rows = np.flatnonzero(ink)
    assert rows.size, "nothing painted"
    return int(rows[0]), int(rows[-1])
