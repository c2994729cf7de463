"""Cases and escalations tests: Qt offscreen, and Qt warnings fail (set per module)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
