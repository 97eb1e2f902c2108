"""Chinese numerals and the normalisation of what was said."""

from __future__ import annotations

import pytest

from custom_components.xiaomi_aiot.voice.numbers import parse_number, replace_numerals
from custom_components.xiaomi_aiot.voice.text import canonical_language, normalize


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十六", 26),
        ("二十六点五", 26.5),
        ("百分之三十", 30),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("一百零八", 108),
        ("三万二千", 32000),
        ("一千零五", 1005),
        ("26", 26),
        ("二零二五", 2025),
        ("零点五", 0.5),
    ],
)
def test_chinese_numbers_are_read(text: str, value: float) -> None:
    """Every way a number is said has its value."""
    assert parse_number(text) == value


def test_a_word_is_not_a_number() -> None:
    """Text that is no number has no value."""
    assert parse_number("空调") is None


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("空调调到二十六度", "空调调到26度"),
        ("调到二十六点五度", "调到26.5度"),
        ("亮度调到百分之三十", "亮度调到30%"),
        ("调低两度", "调低2度"),
        ("调到26度", "调到26度"),
        ("调亮一点", "调亮一点"),
        ("亮一些", "亮一些"),
        ("找一找手机", "找一找手机"),
        ("说一句早上好", "说一句早上好"),
    ],
)
def test_numbers_in_a_sentence_are_written_in_digits(text: str, written: str) -> None:
    """Numbers become digits; 一 in a word stays."""
    assert replace_numerals(text) == written


def test_wake_word_fillers_and_punctuation_are_dropped() -> None:
    """小爱同学, 请, 帮我, 一下, 吧, 呢 and punctuation go; full-width becomes half-width."""
    said = "小爱同学\uff0c请帮我把客厅的灯调暗一点吧\uff01"  # full-width comma and bang
    assert normalize(said, "zh-Hans") == "把客厅的灯调暗一点"
    assert normalize("车还有多少电呢\uff1f", "zh-Hans") == "车还有多少电"
    assert normalize("把音量调到ＳＵ７", "zh-Hans") == "把音量调到su7"
    assert normalize("Hey Xiao Ai, please turn on the light.", "en") == "turn on the light"


@pytest.mark.parametrize(
    ("language", "canonical"),
    [
        ("zh-Hans", "zh-Hans"),
        ("zh-cn", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr", None),
    ],
)
def test_languages_are_recognised_however_spelt(language: str, canonical: str | None) -> None:
    """zh, zh-cn and zh-CN are Simplified Chinese."""
    assert canonical_language(language) == canonical
