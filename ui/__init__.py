"""The desktop app: composition root, windows, table models and the feed bridge."""

# PySide6 6.12.0 on CPython < 3.12 drops references to None/True on every emit and void
# call; the widgets' guard keeps the process alive (see widgets/qt_guard.py).
from widgets.qt_guard import guard_pyside_refcounts

guard_pyside_refcounts()
