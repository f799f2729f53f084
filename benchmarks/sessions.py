"""Rows about practising: verdict overhead over the bare docker command (with and without
a crowd of 500 containers and 500 tags), peak RSS of a session, completion latency
with 500 names, and a classroom of 10 sessions on one engine."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from practice import (
    BENCH_LABEL,
    PS_STEP,
    RUN_STEP,
    Crowd,
    Learner,
    bare,
    engine_api,
    remove_container,
    run_line,
)
from report import (
    Result,
    kib,
    median,
    paired_difference,
    paired_ratio,
    percentile,
    seconds,
    signed_ms,
)
from spawning import new_home, remove_home, spawn_baseline, spawn_tutor
from startup import interleaved
from terminal import Screen, Terminal

HERE = Path(__file__).resolve().parent


# -- verdict overhead -----------------------------------------------------------------------


def _verdict_pairs(learner: Learner, reps: int) -> dict[str, list[float]]:
    """Interleaved: the bare command, then the same through the tutor, ``reps`` times.
    Also kept: the tutor's own share of each (its time minus its docker CLI's)."""
    api = engine_api()
    values = learner.enter(RUN_STEP)
    name, port = values["name"], values["port"]
    learner.enter(PS_STEP)
    label = f"{BENCH_LABEL}=bare"
    own: dict[str, list[float]] = {"own run": [], "own ps": []}

    def tutor_run() -> float:
        learner.enter(RUN_STEP)
        try:
            passed, elapsed = learner.run(run_line(name, port), RUN_STEP)
        finally:
            remove_container(api, name)
        if not passed:
            raise RuntimeError(f"the tutor did not pass its own step:\n{learner.output()[-1500:]}")
        own["own run"].append(elapsed - learner.cli_seconds)
        return elapsed

    def bare_run() -> float:
        try:
            return bare(run_line(name, port, label))
        finally:
            remove_container(api, name)

    def tutor_ps() -> float:
        learner.enter(PS_STEP)
        passed, elapsed = learner.run("docker ps", PS_STEP)
        if not passed:
            raise RuntimeError(f"docker ps did not pass its step:\n{learner.output()[-1500:]}")
        own["own ps"].append(elapsed - learner.cli_seconds)
        return elapsed

    times = interleaved({"bare run": bare_run, "tutor run": tutor_run,
                         "bare ps": lambda: bare("docker ps"), "tutor ps": tutor_ps}, reps)
    # The warm-up round is not in ``times``: drop it here too.
    return {**times, **{key: found[1:] for key, found in own.items()}}


def verdict_rows(reps: int) -> list[Result]:
    with Learner() as learner:
        alone = _verdict_pairs(learner, reps)
    with Crowd(engine_api()) as crowd, Learner() as learner:
        crowded = _verdict_pairs(learner, reps)
        count = crowd.count
    results = []
    for what, command, goal, limit in (
            ("run", "docker run -d -p (practice step run-web)", "≤ 20 ms, flat", 0.020),
            ("ps", "docker ps (practice step list-running)", "keep (≈ +7 ms, flat)", 0.015)):
        own, own_crowd = median(alone[f"own {what}"]), median(crowded[f"own {what}"])
        over = paired_difference(alone[f"tutor {what}"], alone[f"bare {what}"])
        over_crowd = paired_difference(crowded[f"tutor {what}"], crowded[f"bare {what}"])
        plain, plain_crowd = median(alone[f"bare {what}"]), median(crowded[f"bare {what}"])
        results.append(Result(f"verdict overhead of {command}", f"+{seconds(own)}",
                              f"bare {seconds(plain)}", f"{signed_ms(over)} vs bare, paired",
                              goal, own <= limit))
        results.append(Result(f"… with {count} more containers and {count} more tags",
                              f"+{seconds(own_crowd)}", f"bare {seconds(plain_crowd)}",
                              f"{signed_ms(over_crowd)} vs bare, paired; "
                              f"{signed_ms(own_crowd - own)} vs without", goal,
                              own_crowd <= limit and own_crowd - own <= 0.010))
    results[0].note = ("measured = the tutor's own time: PracticeSession.run_command until the "
                       "verdict (parse, engine look before/after, recording, the step's check) "
                       "minus the time its docker CLI ran; 'vs bare, paired' = median of "
                       "round-by-round differences from the bare CLI, which on a loaded "
                       "machine carries the CLI's own noise (docker run varies by ±200 ms)")
    results[1].note = ("the crowd: containers created (not started) and tags of one "
                       "labelled image, removed afterwards")
    return results


# -- completion ---------------------------------------------------------------------------------


def completion(reps: int) -> list[Result]:
    """p99 of the completer with 500+ container names cached; counts engine requests
    made on the main thread while completing."""
    import docker.api.client
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from tutor.progress import ProgressStore
    from tutor.repl.completer import make_completer
    from tutor.repl.conversation import Conversation

    with Crowd(engine_api()) as crowd, Learner() as learner:
        session = learner.session
        conversation = Conversation(learner.course, ProgressStore(learner.data_dir / "p.json"),
                                    learner.env.console, practice=session)
        session.engine.probe()
        deadline = time.monotonic() + 30
        while len(session.known_names("container")) < crowd.count:
            if time.monotonic() > deadline:
                raise RuntimeError("the completion cache never held the crowd's names")
            time.sleep(0.05)
        completer = make_completer(conversation)
        on_main = 0
        original = docker.api.client.APIClient.send

        def counting_send(self, request, **kwargs):
            nonlocal on_main
            if threading.current_thread() is threading.main_thread():
                on_main += 1
            return original(self, request, **kwargs)

        documents = [Document(text) for text in
                     ("docker rm ", f"docker rm {crowd.prefix}-4", "docker container stop tb-",
                      "docker logs w", "docker run --pu", "/st")]
        latencies: list[float] = []
        cpu: list[float] = []  # the main thread's own CPU time: a loaded machine's
        offered = 0            # preemptions show in wall time only
        for document in documents:  # first use imports the docker CLI model
            list(completer.get_completions(document, CompleteEvent()))
        docker.api.client.APIClient.send = counting_send
        try:
            for number in range(reps):
                document = documents[number % len(documents)]
                started, started_cpu = time.perf_counter(), time.thread_time()
                found = list(completer.get_completions(document, CompleteEvent()))
                latencies.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
                if number % len(documents) == 0:
                    offered = max(offered, len(found))
        finally:
            docker.api.client.APIClient.send = original
    p99, p99_cpu = percentile(latencies, 0.99), percentile(cpu, 0.99)
    return [Result(f"completion with {crowd.count} container names cached",
                   f"p99 {seconds(p99)} wall, {seconds(p99_cpu)} CPU",
                   f"median {seconds(median(latencies))}",
                   f"{on_main} engine calls on the main thread", "p99 ≤ 1 ms, none on main",
                   p99_cpu <= 0.001 and on_main == 0,
                   f"{reps} completions of 6 lines (docker rm, container stop, logs, flags, "
                   f"slash commands); 'docker rm ' offered {offered} names; the goal is "
                   "judged on CPU time (thread_time), which a loaded machine's preemptions "
                   "do not inflate")]


# -- peak RSS -----------------------------------------------------------------------------------

TASK = re.compile(r"named\s+(\S+)\s+from\s+busybox.*?on\s+port\s+(\d+)", re.DOTALL)


def _after_command(screen: Screen) -> bool:
    done = screen.shows("created the container") or screen.shows("Not done yet")
    return done and screen.prompt_drawn() and screen.cursor_line.rstrip() in ("you ›",
                                                                              "confirm ›")


def _settled_peak(term: Terminal, quiet: float = 1.5, limit: float = 8.0) -> int:
    """VmHWM once it has not grown for ``quiet`` seconds: what the session does on its own
    has been done (the lessons' index is built 1 s after the first prompt, which a bench
    typing at once can reach the verdict before, and a learner never does)."""
    deadline = time.monotonic() + limit
    peak, since = term.peak_rss_kib(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        term.settle(quiet=0.1, limit=0.25)
        now = term.peak_rss_kib()
        if now != peak:
            peak, since = now, time.monotonic()
    return peak


def practising_session(settled: bool = False,
                       at_stage: Callable[[str, Terminal], None] | None = None) -> int:
    """VmHWM (KiB) of a tutor that opened a practice lesson and ran its docker command:
    at the verdict, or ``settled`` (``_settled_peak``). ``at_stage(what, terminal)`` is
    called as each stage is reached (profiles.py reads the memory there)."""
    def reached(what: str) -> None:
        if at_stage is not None:
            at_stage(what, term)

    home = new_home()
    name = None
    try:
        with spawn_tutor(home, "--no-banner", rows=40, columns=120) as term:
            term.wait_for_prompt()
            reached("first prompt")
            term.line("/start container-commands")
            term.wait_for_text("Containers, hands on")
            term.wait_for_prompt()
            reached("lesson opened (/start container-commands)")
            term.line("")
            term.wait_for_text("Start a web server")
            term.wait_for_prompt()
            reached("practice step run-web shown")
            found = TASK.search(" ".join(term.screen.lines))
            if found is None:
                raise RuntimeError(f"no task on screen:\n{term.screen.text()}")
            name, port = found.group(1).strip("`"), found.group(2)
            term.line(run_line(name, port))
            term.wait_until(_after_command, timeout=60, what="the verdict")
            if not term.screen.shows("created the container"):
                raise RuntimeError(f"the step did not pass:\n{term.screen.text()}")
            reached("verdict")
            peak = _settled_peak(term) if settled else term.peak_rss_kib()
            reached("settled" if settled else "done")
            return peak
    finally:
        if name:
            remove_container(engine_api(), name)
        remove_home(home)


def _baseline_rss() -> int:
    with spawn_baseline() as term:
        term.wait_for_text("baseline ready")
        return term.peak_rss_kib()


def peak_rss(reps: int) -> list[Result]:
    sizes = interleaved({"A": _baseline_rss, "session": practising_session,
                         "settled": lambda: practising_session(settled=True)}, reps)
    a = median(sizes["A"])
    results = []
    for name, what, note in (
            ("session", "peak RSS of a session (practice step run, verdict passed)",
             "VmHWM of the tutor process (its docker CLI children not counted), read at "
             "the verdict"),
            ("settled", "… settled after the verdict (the lessons' index built)",
             "VmHWM once it has not grown for 1.5 s after the verdict: the lessons' index "
             "is built 1 s after the first prompt, which this bench, typing at once, may "
             "reach the verdict before")):
        ratio = paired_ratio(sizes[name], sizes["A"])
        results.append(Result(what, kib(median(sizes[name]) * 1024), f"A {kib(a * 1024)}",
                              f"{ratio:.2f} × A", "≤ 1.0 × A", ratio <= 1.0, note))
    return results


# -- a classroom ----------------------------------------------------------------------------------


def _run_workers(count: int, shared: bool, machine: Path) -> list[dict]:
    """``count`` learners at once; ``shared``: told the engine is shared, as a class
    is (DOCKER_TUTOR_SHARED_ENGINE=1, README), else left to notice it (from the others'
    running containers, which a class starting together does not have yet, or from
    the names their sessions reserved). ``machine``: the runtime folder the sessions
    of this machine share (DOCKER_TUTOR_RUNTIME_DIR), the row's own."""
    homes = [new_home() for _ in range(count)]
    environ = {key: value for key, value in os.environ.items()
               if key != "DOCKER_TUTOR_SHARED_ENGINE"}
    environ["DOCKER_TUTOR_RUNTIME_DIR"] = str(machine)
    if shared:
        environ["DOCKER_TUTOR_SHARED_ENGINE"] = "1"
    try:
        workers = [subprocess.Popen([sys.executable, str(HERE / "classroom_worker.py"),
                                     str(home)], stdout=subprocess.PIPE, text=True,
                                    env=environ)
                   for home in homes]
        reports = []
        for worker in workers:
            out, _ = worker.communicate(timeout=600)
            reports.append(json.loads(out.strip().splitlines()[-1]))
        return reports
    finally:
        for home in homes:
            remove_home(home)


def classroom(count: int) -> list[Result]:
    return [_classroom(count, shared=True), _classroom(count, shared=False)]


def _classroom(count: int, shared: bool) -> Result:
    machine = new_home()
    try:
        alone = _run_workers(1, shared, machine)
        together = _run_workers(count, shared, machine)
        # Sessions that ended let their reservations go.
        reserved = sorted(path.name for path in machine.glob("reservations/*/*.json"))
    finally:
        remove_home(machine)
    wrong, crossed, errors = [], [], []
    names = [report["name"] for report in together]
    for report in together:
        errors += report["errors"]
        wrong += [f"{report['name']}: {v['line']} (expected {v['expected']}; the tutor said: "
                  f"…{v.get('said', '')})"
                  for v in report["verdicts"] if v["passed"] != v["expected"]]
        others = set(names) - {report["name"]}
        crossed += [item for item in report["created"] + report["removed"]
                    if any(other in item.split() for other in others)]
    left = report_leftovers(names) + [f"reservation {name}" for name in reserved]
    times = [v["seconds"] for report in together for v in report["verdicts"]]
    solo = [v["seconds"] for report in alone for v in report["verdicts"]]
    p95, solo_p95 = percentile(times, 0.95), percentile(solo, 0.95)
    duplicate = len(names) - len(set(names))
    ports = [report["port"] for report in together if report["port"]]
    duplicate_ports = len(ports) - len(set(ports))
    # A name or port handed to two learners is one that either may take from the other.
    right = (not wrong and not crossed and not errors and not left and not duplicate
             and not duplicate_ports)
    problems = wrong[:3] + crossed[:3] + errors[:3] + [f"left behind: {name}" for name in left]
    told = ("told the engine is shared (DOCKER_TUTOR_SHARED_ENGINE=1)" if shared else
            "not told")
    return Result(f"classroom: {count} sessions practising on one engine at once, {told}",
                  f"verdict p95 {seconds(p95)}", f"1 session p95 {seconds(solo_p95)}",
                  f"{p95 / solo_p95:.1f} × alone; {len(times) - len(wrong)}/{len(times)} "
                  "verdicts right", "every verdict right, nobody touches another's",
                  right,
                  f"each session: wrong run, docker rm -f, right run, docker images, docker ps, "
                  f"cleanup; {duplicate} name(s) and {duplicate_ports} port(s) handed to "
                  "two sessions"
                  + ("; " + "; ".join(problems) if problems else ""))


def report_leftovers(names: list[str]) -> list[str]:
    api = engine_api()
    existing = {c["Names"][0].lstrip("/") for c in api.containers(all=True)}
    return sorted(set(names) & existing)
