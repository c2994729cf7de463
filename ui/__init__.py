"""The desktop app: composition root, windows, table models and the feed bridge."""

from ui.qtfix import make_singletons_immortal

make_singletons_immortal()
