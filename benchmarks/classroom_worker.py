"""One learner of the classroom row: practises two steps of the shipped
``container-commands`` lesson through the tutor's practice session and prints a JSON
report (verdicts and their times, what it created and removed) as its last line.

    python benchmarks/classroom_worker.py DATA_DIR
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from practice import PS_STEP, RUN_STEP, Learner, run_line


def main(data_dir: str) -> int:
    report: dict = {"name": "", "port": "", "verdicts": [], "created": [], "removed": [],
                    "errors": []}
    learner = Learner(data_dir=Path(data_dir))
    try:
        values = learner.enter(RUN_STEP)
        name, port = values["name"], values["port"]
        report["name"], report["port"] = name, port
        plays = [
            (f"docker run -d --name {name} busybox httpd -f -p 80", RUN_STEP, False),
            (f"docker rm -f {name}", RUN_STEP, False),
            (run_line(name, port), RUN_STEP, True),
            ("docker images", PS_STEP, False),
            ("docker ps", PS_STEP, True),
        ]
        for line, step, expected in plays:
            if step == PS_STEP:
                learner.enter(PS_STEP)
            said = len(learner.output())
            passed, elapsed = learner.run(line, step)
            verdict = {"line": line, "expected": expected, "passed": passed,
                       "seconds": elapsed}
            if passed != expected:  # what the tutor said, for the row's notes
                verdict["said"] = " ".join(learner.output()[said:].split())[-300:]
            report["verdicts"].append(verdict)
        made = learner.session.created_in_lesson()
        report["created"] = [f"{item.get('kind')} {item.get('name') or item.get('ref')}"
                             for item in made]
        report["removed"] = learner.session.remove_created(made)
    except Exception:
        report["errors"].append(traceback.format_exc(limit=3))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
