"""How fast the tutor gets to its first prompt, and what start-up imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[1]


def test_import_of_the_repl_modules(benchmark):
    """Importing everything the first prompt needs, in a fresh interpreter."""
    code = "import tutor.cli, tutor.app, tutor.repl.loop, tutor.repl.conversation, tutor.course"

    def run():
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)

    benchmark.pedantic(run, rounds=5, iterations=1)


def test_heavy_modules_are_not_imported_before_the_first_prompt():
    """The docker SDK (and requests) load only when a practice step needs the engine, the
    quiz scheduler (fsrs) with the first quiz answer."""
    code = ("import sys, tutor.cli, tutor.app, tutor.repl.loop, tutor.repl.conversation; "
            "print(sorted(m for m in ('docker', 'requests', 'urllib3', 'fsrs') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                         capture_output=True, text=True).stdout.strip()
    assert out == "[]", out


def test_time_to_first_prompt(benchmark, tmp_path):
    """From exec to the prompt, with a fresh data directory."""
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "DOCKER_TUTOR_HOME": str(tmp_path),
           "TERM": "xterm"}

    def run():
        child = pexpect.spawn(sys.executable, ["-m", "tutor", "--no-banner"], env=env,
                              encoding="utf-8", dimensions=(40, 120), timeout=30)
        child.expect("you.*›")  # the prompt's parts are styled separately
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()

    benchmark.pedantic(run, rounds=5, iterations=1)
