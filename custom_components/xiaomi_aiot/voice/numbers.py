"""Chinese numerals: 二十六, 二十六点五, 百分之三十, 两, 十 and mixed forms such as 26度."""

from __future__ import annotations

import re
from typing import Final

DIGITS: Final = {
    "零": 0,
    "\u3007": 0,  # ideographic zero
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS: Final = {"十": 10, "百": 100, "千": 1000}
TEN_THOUSAND: Final = "万"

_DIGIT_CHARS = "零\u3007一二两三四五六七八九"
_NUMERAL = _DIGIT_CHARS + "十百千万0-9"
_NUMBER_RE: Final = re.compile(rf"(百分之)?([{_NUMERAL}]+)(?:点([{_DIGIT_CHARS}0-9]+))?")
_WORDS_WITH_ONE: Final = re.compile(
    rf"^一(?=点(?![{_DIGIT_CHARS}0-9])|些|会|下|起|样|直|共|切|般|句|个|声|遍)"
)
"""一 that is a word, not a number: 一点 (a little), 一些, 一下, 一起…"""


def parse_integer(text: str) -> int | None:
    """The value of an integer in Chinese numerals, Arabic digits or both; None if not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if len(text) > 1 and all(char in DIGITS for char in text):
        return int("".join(str(DIGITS[char]) for char in text))  # read digit by digit: 二零二五
    total = section = digit = 0
    seen = False
    index = 0
    while index < len(text):
        char = text[index]
        if char.isdigit():
            start = index
            while index < len(text) and text[index].isdigit():
                index += 1
            digit = int(text[start:index])
            seen = True
            continue
        if char in DIGITS:
            digit = DIGITS[char]
            seen = True
        elif char in UNITS:
            section += (digit if seen else 1) * UNITS[char]
            digit, seen = 0, False
        elif char == TEN_THOUSAND:
            total += (section + digit) * 10000
            section = digit = 0
            seen = False
        else:
            return None
        index += 1
    return total + section + digit


def parse_number(text: str) -> float | None:
    """The value of a Chinese number: 二十六点五 -> 26.5, 百分之三十 -> 30, 两 -> 2."""
    text = text.strip().removeprefix("百分之").removesuffix("%")
    whole, _, fraction = text.partition("点")
    integer = parse_integer(whole)
    if integer is None:
        return None
    if not fraction:
        return float(integer)
    digits = "".join(str(DIGITS.get(char, char)) for char in fraction)
    if not digits.isdigit():
        return None
    return float(f"{integer}.{digits}")


def format_number(value: float) -> str:
    """A number as digits, without a trailing .0: 26.0 -> 26, 26.5 -> 26.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def replace_numerals(text: str) -> str:
    """Write every number in a Chinese sentence in digits: 调到二十六点五度 -> 调到26.5度.

    百分之三十 becomes 30%; words that merely contain 一 (一点 for "a little", 一些, 一起)
    are left alone.
    """

    def replace(match: re.Match[str]) -> str:
        percent, whole, fraction = match.groups()
        if not percent and not fraction and _WORDS_WITH_ONE.match(text[match.start() :]):
            return match.group(0)
        if (
            whole == "一"
            and match.start() > 0
            and text[match.start() - 1 : match.start()] == (text[match.end() : match.end() + 1])
        ):
            return match.group(0)  # a verb said twice: 找一找, 响一响
        if whole.isdigit() and not percent and fraction is None:
            return whole
        value = parse_number(f"{whole}点{fraction}" if fraction else whole)
        if value is None:
            return match.group(0)
        return format_number(value) + ("%" if percent else "")

    return _NUMBER_RE.sub(replace, text)
