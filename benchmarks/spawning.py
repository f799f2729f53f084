"""Starting the tutor (and Baseline A) the way a learner would, in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from terminal import Screen, Terminal

BIN = Path(sys.executable).parent
TUTOR = str(BIN / "docker-tutor")

# Baseline A: a Python process that only imports what the tutor is built on.
BASELINE_MARK = "baseline ready"
BASELINE_A = [sys.executable, "-c",
              "import prompt_toolkit, docker, rich.markdown, pyfiglet, yaml, sys; "
              f"print({BASELINE_MARK!r}, flush=True); sys.stdin.readline()"]


def child_environ(home: Path | None = None, docker_host: str | None = None,
                  extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    # Learners' Pythons write bytecode; this machine's environment turns that off.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("PROMPT_TOOLKIT_NO_CPR", "COLUMNS", "LINES", "NO_COLOR"):
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    if home is not None:
        env["DOCKER_TUTOR_HOME"] = str(home)
    if docker_host is not None:
        env["DOCKER_HOST"] = docker_host
    env.update(extra or {})
    return env


def neutral_dir() -> str:
    """A working directory that holds nothing the tutor could pick up."""
    return tempfile.gettempdir()


def new_home() -> Path:
    return Path(tempfile.mkdtemp(prefix="tutor-bench-home-"))


def remove_home(home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)


def spawn_tutor(home: Path, *args: str, docker_host: str | None = None,
                rows: int = 24, columns: int = 80) -> Terminal:
    return Terminal([TUTOR, *args], child_environ(home, docker_host), cwd=neutral_dir(),
                    rows=rows, columns=columns)


def spawn_baseline() -> Terminal:
    return Terminal(BASELINE_A, child_environ(), cwd=neutral_dir())


def baseline_ready(screen: Screen) -> bool:
    return screen.shows(BASELINE_MARK)


def time_baseline() -> float:
    """Seconds from exec to Baseline A's imports done."""
    with spawn_baseline() as term:
        return term.elapsed(term.wait_until(baseline_ready, what="baseline A"))


def time_to_prompt(home: Path, *args: str, docker_host: str | None = None) -> tuple[float, int]:
    """Seconds from exec to the tutor's first prompt, and the lines written before it."""
    with spawn_tutor(home, *args, docker_host=docker_host) as term:
        at = term.wait_for_prompt(timeout=60)
        return term.elapsed(at), term.screen.newlines


def write_progress(home: Path, lesson: str, step: str, done: list[str]) -> None:
    """progress.json (format 2, tutor/progress/records.py) placing the learner at
    ``lesson``/``step`` with the ``done`` steps passed."""
    steps = {step_id: {"status": "passed", "attempts": 0, "hints": 0, "revealed": False}
             for step_id in done}
    progress = {
        "version": 2,
        "learner": "bench" + os.urandom(4).hex(),
        "current": {"lesson": lesson, "step": step},
        "lessons": {lesson: {"completed_at": None, "steps": steps, "values": {},
                             "created": []}},
    }
    home.mkdir(parents=True, exist_ok=True)
    (home / "progress.json").write_text(json.dumps(progress), encoding="utf-8")
