"""Font sizes of the wall display (UI.md) and the scale that keeps them the same at 4K.

At 1080p the headline figures are 72 px, labels 28 px and table text 24 px; at any other
screen height they scale with it, so a 4K wall reads the same from the same distance.
"""

from __future__ import annotations

#: The screen height (logical pixels) the base sizes below are defined for.
BASE_SCREEN_HEIGHT = 1080
HEADLINE_PX = 72
LABEL_PX = 28
TABLE_PX = 24
#: Sub-lines under a headline figure; the same as table text so nothing is smaller.
SUB_PX = 24


def wall_scale(screen_height: int | float) -> float:
    """Scale factor for a screen ``screen_height`` logical pixels tall (1.0 at 1080, 2.0 at 2160).

    Pass the *logical* height (``QScreen.geometry().height()``): on a 4K screen with a
    device pixel ratio of 2 that is 1080 and Qt already doubles every pixel.
    """
    if screen_height <= 0:
        raise ValueError(f"screen height must be positive, got {screen_height!r}")
    return float(screen_height) / BASE_SCREEN_HEIGHT


def scaled_px(base_px: int | float, scale: float) -> int:
    """``base_px`` at ``scale``, rounded, never below 1."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    return max(1, round(base_px * scale))
