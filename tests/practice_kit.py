"""Fixtures for practice-session tests that need no engine: the drill course, an
in-memory docker API, a fake Engine and a fake docker CLI runner (registered in
conftest.py as a plugin; the classes live in test_practice_session.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import write_course
from test_practice_fixtures import RecordingApi
from test_practice_session import DRILL, FakeEngine, FakeRunner, docker_effects

from tutor.course.lesson import Course, Lesson
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.session import PracticeSession


@pytest.fixture
def drill_course(tmp_path: Path) -> Course:
    loaded = load_course(write_course(tmp_path / "lessons", {"drill": DRILL}))
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


@pytest.fixture
def drill_lesson(drill_course: Course) -> Lesson:
    return drill_course.lessons[0]


@pytest.fixture
def fake_api() -> RecordingApi:
    api = RecordingApi()
    api.add_image("busybox:latest", cmd=["sh"])
    return api


@pytest.fixture
def practice_env(tmp_path: Path) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={"PATH": "/usr/bin"},
                       data_dir=tmp_path / "data", lessons_dir=tmp_path / "lessons",
                       stdout_isatty=False, stdin_isatty=False, width=300)


@pytest.fixture
def fake_runner(fake_api, monkeypatch) -> FakeRunner:
    runner = FakeRunner(fake_api, docker_effects)
    monkeypatch.setattr("tutor.engine.runner.run_docker", runner)
    return runner


@pytest.fixture
def practice(practice_env, fake_api) -> PracticeSession:
    return PracticeSession(practice_env, FakeEngine(fake_api), learner="me")
