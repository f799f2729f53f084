"""Where the time and memory go, for the rows that miss their goals (evidence for a fix).

    python benchmarks/profiles.py startup [--lessons N] [--warm]   cProfile to the first prompt
    python benchmarks/profiles.py imports                          modules before the first prompt
    python benchmarks/profiles.py lint N                           cProfile of a cold lint of N lessons
    python benchmarks/profiles.py verdict [--crowd]                phases of a docker run -d -p verdict
    python benchmarks/profiles.py memory                           what a session loads beyond A
    python benchmarks/profiles.py completion                       cProfile of 2,000 completions

Run it with the bench venv's Python (``scripts/bench`` installs it):
``~/.cache/docker-tutor/bench-venv/bin/python benchmarks/profiles.py startup``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spawning import TUTOR, child_environ, neutral_dir, new_home, remove_home
from terminal import Terminal

BASELINE_IMPORTS = "import prompt_toolkit, docker, rich.markdown, pyfiglet, yaml"
SHIPPED_LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def atexit_close(learner) -> None:
    import atexit

    atexit.register(learner.close)


def show_stats(source: cProfile.Profile | str, limit: int = 30) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(source, stream=out)  # type: ignore[arg-type]
        stats.strip_dirs().sort_stats(order).print_stats(limit)
        text = out.getvalue()
        print(f"## by {order}\n" + text[text.find("   ncalls"):])


def profile_startup(lessons: int, warm: bool, save: Path | None) -> None:
    """cProfile of ``docker-tutor`` in a pty, from exec to the first prompt (then Ctrl-D)."""
    from course import generate

    scratch = Path(tempfile.mkdtemp(prefix="tutor-bench-prof-"))
    home = new_home()
    args: list[str] = []
    if lessons:
        args = ["--lessons", str(generate(lessons, scratch / "lessons"))]
    try:
        runs = 2 if warm else 1
        for _ in range(runs):
            output = scratch / "startup.prof"
            argv = [sys.executable, "-m", "cProfile", "-o", str(output), TUTOR, *args]
            with Terminal(argv, child_environ(home), cwd=neutral_dir()) as term:
                at = term.wait_for_prompt(timeout=120)
                print(f"first prompt after {term.elapsed(at):.2f} s (under cProfile)")
                term.type("\x04")  # Ctrl-D: the tutor quits, and cProfile writes its file
                term.wait_exit()
        show_stats(str(output))
        if save is not None:
            shutil.copy(output, save)
            print(f"(the profile is in {save}: python -m pstats {save})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        remove_home(home)


def _importtime(argv: list[str], wait_for_prompt: bool,
                modules: dict[str, int] | None = None) -> dict[str, int]:
    """Microseconds of import (self time) per top-level package (and per module into
    ``modules``)."""
    log = Path(tempfile.mkstemp(prefix="tutor-bench-importtime-")[1])
    home = new_home()
    env = child_environ(home)
    shell = ["sh", "-c", 'exec "$@" 2>' + str(log), "sh", argv[0], "-X", "importtime",
             *argv[1:]]
    with Terminal(shell, env, cwd=neutral_dir()) as term:
        if wait_for_prompt:
            term.wait_for_prompt(timeout=60)
        else:
            term.wait_for_text("baseline ready")
    per_package: dict[str, int] = defaultdict(int)
    for line in log.read_text().splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if found:
            per_package[found.group(3).split(".")[0]] += int(found.group(1))
            if modules is not None:
                modules[found.group(3)] = int(found.group(1))
    log.unlink()
    remove_home(home)
    return per_package


def profile_imports() -> None:
    """Import self-time per top-level package, tutor (to the first prompt) vs Baseline A."""
    from spawning import BASELINE_A

    modules: dict[str, int] = {}
    tutor = _importtime([sys.executable, TUTOR], wait_for_prompt=True, modules=modules)
    base = _importtime(BASELINE_A, wait_for_prompt=False)
    print(f"{'package':28} {'tutor ms':>9} {'A ms':>9}")
    for name in sorted(set(tutor) | set(base), key=lambda n: -max(tutor.get(n, 0),
                                                                   base.get(n, 0)))[:40]:
        print(f"{name:28} {tutor.get(name, 0) / 1000:9.1f} {base.get(name, 0) / 1000:9.1f}")
    print(f"{'total':28} {sum(tutor.values()) / 1000:9.1f} {sum(base.values()) / 1000:9.1f}")
    only = sorted(set(tutor) - set(base))
    print("\nimported by the tutor before its prompt and not by A:", ", ".join(only))
    print("\nthe slowest single modules (self time) before the tutor's prompt:")
    for name, micros in sorted(modules.items(), key=lambda item: -item[1])[:25]:
        print(f"  {name:44} {micros / 1000:7.1f} ms")


def profile_lint(count: int) -> None:
    from course import generate

    from tutor.lessonfile.loader import lint

    scratch = Path(tempfile.mkdtemp(prefix="tutor-bench-prof-"))
    try:
        folder = generate(count, scratch / "lessons")
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        problems = lint([folder], scratch / "cache")
        profiler.disable()
        print(f"lint of {count} lessons: {time.perf_counter() - started:.2f} s "
              f"(under cProfile), {len(problems)} problems")
        show_stats(profiler)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def profile_verdict(crowd: bool, rounds: int = 7) -> None:
    """Time each phase of PracticeSession.run_command on run-web (wrapping its parts),
    with ``crowd``: among 500 extra containers and 500 extra tags."""
    import contextlib

    from practice import Crowd, engine_api

    with Crowd(engine_api()) if crowd else contextlib.nullcontext():
        _profile_verdict(rounds)


def _profile_verdict(rounds: int) -> None:
    import statistics

    from practice import RUN_STEP, Learner, engine_api, remove_container, run_line

    import tutor.practice.session as session_module
    from tutor.checks import evaluate as real_evaluate
    from tutor.practice import recording

    phases: dict[str, list[float]] = defaultdict(list)

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name].append(time.perf_counter() - started)
        return wrapper

    learner = Learner()
    atexit_close(learner)
    session = learner.session
    cls = type(session)
    for name in ("engine_ready", "_set_up", "_preflight", "_confirmation_question",
                 "_look_before", "_advice", "check_step"):
        setattr(cls, name, timed(name, getattr(cls, name)))
    session._run = timed("docker CLI (runner)", session._run)
    recording.look_after = timed("look_after", recording.look_after)
    session_module.evaluate = timed("evaluate (the check)", real_evaluate)
    api = engine_api()
    values = learner.enter(RUN_STEP)
    totals = []
    profiler = cProfile.Profile()
    for number in range(rounds + 1):
        learner.enter(RUN_STEP)
        if number == rounds:
            profiler.enable()
        passed, elapsed = learner.run(run_line(values["name"], values["port"]), RUN_STEP)
        if number == rounds:
            profiler.disable()
        remove_container(api, values["name"])
        assert passed, learner.output()[-800:]
        if number:
            totals.append(elapsed)
        else:
            phases.clear()
    print(f"run_command on run-web, median of {rounds}: {statistics.median(totals) * 1000:.0f} ms")
    for name, values_ in sorted(phases.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {name:28} median {statistics.median(values_) * 1000:7.1f} ms, "
              f"{len(values_) / rounds:.1f} calls per command")
    show_stats(profiler, 25)


def _rss_kib(code: str) -> int:
    done = subprocess.run([sys.executable, "-c", code + "\nimport re\nprint(re.search("
                          r"r'VmHWM:\s+(\d+)', open('/proc/self/status').read()).group(1))"],
                          env=child_environ(), capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def profile_memory() -> None:
    """Peak RSS step by step: Baseline A, then the tutor's modules, the course, and a
    practice step run and judged in-process (each step in a fresh process)."""
    from practice import RUN_STEP, Learner, engine_api, remove_container, run_line

    with Learner() as learner:
        values = learner.enter(RUN_STEP)
        passed, _ = learner.run(run_line(values["name"], values["port"]), RUN_STEP)
        remove_container(engine_api(), values["name"])
    assert passed
    tutor_modules = sorted(name for name in sys.modules if name.startswith("tutor."))
    extra = sorted(name for name in sys.modules if "." not in name and not name.startswith("_"))
    here = str(Path(__file__).resolve().parent)
    practise = (f"import sys; sys.path.insert(0, {here!r})\n"
                "from practice import RUN_STEP, Learner, engine_api, remove_container, "
                "run_line\nl = Learner(); v = l.enter(RUN_STEP)\n"
                "l.run(run_line(v['name'], v['port']), RUN_STEP)\n"
                "remove_container(engine_api(), v['name']); l.close()")
    steps = [
        ("Baseline A", BASELINE_IMPORTS),
        ("A + every tutor module a practising session imports",
         BASELINE_IMPORTS + "\nimport " + ", ".join(tutor_modules)),
        ("… + the shipped course loaded (no cache)",
         BASELINE_IMPORTS + "\nimport " + ", ".join(tutor_modules) +
         f"\nfrom tutor.lessonfile.loader import load_course\nfrom pathlib import Path\n"
         f"course = load_course(Path({str(SHIPPED_LESSONS)!r}))"),
        ("… + a practice step run and judged (in-process, no REPL)",
         BASELINE_IMPORTS + "\nimport " + ", ".join(tutor_modules) + "\n" + practise),
    ]
    for label, code in steps:
        print(f"  {label:60} {_rss_kib(code) / 1024:6.1f} MiB")
    print(f"({len(tutor_modules)} tutor modules; top-level packages loaded in-process: "
          f"{', '.join(extra)})")
    print("\nThe rss row's session over the pty (docker-tutor as installed), read from /proc "
          "at each stage:")
    _session_stages()


def _session_stages() -> None:
    """VmRSS and VmHWM of the rss row's session at each of its stages, then settled."""
    from sessions import practising_session

    def show(what: str, term: Terminal) -> None:
        with open(f"/proc/{term.pid}/status", encoding="ascii") as status:
            found = dict(line.split(":", 1) for line in status)
        rss, peak = (int(found[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))
        print(f"  {what:60} {rss:6.1f} MiB (peak {peak:.1f})")

    practising_session(settled=True, at_stage=show)


def profile_completion() -> None:
    from practice import Crowd, Learner, engine_api
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from tutor.progress import ProgressStore
    from tutor.repl.completer import make_completer
    from tutor.repl.conversation import Conversation

    with Crowd(engine_api()) as crowd, Learner() as learner:
        conversation = Conversation(learner.course, ProgressStore(learner.data_dir / "p.json"),
                                    learner.env.console, practice=learner.session)
        learner.session.engine.probe()
        while len(learner.session.known_names("container")) < crowd.count:
            time.sleep(0.05)
        completer = make_completer(conversation)
        document = Document("docker rm ")
        list(completer.get_completions(document, CompleteEvent()))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(2000):
            list(completer.get_completions(document, CompleteEvent()))
        profiler.disable()
    show_stats(profiler, 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["startup", "imports", "lint", "verdict", "memory",
                                         "completion"])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--lessons", type=int, default=0, help="startup: generate N lessons")
    parser.add_argument("--warm", action="store_true", help="startup: profile a second start")
    parser.add_argument("--save", type=Path, help="startup: keep the cProfile output here")
    parser.add_argument("--crowd", action="store_true",
                        help="verdict: with 500 extra containers and 500 extra tags")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.what == "startup":
        profile_startup(args.lessons, args.warm, args.save)
    elif args.what == "imports":
        profile_imports()
    elif args.what == "lint":
        profile_lint(args.count)
    elif args.what == "verdict":
        profile_verdict(args.crowd)
    elif args.what == "memory":
        profile_memory()
    else:
        profile_completion()
    return 0


if __name__ == "__main__":
    sys.exit(main())
