"""Colour palettes as plain dicts: the desk and wall themes, SLA and agent-state colours.

Plain hex strings (no Qt) so the app's table models can use the same colours as the
painted widgets, and so tests can check contrast without a display.
"""

from __future__ import annotations

from collections.abc import Mapping

#: SLA states a widget understands, mildest first.
SLA_STATES: tuple[str, ...] = ("neutral", "ok", "warning", "breached")

#: Agent states of PROTOCOL.md in the order the state bar draws them: working states
#: first so "who is free" and "who is busy" read left to right.
AGENT_STATES: tuple[str, ...] = (
    "available", "ringing", "on_call", "wrap_up", "break", "meeting", "training", "offline",
)

#: Agent-state colours, shared by both themes. Okabe-Ito hues, chosen to stay
#: distinguishable for the common colour-vision deficiencies; labels carry the meaning too.
AGENT_STATE_COLORS: dict[str, str] = {
    "available": "#009E73",  # bluish green: free to take a call
    "ringing": "#F0E442",    # yellow: about to be busy
    "on_call": "#0072B2",    # blue
    "wrap_up": "#56B4E9",    # sky blue: still on the last call's work
    "break": "#E69F00",      # orange
    "meeting": "#CC79A7",    # reddish purple
    "training": "#A6761D",   # brown
    "offline": "#7F7F7F",    # grey
}

#: Connection states of the ConnectionBadge.
CONNECTION_STATES: tuple[str, ...] = ("live", "reconnecting", "stale", "unauthorised", "stopped")

# Each theme has the same keys; `_THEME_KEYS` below keeps them honest.
THEMES: dict[str, dict[str, str]] = {
    # Desk: light, calm, GitHub-like greys; state colours dark enough for text on white.
    "normal": {
        "background": "#F4F6F8",
        "surface": "#FFFFFF",
        "surface_alt": "#EEF1F4",
        "border": "#C9D1D9",
        "text": "#1F2328",
        "text_muted": "#57606A",
        "accent": "#0969DA",
        "grid": "#D8DEE4",
        "neutral": "#57606A",
        "neutral_bg": "#EEF1F4",
        "on_neutral": "#1F2328",
        "ok": "#1A7F37",
        "ok_bg": "#DAFBE1",
        "on_ok": "#0F5323",
        "warning": "#875A00",
        "warning_bg": "#FFD33D",
        "on_warning": "#1F2328",
        "breached": "#CF222E",
        "breached_bg": "#CF222E",
        "on_breached": "#FFFFFF",
        "stale": "#8250DF",
        "stale_bg": "#8250DF",
        "on_stale": "#FFFFFF",
        "live": "#1A7F37",
        "reconnecting": "#875A00",
        "unauthorised": "#CF222E",
        "stopped": "#57606A",
        "target": "#CF222E",
        "flash": "#FF8C00",
    },
    # Wall: near-black background, white text, saturated state colours for a room
    # 3-8 m away and a washed-out projector.
    "wall": {
        "background": "#05080D",
        "surface": "#111823",
        "surface_alt": "#1A2330",
        "border": "#3A4656",
        "text": "#FFFFFF",
        "text_muted": "#C5CDD8",
        "accent": "#4FB3FF",
        "grid": "#2A3442",
        "neutral": "#C5CDD8",
        "neutral_bg": "#1A2330",
        "on_neutral": "#FFFFFF",
        "ok": "#4ADE80",
        "ok_bg": "#0E3B22",
        "on_ok": "#FFFFFF",
        "warning": "#FBBF24",
        "warning_bg": "#FBBF24",
        "on_warning": "#111111",
        "breached": "#FF6B6B",
        "breached_bg": "#C81E1E",
        "on_breached": "#FFFFFF",
        "stale": "#E879F9",
        "stale_bg": "#A21CAF",
        "on_stale": "#FFFFFF",
        "live": "#4ADE80",
        "reconnecting": "#FBBF24",
        "unauthorised": "#FF6B6B",
        "stopped": "#C5CDD8",
        "target": "#FF6B6B",
        "flash": "#FFFFFF",
    },
}

_THEME_KEYS = frozenset(THEMES["normal"])
assert all(frozenset(t) == _THEME_KEYS for t in THEMES.values()), "themes must share keys"

#: Palettes a user can choose: the default (green / amber / red) and one safe for the
#: common colour-vision deficiencies, where good is blue and trouble is orange: light
#: amber for a warning, dark vermilion for a breach, grey for stale (no purple, which
#: reads as blue to protanopes and deuteranopes). Symbols, words and weights stay.
PALETTES: tuple[str, ...] = ("default", "colorblind")

_COLORBLIND: dict[str, dict[str, str]] = {
    "normal": {
        "ok": "#0B5CAD", "ok_bg": "#DCEBFA", "on_ok": "#083D73",
        "warning": "#8F4A00", "warning_bg": "#FFB55E", "on_warning": "#1F2328",
        "breached": "#B23C00", "breached_bg": "#B23C00", "on_breached": "#FFFFFF",
        "stale": "#4B5563", "stale_bg": "#4B5563", "on_stale": "#FFFFFF",
        "live": "#0B5CAD", "reconnecting": "#8F4A00", "unauthorised": "#B23C00",
        "target": "#B23C00", "flash": "#005FCC",
    },
    "wall": {
        "ok": "#56B4E9", "ok_bg": "#0B3A63", "on_ok": "#FFFFFF",
        "warning": "#FFB000", "warning_bg": "#FFB000", "on_warning": "#111111",
        "breached": "#FF8A3D", "breached_bg": "#B8430B", "on_breached": "#FFFFFF",
        "stale": "#BFC7D1", "stale_bg": "#4B5563", "on_stale": "#FFFFFF",
        "live": "#56B4E9", "reconnecting": "#FFB000", "unauthorised": "#FF8A3D",
        "target": "#FF8A3D", "flash": "#FFFFFF",
    },
}
assert all(set(t) <= _THEME_KEYS for t in _COLORBLIND.values())
_DEFAULTS: dict[str, dict[str, str]] = {name: dict(colors) for name, colors in THEMES.items()}
_current = ["default"]


def palette_colors(palette: str, theme: str) -> dict[str, str]:
    """The colours ``theme`` has under ``palette`` (a copy; nothing changes)."""
    check_palette(palette)
    colors = dict(_DEFAULTS[theme])
    if palette == "colorblind":
        colors.update(_COLORBLIND[theme])
    return colors


def check_palette(name: str) -> str:
    if name not in PALETTES:
        raise ValueError(f"unknown palette {name!r}; expected one of {list(PALETTES)}")
    return name


def set_palette(name: str) -> None:
    """Use palette ``name`` from now on. THEMES' dicts change in place, so every widget
    holding its theme's colours paints with the new ones on its next repaint."""
    check_palette(name)
    for theme, colors in THEMES.items():
        colors.update(palette_colors(name, theme))
    _current[0] = name


def current_palette() -> str:
    return _current[0]


def theme_colors(name: str) -> Mapping[str, str]:
    """The colour dict of theme ``name`` ("normal" or "wall"); ValueError names the choices."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; expected one of {sorted(THEMES)}") from None


def check_sla_state(state: str) -> str:
    """Return ``state`` if it is one of SLA_STATES, else raise ValueError naming the choices."""
    if state not in SLA_STATES:
        raise ValueError(f"unknown SLA state {state!r}; expected one of {list(SLA_STATES)}")
    return state


def _channel(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    h = hex_color.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"expected #RRGGBB, got {hex_color!r}")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1.0 … 21.0)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def readable_text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (for labels inside coloured bars)."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF") else "#FFFFFF"
