"""The conversation never waits on the engine before the first prompt, and says in
words when practice cannot work here."""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

from conftest import PRACTICE_LESSON, FakePractice

from tutor.course.lesson import Course
from tutor.environment import Environment
from tutor.practice.session import PracticeSession
from tutor.progress import Progress

NEEDS_ENGINE = dataclasses.replace(PRACTICE_LESSON, needs_engine=True)
COURSE = Course(title="Practice course", lessons=(NEEDS_ENGINE,))


def test_resuming_at_a_practice_step_sets_nothing_up_before_the_first_prompt(make_talk):
    practice = FakePractice()
    talk = make_talk(COURSE, practice=practice,
                     progress=Progress(current_lesson="practice", current_step="pull"))
    talk.conv.greet()
    out = talk.output()
    assert "Welcome back" in out and "step 2/3" in out
    assert "Press Enter to set it up" in out
    assert "Pull the busybox image." not in out
    assert practice.names() == []  # no enter_step: nothing talked to the engine
    out = talk.say("")
    assert "Pull the busybox image." in out
    assert practice.names() == ["enter_step"]


def test_resuming_and_typing_a_command_runs_it_at_once(make_talk):
    practice = FakePractice()
    talk = make_talk(COURSE, practice=practice,
                     progress=Progress(current_lesson="practice", current_step="pull"))
    talk.conv.greet()
    talk.say("docker pull busybox")
    assert practice.calls[0][:2] == ("run_command", "docker pull busybox")


def test_the_start_screen_says_in_words_when_no_engine_answers(make_talk):
    practice = FakePractice()
    practice.problem = "No Docker engine socket at /var/run/docker.sock. Linux: sudo systemctl start docker"
    talk = make_talk(COURSE, practice=practice)
    talk.conv.greet()
    out = " ".join(talk.output().split())
    assert "Practice lessons (“needs engine”) run your docker commands against a Docker engine, " \
           "and none answers here: No Docker engine socket at /var/run/docker.sock." in out
    assert "sudo systemctl start docker" in out and "docker-tutor doctor" in out


def test_the_start_screen_is_quiet_when_the_engine_is_there(make_talk):
    talk = make_talk(COURSE, practice=FakePractice())
    talk.conv.greet()
    assert "none answers here" not in talk.output()


def test_a_missing_local_socket_is_plain_at_once(tmp_path: Path):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                      environ={**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/docker.sock"},
                      data_dir=tmp_path / "data", stdout_isatty=False, stdin_isatty=False)
    problem = PracticeSession(env).plain_problem()
    assert problem is not None
    assert f"No Docker engine socket at {tmp_path}/docker.sock" in problem
    regular = tmp_path / "not-a-socket"
    regular.write_text("")
    env = dataclasses.replace(env, environ={**os.environ, "DOCKER_HOST": f"unix://{regular}"})
    problem = PracticeSession(env).plain_problem()
    assert problem is not None and "is a regular file, not a socket" in problem


def test_a_long_course_greets_on_one_screen(make_talk):
    lessons = tuple(dataclasses.replace(NEEDS_ENGINE, id=f"lesson-{n}", title=f"Lesson {n}",
                                        needs_engine=False) for n in range(1, 41))
    progress = Progress()
    for done in lessons[:20]:
        progress.lesson(done.id).completed_at = "2026-01-01T00:00:00+0000"
    talk = make_talk(Course(title="Long", lessons=lessons), progress=progress)
    talk.conv.greet()
    out = talk.output()
    assert "40 lessons in all, 20 done: /lessons lists every one." in out
    shown = [n for n in range(1, 41) if f"lesson-{n} " in out or out.rstrip().endswith(f"lesson-{n}")]
    assert "lesson-21" in out and "lesson-20" in out  # the next one, and the one before it
    assert "lesson-1 " not in out and "lesson-40" not in out
    assert out.count("\n") < 30, shown
