"""Workbooks people print (issue 12 point 8): every sheet prints on A4 landscape pages,
one page wide, the header row repeated on every page, at a size people can read (the
Queues sheet used to print as a thin strip: a table scaled to ~45 % by its wide columns
and a note spilling to the right); and the workbook speaks the UI's language unless told
otherwise (``--lang``, the dialog's choice).

Print settings are read back with openpyxl; LibreOffice prints the workbook to PDF and
poppler's tools count and measure its pages (each page's footer names its sheet).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from supervisor.export.cells import header_width
from supervisor.export.labels import Labels, default_lang
from tests.export.reading import export
from tests.export.test_libreoffice import _convert, _soffice

TABLES = ("queues", "intervals", "agents", "escalations", "breaches", "audit")
A4_LANDSCAPE_PT = (841.89, 595.30)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(
        day_url: str, tmp_path: Path, lang: str) -> None:
    book = tmp_path / "review.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book, "--lang", lang) == 0
    wb = openpyxl.load_workbook(book)
    labels = Labels(lang)
    for key in ("summary", *TABLES):
        ws = wb[labels[f"sheet.{key}"]]
        setup = ws.page_setup
        assert setup.orientation == "landscape", key
        assert int(setup.paperSize) == 9, key  # A4
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, key
        assert ws.sheet_properties.pageSetUpPr.fitToPage, key
        assert "&A" in (ws.oddFooter.center.text or "") and "&P" in ws.oddFooter.center.text, key
        if key != "summary":
            assert ws.print_title_rows == "$1:$1", key  # the header row on every page
            # no header word broken across lines: each column holds its header's longest word
            for cell in ws[1]:
                if cell.value is None or cell.column > ws.max_column:
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                if cell.font is not None and cell.font.italic:
                    continue  # the audit note: wrapped in its own column
                assert width >= header_width(str(cell.value)) - 0.05, (key, cell.value, width)


def _pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    return [_run("pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-") for i in range(1, n + 1)]


def _run(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must measure the printed workbook: {tool} is missing (apt-get install poppler-utils)")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([path, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def _text_height_pt(pdf: Path, page: int) -> float:
    """Median height of the words on a page: how big the printed type is."""
    out = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    heights = sorted(float(m.group(2)) - float(m.group(1))
                     for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', out))
    assert heights
    return heights[len(heights) // 2]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_prints_each_sheet_readably_on_a4_landscape(
        day_url: str, tmp_path: Path, lang: str) -> None:
    soffice = _soffice()
    book = tmp_path / "review.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book, "--lang", lang) == 0
    _convert(soffice, "pdf", book, tmp_path, tmp_path / "lo-profile")
    pdf = tmp_path / "review.pdf"
    info = _run("pdfinfo", str(pdf))
    w, h = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(w), round(h)) == tuple(round(v) for v in A4_LANDSCAPE_PT)
    labels = Labels(lang)
    pages = _pages(pdf)
    # each page's footer names its sheet: "Queues · 2 / 11"
    by_sheet: dict[str, list[int]] = {}
    for i, text in enumerate(pages, 1):
        for key in ("summary", *TABLES):
            if re.search(re.escape(labels[f"sheet.{key}"]) + r" · \d+ / \d+", text):
                by_sheet.setdefault(key, []).append(i)
    assert set(by_sheet) == {"summary", *TABLES}
    # the Queues sheet: one page (one page wide, its rows on it), type people can read:
    # at least 8 pt words (the strip it used to be: 5.3 pt)
    assert len(by_sheet["queues"]) == 1
    queues_page = by_sheet["queues"][0]
    assert _text_height_pt(pdf, queues_page) >= 8.0
    head = labels["col.queue_name"]
    assert head in pages[queues_page - 1]
    # the 24 h x 4 rows of intervals run over pages, each starting with the header row
    interval_pages = by_sheet["intervals"]
    assert len(interval_pages) >= 3
    first_col = labels["col.interval_start"].split()[0]
    for i in interval_pages:
        assert first_col in " ".join(pages[i - 1].strip().splitlines()[:3]), i  # a wrapped header row
    for key in TABLES:  # no sheet shrinks to a strip
        for i in by_sheet[key]:
            assert _text_height_pt(pdf, i) >= 6.5, (key, i)
    shots = os.environ.get("CC_SHOTS")  # pages for a person to look at, outside the repo
    if shots and shutil.which("pdftoppm"):
        Path(shots).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(Path(shots) / f"workbook_{lang}")],
                       check=True, timeout=120)


# ---------------------------------------------------------------- language

@pytest.mark.parametrize("env, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en_US"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),
    ({"LANGUAGE": "zh_CN"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({}, "en"),
])
def test_the_cli_workbook_speaks_the_language_the_desktop_would(env: dict[str, str], lang: str) -> None:
    assert default_lang(env) == lang


def test_default_lang_and_the_desktop_read_the_environment_alike() -> None:
    """The same rule as Qt's (ui/i18n.resolve_lang), checked against Qt itself."""
    pytest.importorskip("PySide6")
    code = ("from ui.i18n import resolve_lang; from supervisor.export.labels import default_lang; "
            "print(resolve_lang(None), default_lang())")
    for env in ({"LANG": "zh_CN.UTF-8"}, {"LANG": "zh_CN.UTF-8", "LANGUAGE": "en_US"},
                {"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}):
        full = {"PATH": os.environ.get("PATH", ""), "QT_QPA_PLATFORM": "offscreen", **env}
        done = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[2], timeout=60)
        qt, ours = done.stdout.split()
        assert qt == ours, env


def test_cli_workbook_follows_the_locale_unless_lang_says_otherwise(
        day_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    book = tmp_path / "zh.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book) == 0
    assert openpyxl.load_workbook(book).sheetnames[:2] == ["摘要", "队列"]
    book = tmp_path / "en.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book, "--lang", "en") == 0
    assert openpyxl.load_workbook(book).sheetnames[:2] == ["Summary", "Queues"]


def test_dialog_writes_the_ui_language_unless_another_is_chosen(qtbot: Any, day_url: str, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from tests.export.test_dialog import _dialog

    dlg = _dialog(qtbot, day_url, tmp_path, lang="zh", formula="answered_only")
    dlg.path_edit.setText(str(tmp_path / "a.xlsx"))
    assert dlg.request().lang == "zh"  # the UI's
    assert dlg.request().formula == "answered_only"  # the desk's formula, by default
    dlg.book_lang.setCurrentIndex(dlg.book_lang.findData("en"))
    assert dlg.request().lang == "en"
    en = _dialog(qtbot, day_url, tmp_path, lang="en")
    en.path_edit.setText(str(tmp_path / "b.xlsx"))
    assert en.request().lang == "en" and en.request().formula == "abandons_count_against"
