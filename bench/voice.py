"""Voice benchmark: the corpus through the Xiao Ai agent and Home Assistant's default agent.

Both agents hear every case of tests/voice/corpus.yaml in the same run, against the simulated
demo home (the corpus test does the work, one language per test: tests/voice/test_corpus.py).
Printed per language:
correct (the device or answer the case expects), understood (an answer that is no error), and
p50/p95 milliseconds per utterance. The default agent hears the corpus after ours, so its
state checks start from where ours left the home; its "understood" is the fairer figure.

    .venv/bin/python -m bench.voice
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/voice/test_corpus.py::test_the_corpus_is_understood_and_done"


def main() -> int:
    """Run the corpus test, then print its figures side by side."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "voice.json"
        env = {**os.environ, "XIAOMI_AIOT_VOICE_REPORT": str(report)}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        parts = {language: Path(f"{report}.{language}") for language in ("zh-Hans", "en")}
        if not all(part.exists() for part in parts.values()):
            print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
            return 1
        data = {
            language: json.loads(part.read_text(encoding="utf-8"))
            for language, part in parts.items()
        }
    figures = {
        agent: {language: data[language]["figures"][agent] for language in data}
        for agent in ("xiao_ai", "default")
    }
    print("| language | agent | cases | correct | understood | p50 ms | p95 ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for language in ("zh-Hans", "en"):
        for agent in ("xiao_ai", "default"):
            row = figures[agent][language]
            print(
                f"| {language} | {agent} | {row['cases']} | {row['correct']:.1%} "
                f"| {row['understood']:.1%} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} |"
            )
    misses = [miss for language in data for miss in data[language]["misses"]]
    print(f"\nXiao Ai misses: {len(misses)}")
    for miss in misses:
        print(f"- [{miss['language']}] {miss['text']}: {miss['why']} ({miss['speech']})")
    slower = [
        language
        for language in ("zh-Hans", "en")
        if figures["xiao_ai"][language]["p95_ms"] > figures["default"][language]["p95_ms"]
    ]
    print(
        "\np95 target (no slower than the default agent):",
        "missed for " + ", ".join(slower) if slower else "met",
    )
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
