"""Nothing heavy is loaded before the first prompt, seen from outside.

The real ``docker-tutor`` runs in a pseudo-terminal, with the shipped course (so the
lessons, and their checks, are parsed), and reports which modules are loaded at
the moment its first prompt is asked for: a tiny bootstrap wraps prompt-toolkit's
``PromptSession.prompt`` before handing over to ``tutor.cli.main``. Resuming at a
practice step is measured too: that is where the engine could be touched early.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

HEAVY = ("docker", "requests", "urllib3", "rich.markdown", "markdown_it", "rapidfuzz",
         "Stemmer", "numpy", "dockerfile_parse", "fsrs", "pyfiglet.fonts")

BOOTSTRAP = textwrap.dedent("""
    import json, sys
    import prompt_toolkit

    REPORT = sys.argv[1]



    def first_prompt(self, *args, **kwargs):
        with open(REPORT, "w") as report:
            json.dump(sorted(sys.modules), report)
        raise EOFError  # leave at once: the report is all this run is for

    prompt_toolkit.PromptSession.prompt = first_prompt
    from tutor.cli import main
    sys.argv = ["docker-tutor", "--no-banner"]
    sys.exit(main())
""")


def modules_at_first_prompt(tmp_path: Path, progress: dict | None = None) -> set[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    if progress is not None:
        (home / "progress.json").write_text(json.dumps(progress))
    report = tmp_path / "modules.json"
    environ = {**os.environ, "DOCKER_TUTOR_HOME": str(home), "TERM": "xterm",
               "PROMPT_TOOLKIT_NO_CPR": "1",
               # An engine that is not there: nothing may wait on it, or load its SDK.
               "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    child = pexpect.spawn(sys.executable, ["-c", BOOTSTRAP, str(report)], env=environ,
                          cwd=str(tmp_path), encoding="utf-8", timeout=60,
                          dimensions=(40, 120))
    child.expect(pexpect.EOF)
    child.close()
    assert report.exists(), child.before
    return set(json.loads(report.read_text()))


def test_a_fresh_start_loads_nothing_heavy_before_the_first_prompt(tmp_path):
    loaded = modules_at_first_prompt(tmp_path)
    # A checkout has no build's parse of its lessons (an installed wheel has: see
    # test_lesson_prebuilt.py), so a new data folder parses them.
    assert "tutor.lessonfile.loader" in loaded and "tutor.steps.command" in loaded
    assert [m for m in HEAVY if m in loaded] == []
    # The practice session (checks, runner, advice) is made after the first prompt.
    assert "tutor.practice.deferred" in loaded and "tutor.practice.session" not in loaded


def test_resuming_at_a_practice_step_loads_nothing_heavy_either(tmp_path):
    progress = {"version": 2, "learner": "abcdef012345",
                "current": {"lesson": "container-commands", "step": "run-web"}, "lessons": {}}
    loaded = modules_at_first_prompt(tmp_path, progress)
    assert [m for m in HEAVY if m in loaded] == []


def test_a_returning_learner_starts_without_reading_any_step(tmp_path):
    """Started again (the parse cache warm), with a lesson done and quiz answers: the start
    screen counts reviews due and topic standings from the lessons' headers, so no step
    type, check or lesson step is loaded before the first prompt."""
    modules_at_first_prompt(tmp_path)  # the first start parses and caches the lessons
    progress = {"version": 3, "learner": "abcdef012345", "lessons": {
        "what-is-docker": {"completed_at": "2026-01-01T00:00:00+0000", "steps": {}}}}
    loaded = modules_at_first_prompt(tmp_path, progress)
    assert "tutor.lessonfile.loader" in loaded
    assert "tutor.lessonfile.lesson_file" not in loaded and "tutor.checks.registry" not in loaded
    assert [m for m in loaded if m.startswith("tutor.steps")] == [], sorted(loaded)
    assert [m for m in HEAVY if m in loaded] == []
    # course.yaml comes from the cache too: no YAML is read at all
    assert "yaml" not in loaded and "tutor.practice.session" not in loaded
