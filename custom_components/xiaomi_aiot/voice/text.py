"""Normalisation of what was said, before matching: no wake word, fillers or punctuation."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .numbers import replace_numerals

ZH: Final = "zh-Hans"
EN: Final = "en"
LANGUAGES: Final = (ZH, EN)

_ZH_FILLERS: Final = re.compile(r"小爱同学|麻烦你|麻烦|请你|请|帮我|给我|帮忙|一下")
_ZH_PARTICLES: Final = re.compile(r"[吧呢啊呀哦嘛哈啦](?=\s|$)")
_EN_FILLERS: Final = re.compile(
    r"\b(?:hey|hi|ok|okay)?\s*xiao\s*ai\b|\bplease\b|\b(?:can|could|would) you\b|\bfor me\b"
)
_PUNCTUATION: Final = re.compile(r"[^\w\s%.'-]|(?<!\d)\.|\.(?!\d)|_")
_CJK_SPACE: Final = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")
_SPACES: Final = re.compile(r"\s+")


def canonical_language(language: str | None) -> str | None:
    """zh, zh-cn, zh-CN and zh-Hans are Simplified Chinese; en-* is English; else None."""
    if not language:
        return None
    lowered = language.lower()
    if lowered in ("zh", "zh-cn", "zh-hans", "zh-sg") or lowered.startswith("zh-hans"):
        return ZH
    if lowered == "en" or lowered.startswith("en-"):
        return EN
    return None


def normalize(text: str, language: str) -> str:
    """Text as the sentences are written: half-width, lower case, numbers in digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    if language == ZH:
        text = _PUNCTUATION.sub(" ", _ZH_FILLERS.sub("", text))
        text = _ZH_PARTICLES.sub("", text)
        text = replace_numerals(_CJK_SPACE.sub("", text))
    else:
        text = _PUNCTUATION.sub(" ", _EN_FILLERS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def normalize_name(text: str, language: str) -> str:
    """A name or alias as it would read after `normalize`, keeping every word of it."""
    text = unicodedata.normalize("NFKC", text).lower()
    if language == ZH:
        text = replace_numerals(_CJK_SPACE.sub("", text))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
