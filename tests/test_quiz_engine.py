"""Practical quiz challenges against the real engine: played in a round of the tutor,
and played by selftest as a quiz plays them (alone)."""

from __future__ import annotations

import io
import os
import random
import uuid

import docker.errors
import pytest
from conftest import Talk, dedent, write_course
from engine_helpers import ensure_image, require_engine
from test_selftest import Run, lesson
from test_selftest import run as run  # the fixture: label keys of this test's own

from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.session import PracticeSession
from tutor.progress import ProgressStore
from tutor.progress.reviews import GOOD
from tutor.quiz.start import Request, start_quiz
from tutor.repl.conversation import Conversation
from tutor.status import ExitStatus

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


def probe_step(uid: str) -> str:
    return f"""
  - id: exit-3
    type: command
    topics: [exits]
    quiz: challenge
    task: Make a container named `{{{{ probe }}}}` from busybox that has exited with code 3.
    vars:
      probe: {{ free_name: probe-{uid} }}
    check:
      container: {{ name: "{{{{ probe }}}}", state: exited, exit_code: 3 }}
    hints: ["`sh -c 'exit 3'` exits with code 3."]
    explanation: The container's exit code is its main process's.
    solution: ["docker run --name {{{{ probe }}}} busybox sh -c 'exit 3'"]
    wrong:
      - commands: ["docker run --name {{{{ probe }}}} busybox sh -c 'exit 2'"]
        reason: "with code 2"
"""


@pytest.fixture
def uid() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def probe_name(api, uid):
    name = f"probe-{uid}"
    yield name
    try:
        api.remove_container(name, force=True, v=True)
    except docker.errors.NotFound:
        pass


def test_a_challenge_in_a_round_is_judged_by_the_engine(api, tmp_path, uid, probe_name):
    lessons = write_course(tmp_path / "lessons", {"probe": dedent(lesson("probe", probe_step(uid)))})
    course = load_course(lessons)
    assert not course.problems, course.problems
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=dict(os.environ),
                      data_dir=tmp_path / "data", lessons_dir=lessons, stdout_isatty=False,
                      stdin_isatty=False, width=200)
    store = ProgressStore(env.progress_path)
    practice = PracticeSession(env, learner=f"quiz-test-{uid}")
    talk = Talk(Conversation(course, store, env.console, practice=practice,
                             progress=store.load().progress))
    start_quiz(talk.conv, Request(None, 3), talk.conv.clock, rng=random.Random(0))
    out = talk.output()
    assert f"Make a container named {probe_name} from busybox" in " ".join(out.split())

    out = talk.say(f"docker run --name {probe_name} busybox sh -c 'exit 2'")
    assert "Not done yet" in out and "exited with code 2; expected exit code 3" in out
    assert talk.conv.activity is not None
    talk.say(f"docker rm {probe_name}")
    out = talk.say(f"docker run --name {probe_name} busybox sh -c 'exit 3'")
    assert "✔ Done!" in out
    assert "Round over: 1 of 1 right (100%)." in out
    assert api.inspect_container(probe_name)["State"]["ExitCode"] == 3
    assert f"Your commands made container {probe_name} in the challenges." in out
    out = talk.say("y")
    assert f"Removed: container {probe_name}." in out
    with pytest.raises(docker.errors.NotFound):
        api.inspect_container(probe_name)
    ratings = [r.rating for record in store.load().progress.quiz.questions.values()
               for r in record.reviews]
    assert ratings == [GOOD]


def test_selftest_plays_quiz_challenges_alone(run: Run, uid):
    """A challenge that needs no earlier step passes alone; one that leans on the step
    before it (a container that step's solution made) fails alone, though it passes in
    its lesson."""
    lesson_id = f"quiz-{run.uid}"
    keep = f"keep-{run.uid}"
    leaning = f"""
  - id: make-keep
    type: command
    task: Start `{keep}`.
    check:
      container: {{ name: {keep}, state: running }}
    hints: [h]
    explanation: e
    solution: ["docker run -d --name {keep} busybox sleep 600"]
  - id: stop-keep
    type: command
    quiz: challenge
    task: Stop `{keep}`.
    check:
      container: {{ name: {keep}, state: exited }}
    hints: [h]
    explanation: e
    solution: ["docker stop -t 1 {keep}"]
"""
    run.containers.append(keep)
    lessons = run.course({lesson_id: lesson(lesson_id, probe_step(run.uid) + leaning)})
    run.containers.append(f"probe-{run.uid}")
    code, out = run.selftest(lessons, lesson_id)
    assert f"✔ {lesson_id}/stop-keep" in out  # in the lesson, after make-keep
    assert f"✔ quiz challenge {lesson_id}/exit-3  (3 checks)" in out
    assert f"✘ quiz challenge {lesson_id}/stop-keep" in out
    assert "solution ['docker stop -t 1" in out and "did not pass" in out
    assert code == ExitStatus.SELFTEST_FAILED
    assert "left behind" not in out
    assert run.labelled(run.selftest_key) == []
