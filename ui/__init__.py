"""The desktop app: composition root, windows, table models and the feed bridge."""

from ui.qtfix import make_bools_immortal

make_bools_immortal()
