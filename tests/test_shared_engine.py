"""One learner never disturbs another on a shared engine (real engine).

A classroom shares one engine: what the learner's command made is recorded from
that command alone, fixtures belong to one tutor session, leftovers of a killed
session are swept (only that learner's), and names that existed before are
reported, never removed.
"""

from __future__ import annotations

import io
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from conftest import dedent, write_course
from engine_helpers import TEST_LABEL, busybox_engine

from tutor.engine import runner as engine_runner
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.fixtures import FIXTURE_LABEL
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL
from tutor.practice.session import PracticeSession
from tutor.practice.values import personal_suffix
from tutor.progress import ProgressStore
from tutor.repl.conversation import Conversation

pytestmark = pytest.mark.engine

LESSON = """
id: {lesson}
title: Shared engine
summary: s
needs_engine: true
steps:
  - id: run
    type: command
    task: Start `{{{{ name }}}}`.
    vars:
      name: {{ free_name: {base} }}
    setup:
      - container: {{ as: helper, image: busybox, command: [sleep, "600"] }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run -d --name {{{{ name }}}} busybox sleep 600"]
  - id: tidy
    type: cleanup
    text: Tidy up.
"""


# A step that publishes a port (the run-web step of container-commands, in small).
PORT_LESSON = """
id: {lesson}
title: Shared engine, ports
summary: s
needs_engine: true
steps:
  - id: serve
    type: command
    task: Serve `{{{{ name }}}}` on port {{{{ port }}}}.
    vars:
      name: {{ free_name: {base} }}
      port: {{ free_port: 18080 }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running, ports: {{ "80/tcp": "{{{{ port }}}}" }} }}
    hints: [docker run -d -p.]
    explanation: Serves.
    solution: ["docker run -d --name {{{{ name }}}} -p {{{{ port }}}}:80 busybox httpd -f -p 80"]
  - id: tidy
    type: cleanup
    text: Tidy up.
"""


api = pytest.fixture(scope="module")(busybox_engine)


class Learner:
    def __init__(self, api, tmp_path: Path, learner: str | None = None,
                 template: str = LESSON) -> None:
        self.api = api
        self.lesson_id = f"shared-{uuid.uuid4().hex[:10]}"
        self.base = f"box-{uuid.uuid4().hex[:8]}"
        lessons = write_course(tmp_path / "lessons", {self.lesson_id: dedent(
            template.format(lesson=self.lesson_id, base=self.base))})
        self.course = load_course(lessons)
        assert not self.course.problems, [str(p) for p in self.course.problems]
        self.env = Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                               environ=dict(os.environ), data_dir=tmp_path / "data",
                               lessons_dir=lessons, stdout_isatty=False, stdin_isatty=False,
                               width=300)
        self.session = PracticeSession(self.env, learner=learner)
        self.conv = Conversation(self.course, ProgressStore(tmp_path / "data" / "p.json"),
                                 self.env.console, practice=self.session)
        self._seen = 0

    def output(self) -> str:
        text = self.env.stdout.getvalue()  # type: ignore[attr-defined]
        new, self._seen = text[self._seen:], len(text)
        return new

    def say(self, line: str) -> str:
        self.conv.handle(line)
        return self.output()


@pytest.fixture
def made(api) -> Iterator[list[str]]:
    """Names of containers and images a test makes; all removed afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        try:
            api.remove_container(name, force=True, v=True)
        except docker.errors.APIError:
            pass
        try:
            api.remove_image(name, force=True)
        except docker.errors.APIError:
            pass


def test_someone_elses_container_made_during_the_learners_command_is_not_theirs(
        api, tmp_path, made, monkeypatch):
    learner = Learner(api, tmp_path)
    learner.conv.start_lesson(learner.course.lessons[0])
    name = learner.session.values_for(learner.course.lessons[0].steps[0])["name"]
    other = f"other-{uuid.uuid4().hex[:8]}"
    made.extend([name, other])
    real_run = engine_runner.run_docker

    def run_while_someone_else_works(argv, *args, **kwargs):
        # Another learner starts a container from the same image at the same moment.
        created = api.create_container("busybox", command=["sleep", "600"], name=other,
                                       labels=TEST_LABEL)
        api.start(created["Id"])
        return real_run(argv, *args, **kwargs)

    monkeypatch.setattr(engine_runner, "run_docker", run_while_someone_else_works)
    out = learner.say(f"docker run -d --name {name} busybox sleep 600")
    assert "Correct" in out
    assert [item["name"] for item in learner.session.record.created] == [name]
    # The cleanup step offers only the learner's container.
    offered = learner.output() + out
    assert f"container {name}" in offered and other not in offered
    learner.say("y")
    names = {c["Names"][0].lstrip("/") for c in api.containers(all=True)}
    assert name not in names and other in names


def test_a_killed_sessions_fixtures_are_swept_and_nobody_elses(api, tmp_path, made):
    me = Learner(api, tmp_path / "me", learner=f"me-{uuid.uuid4().hex[:6]}")
    lesson = me.course.lessons[0]

    def fixture(name: str, learner: str, session: str) -> None:
        made.append(name)
        api.create_container("busybox", command=["sleep", "600"], name=name, labels={
            FIXTURE_LABEL: f"{lesson.id}/run", LEARNER_LABEL: learner, SESSION_LABEL: session,
            **TEST_LABEL})

    dead = f"dead-{uuid.uuid4().hex[:8]}"
    fixture(dead, me.session.learner, "a-session-that-was-killed")
    # A live session of the same learner (another terminal) holds its lock.
    other_session = PracticeSession(me.env, learner=me.session.learner)
    other_session.session.hold()
    alive = f"alive-{uuid.uuid4().hex[:8]}"
    fixture(alive, me.session.learner, other_session.session.id)
    theirs = f"theirs-{uuid.uuid4().hex[:8]}"
    fixture(theirs, "another-learner", "their-session")

    me.conv.start_lesson(lesson)
    out = me.output()
    names = {c["Names"][0].lstrip("/") for c in api.containers(all=True)}
    assert dead not in names and f"container {dead}" in out
    assert alive in names and theirs in names
    me.conv.quit()


def test_leaving_a_step_removes_only_this_sessions_fixtures(api, tmp_path, made):
    first, second = Learner(api, tmp_path / "a"), Learner(api, tmp_path / "b")
    # Both learners on the same lesson and step: the same fixture label value.
    second.lesson_id = first.lesson_id
    second.course = first.course
    lesson = first.course.lessons[0]
    first.session.begin_lesson(lesson, first.conv.progress.lesson(lesson.id))
    second.session.begin_lesson(lesson, second.conv.progress.lesson(lesson.id))
    first.session.enter_step(lesson.id, lesson.steps[0])
    second.session.enter_step(lesson.id, lesson.steps[0])
    theirs = second.session.values_for(lesson.steps[0])["helper"]
    made.extend([first.session.values_for(lesson.steps[0])["helper"], theirs])
    first.session.leave_step(lesson.id, lesson.steps[0])
    names = {c["Names"][0].lstrip("/") for c in api.containers(all=True)}
    assert theirs in names
    second.session.leave_step(lesson.id, lesson.steps[0])
    names = {c["Names"][0].lstrip("/") for c in api.containers(all=True)}
    assert theirs not in names


def test_a_name_without_a_tag_is_explained_from_the_engine(api, tmp_path, made):
    repository = f"tutor-test-hello-{uuid.uuid4().hex[:8]}"
    made.append(f"{repository}:1")
    api.tag("busybox:latest", repository, "1")
    learner = Learner(api, tmp_path)
    out = learner.say(f"docker tag {repository} localhost:5999/{repository}:1")
    assert f"`{repository}` meant `{repository}:latest`" in out
    assert f"`{repository}:1`" in out


def test_a_name_the_learner_moves_is_reported_not_removed(api, tmp_path, made):
    learner = Learner(api, tmp_path)
    repository = f"tutor-test-mine-{uuid.uuid4().hex[:8]}"
    ref = f"{repository}:1"
    made.append(ref)
    api.tag("busybox:latest", repository, "1")  # the learner's own image, from before
    before = api.inspect_image(ref)["Id"]
    lesson = learner.course.lessons[0]
    learner.conv.start_lesson(lesson)
    (learner.session.workspace / "Dockerfile").write_text("FROM busybox\nLABEL moved=1\n")
    learner.say(f"docker build -t {ref} .")
    after = api.inspect_image(ref)["Id"]
    assert after != before
    [item] = [i for i in learner.session.record.created if i.get("ref") == ref]
    assert item["replaced"] == before
    learner.conv.offer_cleanup(advance_after=False)
    out = learner.output()
    assert "existed before this lesson" in out and ref in out
    assert f"image {ref}" not in out.split("You created these", 1)[-1]
    assert api.inspect_image(ref)["Id"] == after
    learner.conv.quit()


def test_a_class_entering_a_step_together_gets_a_name_each(api, tmp_path, made):
    """On an engine marked shared, two learners who enter the same step at the same
    moment (nothing of theirs runs yet) are given different names, and both pass."""
    first = Learner(api, tmp_path / "a", learner="a1b2c3d4e5f6")
    second = Learner(api, tmp_path / "b", learner="f6e5d4c3b2a1")
    second.course, second.lesson_id = first.course, first.lesson_id
    lesson = first.course.lessons[0]
    for learner in (first, second):
        learner.env.shared_engine = True
        learner.session.begin_lesson(lesson, learner.conv.progress.lesson(lesson.id))
        learner.session.enter_step(lesson.id, lesson.steps[0])
    names = [learner.session.values_for(lesson.steps[0])["name"] for learner in (first, second)]
    made.extend(names + [learner.session.values_for(lesson.steps[0])["helper"]
                         for learner in (first, second)])
    assert names == [f"{first.base}-a1b2", f"{first.base}-f6e5"]
    for learner, name in zip((first, second), names, strict=True):
        learner.conv.start_lesson(lesson)
        learner.output()
        assert "Correct" in learner.say(f"docker run -d --name {name} busybox sleep 600")


def test_another_learners_running_container_makes_names_personal(api, tmp_path, made):
    """Without being told, the tutor notices a classroom: another learner's container runs
    on the engine, so this learner's names start from their own suffix."""
    alone = Learner(api, tmp_path / "alone", learner="0a0b0c0d0e0f")
    alone.env.shared_engine = None  # not told either way
    lesson = alone.course.lessons[0]
    alone.session.begin_lesson(lesson, alone.conv.progress.lesson(lesson.id))
    other = f"other-{uuid.uuid4().hex[:8]}"
    made.append(other)
    created = api.create_container("busybox", command=["sleep", "600"], name=other,
                                   labels={LEARNER_LABEL: "someone-else", **TEST_LABEL})
    api.start(created["Id"])
    alone.session.enter_step(lesson.id, lesson.steps[0])
    made.append(alone.session.values_for(lesson.steps[0])["helper"])
    assert alone.session.values_for(lesson.steps[0])["name"] == f"{alone.base}-0a0b"


def test_a_class_not_told_the_engine_is_shared_gets_a_name_each(api, tmp_path, made,
                                                                 monkeypatch):
    """Nobody said the engine is shared and nothing of theirs runs yet: two sessions on
    this machine entering the same step at the same moment are given different names
    (the second to choose sees the first one's reservation), and both pass."""
    # Other learners' containers on this test engine (another test run's) would make
    # both names personal: here only the sessions' reservations tell.
    monkeypatch.setattr("tutor.practice.values.others_present", lambda api, learner: False)
    learners = [Learner(api, tmp_path / "a", learner="a1b2c3d4e5f6"),
                Learner(api, tmp_path / "b", learner="f6e5d4c3b2a1")]
    learners[1].course, learners[1].lesson_id = learners[0].course, learners[0].lesson_id
    lesson = learners[0].course.lessons[0]
    base = learners[0].base
    together = threading.Barrier(2)

    def enter(learner: Learner) -> None:
        learner.env.shared_engine = None  # not told either way
        learner.session.begin_lesson(lesson, learner.conv.progress.lesson(lesson.id))
        together.wait()
        learner.session.enter_step(lesson.id, lesson.steps[0])

    threads = [threading.Thread(target=enter, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = [learner.session.values_for(lesson.steps[0]) for learner in learners]
    made.extend([v["name"] for v in values] + [v["helper"] for v in values])
    names = {learner.session.learner: v["name"] for learner, v in zip(learners, values,
                                                                       strict=True)}
    first = next(learner for learner, name in names.items() if name == base)
    second = next(learner for learner in names if learner != first)
    assert names[second] == f"{base}-{personal_suffix(second)}"
    for learner in learners:
        name = names[learner.session.learner]
        learner.conv.start_lesson(lesson)
        learner.output()
        assert "Correct" in learner.say(f"docker run -d --name {name} busybox sleep 600")


def on_another_machine(learner: Learner, tmp_path: Path) -> None:
    """Sessions on other machines reserve nothing of each other's (a remote engine)."""
    learner.env.environ["DOCKER_TUTOR_RUNTIME_DIR"] = str(tmp_path / "another-machine")  # type: ignore[index]


def test_a_learner_who_loses_a_name_to_another_machine_is_told_what_to_type(
        api, tmp_path, made):
    here = Learner(api, tmp_path / "here", learner="a1b2c3d4e5f6")
    there = Learner(api, tmp_path / "there", learner="f6e5d4c3b2a1")
    there.course, there.lesson_id = here.course, here.lesson_id
    on_another_machine(there, tmp_path)
    lesson = here.course.lessons[0]
    for learner in (here, there):
        learner.conv.start_lesson(lesson)
        learner.output()
        made.append(learner.session.values_for(lesson.steps[0])["helper"])
    base = here.base
    assert there.session.values_for(lesson.steps[0])["name"] == base  # the same name
    made.append(base)
    assert "Correct" in here.say(f"docker run -d --name {base} busybox sleep 600")
    out = " ".join(there.say(f"docker run -d --name {base} busybox sleep 600").split())
    mine = f"{base}-{personal_suffix(there.session.learner)}"
    made.append(mine)
    assert (f"Another learner on this engine took the name `{base}` a moment ago, after "
            "this step gave it to you") in out
    assert f"Type instead: `docker run -d --name {mine} busybox sleep 600`" in out
    assert f"docker rm -f {base}" not in out  # never: it is the other learner's
    assert there.session.values_for(lesson.steps[0])["name"] == mine
    assert "Correct" in there.say(f"docker run -d --name {mine} busybox sleep 600")
    assert api.inspect_container(base)["State"]["Running"]


def test_a_learner_who_loses_a_port_is_told_to_remove_what_could_not_start(
        api, tmp_path, made):
    learner = Learner(api, tmp_path, learner="f6e5d4c3b2a1", template=PORT_LESSON)
    lesson = learner.course.lessons[0]
    learner.conv.start_lesson(lesson)
    learner.output()
    values = learner.session.values_for(lesson.steps[0])
    name, port = values["name"], values["port"]
    made.append(name)
    # A learner on another machine publishes the same port a moment later.
    theirs = f"theirs-{uuid.uuid4().hex[:8]}"
    made.append(theirs)
    created = api.create_container(
        "busybox", command=["sleep", "600"], name=theirs, ports=[80],
        labels={LEARNER_LABEL: "someone-else", **TEST_LABEL},
        host_config=api.create_host_config(port_bindings={80: int(port)}))
    api.start(created["Id"])
    out = " ".join(learner.say(
        f"docker run -d --name {name} -p {port}:80 busybox httpd -f -p 80").split())
    new = learner.session.values_for(lesson.steps[0])["port"]
    assert new != port
    assert f"Another learner on this engine took port {port} a moment ago" in out
    assert (f"Docker made your container `{name}` but could not start it: remove it with "
            f"`docker rm {name}`, then type: `docker run -d --name {name} -p {new}:80 "
            "busybox httpd -f -p 80`") in out
    if "?" in learner.say(f"docker rm {name}"):
        learner.say("y")
    assert "Correct" in learner.say(f"docker run -d --name {name} -p {new}:80 busybox httpd "
                                    "-f -p 80")
    assert api.inspect_container(theirs)["State"]["Running"]
