"""Masking of customer data (names, phone numbers, identity numbers) for display and export.

Identity and customer data are protected by law: every presentation layer (tables,
wall display, default exports) goes through these functions; only an explicit,
audited reveal shows the raw value.

Names keep the family name (the first character) and, for names of three characters
or more, the last one: 张三 → 张*, 张三丰 → 张*丰, 欧阳小明 → 欧**明. A two-character
name never keeps its last character, or the "mask" would show the whole name.
"""

from __future__ import annotations

import re

MASK = "*"

# Runs of 7 or more digits (optionally with an ID checksum 'X'), wherever free text has them:
# "tel13812345678" must be masked as surely as "tel 13812345678".
# Groups of 3+ digits joined by single spaces or dashes count as one number, so phone
# formats (138-1234-5678) are caught but dates (2026-11-22) are left alone.
_DIGIT_RUN = re.compile(r"\+?[0-9]{2,}(?:[\- ]?[0-9]{3,})*[Xx]?")


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰; Latin names keep initials: John Smith → J*** S****."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(_mask_word(part) for part in name.split())
    if len(name) == 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def _mask_word(word: str) -> str:
    return word[0] + MASK * (len(word) - 1) if word else word


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678: the first three and last four digits of 11+ digit numbers.

    Landlines (7-10 digits) keep the last four, shorter numbers the last two.
    Separators are dropped.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    prefix = "+" if phone.strip().startswith("+") else ""
    n = len(digits)
    if n == 0:
        return ""
    if n >= 11:
        return prefix + digits[:3] + MASK * (n - 7) + digits[-4:]
    if n >= 7:
        return prefix + MASK * (n - 4) + digits[-4:]
    return MASK * max(0, n - 2) + digits[-2:]


def mask_id_number(value: str) -> str:
    """Identity numbers (18-digit 身份证 and the like): 110101199003074512 → 110***********4512."""
    value = value.strip()
    n = len(value)
    if n == 0:
        return ""
    if n >= 15:
        return value[:3] + MASK * (n - 7) + value[-4:]
    if n >= 8:
        return value[:2] + MASK * (n - 4) + value[-2:]
    return MASK * n


def mask_text(text: str) -> str:
    """Free text (subjects, notes): every run of 7+ digits is masked as a phone or ID number."""

    def repl(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = "".join(ch for ch in raw if ch.isdigit() or ch in "Xx")
        if len(digits) < 7:
            return raw
        if len(digits) >= 15:
            return mask_id_number(digits)
        return mask_phone(raw)

    return _DIGIT_RUN.sub(repl, text)


def contains_unmasked_number(text: str, numbers: list[str] | tuple[str, ...]) -> bool:
    """True when any of the full numbers (phones, ID numbers) appears in the text, separators ignored."""
    flat = re.sub(r"[\s\-]", "", text)
    return any(n and re.sub(r"[\s\-]", "", n) in flat for n in numbers if len(n) >= 7)
