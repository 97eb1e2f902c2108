"""The voice benchmark's utterances: the grammar corpus of a language, then its non-home set."""

from __future__ import annotations

import pytest

from bench.voice import NON_HOME, limited, utterances
from tests.voice.grammar.parts import EN, ZH, all_cases

CASES = all_cases()


@pytest.mark.parametrize("language", [ZH, EN])
def test_every_case_of_the_language_is_said_then_the_non_home_sentences(language: str) -> None:
    """The corpus cases in order, with their satellites, and nothing of the other language."""
    mine = [case for case in CASES if case["language"] == language]
    said = utterances(language, CASES)
    assert [u.text for u in said] == [c["text"] for c in mine] + list(NON_HOME[language])
    assert [u.heard_by for u in said[: len(mine)]] == [c.get("heard_by") for c in mine]
    assert any(u.heard_by for u in said)
    assert {u.kind for u in said[: len(mine)]} == {"corpus"}
    assert {u.kind for u in said[len(mine) :]} == {"non-home"}
    assert {u.language for u in said} == {language}


def test_a_handful_of_cases_keeps_every_non_home_sentence() -> None:
    """--limit cuts the corpus only."""
    handful = [case for case in CASES if case["language"] == ZH][:5]
    said = limited(utterances(ZH, handful), 3)
    assert [u.text for u in said] == [c["text"] for c in handful[:3]] + list(NON_HOME[ZH])


@pytest.mark.parametrize("language", [ZH, EN])
def test_no_non_home_sentence_is_a_corpus_sentence(language: str) -> None:
    """The two kinds do not overlap, and the non-home set is fixed in size."""
    corpus = {case["text"] for case in CASES if case["language"] == language}
    assert len(NON_HOME[language]) == len(set(NON_HOME[language])) == 20
    assert corpus.isdisjoint(NON_HOME[language])
