"""Translations: complete, compiled, and one language per screen."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QCoreApplication, QLocale

from ui import i18n, names
from widgets.strings import CONTEXT as WIDGETS_CONTEXT
from widgets.strings import SOURCE_TEXTS as WIDGET_TEXTS


def _catalogue() -> ET.ElementTree:
    return ET.parse(i18n.i18n_dir() / "command_center_zh_CN.ts")


def test_every_string_has_a_finished_chinese_translation():
    unfinished = []
    for ctx in _catalogue().getroot().iter("context"):
        for message in ctx.iter("message"):
            tr = message.find("translation")
            text = "".join(tr.itertext()).strip() if tr is not None else ""
            if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished") or not text:
                unfinished.append((ctx.findtext("name"), message.findtext("source")))
    assert unfinished == []


def test_the_widgets_strings_are_in_the_catalogue():
    sources = {
        m.findtext("source")
        for ctx in _catalogue().getroot().iter("context") if ctx.findtext("name") == WIDGETS_CONTEXT
        for m in ctx.iter("message")
    }
    assert set(WIDGET_TEXTS) <= sources


def test_compiled_catalogue_translates(qapp, language):
    assert (i18n.i18n_dir() / "command_center_zh_CN.qm").is_file()
    assert names.agent_state("on_call") == "On call"
    language("zh")
    assert names.agent_state("on_call") == "通话中"
    assert names.sla_label("breached") == "✕ 超时"
    assert names.queue("credit_card", "信用卡服务") == "信用卡服务"
    assert names.team("三组") == "三组"
    assert QCoreApplication.translate("Widgets", "Stale") == "过期"
    assert i18n.fmt_percent(0.8412) == "84.1%"


def test_queues_and_departments_are_named_as_the_server_names_them(qapp):
    assert names.queue("credit_card", "信用卡服务") == "Credit cards"  # a common name, in English
    # another server's VIP line: its own name, not one guessed from the id "vip"
    assert names.queue("vip", "贵宾专线") == "贵宾专线"
    assert names.queue("vip", "贵宾服务") == "VIP service"
    assert names.queue("cc", "信用卡服务") == "Credit cards"  # keyed by name, whatever the id
    assert names.queue("new_queue", "") == "new_queue"  # unnamed: the id as sent, never "New queue"
    assert names.queue("billing", "Billing desk") == "Billing desk"
    assert names.department("it", "科技部") == "IT"
    assert names.department("it", "信息科技部") == "信息科技部"
    assert names.team("十二组") == "Team 12"
    assert names.team("一组") == "Team 1"
    assert i18n.fmt_percent(None) == "—"


def test_language_from_argument_or_locale():
    assert i18n.resolve_lang("en", QLocale("zh_CN")) == "en"
    assert i18n.resolve_lang(None, QLocale("zh_TW")) == "zh"
    assert i18n.resolve_lang(None, QLocale("de_DE")) == "en"
