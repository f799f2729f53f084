"""The practice side a conversation starts with: its session is made on first use, and the
start screen's questions are answered by the engine alone."""

from __future__ import annotations

import io
import os
from pathlib import Path

from conftest import SHIPPED_LESSONS

from tutor.app import build_conversation, make_practice
from tutor.environment import Environment
from tutor.practice.deferred import DeferredPractice
from tutor.practice.session import PracticeSession


def environment(tmp_path: Path) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                       environ={**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/docker.sock"},
                       data_dir=tmp_path / "data", lessons_dir=SHIPPED_LESSONS,
                       stdout_isatty=False, stdin_isatty=False)


def test_the_start_screen_gets_the_engines_problem_without_a_session(tmp_path):
    env = environment(tmp_path)
    deferred = DeferredPractice(env, "me")
    problem = deferred.plain_problem()
    assert problem is not None and f"No Docker engine socket at {tmp_path}/docker.sock" in problem
    assert problem == PracticeSession(env).plain_problem()
    assert not deferred.started


def test_the_session_is_made_once_on_first_use_and_takes_over_the_engine(tmp_path):
    env = environment(tmp_path)
    made: list[PracticeSession] = []

    def make(env, engine, learner):
        made.append(PracticeSession(env, engine=engine, learner=learner))
        return made[-1]

    deferred = DeferredPractice(env, "learner-1", make=make)
    changes: list[str] = []
    deferred.watch_engine(lambda: changes.append("changed"))
    assert made == []
    assert deferred.workspace == made[0].workspace  # the first use makes it
    deferred.known_names("container")
    assert len(made) == 1 and deferred.started
    session = made[0]
    assert session.learner == "learner-1"
    # one engine: the toolbar's redraw is registered on the one the session uses
    assert session.engine is deferred.engine
    for listener in session.engine.listeners:
        listener()
    assert changes == ["changed"]


def test_a_started_tutor_makes_no_session_before_it_is_needed(tmp_path):
    env = environment(tmp_path)
    conversation = build_conversation(env, make_practice)
    conversation.greet()
    assert isinstance(conversation.practice, DeferredPractice)
    assert not conversation.practice.started
    assert "none answers here" in env.stdout.getvalue()  # the start screen still says it
