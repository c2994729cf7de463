"""How the workbook looks: sheets, headers in zh/en, number formats, frozen headers,
auto-filters, conditional formatting, native charts, masking, hostile text."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from supervisor.export.cells import DATETIME, DURATION, DURATION_MS, INTERVAL, PERCENT, SCORE
from supervisor.export.labels import LANGS, Labels, default_lang, keys
from supervisor.masking import contains_unmasked_number, mask_name, mask_phone
from supervisor.store import Store
from supervisor.timeutil import CHINA, fmt
from tests.export.journals import Journal
from tests.export.reading import export, header_map, sheet, table

SHEET_KEYS = ["summary", "queues", "intervals", "agents", "escalations", "breaches", "audit"]


def test_every_label_exists_in_both_languages_and_sheet_names_are_valid() -> None:
    for lang in LANGS:
        labels = Labels(lang)
        for key in keys():
            assert labels[key].strip(), (lang, key)
        for key in SHEET_KEYS:
            name = labels[f"sheet.{key}"]
            assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
        # a header maps back to one column key
        assert len(header_map(lang)) == len([k for k in keys() if k.startswith("col.")])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_and_headers_in_the_ui_language(day_url: str, out: Path, lang: str) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", lang) == 0
    wb = load_workbook(out)
    labels = Labels(lang)
    assert wb.sheetnames == [labels[f"sheet.{k}"] for k in SHEET_KEYS]
    queues = sheet(wb, "queues", lang)
    header = [c.value for c in queues[1]]
    assert header[:3] == [labels["col.queue"], labels["col.queue_name"], labels["col.sla_seconds"]]
    text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows(max_row=1) for c in row if c.value)
    if lang == "zh":
        assert "服务水平" in text and "Service level" not in text
    else:
        assert "Service level" in text and "服务水平" not in text


def test_locale_picks_the_language() -> None:
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({"LANG": "de_DE.UTF-8"}) == "en"
    assert default_lang({}) == "en"


def test_number_formats_freeze_filters_widths(day_url: str, out: Path) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    wb = load_workbook(out)
    queues = sheet(wb, "queues", "en")
    cols = {c.value: c.column_letter for c in queues[1]}
    row = 2  # credit_card
    assert queues[f"{cols['Service level']}{row}"].number_format == PERCENT
    assert queues[f"{cols['Abandonment rate']}{row}"].number_format == PERCENT
    assert queues[f"{cols['ASA']}{row}"].number_format == DURATION
    assert queues[f"{cols['CSAT']}{row}"].number_format == SCORE
    # durations are days: seconds / 86400
    asa = queues[f"{cols['ASA']}{row}"].value
    assert isinstance(asa, timedelta)
    assert queues.freeze_panes == "C2"
    assert queues.auto_filter.ref.startswith("A1:")
    assert queues.column_dimensions["A"].width > 10
    intervals = sheet(wb, "intervals", "en")
    assert intervals["A2"].number_format == INTERVAL
    assert isinstance(intervals["A2"].value, datetime) and intervals["A2"].value.tzinfo is None
    assert intervals.freeze_panes == "D2" and intervals.auto_filter.ref
    breaches = sheet(wb, "breaches", "en")
    bcols = {c.value: c.column_letter for c in breaches[1]}
    assert breaches[f"{bcols['Queued']}2"].number_format == DATETIME
    assert breaches[f"{bcols['Wait']}2"].number_format == DURATION_MS
    for key in SHEET_KEYS[1:]:
        ws = sheet(wb, key, "en")
        assert ws.freeze_panes is not None, key
        assert ws.auto_filter.ref, key
        header = ws[1][0]
        assert header.font.b, key


def test_target_formatting_on_summary_and_queues(day_url: str, out: Path) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    wb = load_workbook(out)
    for key in ("summary", "queues"):
        ws = sheet(wb, key, "en")
        formulas = [f for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula]
        # service level >= 80 %, abandonment <= 5 %, CSAT >= 4, never colouring an empty cell
        assert any(">=0.8" in f for f in formulas), formulas
        assert any("<=0.05" in f for f in formulas), formulas
        assert any(">=4.0" in f for f in formulas), formulas
        assert all(f.startswith("AND(ISNUMBER(") for f in formulas)


def test_native_charts_on_the_summary(day_url: str, out: Path) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "zh") == 0
    with zipfile.ZipFile(out) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = "".join(z.read(n).decode() for n in charts)
    assert "<lineChart>" in xml and "<barChart>" in xml
    intervals = Labels("zh")["sheet.intervals"]
    # both read the all-queue block of the Intervals sheet: 48 half hours, rows 2..49
    assert f"'{intervals}'!$A$2:$A$49" in xml
    assert f"'{intervals}'!$H$2:$H$49" in xml  # service level
    assert f"'{intervals}'!$D$2:$D$49" in xml  # offered


def test_customers_are_masked(day_url: str, out: Path) -> None:
    """The scripted customers are 张三丰 / 13812345678: never in full in a default export."""
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "zh") == 0
    wb = load_workbook(out)
    rows = table(sheet(wb, "breaches", "zh"), "zh")
    assert rows
    for r in rows:
        assert r["customer_name"] == "张*丰"
        assert r["customer_phone"] == "138****5678"
    everything = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                          for c in row if c is not None)
    assert "张三丰" not in everything
    assert not contains_unmasked_number(everything, ["13812345678"])


def breach_name() -> str:
    return '=HYPERLINK("http://x","欧阳小明")'


def _hostile_journal(url: str) -> None:
    """A day whose text fields carry full numbers, control characters and a formula."""
    t0 = datetime(2026, 11, 20, 9, 0, tzinfo=CHINA)
    with Store(url) as store:
        j = Journal(store)
        j.add("snapshot", fmt(t0), {"queues": [{"id": "credit_card", "name": "信用卡服务"}],
                                     "agents": [], "waiting": [], "cases": [], "escalations": [],
                                     "departments": []})
        customer = {"id": "110101199003074512", "name": breach_name(),
                    "phone": "+86 138-1234-5678", "segment": "vip"}
        j.add("call.queued", fmt(t0), {"contact": {
            "call_id": "c-1", "queue": "credit_card", "channel": "voice", "customer": customer,
            "queued_at": fmt(t0)}})
        t1 = t0 + timedelta(minutes=20)
        j.add("call.abandoned", fmt(t1), {"call_id": "c-1", "at": fmt(t1)})
        esc = {"escalation_id": "e-1", "case_id": "case-1", "department": "it",
               "owner": {"id": "s1", "name": "李工"}, "severity": "urgent", "status": "open",
               "opened_at": fmt(t0), "due_at": fmt(t0 + timedelta(hours=2)),
               "summary": "客户身份证 110101199003074512\x07 来电 13812345678"}
        j.add("escalation.opened", fmt(t0), {"escalation": esc})
        j.add("escalation.reassigned", fmt(t1), {
            "escalation_id": "e-1", "from_owner": {"id": "s1", "name": "李工"},
            "to_owner": {"id": "s2", "name": "王工"}, "by": {"id": "lead", "name": "值班长"},
            "reason": "=1+1 客户电话13812345678", "at": fmt(t1)})
        j.flush()


def test_hostile_text_is_masked_cleaned_and_never_a_formula(tmp_path: Path, out: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    _hostile_journal(url)
    assert export(url, "2026-11-20", "2026-11-21", out, "--lang", "zh") == 0
    wb = load_workbook(out)
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in values), "text from the wire became a formula"
    text = " ".join(str(c.value) for c in values)
    assert not contains_unmasked_number(text, ["110101199003074512", "13812345678"])
    assert "\x07" not in text
    breach = table(sheet(wb, "breaches", "zh"), "zh")[0]
    assert breach["customer_id"] == "110***********4512"
    assert breach["customer_phone"] == mask_phone("+86 138-1234-5678")
    assert breach["customer_name"] == mask_name(breach_name())
    assert breach["segment"] == "贵宾"
    audit = table(sheet(wb, "audit", "zh"), "zh")[0]
    assert audit["reason"].startswith("=1+1")
