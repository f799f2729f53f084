"""Rows about a large course: the first prompt with 1,000 lessons (``--lessons``) and
``docker-tutor lint`` of 1,000 lessons, with a linearity check (100, 300, 1,000)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml
from report import Result, median, paired_ratio, seconds, spread
from spawning import (
    BASELINE_A,
    TUTOR,
    child_environ,
    neutral_dir,
    new_home,
    remove_home,
    time_baseline,
    time_to_prompt,
)
from startup import interleaved

SHIPPED = Path(__file__).resolve().parents[1] / "lessons"
REQUIRES = re.compile(r"^requires: \[(.*)\]$", re.MULTILINE)
TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)


def generate(count: int, folder: Path) -> Path:
    """``count`` lessons varied from the shipped ones: copy k of lesson L is ``L-k``
    (its id matches its file name), titled "... (copy k)", and requires the copies of
    the same round, which come before it in the course."""
    order = yaml.safe_load((SHIPPED / "course.yaml").read_text(encoding="utf-8"))["lessons"]
    texts = {lesson: (SHIPPED / f"{lesson}.yaml").read_text(encoding="utf-8")
             for lesson in order}
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for number in range(count):
        round_, original = divmod(number, len(order))
        lesson = order[original]
        new_id = f"{lesson}-{round_:04d}"
        text = texts[lesson].replace(f"id: {lesson}\n", f"id: {new_id}\n", 1)
        text = TITLE.sub(lambda m, r=round_: _retitle(m.group(1), r), text, count=1)
        text = REQUIRES.sub(lambda m, r=round_: "requires: [" + ", ".join(
            f"{required.strip()}-{r:04d}" for required in m.group(1).split(",")
            if required.strip()) + "]", text, count=1)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(new_id)
    course = {"title": f"Docker, {count} lessons", "lessons": ids}
    (folder / "course.yaml").write_text(yaml.safe_dump(course), encoding="utf-8")
    return folder


def _retitle(title: str, round_: int) -> str:
    if title.startswith('"') and title.endswith('"'):
        return f'title: {title[:-1]} (copy {round_ + 1})"'
    return f"title: {title} (copy {round_ + 1})"


def _lint(folder: Path, home: Path) -> float:
    started = time.monotonic()
    done = subprocess.run([TUTOR, "lint", str(folder)], env=child_environ(home),
                          cwd=neutral_dir(), capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"lint of the generated lessons failed:\n{done.stdout[-2000:]}")
    return elapsed


def _baseline_exit() -> float:
    """Baseline A as a plain process: exec, imports, exit."""
    started = time.monotonic()
    subprocess.run([*BASELINE_A], env=child_environ(), cwd=neutral_dir(), input="\n",
                   capture_output=True, text=True, check=True)
    return time.monotonic() - started


def thousand_lessons(reps: int) -> list[Result]:
    scratch = Path(tempfile.mkdtemp(prefix="tutor-bench-lessons-"))
    warm_home = new_home()
    printed: dict[str, int] = {}
    try:
        many = generate(1000, scratch / "many")
        _lint(many, warm_home)  # proves the generated course valid, and warms its cache

        def cold() -> float:
            home = new_home()
            try:
                elapsed, printed["cold"] = time_to_prompt(home, "--lessons", str(many))
                return elapsed
            finally:
                remove_home(home)

        def shipped() -> float:
            home = new_home()
            try:
                elapsed, printed["shipped"] = time_to_prompt(home)
                return elapsed
            finally:
                remove_home(home)

        times = interleaved({"A": time_baseline, "cold": cold, "shipped": shipped,
                             "warm": lambda: time_to_prompt(warm_home, "--lessons",
                                                            str(many))[0]}, reps)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        remove_home(warm_home)
    a = median(times["A"])
    results = []
    for key, what in (("cold", "first prompt, 1,000 lessons, cold parse cache"),
                      ("warm", "first prompt, 1,000 lessons, warm parse cache")):
        value = median(times[key])
        results.append(Result(what, f"{seconds(value)} ({spread(times[key])})",
                              f"A {seconds(a)}; shipped {seconds(median(times['shipped']))}",
                              f"{paired_ratio(times[key], times['A']):.2f} × A", "< 1.0 s",
                              value < 1.0))
    size, own = printed["cold"], printed["shipped"]
    results.append(Result("lines printed before the prompt, 1,000 lessons", f"{size} lines",
                          f"shipped: {own} lines", f"{size / own:.2f} × shipped",
                          "one screen (≈ the shipped course's)", size <= 1.5 * own,
                          "the terminal is 24 × 80; the banner is on, as a learner sees it"))
    return results


def lint_rows(reps: int) -> list[Result]:
    scratch = Path(tempfile.mkdtemp(prefix="tutor-bench-lint-"))
    results = []
    try:
        folders = {count: generate(count, scratch / str(count)) for count in (100, 300, 1000)}
        warm_home = new_home()
        _lint(folders[1000], warm_home)

        def cold(count: int) -> float:
            home = new_home()
            try:
                return _lint(folders[count], home)
            finally:
                remove_home(home)

        times = interleaved({"A": _baseline_exit, "100": lambda: cold(100),
                             "300": lambda: cold(300), "1000": lambda: cold(1000),
                             "warm": lambda: _lint(folders[1000], warm_home)}, reps)
        remove_home(warm_home)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    a = median(times["A"])
    for key, what in (("1000", "lint of 1,000 lessons, cold parse cache"),
                      ("warm", "lint of 1,000 lessons, warm parse cache")):
        value = median(times[key])
        results.append(Result(what, f"{seconds(value)} ({spread(times[key])})",
                              f"A {seconds(a)} (exec to exit)",
                              f"{paired_ratio(times[key], times['A']):.2f} × A", "< 1.0 s",
                              value < 1.0))
    # Linear: the time per lesson above the fixed start-up cost stays the same.
    t100, t300, t1000 = (median(times[str(n)]) for n in (100, 300, 1000))
    per_first = (t300 - t100) / 200
    per_last = (t1000 - t300) / 700
    growth = per_last / per_first if per_first > 0 else float("inf")
    results.append(Result("lint, cost per extra lesson (100→300, 300→1,000)",
                          f"{per_first * 1000:.2f} ms, {per_last * 1000:.2f} ms",
                          f"100: {seconds(t100)}, 300: {seconds(t300)}, 1,000: {seconds(t1000)}",
                          f"{growth:.2f} × (1.0 = linear)", "linear (≤ 1.3 ×)", growth <= 1.3))
    return results
