"""The held-out corpus through the Xiao Ai agent: scored and reported, never a gate.

A miss is printed, not failed: the score is a measurement of the agent against commands
written without reading its grammar. What fails is a corpus that does not fit its home (an
entity, device or property it names is not there) or a home that does not load.
`python -m tests.voice.heldout.score` runs this and prints the table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.core import HomeAssistant

from harness.hass import AGENT
from simulator import Simulator

from .cases import CORPORA, ActionLog, load_cases, references, run_case
from .score import REPORT

LANGUAGES = {"zh-Hans": "zh-cn", "en": "en"}
"""The corpus languages, and the language each is spoken in."""


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("real_home", list(CORPORA), indirect=True)
async def test_the_held_out_corpus_is_heard_and_scored(
    hass: HomeAssistant, real_home: tuple[str, Simulator]
) -> None:
    """Every case names what its home has; each is said to Xiao Ai, and the score is printed."""
    name, sim = real_home
    cases = load_cases(name)
    assert len(cases) >= 150
    for case in cases:
        references(hass, sim, case)
    actions = ActionLog()
    actions.attach(sim)
    await conversation.async_prepare_agent(hass, AGENT, LANGUAGES[cases[0].language])
    results = [await run_case(hass, sim, case, AGENT, actions) for case in cases]
    passed = sum(result.passed for result in results)
    print(f"\nHELD-OUT {name}: {passed}/{len(results)}")
    for result in results:
        if not result.passed:
            print(f"MISS [{name}] {result.case.text!r}: {result.why} ({result.speech!r})")
    if stem := os.environ.get(REPORT):
        rows = [
            {
                "home": name,
                "language": result.case.language,
                "source": result.case.source,
                "text": result.case.text,
                "passed": result.passed,
                "why": result.why,
                "speech": result.speech,
            }
            for result in results
        ]
        path = Path(f"{stem}.{name}.json")
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        await hass.async_add_executor_job(path.write_text, text, "utf-8")
