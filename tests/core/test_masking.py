"""Masking by example: every writing of a phone, ID or card number the issue lists, names,
and what stays readable on purpose. Properties: tests/core/test_masking_properties.py."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisor.masking import (
    contains_unmasked_number,
    mask_card_number,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)


def test_fields() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "+86 138****5678"  # the country code is no secret
    assert mask_phone("0086 13812345678") == "+86 138****5678"
    assert mask_phone("１３８１２３４５６７８") == "138****5678"
    assert mask_phone("010-12345678") == "010****5678"
    assert mask_phone("12345678") == "****5678"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"  # keeping the last character would show the whole name
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("张 三") == "张*"
    assert mask_name("John Smith") == "J*** S****"
    assert mask_name("John") == "J***"
    assert mask_id_number("110101199003074512") == "110***********4512"
    assert mask_id_number("110101 19900307 451X") == "110***********451X"
    assert mask_card_number("6222021234561234") == "622202******1234"
    assert mask_card_number("6222 0212 3456 1234 567") == "622202*********4567"
    assert mask_name("") == mask_phone("") == mask_id_number("") == ""


ISSUE = [  # the writings the issue reports as passing unmasked, and their masked form
    ("回电 138.1234.5678", "回电 138.****.5678"),
    ("回电 138 1234 5678", "回电 138 **** 5678"),
    ("回电 138-1234-5678", "回电 138-****-5678"),
    ("回电 １３８１２３４５６７８", "回电 １３８****５６７８"),
]

WRITINGS = [
    ("客户来电 13812345678，身份证 11010119900307451X，要求回电",
     "客户来电 138****5678，身份证 110***********451X，要求回电"),
    ("tel13812345678", "tel138****5678"),
    ("138 - 1234 - 5678", "138 - **** - 5678"),
    ("138.1234-5678", "138.****-5678"),  # mixed separators
    ("1 3 8 1 2 3 4 5 6 7 8", "1 3 8 * * * * 5 6 7 8"),
    ("１３８－１２３４－５６７８", "１３８－****－５６７８"),  # full-width digits and hyphens
    ("１３８　１２３４　５６７８", "１３８　****　５６７８"),  # ideographic spaces
    ("１３８．１２３４．５６７８", "１３８．****．５６７８"),
    ("138。1234。5678", "138。****。5678"),  # a Chinese keyboard's dot
    ("+86 138 1234 5678", "+86 138 **** 5678"),
    ("+8613812345678", "+86138****5678"),
    ("0086-138-1234-5678", "0086-138-****-5678"),
    ("＋８６ １３８１２３４５６７８", "＋８６ １３８****５６７８"),
    ("身份证 110101199003074512", "身份证 110***********4512"),
    ("身份证 110101 19900307 4512", "身份证 110*** ******** 4512"),
    ("身份证 1101-0119-9003-0745-12", "身份证 110*-****-****-**45-12"),
    ("身份证 １１０１０１１９９００３０７４５１Ｘ", "身份证 １１０***********４５１Ｘ"),
    ("卡号 6222021234561234", "卡号 622202******1234"),
    ("卡号 6222 0212 3456 1234", "卡号 6222 02** **** 1234"),
    ("卡号 6222-0212-3456-1234-567", "卡号 6222-02**-****-***4-567"),  # 19 digits
    ("卡号 4392 2500 1234 5678", "卡号 4392 25** **** 5678"),
    ("两个号码 13812345678 13912345678", "两个号码 138****5678 139****5678"),
    ("13812345678 2026-11-22 回访", "138****5678 2026-11-22 回访"),
    ("卡号 6222021234561234 于 2026/11/22 挂失", "卡号 622202******1234 于 2026/11/22 挂失"),
    ("6222021234561234 2026-11-22", "622202******1234 2026-11-22"),
    ("138 1234 5678 转 123", "138 **** 5678 转 123"),
    ("座机 010-12345678", "座机 010-****5678"),
    ("座机 6552 1234", "座机 **** 1234"),
    ("913812345678", "913*****5678"),  # glued to another digit: masked as a long number
    ("验证码 123456，CVV 123，密码：888888", "验证码 ******，CVV ***，密码：******"),
]

READABLE = [
    "2026-11-22 09:15 回访",
    "2026/11/22 09:15:02",
    "2026.11.22",
    "2026年11月22日 09:15:02",
    "20261122",
    "2026-11-22T09:15:02+08:00",
    "2026-11-22 - 2026-11-23",
    "金额 ¥5,000.00，另 12,345.67元，再 5000元，合计 1234567.89元",
    "RMB 1234567，USD 12,345",
    "case-000123 / case-20261122001 / c-1234567 / e-98765432",
    "满意度 5 分，等待 125 秒，来电 3 次，工号 10086",
    "服务器 172.16.254.1 宕机",
    "密码已重置，2026-11-22 生效",
    "",
]


@pytest.mark.parametrize(("text", "masked"), ISSUE + WRITINGS)
def test_numbers_in_free_text(text: str, masked: str) -> None:
    assert mask_free_text(text) == masked
    assert mask_free_text(masked) == masked  # idempotent


@pytest.mark.parametrize("text", READABLE)
def test_readable_on_purpose(text: str) -> None:
    assert mask_free_text(text) == text


def test_dates_and_amounts_beside_numbers() -> None:
    text = "2026-11-22 09:15 回访 138 1234 5678，金额 ¥5,000.00，卡号 6222 0212 3456 1234（case-000123）"
    assert mask_free_text(text) == \
        "2026-11-22 09:15 回访 138 **** 5678，金额 ¥5,000.00，卡号 6222 02** **** 1234（case-000123）"


@pytest.mark.parametrize(("names", "text", "masked"), [
    (["张三丰"], "客户张三丰来电", "客户张*丰来电"),
    (["张三丰"], "三丰说他是张 三丰本人", "**说他是张 *丰本人"),  # the given name; spaces inside
    (["张三"], "张三说三次", "张*说三次"),  # a one-character given name is left alone
    (["欧阳小明"], "欧阳小明，小明", "欧**明，**"),
    (["John Smith"], "John Smith called; john said Mr SMITH", "J*** S**** called; j*** said Mr S****"),
    (["张三丰", "John Smith"], "张三丰 (John  Smith) 13812345678", "张*丰 (J***  S****) 138****5678"),
    (["张*丰"], "张*丰来电", "张*丰来电"),  # an already masked name is no pattern
])
def test_known_names(names: list[str], text: str, masked: str) -> None:
    assert mask_free_text(text, names) == masked
    assert mask_free_text(masked, names) == masked
    assert mask_text(text, names) == masked


def test_reassignment_reason_summary_subject_note() -> None:
    name, phone = "李建国", "139 0000 1111"
    for text in (f"客户{name}要求换人处理，电话{phone}", f"{name}投诉年费", f"建国称 {phone} 为本人号码"):
        masked = mask_free_text(text, [name])
        assert name not in masked and "建国" not in masked
        assert not contains_unmasked_number(masked, [phone])


def test_contains_unmasked_number_ignores_separators_and_width() -> None:
    assert contains_unmasked_number("电话 138.1234.5678", ["13812345678"])
    assert contains_unmasked_number("电话 １３８ １２３４ ５６７８", ["138-1234-5678"])
    assert not contains_unmasked_number("电话 138****5678", ["13812345678"])
    assert not contains_unmasked_number("电话 138 **** 5678", ["13812345678"])


mobile = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
id_number = st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True)
cjk_name = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=5)


@given(mobile)
def test_a_masked_mobile_never_shows_the_full_number(phone: str) -> None:
    masked = mask_phone(phone)
    assert phone not in masked and len(masked) == 11
    assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:]
    assert sum(ch.isdigit() for ch in masked) == 7


@given(id_number)
def test_a_masked_id_number_keeps_at_most_seven_characters(idn: str) -> None:
    masked = mask_id_number(idn)
    assert idn not in masked and sum(ch != "*" for ch in masked) == 7


@given(cjk_name)
def test_a_masked_name_hides_at_least_half_of_it(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    if len(name) >= 2:
        assert masked != name and masked.count("*") >= len(name) // 2
    if len(name) == 2:
        assert masked == name[0] + "*"


@given(st.lists(st.one_of(mobile, id_number), min_size=1, max_size=4),
       st.lists(st.text(alphabet="请回电客户说明，。 abc", max_size=8), min_size=1, max_size=5))
def test_free_text_never_carries_a_full_number_after_masking(numbers: list[str], fillers: list[str]) -> None:
    parts = []
    for i, n in enumerate(numbers):
        parts.append(fillers[i % len(fillers)])
        parts.append(n)
    text = "".join(parts)
    masked = mask_text(text)
    assert not contains_unmasked_number(masked, numbers)
    assert not re.search(r"\d{8,}", masked)


def test_masking_a_masked_value_again_changes_nothing() -> None:
    """Records come masked on the wire; the screens mask again and must not blur them."""
    from supervisor.masking import mask_card_number, mask_id_number, mask_phone

    for value, mask in (("13812345678", mask_phone), ("+86 138-1234-5678", mask_phone),
                        ("110101199003074512", mask_id_number), ("6222021234561234", mask_card_number)):
        once = mask(value)
        assert mask(once) == once
    assert mask_phone("138****5678") == "138****5678"
    # a value with a mask that still shows too many digits is masked again, not trusted
    assert mask_phone("1381234*5678") == "138*****5678" or "1234" not in mask_phone("1381234*5678")
