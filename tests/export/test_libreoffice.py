"""A real spreadsheet program reads the workbook: LibreOffice headless converts it to CSV
(every sheet, values as displayed) and to PDF, and one PDF page is rendered to PNG.

Skipped with a reason when soffice is missing on a developer machine; in CI (env CI set)
a missing soffice FAILS, because CI is where this proof is required.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.export.reading import export, kpi_json

# CSV filter options: comma, double quote, UTF-8, from line 1, default cell format,
# language 0, quoted as text no, detect numbers yes, SAVE AS SHOWN yes, formulas no,
# trim no, every sheet (-1: one file per sheet, named FILE-SHEET.csv)
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must prove LibreOffice reads the workbook: soffice is not installed "
                        "(apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed; CI runs this test")
    return path


def _convert(soffice: str, target: str, src: Path, outdir: Path, profile: Path) -> None:
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_libreoffice_reads_every_sheet(day_url: str, tmp_path: Path) -> None:
    soffice = _soffice()
    book = tmp_path / "review.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book, "--lang", "en") == 0
    outdir = tmp_path / "csv"
    _convert(soffice, CSV_ALL_SHEETS, book, outdir, tmp_path / "lo-profile")
    sheets = {p.name.removeprefix("review-").removesuffix(".csv"): p for p in outdir.glob("review-*.csv")}
    assert set(sheets) == {"Summary", "Queues", "Intervals", "Agents", "Escalations", "SLA breaches", "Audit"}

    kpi = kpi_json(day_url, "2026-11-20", "2026-11-21")
    with sheets["Queues"].open(encoding="utf-8") as fh:
        rows = {r["Queue"]: r for r in csv.DictReader(fh)}
    cc, total, vip = kpi["queues"]["credit_card"], kpi["total"], rows["vip"]
    # what a person sees in LibreOffice: the engine's numbers in the workbook's formats
    assert rows["credit_card"]["Offered"] == str(cc["offered"])
    assert rows["credit_card"]["Service level"] == f"{cc['service_level']:.1%}"
    assert rows["Total"]["Abandonment rate"] == f"{total['abandonment_rate']:.1%}"
    asa = total["asa_seconds"]
    assert rows["Total"]["ASA"] == f"{int(asa // 3600)}:{int(asa % 3600 // 60):02d}:{asa % 60:04.1f}"
    assert rows["Total"]["CSAT"] == f"{total['csat']:.2f}"
    # empty denominators stay empty, never 0 % or 100 %
    assert vip["Offered"] == "0" and vip["Service level"] == "" and vip["ASA"] == ""
    with sheets["SLA breaches"].open(encoding="utf-8") as fh:
        breaches = list(csv.DictReader(fh))
    assert len(breaches) == total["sla_breaches"]
    assert {r["Phone"] for r in breaches} == {"138****5678"}


@pytest.mark.slow
def test_libreoffice_prints_it_to_pdf_and_a_page_renders(day_url: str, tmp_path: Path) -> None:
    soffice = _soffice()
    book = tmp_path / "review.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", book, "--lang", "zh") == 0
    _convert(soffice, "pdf", book, tmp_path, tmp_path / "lo-profile")
    pdf = tmp_path / "review.pdf"
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return  # the PDF is the proof; the picture is for people (poppler-utils)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("page-*1.png"))
    assert png.stat().st_size > 5_000
