from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from supervisor.masking import contains_unmasked_number, mask_id_number, mask_name, mask_phone, mask_text


def test_examples() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "+861******5678"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"  # keeping the last character would show the whole name
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("John Smith") == "J*** S****"
    assert mask_id_number("110101199003074512") == "110***********4512"
    assert mask_text("客户来电 13812345678，身份证 11010119900307451X，要求回电") == \
        "客户来电 138****5678，身份证 110***********451X，要求回电"
    assert mask_text("2026-11-22 09:15 回访 138 1234 5678") == "2026-11-22 09:15 回访 138****5678"
    assert mask_text("tel13812345678") == "tel138****5678"
    assert mask_name("") == mask_phone("") == ""


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
