"""Chinese personal names and mobile numbers for simulated customers, agents and staff.

Surnames are weighted roughly by their frequency in China, so a floor of 60 agents has
several 王 and 李 and the odd 欧阳, as a real one would.
"""

from __future__ import annotations

import random
from typing import Final

# (surname, weight): the common surnames with approximate relative frequency.
_SURNAMES: Final = (
    ("王", 72), ("李", 70), ("张", 66), ("刘", 54), ("陈", 47), ("杨", 33), ("黄", 24),
    ("赵", 22), ("吴", 21), ("周", 20), ("徐", 17), ("孙", 16), ("马", 15), ("朱", 14),
    ("胡", 13), ("郭", 13), ("何", 12), ("林", 12), ("高", 11), ("罗", 11), ("郑", 10),
    ("梁", 10), ("谢", 8), ("宋", 8), ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7),
    ("曹", 7), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 6), ("董", 6), ("潘", 5), ("袁", 5),
    ("蔡", 5), ("蒋", 5), ("余", 5), ("于", 5), ("杜", 5), ("叶", 5), ("程", 5), ("魏", 4),
    ("苏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("卢", 4), ("姚", 4), ("沈", 4), ("钟", 4),
    ("姜", 4), ("崔", 4), ("谭", 4), ("陆", 3), ("范", 3), ("汪", 3), ("廖", 3), ("石", 3),
    ("金", 3), ("贾", 3), ("夏", 3), ("方", 3), ("邹", 3), ("熊", 3), ("白", 3), ("孟", 3),
    ("秦", 3), ("邱", 3), ("侯", 3), ("江", 3), ("尹", 3), ("薛", 2), ("段", 2), ("雷", 2),
    ("龙", 2), ("史", 2), ("陶", 2), ("贺", 2), ("毛", 2), ("郝", 2), ("顾", 2), ("龚", 2),
    ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("欧阳", 1), ("司马", 1), ("上官", 1), ("诸葛", 1),
)
_SURNAME_LIST: Final = tuple(s for s, _ in _SURNAMES)
_SURNAME_CUM: Final = tuple(
    sum(w for _, w in _SURNAMES[: i + 1]) for i in range(len(_SURNAMES))
)

_GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环"
    "雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡"
    "婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育"
    "滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽峰斌波辉鹏飞鑫浩宇轩博文俊晨昊然子"
    "涵睿泽"
)
_GIVEN_CHARS: Final = tuple(dict.fromkeys(_GIVEN))  # de-duplicated, order kept

# Mobile prefixes in use in China (13x-19x).
_MOBILE_SECOND: Final = "3456789"


def person_name(rng: random.Random) -> str:
    """A plausible Chinese full name: surname plus one or two given-name characters."""
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    if rng.random() < 0.3:
        return surname + rng.choice(_GIVEN_CHARS)
    return surname + rng.choice(_GIVEN_CHARS) + rng.choice(_GIVEN_CHARS)


def unique_names(rng: random.Random, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` distinct names (staff lists must not show two identical names)."""
    seen = set() if taken is None else taken
    out: list[str] = []
    while len(out) < count:
        name = person_name(rng)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def mobile_number(rng: random.Random) -> str:
    """An 11-digit mainland mobile number, 1[3-9]xxxxxxxxx."""
    return "1" + rng.choice(_MOBILE_SECOND) + f"{rng.randrange(10**9):09d}"


# A few real six-digit region codes (Beijing, Shanghai, Guangzhou, Shenzhen, Chengdu, Wuhan...).
_REGIONS: Final = ("110101", "110105", "310104", "310115", "440106", "440305", "510107", "420106",
                   "330106", "320102", "370202", "610113")
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"


def id_number(rng: random.Random) -> str:
    """An 18-character resident identity number (GB 11643) with a valid check character."""
    year = rng.randrange(1950, 2006)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 29)
    body = f"{rng.choice(_REGIONS)}{year:04d}{month:02d}{day:02d}{rng.randrange(1000):03d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]
    return body + check
