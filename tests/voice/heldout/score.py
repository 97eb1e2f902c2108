"""Score the Xiao Ai agent on the held-out corpus: per language, per source, and every miss.

    .venv/bin/python -m tests.voice.heldout.score [-k real_zh]

Runs `tests/voice/heldout/test_heldout.py` under pytest, in a process of its own (Home
Assistant's test harness sets up each home from its simulator through the account, as a
household's Home Assistant would), then prints the table from the results it wrote. Exits
with pytest's status: a miss is not a failure. Any extra arguments go to pytest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

TEST = Path(__file__).with_name("test_heldout.py")
REPORT = "XIAOMI_AIOT_HELDOUT_REPORT"
"""A file stem: the test writes each home's results to `<stem>.<home>.json` when it is set."""
HOMES = ("real_zh", "real_en")


def table(rows: list[dict[str, object]]) -> str:
    """The score per language and per source of each language, as a markdown table."""
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in rows:
        for source in ("all", str(row["source"])):
            groups[str(row["language"]), source].append(bool(row["passed"]))
    lines = ["| language | source | passed | cases | score |", "|---|---|---|---|---|"]
    for (language, source), outcomes in sorted(groups.items()):
        passed = sum(outcomes)
        lines.append(
            f"| {language} | {source} | {passed} | {len(outcomes)} | {passed / len(outcomes):.1%} |"
        )
    return "\n".join(lines)


def main(arguments: list[str]) -> int:
    """Run the held-out test, then print the score and the misses."""
    with tempfile.TemporaryDirectory() as folder:
        stem = str(Path(folder) / "heldout")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(TEST)]
        status = subprocess.run(
            [*command, *arguments], env={**os.environ, REPORT: stem}, check=False
        ).returncode
        rows: list[dict[str, object]] = []
        for home in HOMES:
            path = Path(f"{stem}.{home}.json")
            if path.exists():
                rows.extend(json.loads(path.read_text("utf-8")))
    if not rows:
        print("no results: the held-out test did not run", file=sys.stderr)
        return status or 1
    print("\n## Held-out corpus, Xiao Ai agent\n")
    print(table(rows))
    print("\n## Misses\n")
    for row in rows:
        if not row["passed"]:
            print(f"- [{row['language']}/{row['source']}] {row['text']}: {row['why']}")
            print(f"  answer: {row['speech']!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
