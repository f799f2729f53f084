"""Rows about starting: the first prompt (fresh and again), resuming at a practice step
with an engine that hangs, drops packets or answers late, and when the toolbar shows
the engine's state."""

from __future__ import annotations

from collections.abc import Callable

from engines import EngineProxy, HungEngine, blackhole
from report import Result, median, paired_ratio, seconds, signed_ms, spread
from spawning import (
    new_home,
    remove_home,
    spawn_tutor,
    time_baseline,
    time_to_prompt,
    write_progress,
)

RESUME_LESSON, RESUME_STEP, RESUME_DONE = "container-commands", "run-web", ["intro"]


def interleaved(variants: dict[str, Callable[[], float]], reps: int) -> dict[str, list[float]]:
    """Run every variant ``reps`` times, rotating the order each round (one discarded
    warm-up round first), so drift on the machine touches all of them alike."""
    names = list(variants)
    for name in names:
        variants[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(reps):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(variants[name]())
    return times


def first_prompt(reps: int) -> list[Result]:
    warm_home = new_home()

    def fresh() -> float:
        home = new_home()
        try:
            return time_to_prompt(home)[0]
        finally:
            remove_home(home)

    try:
        times = interleaved({"A": time_baseline, "fresh": fresh,
                             "again": lambda: time_to_prompt(warm_home)[0]}, reps)
    finally:
        remove_home(warm_home)
    a = median(times["A"])
    results = []
    for key, what in (("fresh", "first prompt, fresh start (new data dir)"),
                      ("again", "first prompt, started again (parse cache warm)")):
        ratio = paired_ratio(times[key], times["A"])
        results.append(Result(what, f"{seconds(median(times[key]))} ({spread(times[key])})",
                              f"A {seconds(a)}", f"{ratio:.2f} × A", "≤ 1.0 × A",
                              ratio <= 1.0))
    return results


def resume(reps: int) -> list[Result]:
    """Resumed at a practice step: the prompt must not wait on the engine."""
    home = new_home()
    write_progress(home, RESUME_LESSON, RESUME_STEP, RESUME_DONE)
    results: list[Result] = []
    try:
        with HungEngine() as hung, EngineProxy(delay=1.0) as late, \
                blackhole() as (dropped, how):
            times = interleaved({
                "healthy": lambda: time_to_prompt(home)[0],
                "hung": lambda: time_to_prompt(home, docker_host=hung.docker_host)[0],
                "blackhole": lambda: time_to_prompt(home, docker_host=dropped)[0],
                "late": lambda: time_to_prompt(home, docker_host=late.docker_host)[0],
            }, reps)
    finally:
        remove_home(home)
    healthy = median(times["healthy"])
    for key, what, note in (
            ("hung", "resume at a practice step, engine hung (accepts, never answers)", ""),
            ("blackhole", "resume at a practice step, engine unreachable (blackhole)",
             f"blackhole made with: {how}"),
            ("late", "resume at a practice step, engine answering 1 s late", "")):
        ratio = paired_ratio(times[key], times["healthy"])
        results.append(Result(what, f"{seconds(median(times[key]))} ({spread(times[key])})",
                              f"healthy {seconds(healthy)}",
                              f"{ratio:.2f} × healthy "
                              f"({signed_ms(median(times[key]) - healthy)})",
                              "same as healthy (≤ 1.25 ×)", ratio <= 1.25, note))
    results[0].note = ("'same' allows for this machine's noise (±30 % between runs): waiting "
                       "on such an engine before the prompt would add ≥ 1 s (late) or the "
                       "client's 10 s timeout (hung, blackhole)")
    return results


def toolbar(reps: int) -> list[Result]:
    """Time from the engine answering the probe's GET /version to "engine ok" on screen."""
    delays: list[float] = []
    probes: list[float] = []
    since_start: list[float] = []
    for _ in range(reps + 1):
        home = new_home()
        try:
            with EngineProxy() as proxy, spawn_tutor(home, docker_host=proxy.docker_host) as term:
                shown = term.wait_for_text("engine ok", timeout=30)
                answer = proxy.first_version_answer()
                delays.append(shown - answer.answered)
                probes.append(answer.answered - answer.asked)
                since_start.append(term.elapsed(shown))
        finally:
            remove_home(home)
    delays, probes, since_start = delays[1:], probes[1:], since_start[1:]  # first: warm-up
    delay = median(delays)
    return [Result("toolbar shows \"engine ok\" after the probe's answer",
                   f"{seconds(delay)} ({spread(delays)})",
                   f"probe {seconds(median(probes))}",
                   f"{seconds(median(since_start))} after exec", "≤ 100 ms", delay <= 0.1,
                   "measured through a unix-socket proxy that stamps the engine's answer to "
                   "GET /version; 'probe' is that request's own latency")]
