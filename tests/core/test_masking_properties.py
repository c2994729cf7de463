"""Properties of free-text masking (supervisor/masking.py), checked on generated text.

The leak property: take any phone (1[3-9] + 9 digits), 18-character ID number (plausible
birth date, check character 0-9 or X) or bank card (16-19 digits from an issuer's 3, 4, 5,
6 or 9), write it with random separators between random digit groups (none, spaces,
dots, hyphens, 。, slashes, full-width ones, mixed), turn random digits full-width, put
+86 / 0086 before a phone, and embed it in random text. After masking, convert the whole
output full-width → ASCII and delete every character that is not a digit: the number's
digits must not appear in what is left. Deleting the masks themselves makes this
stricter than "the number is not in the output": 138****5678 leaves 1385678, and a
masker that kept too many digits around a mask would be caught.

Surrounding text: Chinese, ASCII letters (X included), punctuation, separators and '*',
without digits, so the only digits in the output are the number's; a second property
glues up to four extra digits to either side (directly or across a separator), where the
masker must still hide the number inside a longer run.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor.masking import mask_free_text, mask_name

EXAMPLES = settings(max_examples=500, deadline=None)  # the leak properties
FEWER = settings(max_examples=200, deadline=None)  # costlier to generate, or less at stake

_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_HALF = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def digits_only(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.translate(_HALF))


# --- the numbers ---------------------------------------------------------------------------

def digit_string(length: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10**length - 1).map(lambda n: f"{n:0{length}d}")


phones = st.integers(13 * 10**9, 2 * 10**10 - 1).map(str)
births = st.dates(dt.date(1900, 1, 1), dt.date(2026, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
id_numbers = st.builds(lambda region, birth, seq, check: f"{region}{birth}{seq}{check}",
                       st.integers(100000, 699999), births, digit_string(3), st.sampled_from("0123456789X"))
cards = st.builds(lambda first, rest: first + rest, st.sampled_from("34569"),
                  st.integers(15, 18).flatmap(digit_string))
numbers = st.one_of(phones, id_numbers, cards)

SEPARATORS = [" ", ".", "-", "/", "·", "。", "\u3000", "－", "．", " - ", "  ", ". ", "\t"]


@st.composite
def writings(draw: st.DrawFn, number: str) -> str:
    """The number as a person might type it: random groups, separators, widths, +86."""
    gaps = len(number) - 1
    cut = draw(st.integers(0, 2**gaps - 1))  # bit i: a separator after digit i
    style = draw(st.sampled_from(["none", "one", "mixed"]))
    if style == "none":
        seps = [""] * gaps
    elif style == "one":
        seps = [draw(st.sampled_from(SEPARATORS))] * gaps
    else:  # one draw for all the gaps: generating is what takes the time here, not masking
        pick = random.Random(draw(st.integers(0, 2**32)))
        seps = [pick.choice(["", *SEPARATORS]) for _ in range(gaps)]
    out = number[0] + "".join((seps[i] if cut >> i & 1 else "") + number[i + 1] for i in range(gaps))
    width = draw(st.sampled_from(["half", "full", "random"]))
    if width == "full":
        out = out.translate(_FULL)
    elif width == "random":
        flips = draw(st.integers(0, 2**len(out) - 1))
        out = "".join(ch.translate(_FULL) if flips >> i & 1 else ch for i, ch in enumerate(out))
    if len(number) == 11:
        out = draw(st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86 ", "＋８６", "（+86）"])) + out
    return out


written_numbers = numbers.flatmap(lambda n: st.tuples(st.just(n), writings(n)))

TEXT = "客户来电要求回拨处理年费投诉号码证件电话卡身份张先生说，。：:；()（）!?#@*abcdefghXxMNZ-./ \u3000"
fillers = st.text(alphabet=TEXT, max_size=12)


@EXAMPLES
@given(written_numbers, fillers, fillers)
def test_no_full_number_survives_in_any_writing(written: tuple[str, str], before: str, after: str) -> None:
    number, text = written
    masked = mask_free_text(before + text + after)
    assert digits_only(number) not in digits_only(masked), (before + text + after, masked)


@EXAMPLES
@given(written_numbers, st.text("0123456789", max_size=4), st.text("0123456789", max_size=4),
       st.sampled_from(["", " ", "-", ".", "．"]), st.sampled_from(["", " ", "-", "."]), fillers, fillers)
def test_no_full_number_survives_with_digits_glued_to_it(
    written: tuple[str, str], left: str, right: str, sep_l: str, sep_r: str, before: str, after: str,
) -> None:
    number, text = written
    source = f"{before}{left}{sep_l if left else ''}{text}{sep_r if right else ''}{right}{after}"
    masked = mask_free_text(source)
    assert digits_only(number) not in digits_only(masked), (source, masked)


@FEWER
@given(st.lists(written_numbers, min_size=2, max_size=4),
       st.lists(st.one_of(fillers, st.sampled_from(SEPARATORS)), min_size=3, max_size=5))
def test_several_numbers_in_one_text(written: list[tuple[str, str]], between: list[str]) -> None:
    source = between[0] + "".join(text + between[(i + 1) % len(between)] for i, (_, text) in enumerate(written))
    masked = mask_free_text(source)
    visible = digits_only(masked)
    for number, _ in written:
        assert digits_only(number) not in visible, (source, masked)


# --- what stays readable -------------------------------------------------------------------

dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
times = st.times()
date_texts = st.builds(lambda d, fmt: d.strftime(fmt), dates,
                       st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]))
unpadded = st.builds(lambda d, sep: f"{d.year}{sep}{d.month}{sep}{d.day}", dates, st.sampled_from("-/."))
time_texts = st.builds(lambda t, fmt: t.strftime(fmt), times, st.sampled_from(["%H:%M", "%H:%M:%S"]))
stamps = st.builds(lambda d, t, sep: f"{d.isoformat()}{sep}{t.strftime('%H:%M:%S')}", dates, times,
                   st.sampled_from([" ", "T"]))
# Up to 99,999,999.99: a larger amount written without thousands separators can spell a
# phone number (130000000.00元 reads 13000000000) and is masked as one.
amounts = st.builds(lambda v, fmt: fmt.format(v / 100), st.integers(0, 10**10 - 1),
                    st.sampled_from(["¥{:,.2f}", "￥{:,.2f}", "{:,.2f}元", "{:.2f}元", " RMB {:,.2f}", " USD {:.2f}"]))
whole_amounts = st.builds(lambda v, fmt: fmt.format(v), st.integers(0, 10**10 - 1),
                          st.sampled_from(["{}元", "{:,}元", "¥{}", "{} 元"]))
case_ids = st.integers(0, 10**10 - 1).map(lambda n: f" case-{n:06d}")
short = st.integers(0, 999_999).map(str)
readable = st.one_of(date_texts, unpadded, time_texts, stamps, amounts, whole_amounts, case_ids, short)

# words between tokens: no digits, separators or the labels of a code (密码, PIN, CVV...)
WORDS = "客户来电要求回拨处理年费投诉金额已于日期时间，：；（）!?abcdefghklmrstuwyz"
words = st.text(alphabet=WORDS, min_size=1, max_size=8)


@FEWER
@given(st.lists(st.tuples(words, readable), min_size=1, max_size=5), words)
def test_dates_times_and_amounts_stay_readable(parts: list[tuple[str, str]], end: str) -> None:
    text = "".join(w + r for w, r in parts) + end
    assert mask_free_text(text) == text


@FEWER
@given(st.lists(st.tuples(words, readable), min_size=1, max_size=4), written_numbers,
       st.sampled_from([" ", "，", "、", " 于 "]))
def test_dates_and_amounts_beside_a_number_stay_readable(
    parts: list[tuple[str, str]], written: tuple[str, str], glue: str,
) -> None:
    number, text = written
    head = "".join(w + r for w, r in parts)
    source = head + glue + text + glue + head
    masked = mask_free_text(source)
    assert masked.startswith(head + glue) and masked.endswith(glue + head), (source, masked)
    assert digits_only(number) not in digits_only(masked[len(head) + len(glue):-len(head) - len(glue)])


# --- names ---------------------------------------------------------------------------------

SURNAMES = ["张", "王", "李", "赵", "陈", "刘", "欧阳", "司马", "诸葛"]
GIVEN = "三丰伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华小建国"
chinese_names = st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2))
latin_words = st.from_regex(r"[A-Z][a-z]{1,7}", fullmatch=True)
latin_names = st.builds(lambda a, b: f"{a} {b}", latin_words, latin_words)
name_text = st.text(alphabet="客户来电要求回拨说本人先生女士，。 abcxyz13", max_size=10)


@FEWER
@given(chinese_names, st.lists(name_text, min_size=1, max_size=4), st.sampled_from(["", " "]))
def test_a_known_chinese_name_never_survives(name: str, texts: list[str], inner: str) -> None:
    written = inner.join(name)  # 张三丰 or 张 三 丰
    source = written.join(texts)
    masked = mask_free_text(source, [name])
    flat = re.sub(r"\s", "", masked)
    assert name not in flat, (source, masked)
    surname = 2 if name[:2] in SURNAMES else 1
    given_name = name[surname:]
    if len(name) >= 3 and len(given_name) >= 2:
        assert given_name not in flat, (source, masked)
    assert len(masked) == len(source)


@FEWER
@given(st.text(GIVEN, min_size=1, max_size=1), st.sampled_from(["张", "王", "李"]))
def test_two_character_names_keep_only_the_family_name(given_name: str, surname: str) -> None:
    assert mask_name(surname + given_name) == surname + "*"
    assert mask_free_text(f"客户{surname}{given_name}来电", [surname + given_name]) == f"客户{surname}*来电"


@FEWER
@given(latin_names, st.lists(st.text(alphabet="called said: ,.!abcxyz", max_size=10), min_size=1, max_size=4),
       st.sampled_from([str.lower, str.upper, str.title, lambda s: s]))
def test_a_known_latin_name_never_survives(name: str, texts: list[str], case) -> None:  # type: ignore[no-untyped-def]
    source = case(name).join(texts)
    masked = mask_free_text(source, [name])
    assert name.lower() not in masked.lower(), (source, masked)


# --- masking only masks, and only once -----------------------------------------------------

anything = st.text(alphabet="0123456789０１２３４５６７８９ -.。/·:,¥元X*+客户电话卡号身份证abcxyz张三丰\u3000\n", max_size=60)


@EXAMPLES
@given(anything, st.sampled_from([(), ("张三丰",), ("张三",)]))
def test_masking_only_turns_characters_into_stars_and_is_idempotent(text: str, names: tuple[str, ...]) -> None:
    masked = mask_free_text(text, names)
    assert len(masked) == len(text)
    assert all(a == b or b == "*" for a, b in zip(text, masked, strict=True))
    assert mask_free_text(masked, names) == masked
