"""Masking of customer data (names, phone, identity and bank card numbers) for display and export.

Identity and customer data are protected by law: every presentation layer (tables,
wall display, default exports) goes through these functions; only an explicit,
audited reveal shows the raw value. Core code: no Qt.

Formats
-------
- Names keep the family name (the first character) and, for names of three characters
  or more, the last one: 张三 → 张*, 张三丰 → 张*丰, 欧阳小明 → 欧**明. A two-character
  name never keeps its last character, or the "mask" would show the whole name. Latin
  names keep the first letter of each word: John Smith → J*** S****, John → J***.
- Mobile phones keep the first three and last four digits: 138****5678; a country code
  stays as it is (+86 138****5678). Landlines and other 7-10 digit numbers keep the last four.
- Identity numbers (18 characters, the last may be X) keep the first three and last four:
  110***********4512.
- Bank card numbers (16-19 digits) keep the first six (the issuer's BIN) and the last four,
  the PCI DSS / UnionPay display form: 622202******1234.

Free text (``mask_free_text``; ``mask_text`` is the same function)
------------------------------------------------------------------
Notes, subjects, summaries and reasons are masked in place: each masked digit becomes
``*`` and everything else (separators, full-width digits left visible, surrounding
words) stays where it was, so ``138-1234-5678`` → ``138-****-5678`` and
``１３８１２３４５６７８`` → ``１３８****５６７８``; the length never changes.

- A *number* is a run of digit groups joined by one to three separators: spaces (ideographic
  and no-break ones too), hyphens and dashes, dots, ``。``, ``/``, ``·``, in half or full
  width. Full-width (and any other Unicode decimal) digits are read as ASCII ones; an ID's
  check character X may end a group. Commas (``，`` and ``,``) do not join: they are clause
  breaks and thousands separators.
- Phones (1[3-9] and 9 digits, optionally after 86 / 0086), identity numbers (18 characters
  with a plausible birth date) and cards ([3-69] and 15-18 digits) are recognised when they
  start and end on group boundaries, and masked in the formats above.
- Any other stretch of 7 or more digits is masked like a phone (first 3 + last 4 kept when
  it has 11 or more digits, else the last 4): landlines, unrecognised ID or account numbers,
  numbers glued to other digits (913812345678 → 913*****5678).
- Readable on purpose: dates (2026-11-22, 2026/11/22, 2026.11.22, 20261122, 2026年11月22日),
  times (09:15:02), amounts with a currency (¥5,000.00, 12,345.67元, 1234567.89元, RMB 500;
  at most ten integer digits), IPv4 addresses, protocol ids (case-…, c-…, e-…, a-…, r-…,
  s-…, u-…; not a customer's k-…) and short numbers (up to six digits).
- Short codes are sensitive when labelled: the 3-8 digits after 验证码 / 校验码 / 动态码 /
  短信码 / 密码 / 安全码 / PIN / OTP / CVV / CVC / CVN are masked entirely (验证码 ******).
  An unlabelled six-digit number is not masked: it cannot be told from an amount, a count
  or a staff number, and a one-time code is worthless minutes later.
- The customer's known names are masked wherever they occur (whitespace between the
  characters allowed; Latin names case-insensitively): the full name in the name format
  above, a Chinese given name of two or more characters (三丰 of 张三丰, 小明 of 欧阳小明)
  entirely, and each word of two or more letters of a Latin name, as a whole word. A
  one-character given name is left alone: masking every 三 or 明 in a note would ruin it.

Guarantee (tests/core/test_masking_properties.py): within every number as defined above,
the digits left visible never contain a phone, an ID (its first 17 digits) or a card (its
first 16 digits) that the number's digits contained, whatever separators, widths or
neighbouring digits it was written with. A last check enforces it, also against readable
tokens: digits that would spell one (a year followed by a phone's first three digits,
1999-01-01 130…; an amount of 130000000.00元) are masked, the visible ends of a recognised
number first. The result is a fixed point: masking masked text changes nothing (the digits
a mask leaves beside its '*'s are never taken for a new number).

Not covered: numbers written in Chinese numerals (一三八…), joined by commas, or spread
over words (138 转 1234 转 5678 is three short numbers).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

MASK = "*"

# --- normalisation: one character in, one character out, so positions stay valid --------

_FOLD: dict[int, str] = {0xFF10 + i: str(i) for i in range(10)}  # ０-９
_FOLD.update({ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2007\u2009\u200a\u200b\u202f"})
_FOLD.update({ord(c): "-" for c in "\uff0d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u30fc"})
_FOLD.update({ord(c): "." for c in "\uff0e"})  # ．
_FOLD.update({ord(c): " " for c in "\u3002\uff61"})  # 。｡ join digits like a space, never a decimal point
_FOLD.update({ord(c): "·" for c in "\u30fb\uff65\u2022"})  # ・･•
_FOLD.update({ord("／"): "/", ord("＋"): "+", ord("Ｘ"): "X", ord("ｘ"): "x", ord("＊"): MASK,
              ord("："): ":", ord("￥"): "¥"})  # not "，": a clause break, never a thousands separator
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")  # a digit, but not 0-9


def _fold(text: str) -> str:
    """Full-width (and any other Unicode decimal) digits and separators as ASCII, 1:1."""
    if text.isascii():
        return text
    folded = text.translate(_FOLD) if _FOLDABLE.search(text) else text
    if _NON_ASCII_DIGIT.search(folded):
        folded = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), folded)
    return folded


_SEP = r" \t\-./·"
_GROUP = r"[0-9]+(?:[Xx](?![A-Za-z0-9]))?"
_NUMBER = re.compile(rf"{_GROUP}(?:[{_SEP}]{{1,3}}{_GROUP})*")
_GROUP_IN_NUMBER = re.compile(r"[0-9]+[Xx]?")
_STAR_BEFORE = re.compile(rf"\*[{_SEP}]{{0,3}}$")
_STAR_AFTER = re.compile(rf"[{_SEP}]{{0,3}}\*")

_PHONE = re.compile(r"1[3-9][0-9]{9}")
_DATE8 = r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID18 = re.compile(rf"[1-9][0-9]{{5}}{_DATE8}[0-9]{{3}}[0-9Xx]")
_ID17 = re.compile(rf"[1-9][0-9]{{5}}{_DATE8}[0-9]{{3}}")  # an ID's digits when its check is X
_CARD = re.compile(r"[3-69][0-9]{15,18}")
_CARD16 = re.compile(r"[3-69][0-9]{15}")
_MIN_DIGITS = 7  # shorter numbers stay readable
_FRAGMENT = 7  # the most digits a masked number shows on one side of its '*'s (0086138****)

# Readable on purpose (only where no phone, ID or card number was recognised).
_PROTECTED = re.compile(
    r"(?<![0-9])(?:18|19|20)[0-9]{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"  # date
    rf"|(?<![0-9]){_DATE8}(?:(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9])?)?(?![0-9])"  # 20261122[0915[02]]
    r"|(?<![0-9])(?:[01]?[0-9]|2[0-3])(?=:[0-5][0-9])"  # the hour of 09:15
    r"|(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9]|\.[0-9])"  # IPv4
    r"|(?:[¥$€£]|(?<![A-Za-z])(?:RMB|CNY|USD|HKD|EUR))\s?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,10})(?:\.[0-9]{1,2})?(?![0-9])"
    r"|(?<![0-9])(?<![0-9][.,])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,10})(?:\.[0-9]{1,2})?\s?(?=[元圆块万亿]|(?:RMB|CNY|USD|HKD|EUR|yuan)(?![A-Za-z]))"
    r"|(?<![A-Za-z0-9])(?:case|c|e|a|r|s|u)-[0-9]{1,16}(?![0-9])",
)
_MAY_BE_READABLE = re.compile(r"[-/.:¥$€£元圆块万亿*A-Za-z]")  # a character _PROTECTED needs, or '*'
_CODE = re.compile(
    r"(?:验证码|校验码|动态码|动态密码|短信码|密码|安全码|(?<![A-Za-z])(?i:PIN|OTP|CVV2?|CVC2?|CVN2?)(?![A-Za-z]))"
    r"[^0-9\n]{0,4}?(?<![0-9])([0-9]{3,8})(?![0-9]|[-/.:][0-9])",
)
_ANY_DIGIT = re.compile(r"\d")
_CODE_HINT = re.compile(r"(?i)pin|otp|cv[vcn]")


def _mask_number(folded: str, start: int, end: int, hide: list[int]) -> None:
    """Append to ``hide`` the positions to mask within the number folded[start:end]."""
    spans = [g.span() for g in _GROUP_IN_NUMBER.finditer(folded, start, end)]
    pos = [p for gs, ge in spans for p in range(gs, ge)]
    n = len(pos)
    if n < _MIN_DIGITS:
        return
    s = "".join(folded[gs:ge] for gs, ge in spans)
    starts: list[int] = []  # stream index where each group starts
    ends: set[int] = set()  # stream index just past each group
    k = 0
    for gs, ge in spans:
        starts.append(k)
        k += ge - gs
        ends.add(k)
    masked = bytearray(n)
    taken = bytearray(n)

    # 1. phones, IDs and cards that start and end on group boundaries, not on a date, time,
    #    amount or id (step 3 still catches one of those that spells a number). Where they
    #    overlap, the choice covering the most digits wins: 1300 3000 0000 0000 0000 is a
    #    short number and a card, not a phone (1300 3000000) and leftovers.
    skip = _readable(folded, start, end, spans)
    group_at = {k: g for g, k in enumerate(starts)}
    found: list[list[tuple[int, int, int]]] = []  # per group: (length, first masked, end of masked)
    for i in starts:
        here: list[tuple[int, int, int]] = []
        found.append(here)
        if skip[pos[i] - start]:
            continue
        if i + 18 in ends and _ID18.fullmatch(s, i, i + 18):
            here.append((18, i + 3, i + 14))
        if s[i] in "34569":
            for length in (19, 18, 17, 16):
                if i + length in ends and _CARD.fullmatch(s, i, i + length):
                    here.append((length, i + 6, i + length - 4))
        if s[i] in "018":
            for cc in ("", "86", "0086"):
                j = i + len(cc)
                if j + 11 in ends and s.startswith(cc, i) and _PHONE.fullmatch(s, j, j + 11):
                    here.append((j + 11 - i, j + 3, j + 7))
    if any(found):
        groups = len(starts)
        best = [0] * (groups + 1)  # the most digits recognised from group g on
        pick: list[tuple[int, int, int] | None] = [None] * groups
        for g in range(groups - 1, -1, -1):
            best[g] = best[g + 1]
            i = starts[g]
            for cand in found[g]:
                covered = cand[0] + best[group_at.get(i + cand[0], groups)]
                if covered > best[g] or (covered == best[g] and pick[g] is None):
                    best[g], pick[g] = covered, cand
        g = 0
        while g < groups:
            chosen = pick[g]
            if chosen is None:  # skipping this group recognises as much
                g += 1
                continue
            length, m0, m1 = chosen
            i = starts[g]
            taken[i:i + length] = b"\x01" * length
            masked[m0:m1] = b"\x01" * (m1 - m0)
            g = group_at.get(i + length, groups)

    # 2. any other stretch of 7+ digits, unless readable on purpose
    if n - sum(taken) >= _MIN_DIGITS:
        run: list[int] = []
        for k in range(n + 1):
            if k < n and not taken[k] and not skip[pos[k] - start]:
                run.append(k)
                continue
            if len(run) >= _MIN_DIGITS:
                for r in (run[3:-4] if len(run) >= 11 else run[:-4]):
                    masked[r] = 1
            run = []

    # 3. last check: no phone / ID / card of the original may survive among the visible digits
    # (a year before a phone's first digits can spell one). Mask what would show of it: the
    # visible ends of recognised numbers, else digits not readable on purpose, else its middle.
    if n - sum(masked) >= 11:
        digits = s.replace("X", "").replace("x", "")
        for _ in range(n):
            vis = [k for k in range(n) if not masked[k] and s[k] not in "Xx"]
            hit = _leak(digits, "".join(s[k] for k in vis)) if len(vis) >= 11 else None
            if hit is None:
                break
            occurrence = vis[hit[0]:hit[0] + hit[1]]
            for k in ([k for k in occurrence if taken[k]]  # a masked number's visible ends
                      or [k for k in occurrence if not skip[pos[k] - start]]
                      or occurrence[3:-4]):
                masked[k] = 1

    hide.extend(pos[k] for k in range(n) if masked[k])


def _readable(folded: str, start: int, end: int, spans: list[tuple[int, int]]) -> bytearray:
    """Per position of folded[start:end]: 1 where readable on purpose or already masked."""
    skip = bytearray(end - start)
    lo, hi = max(0, start - 6), min(len(folded), end + 8)
    if not _MAY_BE_READABLE.search(folded, lo, hi) and all(ge - gs not in (8, 12, 14) for gs, ge in spans):
        return skip  # no date, time, amount or id can be here: the common case, made cheap
    for p in _PROTECTED.finditer(folded, lo, hi):
        a, b = max(p.start(), start) - start, min(p.end(), end) - start
        if a < b:
            skip[a:b] = b"\x01" * (b - a)
    if MASK in folded:  # up to seven digits beside a '*': what a masked number shows of itself
        if _STAR_BEFORE.search(folded, max(0, start - 4), start):
            _mark_digits(skip, start, spans, _FRAGMENT)
        if _STAR_AFTER.match(folded, end, end + 4):
            _mark_digits(skip, start, spans[::-1], _FRAGMENT, from_end=True)
    return skip


def _mark_digits(skip: bytearray, start: int, spans: list[tuple[int, int]], count: int,
                 from_end: bool = False) -> None:
    for gs, ge in spans:
        take = min(count, ge - gs)
        a, b = (ge - take, ge) if from_end else (gs, gs + take)
        skip[a - start:b - start] = b"\x01" * take
        count -= take
        if not count:
            return


def _leak(digits: str, visible: str) -> tuple[int, int] | None:
    """Where a phone, ID (17 digits) or card (16) of ``digits`` shows in ``visible``, if it does."""
    for i in range(len(digits) - 10):
        for length, pattern in ((11, _PHONE), (16, _CARD16), (17, _ID17)):
            w = digits[i:i + length]
            if len(w) == length and pattern.fullmatch(w):
                at = visible.find(w)
                if at >= 0:
                    return at, length
    return None


def _mask_numbers(text: str) -> str:
    if not _ANY_DIGIT.search(text):
        return text
    folded = _fold(text)
    hide: list[int] = []
    for m in _NUMBER.finditer(folded):
        if m.end() - m.start() >= _MIN_DIGITS:
            _mask_number(folded, m.start(), m.end(), hide)
    if "码" in folded or _CODE_HINT.search(folded):
        for c in _CODE.finditer(folded):
            hide.extend(range(c.start(1), c.end(1)))
    if not hide:
        return text
    chars = list(text)
    for p in hide:
        chars[p] = MASK
    return "".join(chars)


# --- names ---------------------------------------------------------------------------------

_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 端木 西门 南宫 轩辕 "
    "独孤 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 闻人 赫连 万俟 呼延 百里 东郭 第五".split())
_LATIN = re.compile(r"[A-Za-z]")
_SPACES = r"[^\S\n]+"  # spaces inside a name, not a line break
_SPACE_OPT = r"[^\S\n]*"


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰; Latin names keep initials: John Smith → J*** S****."""
    name = name.strip()
    if not name:
        return ""
    if _LATIN.search(name):
        return " ".join(_mask_word(part) for part in name.split())
    name = "".join(name.split())
    if len(name) == 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def _mask_word(word: str) -> str:
    return word[0] + MASK * (len(word) - 1) if word else word


def _mask_matched_name(match: re.Match[str]) -> str:
    """The matched full name masked in place, whitespace inside it kept."""
    text = match.group(0)
    idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    keep = {idx[0]} if len(idx) == 2 else {idx[0], idx[-1]}
    return "".join(ch if i in keep or ch.isspace() else MASK for i, ch in enumerate(text))


def _mask_matched_words(match: re.Match[str]) -> str:
    return re.sub(r"\S+", lambda w: _mask_word(w.group(0)), match.group(0))


def _mask_all(match: re.Match[str]) -> str:
    return "".join(ch if ch.isspace() else MASK for ch in match.group(0))


@functools.lru_cache(maxsize=256)
def _name_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[int, ...]]:
    """One alternation of the names' writings, longest first, and per alternative how to mask
    it: 0 the name format, 1 initials (Latin), 2 every character (a Chinese given name)."""
    found: dict[str, tuple[str, int]] = {}
    for raw in names:
        name = raw.strip()
        if not name or MASK in name:
            continue  # empty, or already masked upstream
        if _LATIN.search(name):
            words = name.split()
            edge_l, edge_r = r"(?<![A-Za-z])", r"(?![A-Za-z])"
            joined = _SPACES.join(map(re.escape, words))
            found.setdefault(name.lower(), (f"(?i:{joined})", 1))  # glued to other letters too
            for w in words:
                if len(w) >= 2:
                    found.setdefault(w.lower(), (f"(?i:{edge_l}{re.escape(w)}{edge_r})", 1))
            continue
        chars = [ch for ch in name if not ch.isspace()]
        if len(chars) < 2:
            continue  # one character: would mask every occurrence of a common character
        found.setdefault("".join(chars), (_SPACE_OPT.join(map(re.escape, chars)), 0))
        surname = 2 if len(chars) >= 4 and "".join(chars[:2]) in _COMPOUND_SURNAMES else 1
        given = chars[surname:]
        if len(chars) >= 3 and len(given) >= 2:
            found.setdefault("".join(given), (_SPACE_OPT.join(map(re.escape, given)), 2))
    if not found:
        return None, ()
    ordered = sorted(found.items(), key=lambda kv: -len(kv[0]))
    pattern = re.compile("|".join(f"({regex})" for _, (regex, _) in ordered))
    return pattern, tuple(how for _, (_, how) in ordered)


_HOW = (_mask_matched_name, _mask_matched_words, _mask_all)


def _mask_names(text: str, names: tuple[str, ...]) -> str:
    pattern, hows = _name_pattern(names)
    if pattern is None:
        return text
    return pattern.sub(lambda m: _HOW[hows[(m.lastindex or 1) - 1]](m), text)


# --- public API ------------------------------------------------------------------------------


def _masked_already(value: str, visible: int) -> bool:
    """A value that shows a mask and no more digits than its masked form would: masking
    it again must not change it (a record masked on the wire, masked again on screen)."""
    folded = _fold(value)
    return MASK in folded and sum(ch.isdigit() for ch in folded) <= visible


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678: the first three and last four digits of 11+ digit numbers.

    A mobile number after +86 / 0086 keeps its country code: +86 138-1234-5678 → +86 138****5678.
    Landlines (7-10 digits) keep the last four, shorter numbers the last two.
    Separators are dropped; full-width digits are read as ASCII ones.
    """
    head = _fold(phone).lstrip()
    for cc in ("+86", "0086"):  # a country code is no part of what the mask hides
        if head.startswith(cc):
            head = head[len(cc):]
            break
    if _masked_already(head, 7):
        return phone
    folded = _fold(phone).strip()
    digits = "".join(ch for ch in folded if ch.isdigit())
    n = len(digits)
    if n == 0:
        return ""
    for cc in ("86", "0086"):
        if n == len(cc) + 11 and digits.startswith(cc) and _PHONE.fullmatch(digits, len(cc)):
            return "+86 " + mask_phone(digits[len(cc):])
    prefix = "+" if folded.startswith("+") else ""
    if n >= 11:
        return prefix + digits[:3] + MASK * (n - 7) + digits[-4:]
    if n >= 7:
        return prefix + MASK * (n - 4) + digits[-4:]
    return MASK * max(0, n - 2) + digits[-2:]


def mask_id_number(value: str) -> str:
    """Identity numbers (18-digit 身份证 and the like): 110101199003074512 → 110***********4512."""
    if _masked_already(value, 7):
        return value
    value = "".join(ch for ch in _fold(value) if ch not in _SEP)
    n = len(value)
    if n == 0:
        return ""
    if n >= 15:
        return value[:3] + MASK * (n - 7) + value[-4:]
    if n >= 8:
        return value[:2] + MASK * (n - 4) + value[-2:]
    return MASK * n


def mask_card_number(value: str) -> str:
    """Bank cards keep the BIN and the last four: 6222021234561234 → 622202******1234."""
    if _masked_already(value, 10):
        return value
    digits = "".join(ch for ch in _fold(value) if ch.isdigit())
    n = len(digits)
    if n >= 13:
        return digits[:6] + MASK * (n - 10) + digits[-4:]
    if n >= 7:
        return MASK * (n - 4) + digits[-4:]
    return MASK * n


def mask_free_text(text: str, known_names: Iterable[str] = ()) -> str:
    """Free text (notes, subjects, summaries, reasons) with its numbers and names masked in place.

    See the module docstring for what is masked and what stays readable on purpose.
    ``known_names``: the customer's name(s), masked wherever they occur in the text.
    """
    if not text:
        return text
    names = tuple(n for n in known_names if n)
    out = _once(text, names)
    # A fixed point, so masking masked text changes nothing: each pass only turns characters
    # into '*', and a second one almost never finds anything.
    while out != text:
        text, out = out, _once(out, names)
    return out


def _once(text: str, names: tuple[str, ...]) -> str:
    text = _mask_numbers(text)
    return _mask_names(text, names) if names else text


def mask_text(text: str, known_names: Iterable[str] = ()) -> str:
    """Free text (subjects, notes): ``mask_free_text``."""
    return mask_free_text(text, known_names)


def contains_unmasked_number(text: str, numbers: list[str] | tuple[str, ...]) -> bool:
    """True when any of the full numbers (phones, ID numbers) appears in the text.

    Separators (spaces, hyphens, dots, slashes) are ignored and full-width digits read as
    ASCII ones, on both sides.
    """
    flat = _flat(text)
    return any(len(f) >= 7 and f in flat for f in map(_flat, numbers) if f)


def _flat(value: str) -> str:
    return re.sub(rf"[{_SEP}]", "", _fold(value)).upper()
