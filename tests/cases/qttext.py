"""Every piece of text a widget tree shows: labels, buttons, table cells and headers, title."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTableWidget, QWidget


def visible_text(root: QWidget) -> str:
    parts = [root.windowTitle()]
    for label in root.findChildren(QLabel):
        parts.append(label.text())
        parts.append(label.toolTip())
    for button in root.findChildren(QAbstractButton):
        parts.append(button.text())
    for box in root.findChildren(QGroupBox):
        parts.append(box.title())
    tables = root.findChildren(QTableWidget)
    if isinstance(root, QTableWidget):
        tables.insert(0, root)
    for table in tables:
        for c in range(table.columnCount()):
            header = table.horizontalHeaderItem(c)
            if header is not None:
                parts.append(header.text())
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    parts.append(item.text())
                    parts.append(item.toolTip())
    return "\n".join(p for p in parts if p)
