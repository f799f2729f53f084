"""Run the benchmark rows and print the table (``scripts/bench`` calls this).

    python benchmarks/run.py [--quick] [--reps N] [--rows ROW,ROW] [--json FILE]

Rows: see ROWS below (``--list`` prints them). Figures are medians of interleaved
runs next to a baseline from the same run; nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import course
import sessions
import startup
from report import Result, table

# name: (what it measures, function(reps) -> results, repetitions full / quick)
ROWS: dict[str, tuple[str, Callable[[int], list[Result]], int, int]] = {
    "startup": ("first prompt, fresh and again, vs Baseline A", startup.first_prompt, 9, 3),
    "resume": ("first prompt resuming at a practice step, engine hung/blackhole/late",
               startup.resume, 9, 3),
    "toolbar": ("toolbar shows the engine's state after the probe answers",
                startup.toolbar, 7, 3),
    "lessons": ("first prompt with 1,000 lessons (--lessons), cold and warm cache",
                course.thousand_lessons, 5, 2),
    "lint": ("lint of 1,000 lessons, cold and warm; linearity 100/300/1,000",
             course.lint_rows, 3, 1),
    "verdict": ("verdict overhead of docker run -d -p and docker ps, bare and with 500 "
                "extra containers and tags", sessions.verdict_rows, 11, 3),
    "rss": ("peak RSS of a session that practises, vs Baseline A", sessions.peak_rss, 5, 2),
    "completion": ("completion latency with 500 container names", sessions.completion, 2000,
                   500),
    "classroom": ("10 sessions practising on one engine at once", sessions.classroom, 10, 10),
    "knowledge": ("answers to questions: time and hit rates, shipped and 1,000 lessons",
                  lambda reps: knowledge_rows(reps), 3, 1),
}


def knowledge_rows(reps: int) -> list[Result]:
    import bench_knowledge  # loads the tutor's lessons: only when this row runs

    return bench_knowledge.bench_rows(reps)


def machine_note() -> str:
    import tutor

    load = os.getloadavg()
    return (f"{platform.node()}: {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} "
            f"{load[2]:.1f}; Python {platform.python_version()}; docker-tutor "
            f"{tutor.__version__} from {Path(tutor.__file__).parent}; "
            f"DOCKER_HOST={os.environ.get('DOCKER_HOST', '(default)')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--reps", type=int, help="repetitions for every row (overrides)")
    parser.add_argument("--rows", help="comma-separated rows to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the rows and exit")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if args.list:
        for name, (what, *_rest) in ROWS.items():
            print(f"{name:11} {what}")
        return 0
    chosen = args.rows.split(",") if args.rows else list(ROWS)
    unknown = [name for name in chosen if name not in ROWS]
    if unknown:
        parser.error(f"unknown row(s) {', '.join(unknown)}; --list shows them")
    print(f"# docker-tutor benchmark ({'quick' if args.quick else 'full'} run)")
    print(machine_note(), flush=True)
    results: list[Result] = []
    started = time.monotonic()
    for name in chosen:
        what, run, full, quick = ROWS[name]
        reps = args.reps or (quick if args.quick else full)
        print(f"… {name}: {what} ({reps} reps)", file=sys.stderr, flush=True)
        begun = time.monotonic()
        try:
            found = run(reps)
        except Exception as error:  # one broken row must not cost the others
            found = [Result(name, f"not measured: {type(error).__name__}: {error}")]
        for result in found:
            print(f"    {result.what}: {result.figure} [{result.compared}]", file=sys.stderr,
                  flush=True)
        print(f"  ({time.monotonic() - begun:.0f} s)", file=sys.stderr, flush=True)
        results += found
    print()
    print(table(results))
    print(f"\n({time.monotonic() - started:.0f} s in all; load after: "
          f"{os.getloadavg()[0]:.1f})")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_note(),
                                         "results": [asdict(r) for r in results]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
