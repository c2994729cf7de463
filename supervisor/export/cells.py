"""Typed columns for streamed (write-only) sheets: number formats, widths, header style.

A column says what kind of value it holds; the kind fixes the Excel number format
(percent 0.0 %, durations [h]:mm:ss.0 stored as days, local date-times) and how a
value is converted. ``None`` always becomes an empty cell: a ratio or mean with an
empty denominator is blank, never 0 % or 100 % (KPI.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

# Excel formats. Durations are days (seconds / 86400) with a [h] format so that a
# month of talk time reads 412:05:31 rather than wrapping at 24 hours; the engine
# rounds seconds to 0.1, so one decimal of a second is shown.
PERCENT = "0.0%"
DURATION = "[h]:mm:ss.0"
DURATION_WHOLE = "[h]:mm:ss"
DURATION_MS = "[h]:mm:ss.000"  # one contact's wait, at the protocol's millisecond precision
DATETIME = "yyyy-mm-dd hh:mm:ss"
INTERVAL = "yyyy-mm-dd hh:mm"
SCORE = "0.00"
COUNT = "#,##0"
SECONDS = "0"

SECONDS_PER_DAY = 86400

WRAP = Alignment(wrap_text=True, vertical="top")
NOTE_WIDTH = 60.0  # the column of a note beside a header row
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, color="9C0006")
TOTAL_BORDER = Border(top=Side(style="thin", color="000000"))

# Conditional formatting colours (Excel's own "good" and "bad" presets)
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
GOOD_FONT = Font(color="006100")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included


MAX_TEXT = 32_767  # Excel's limit per cell


def clean_text(value: Any) -> Any:
    """Text from the wire made safe for a cell: no control characters, within Excel's length."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def duration_value(seconds: float | None) -> float | None:
    """Seconds as an Excel duration (days); None stays empty."""
    return None if seconds is None else seconds / SECONDS_PER_DAY


def naive_local(ts: datetime | None, tz: Any) -> datetime | None:
    """An aware time as the naive local time of the center (Excel has no time zones)."""
    if ts is None:
        return None
    return ts.astimezone(tz).replace(tzinfo=None)


@dataclass(frozen=True)
class Col:
    """One column: its label key, its kind and its width in characters."""

    key: str
    kind: str = "text"  # text, count, ratio, duration(_whole, _ms), score, datetime, interval, seconds
    width: float = 12.0  # at least; widened to hold the header's longest word (no word broken)
    wrap: bool = False  # long text wraps within the width instead of spilling over the page


_FORMATS = {
    "ratio": PERCENT,
    "duration": DURATION,
    "duration_whole": DURATION_WHOLE,
    "duration_ms": DURATION_MS,
    "datetime": DATETIME,
    "interval": INTERVAL,
    "score": SCORE,
    "count": COUNT,
    "seconds": SECONDS,
}


class FastCell(Cell):
    """A styled cell for write-only sheets. openpyxl's ``append`` tries each value as a
    plain value first and formats the failure message with ``repr(cell)``; a constant
    repr saves that cost on every styled cell of a large sheet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<FastCell>"


PRINT_MARGINS_IN = (0.4, 0.4, 0.55, 0.55, 0.3, 0.3)  # left, right, top, bottom, header, footer


def fit_to_width(ws: Any) -> None:
    """Print (and PDF): A4 landscape (the bank's paper), one page wide and as many pages
    tall as the rows need, narrow margins, and a footer naming the sheet and the page
    ("Queues · 1 / 2"), so a printed sheet read on its own says what it is. Table sheets
    repeat their header row on every page (``RowWriter``)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 paper size code); LibreOffice's default is Letter
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # automatic: as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    left, right, top, bottom, header, footer = PRINT_MARGINS_IN
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=header, footer=footer)
    ws.oddFooter.center.text = "&A · &P / &N"  # sheet name, page, pages: no language of its own
    ws.oddFooter.center.size = 8


def text_width(text: str) -> int:
    """Width of ``text`` in Excel character units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def header_width(text: str) -> float:
    """The column width a header needs so that no word of it is broken: it wraps on two
    lines, Latin words whole; a header holding CJK (which breaks between characters) on
    one line when short, else in two halves."""
    need = float(max((text_width(word) for word in text.split() if text_width(word) == len(word)),
                     default=0))
    total = text_width(text)
    if total > len(text):  # CJK
        need = max(need, total if total <= 10 else -(-total // 2) + 1)
    return need * 1.05 + 1.2  # bold header type and the cell's padding


class RowWriter:
    """Appends typed rows to a write-only sheet with one shared style per column.

    Styles are prepared once per column (a template cell's style array), so a row costs
    one ``Cell`` per formatted value and nothing per plain one.
    """

    def __init__(self, ws: Any, columns: Sequence[Col], header: Sequence[str], *, freeze: str = "A2",
                 note: str | None = None) -> None:
        """``note``: one line beside the header row, one empty column after the table (in
        the frozen row, so it stays on screen; outside the table and its filter)."""
        self.ws = ws
        self.columns = list(columns)
        for i, (col, text) in enumerate(zip(self.columns, header), 1):
            ws.column_dimensions[get_column_letter(i)].width = round(max(col.width, header_width(text)), 1)
        ws.freeze_panes = freeze
        fit_to_width(ws)
        ws.print_title_rows = "1:1"  # the header row on every printed page
        self._styles: list[Any] = []
        self._total_styles: list[Any] = []
        for col in self.columns:
            fmt = _FORMATS.get(col.kind)
            if fmt is None and not col.wrap:
                self._styles.append(None)
            else:
                t = Cell(ws, 1, 1)
                if fmt is not None:
                    t.number_format = fmt
                if col.wrap:
                    t.alignment = WRAP
                self._styles.append(t._style)
            t = Cell(ws, 1, 1)
            if fmt is not None:
                t.number_format = fmt
            if col.wrap:
                t.alignment = WRAP
            t.font = TOTAL_FONT
            t.border = TOTAL_BORDER
            self._total_styles.append(t._style)
        head = []
        for text in header:
            c = Cell(ws, 1, 1, text)
            c.font = HEADER_FONT
            c.fill = HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
            head.append(c)
        # two lines of header text: wrapped labels (放弃率, Short abandoned) stay readable
        height = 32.0
        if note:
            # wrapped in a column of its own: a note spilling to the right would widen the
            # printed page (fit to width) until the table is too small to read
            c = Cell(ws, 1, 1, note)
            c.font = NOTE_FONT
            c.alignment = Alignment(vertical="top", wrap_text=True)
            head += [None, c]
            gap, note_col = len(self.columns) + 1, len(self.columns) + 2
            ws.column_dimensions[get_column_letter(gap)].width = 2
            ws.column_dimensions[get_column_letter(note_col)].width = NOTE_WIDTH
            lines = -(-text_width(note) // int(NOTE_WIDTH * 0.95))
            height = max(height, 12.5 * lines + 4)
        ws.row_dimensions[1].height = height
        ws.append(head)
        self.rows = 1  # rows written, header included
        self._converters: list[Callable[[Any], Any] | None] = [
            (duration_value if col.kind in ("duration", "duration_whole", "duration_ms") else None)
            for col in self.columns
        ]
        self._pending: tuple[Sequence[Any], bool] | None = None
        self._fast = self._install_fast_path()

    def append(self, values: Sequence[Any], *, total: bool = False) -> None:
        if self._fast:
            # the row's XML is made by _write_row_xml when openpyxl asks its writer for it
            self._pending = (values, total)
            self.ws.append(())
            self.rows += 1
            return
        styles = self._total_styles if total else self._styles
        ws = self.ws
        out: list[Any] = []
        for value, style, conv in zip(values, styles, self._converters):
            if value is None:
                out.append(None)
                continue
            if conv is not None:
                value = conv(value)
            if isinstance(value, str):
                value = clean_text(value)
                if value.startswith("="):
                    # text from the wire is never a formula (no formula injection)
                    c = FastCell(ws, 1, 1, value, style)
                    c.data_type = "s"
                    out.append(c)
                    continue
            if style is None:
                out.append(value)
            else:
                out.append(FastCell(ws, 1, 1, value, style))
        ws.append(out)
        self.rows += 1

    # ------------------------------------------------------------------ fast path

    def _install_fast_path(self) -> bool:
        """Serialise data rows as XML text ourselves when openpyxl streams through
        et_xmlfile (its pure-Python serialiser costs ~50 µs a cell; this costs ~1 µs).

        openpyxl still owns the file, the sheet's head and tail, styles, charts and
        filters; only the ``<row>`` elements of data rows are written here. With lxml
        installed, or an openpyxl whose writer looks different, the normal path is kept.
        """
        writer = getattr(self.ws, "_writer", None)
        if writer is None or not hasattr(writer, "write_row") or openpyxl.LXML:
            return False
        original = writer.write_row
        wb = self.ws.parent
        self._letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self._style_ids = [None if st is None else wb._cell_styles.add(st) for st in self._styles]
        self._total_style_ids = [wb._cell_styles.add(st) for st in self._total_styles]
        self._epoch = wb.epoch
        fmt_text = self._row_xml

        def write_row(xf: Any, row: Any, row_idx: int) -> None:
            raw = getattr(xf, "_file", None)
            pending = self._pending
            if raw is None or pending is None:
                original(xf, row, row_idx)
                return
            self._pending = None
            raw(fmt_text(pending[0], pending[1], row_idx))

        writer.write_row = write_row
        return True

    def _row_xml(self, values: Sequence[Any], total: bool, row_idx: int) -> str:
        ids = self._total_style_ids if total else self._style_ids
        parts = [f'<row r="{row_idx}">']
        add = parts.append
        for letter, style, conv, value in zip(self._letters, ids, self._converters, values):
            if value is None:
                continue
            if conv is not None:
                value = conv(value)
            s_attr = "" if style is None else f' s="{style}"'
            if isinstance(value, str):
                # always an inline string: text from the wire is never a formula
                text = escape(clean_text(value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                add(f'<c r="{letter}{row_idx}"{s_attr} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                add(f'<c r="{letter}{row_idx}"{s_attr} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                add(f'<c r="{letter}{row_idx}"{s_attr}><v>{value!r}</v></c>')
            elif isinstance(value, datetime):
                add(f'<c r="{letter}{row_idx}"{s_attr}><v>{to_excel(value, self._epoch)!r}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
        add("</row>")
        return "".join(parts)

    def room(self) -> int:
        """How many more data rows fit in the sheet."""
        return MAX_ROWS - self.rows

    def finish(self, *, autofilter: bool = True) -> None:
        if autofilter:
            last = get_column_letter(len(self.columns))
            self.ws.auto_filter.ref = f"A1:{last}{max(self.rows, 1)}"

    def letter(self, key: str) -> str:
        """The column letter of a column key."""
        for i, col in enumerate(self.columns, 1):
            if col.key == key:
                return get_column_letter(i)
        raise KeyError(key)
