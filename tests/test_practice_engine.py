"""A practice lesson played through the Conversation against the real Docker engine.

The learner's lines go to ``Conversation.handle`` exactly as typed; the real
PracticeSession runs them with the real docker CLI and judges the engine's state.

The engine is shared: names carry a uuid, ports come from free_port(), containers
the test creates carry org.docker-tutor.test=1, and only those (and the fixtures of
this test's own uniquely named lesson) are removed afterwards.
"""

from __future__ import annotations

import io
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from conftest import dedent, write_course
from engine_helpers import TEST_LABEL, ensure_image, free_port, require_engine

from tutor.engine.connection import Engine
from tutor.engine.endpoint import Endpoint
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.fixtures import FIXTURE_IMAGE_LABEL, FIXTURE_LABEL, FIXTURE_TAG_LABEL
from tutor.practice.session import PracticeSession
from tutor.progress import PASSED, ProgressStore
from tutor.repl.conversation import Conversation

pytestmark = pytest.mark.engine

SERVE = "sh -c 'mkdir -p /www && echo hello-tutor > /www/index.html && exec httpd -f -p 80 -h /www'"
SERVE_ARGV = ["sh", "-c", "mkdir -p /www && echo hello-tutor > /www/index.html "
                          "&& exec httpd -f -p 80 -h /www"]

LESSON = """
id: {lesson}
title: Engine practice
summary: Serve a page from a container.
needs_engine: true
steps:
  - id: run-web
    type: command
    task: |
      Start a container named `{{{{ name }}}}` from `busybox`, detached, publishing
      container port 80 on host port {{{{ port }}}}, serving a page with httpd.
    vars:
      name: {{ free_name: {base} }}
      port: {{ free_port: {port} }}
    setup:
      - container: {{ as: helper, image: busybox, command: [sleep, "600"] }}
    check:
      all:
        - container: {{ name: "{{{{ name }}}}", state: running, ports: {{ "80/tcp": "{{{{ port }}}}" }} }}
        - http: {{ port: "{{{{ port }}}}", contains: hello-tutor }}
          wait: 15
    hints: [Use -p HOST:CONTAINER.]
    explanation: The page is served on port {{{{ port }}}}.
    solution: ["docker run -d --name {{{{ name }}}} -p {{{{ port }}}}:80 busybox {serve}"]
  - id: kernel
    type: choice
    question: What do containers on one host share?
    choices:
      - text: The host kernel
        correct: true
      - text: A guest operating system
        feedback: That is a virtual machine.
    hints: [k.]
    explanation: Containers are processes on the host kernel.
"""


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


class Lab:
    """One lesson, one Conversation over a real PracticeSession, and the cleanup."""

    def __init__(self, api, tmp_path: Path, port: int | None = None,
                 base: str | None = None) -> None:
        self.api = api
        self.lesson_id = f"engine-{uuid.uuid4().hex[:10]}"
        self.base = base or f"web-{uuid.uuid4().hex[:8]}"
        self.default_port = port or free_port()
        text = LESSON.format(lesson=self.lesson_id, base=self.base, port=self.default_port,
                             serve=SERVE)
        lessons = write_course(tmp_path / "lessons", {self.lesson_id: dedent(text)})
        self.course = load_course(lessons)
        assert not self.course.problems, [str(p) for p in self.course.problems]
        self.env = Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                               environ=dict(os.environ), data_dir=tmp_path / "data",
                               lessons_dir=lessons, stdout_isatty=False, stdin_isatty=False,
                               width=300, shared_engine=False)  # names as the lesson has them
        self.session = PracticeSession(self.env)
        self.conv = Conversation(self.course, ProgressStore(tmp_path / "data" / "progress.json"),
                                 self.env.console, practice=self.session)
        self.names: list[str] = []  # containers the test (as the learner) creates
        self._seen = 0

    @property
    def lesson(self):
        return self.course.lessons[0]

    @property
    def step(self):
        return self.lesson.steps[0]

    def start(self) -> str:
        self.conv.start_lesson(self.lesson)
        return self.output()

    def values(self) -> dict[str, str]:
        return self.session.values_for(self.step)

    def output(self) -> str:
        text = self.env.stdout.getvalue()  # type: ignore[attr-defined]
        new, self._seen = text[self._seen:], len(text)
        return new

    def say(self, line: str) -> str:
        self.output()
        self.conv.handle(line)
        return self.output()

    def fixtures(self) -> list[dict]:
        return self.api.containers(
            all=True, filters={"label": f"{FIXTURE_LABEL}={self.lesson_id}/run-web"})

    def exists(self, name: str) -> bool:
        try:
            self.api.inspect_container(name)
        except docker.errors.NotFound:
            return False
        return True

    def cleanup(self) -> None:
        for name in self.names:
            try:
                self.api.remove_container(name, force=True, v=True)
            except docker.errors.NotFound:
                pass
        # The fixtures of this test's lesson only (its id is unique).
        for container in self.api.containers(
                all=True, filters={"label": f"{FIXTURE_LABEL}={self.lesson_id}/run-web"}):
            try:
                self.api.remove_container(container["Id"], force=True, v=True)
            except docker.errors.NotFound:
                pass


@pytest.fixture
def lab(api, tmp_path) -> Iterator[Lab]:
    made = Lab(api, tmp_path)
    yield made
    made.cleanup()


def run_line(name: str, port: int) -> str:
    return (f"docker run -d --label org.docker-tutor.test=1 --name {name} -p {port}:80 "
            f"busybox {SERVE}")


def other_port(*avoid: int) -> int:
    while True:
        port = free_port()
        if port not in avoid:
            return port


# -- the lesson, as a learner plays it ---------------------------------------------------------


def test_setup_creates_a_labelled_fixture_and_the_task_names_the_chosen_values(lab):
    out = lab.start()
    values = lab.values()
    assert values["name"] == lab.base
    assert values["port"] == str(lab.default_port)
    assert f"Start a container named {lab.base} from busybox" in out
    assert f"host port {lab.default_port}" in out
    [fixture] = lab.fixtures()
    assert fixture["State"] == "running"
    assert fixture["Names"] == ["/" + values["helper"]]
    assert fixture["Labels"][FIXTURE_LABEL] == f"{lab.lesson_id}/run-web"


def test_wrong_port_is_not_done_yet_with_expected_and_found_ports(lab):
    lab.start()
    name, port = lab.values()["name"], int(lab.values()["port"])
    wrong = other_port(port)
    lab.names.append(name)
    out = lab.say(run_line(name, wrong))
    assert "Not done yet:" in out
    assert f'container "{name}" is running but publishes 80/tcp on {wrong}; expected {port}' in out
    assert lab.conv.step.id == "run-web"
    # docker itself ran: the container is really there, with the wrong mapping.
    bindings = lab.api.inspect_container(name)["HostConfig"]["PortBindings"]
    assert bindings["80/tcp"][0]["HostPort"] == str(wrong)


def test_a_container_the_learner_made_in_this_lesson_is_removed_without_a_question(lab):
    lab.start()
    name, port = lab.values()["name"], int(lab.values()["port"])
    lab.names.append(name)
    lab.say(run_line(name, other_port(port)))
    assert lab.exists(name)

    out = lab.say(f"docker rm -f {name}")
    assert "[y/N]" not in out
    assert out.splitlines()[0].strip() == name  # docker rm prints what it removed
    assert not lab.exists(name)
    assert lab.conv.step.id == "run-web"


def test_what_a_run_made_is_read_from_its_id_file_on_the_real_cli(lab):
    """The docker CLI writes the new container's ID to the file the tutor gives it: a
    created container is recorded, one that --rm removed again and a failed run are not."""
    lab.start()
    name = lab.values()["name"]
    lab.names += [name, f"{name}-made", f"{name}-gone"]
    lab.say(f"docker create --label org.docker-tutor.test=1 --name {name}-made busybox true")
    lab.say(f"docker run --rm --label org.docker-tutor.test=1 --name {name}-gone busybox true")
    lab.say(f"docker run -d --name {name} no-such-image-{name}:1")
    made = [(item["kind"], item["name"]) for item in lab.session.record.created]
    assert made == [("container", f"{name}-made")]
    [item] = lab.session.record.created
    assert item["id"] == lab.api.inspect_container(f"{name}-made")["Id"]


def outside_container(lab, name: str) -> None:
    """A container made elsewhere (another terminal): the tutor did not see it created."""
    lab.names.append(name)
    created = lab.api.create_container("busybox", command=["sleep", "600"], name=name,
                                       labels={"org.docker-tutor.test": "1"})
    lab.api.start(created["Id"])


def test_removing_a_container_made_elsewhere_asks_and_yes_removes_it(lab):
    lab.start()
    name = f"{lab.values()['name']}-elsewhere"
    outside_container(lab, name)

    out = lab.say(f"docker rm -f {name}")
    assert f"{name} was not created by the tutor for this step. Run it? [y/N]" in out
    assert lab.exists(name)  # nothing ran yet
    out = lab.say("y")
    assert out.splitlines()[0].strip() == name
    assert not lab.exists(name)
    assert lab.conv.step.id == "run-web"


def test_no_to_the_question_keeps_the_container(lab):
    lab.start()
    name = f"{lab.values()['name']}-elsewhere"
    outside_container(lab, name)
    lab.say(f"docker rm -f {name}")
    assert "Cancelled: nothing was changed." in lab.say("n")
    assert lab.exists(name)


def test_removing_the_steps_fixture_asks_nothing(lab):
    lab.start()
    helper = lab.values()["helper"]
    out = lab.say(f"docker rm -f {helper}")
    assert "[y/N]" not in out
    assert not lab.exists(helper)


def test_the_right_command_passes_advances_and_cleans_up_the_fixture(lab):
    lab.start()
    values = lab.values()
    name, port, helper = values["name"], values["port"], values["helper"]
    lab.names.append(name)
    out = lab.say(run_line(name, int(port)))
    assert "Correct" in out
    assert f"The page is served on port {port}." in out
    assert f"Cleaned up what this step created: container {helper}." in out
    assert lab.conv.step.id == "kernel"
    assert lab.conv.progress.lessons[lab.lesson_id].steps["run-web"].status == PASSED
    assert lab.fixtures() == []
    assert not lab.exists(helper)
    assert lab.exists(name)  # the learner's own container is theirs to keep
    assert lab.api.inspect_container(name)["State"]["Running"]


def test_long_flags_in_another_order_pass_too(lab):
    lab.start()
    name, port = lab.values()["name"], lab.values()["port"]
    lab.names.append(name)
    out = lab.say(f"docker container run --publish={port}:80 --label org.docker-tutor.test=1 "
                  f"--detach --name={name} busybox {SERVE}")
    assert "Correct" in out and lab.conv.step.id == "kernel"


def test_check_passes_for_work_done_in_another_terminal(lab):
    lab.start()
    name, port = lab.values()["name"], int(lab.values()["port"])
    out = lab.say("/check")
    assert "Not done yet:" in out and f'"{name}"' in out

    # "Another terminal": the docker SDK, not the tutor.
    lab.names.append(name)
    created = lab.api.create_container(
        "busybox", command=SERVE_ARGV, name=name, labels=TEST_LABEL, ports=[80],
        host_config=lab.api.create_host_config(port_bindings={80: port}))
    lab.api.start(created["Id"])
    out = lab.say("/check")
    assert "Correct" in out
    assert lab.conv.step.id == "kernel"
    assert lab.fixtures() == []


def test_leaving_by_skip_removes_the_fixture_too(lab):
    lab.start()
    assert len(lab.fixtures()) == 1
    lab.say("/skip")
    assert lab.conv.step.id == "kernel"
    assert lab.fixtures() == []


def test_vars_avoid_the_learners_container_name_and_a_busy_port(api, tmp_path):
    base = f"web-{uuid.uuid4().hex[:8]}"
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        lab = Lab(api, tmp_path, port=port, base=base)
        try:
            # The learner already has a (stopped) container with the name the lesson wants.
            api.create_container("busybox", command=["true"], name=base, labels=TEST_LABEL)
            lab.names.append(base)
            out = lab.start()
            values = lab.values()
            assert values["name"] == f"{base}-2"
            assert int(values["port"]) != port
            assert f"named {base}-2 " in out
            assert f"host port {values['port']}" in out
        finally:
            lab.cleanup()


# -- the engine goes away --------------------------------------------------------------------------


def test_engine_going_away_gives_the_problem_and_quizzes_still_work(lab, tmp_path):
    lab.start()
    assert len(lab.fixtures()) == 1
    gone = Path("/tmp") / f"dt-gone-{uuid.uuid4().hex[:8]}" / "docker.sock"
    broken = PracticeSession(lab.env, Engine(Endpoint(host=f"unix://{gone}", source="DOCKER_HOST"),
                                             environ={"PATH": os.environ.get("PATH", "")}))
    lab.conv.practice = broken

    out = lab.say("docker ps")
    assert "This needs the Docker engine, and it does not answer:" in out
    assert f"No Docker engine socket at {gone}" in out
    assert "Concept lessons and quizzes work without it" in out

    out = lab.say("/check")
    assert f"No Docker engine socket at {gone}" in out
    assert lab.conv.step.id == "run-web"

    lab.say("/skip")
    assert lab.conv.step.id == "kernel"
    out = lab.say("b")
    assert "Not quite" in out and "That is a virtual machine." in out
    out = lab.say("a")
    assert "Correct" in out
    assert lab.conv.lesson is None  # the lesson is complete
    assert "Lesson complete: Engine practice" in out


# -- an image fixture ---------------------------------------------------------------------------------

IMAGE_LESSON = """
id: %LESSON%
title: Image practice
summary: Run the prepared image.
needs_engine: true
steps:
  - id: run-demo
    type: command
    task: Run a container named `{{ name }}` from the image `{{ demo }}`, detached.
    vars:
      name: { free_name: %BASE% }
    setup:
      - image:
          as: demo
          tag: "%TAG%"
          dockerfile: |
            FROM busybox
            CMD ["sleep", "600"]
    check:
      container: { name: "{{ name }}", image: "{{ demo }}", state: running }
    hints: [docker run -d --name NAME IMAGE.]
    explanation: It runs.
    solution: ["docker run -d --name {{ name }} {{ demo }}"]
  - id: wrap
    type: say
    text: Done.
"""


@pytest.fixture
def image_lab(api, tmp_path) -> Iterator[Lab]:
    made = Lab(api, tmp_path)
    made.tag = f"tutor-test-demo-{uuid.uuid4().hex[:8]}:1"  # type: ignore[attr-defined]
    text = (IMAGE_LESSON.replace("%LESSON%", made.lesson_id).replace("%BASE%", made.base)
            .replace("%TAG%", made.tag))  # type: ignore[attr-defined]
    lessons = write_course(tmp_path / "image-lessons", {made.lesson_id: dedent(text)})
    made.course = load_course(lessons)
    assert not made.course.problems, [str(p) for p in made.course.problems]
    made.conv = Conversation(made.course, ProgressStore(tmp_path / "data" / "image.json"),
                             made.env.console, practice=made.session)
    yield made
    made.cleanup()
    try:
        api.remove_image(made.tag, force=True)  # type: ignore[attr-defined]
    except docker.errors.NotFound:
        pass


def image_exists(api, ref: str) -> bool:
    try:
        api.inspect_image(ref)
    except docker.errors.NotFound:
        return False
    return True


def test_image_fixture_is_built_labelled_and_removed_on_leaving(image_lab, api):
    out = image_lab.start()
    tag = image_lab.values()["demo"]
    # The lesson's tag, with a random suffix on the repository: one image per learner.
    written = image_lab.tag  # type: ignore[attr-defined]
    assert tag != written and tag.startswith(written.split(":")[0] + "-")
    assert f"from the image {tag}" in out
    labels = api.inspect_image(tag)["Config"]["Labels"]
    assert labels[FIXTURE_IMAGE_LABEL] == f"{image_lab.lesson_id}/run-demo"
    assert labels[FIXTURE_TAG_LABEL] == tag
    assert FIXTURE_LABEL not in labels  # containers made from it must not look like fixtures
    image_lab.say("/skip")
    assert not image_exists(api, tag)


def test_the_learners_container_from_a_fixture_image_survives_leaving_the_step(image_lab, api):
    image_lab.start()
    name, tag = image_lab.values()["name"], image_lab.values()["demo"]
    image_lab.names.append(name)
    out = image_lab.say(f"docker run -d --label org.docker-tutor.test=1 --name {name} {tag}")
    assert "Correct" in out
    assert image_lab.exists(name), f"cleanup removed the learner's container {name}: {out}"


def test_removing_by_id_what_the_step_or_the_learner_made_asks_nothing(lab):
    lab.start()
    [helper] = lab.fixtures()
    out = lab.say(f"docker rm -f {helper['Id'][:10]}")  # the step's fixture, by an ID prefix
    assert "Run it?" not in out and not lab.exists(helper["Id"])
    name = lab.values()["name"]
    lab.names.append(name)
    lab.say(f"docker run -d --name {name} busybox sleep 600")
    made = lab.api.inspect_container(name)["Id"]
    out = lab.say(f"docker rm -f {made[:12]}")  # the learner's own, made in this lesson
    assert "Run it?" not in out and not lab.exists(made)
