"""Volumes and networks the learner makes in a lesson, on the real engine: labelled as
theirs, offered at the lesson's cleanup step and removed on yes."""

from __future__ import annotations

import io
import os
import uuid

import docker.errors
import pytest
from conftest import dedent, write_course
from engine_helpers import ensure_image, require_engine

from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.session import PracticeSession
from tutor.progress import ProgressStore
from tutor.repl.conversation import Conversation

pytestmark = pytest.mark.engine

LESSON = """
id: objects
title: Objects
summary: s
needs_engine: true
steps:
  - id: make
    type: command
    task: Make the volume `{{ notes }}` and the network `{{ net }}`.
    vars:
      notes: { free_volume: notes-UID }
      net: { free_network: backend-UID }
    check:
      all:
        - volume: { name: "{{ notes }}" }
        - network: { name: "{{ net }}" }
    hints: [docker volume create.]
    explanation: Made.
    solution: ["docker volume create {{ notes }}", "docker network create {{ net }}"]
  - id: tidy
    type: cleanup
    text: Tidy up.
"""


@pytest.fixture
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


def test_the_learners_volume_and_network_are_labelled_offered_and_removed(api, tmp_path):
    uid = uuid.uuid4().hex[:8]
    lessons = write_course(tmp_path / "lessons", {"objects": dedent(LESSON.replace("UID", uid))})
    course = load_course(lessons)
    assert not course.problems, [str(p) for p in course.problems]
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=dict(os.environ),
                      data_dir=tmp_path / "data", lessons_dir=lessons, stdout_isatty=False,
                      stdin_isatty=False, width=300)
    practice = PracticeSession(env)
    conv = Conversation(course, ProgressStore(tmp_path / "data" / "p.json"), env.console,
                        practice=practice)
    volume, network = f"notes-{uid}", f"backend-{uid}"
    try:
        conv.start_lesson(course.lessons[0])
        conv.handle(f"docker volume create {volume}")
        conv.handle(f"docker network create {network}")
        out = env.stdout.getvalue()  # type: ignore[attr-defined]
        assert "Correct" in out
        assert api.inspect_volume(volume)["Labels"] == {LEARNER_LABEL: practice.learner}
        assert api.inspect_network(network)["Labels"] == {LEARNER_LABEL: practice.learner}
        assert conv.step.id == "tidy"
        offered = out.split("Correct", 1)[1]
        assert f"volume {volume}" in offered and f"network {network}" in offered
        conv.handle("y")
        with pytest.raises(docker.errors.NotFound):
            api.inspect_volume(volume)
        with pytest.raises(docker.errors.NotFound):
            api.inspect_network(network)
    finally:
        for remove, name in ((api.remove_volume, volume), (api.remove_network, network)):
            try:
                remove(name)
            except docker.errors.APIError:
                pass
