"""Property: whatever customer data a case carries, a masked drill-down never shows a full
phone or ID number, nor the customer's full name (tests/core/test_masking.py covers the
masking functions themselves)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervisor import timeutil
from supervisor.masking import contains_unmasked_number
from supervisor.store import Store, journal_row
from tests.cases.qttext import visible_text
from tests.cases.scenario import at, person
from tests.core.events import Stream, contact
from ui.case_dialog import CaseDialog

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

_counter = itertools.count()

mobiles = st.builds(lambda p, rest, sep: sep.join([p, rest[:4], rest[4:]]),
                    st.sampled_from(["138", "139", "150", "186", "199"]),
                    st.text("0123456789", min_size=8, max_size=8), st.sampled_from(["", "-", " "]))
landlines = st.builds(lambda a, b: f"0{a}-{b}", st.text("0123456789", min_size=2, max_size=3),
                      st.text("0123456789", min_size=7, max_size=8))
id_numbers = st.builds(lambda body, check: body + check, st.text("0123456789", min_size=17, max_size=17),
                       st.sampled_from(list("0123456789X")))
names = st.text("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳司马小明华丽伟芳娜敏静", min_size=2, max_size=4)
filler = st.text("客户来电要求回拨处理年费投诉, 。：号码证件", max_size=12)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('mask') / 'journal.db'}")
    yield s
    s.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phone=st.one_of(mobiles, landlines), other=mobiles, idn=id_numbers, name=names, fill=filler,
       role=st.sampled_from(["floor_supervisor", "duty_lead", "manager"]), wall=st.booleans())
def test_a_masked_drill_down_never_shows_full_customer_data(
    qtbot, store: Store, phone: str, other: str, idn: str, name: str, fill: str, role: str, wall: bool,  # type: ignore[no-untyped-def]
) -> None:
    n = next(_counter)
    case_id, call_id, esc_id = f"case-m{n}", f"c-m{n}", f"e-m{n}"
    customer = {"id": f"k-{n}", "name": name, "phone": phone, "segment": "standard"}
    case = {"case_id": case_id, "category": "complaint", "subject": f"{fill}{phone}{fill}", "status": "open",
            "opened_at": timeutil.fmt(at(0)), "customer": customer, "call_ids": [call_id],
            "notes": [{"at": timeutil.fmt(at(5)), "by": "坐席", "text": f"身份证{idn}，备用电话 {other}"}]}
    s = Stream()
    events = [
        s.msg("case.opened", {"case": case}, at(0)),
        s.msg("call.queued", {"contact": {**contact(call_id, "credit_card", at(1), case_id=case_id),
                                          "customer": customer}}, at(1)),
        s.msg("escalation.opened", {"escalation": {
            "escalation_id": esc_id, "case_id": case_id, "department": "it", "owner": person("s-1", "李雷"),
            "severity": "high", "status": "open", "opened_at": timeutil.fmt(at(10)),
            "due_at": timeutil.fmt(at(7200)), "summary": f"{fill} 证件 {idn} 电话{phone}"}}, at(10)),
        s.msg("escalation.reassigned", {"escalation_id": esc_id, "from_owner": person("s-1", "李雷"),
                                        "to_owner": person("s-2", "韩梅梅"), "by": person("u-1", "值班长"),
                                        "reason": f"客户 {other} 要求", "at": timeutil.fmt(at(20))}, at(20)),
        s.msg("escalation.resolved", {"escalation_id": esc_id, "at": timeutil.fmt(at(30)),
                                      "resolution": f"已回电 {phone}"}, at(30)),
    ]
    store.append([journal_row(f"E{n}", ev, raw) for ev, raw in zip(events, s.raw, strict=True)])
    d = CaseDialog(case_id, store, None, role, True, {"id": "u-1", "name": "值班长", "role": role}, None, wall=wall)
    try:
        text = visible_text(d)
        assert d.masked
        assert not contains_unmasked_number(text, [phone, other, idn]), text
        if len(name) >= 2:
            assert name not in text
    finally:
        # one dialog per example, gone before the next (hypothesis may run hundreds while shrinking)
        d.close()
        d.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
