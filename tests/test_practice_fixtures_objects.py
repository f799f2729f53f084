"""Setup of volumes and networks, containers that use them or restart, and their cleanup,
against the real engine; how a lesson declares them, and the vars that name them.

Fixtures carry the test label too and are removed by each test even when it fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from conftest import dedent, write_course
from engine_helpers import TEST_LABEL, ensure_image, require_engine
from fake_engine import FakeEngine

from tutor.course.practice_spec import SetupAction, VarSpec
from tutor.lessonfile.loader import load_course
from tutor.practice.fixtures import (
    FIXTURE_LABEL,
    apply_setup,
    cleanup,
    fixture_label_value,
    leftover_fixtures,
)
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL
from tutor.practice.values import taken_by_others
from tutor.practice.variables import choose_values


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


class Setup:
    """apply_setup for one step of a made-up lesson, with an owner of this test's own."""

    def __init__(self, api, tmp_path: Path) -> None:
        self.api = api
        self.label = fixture_label_value(f"objects-{uuid.uuid4().hex[:8]}", "step")
        self.owner = {LEARNER_LABEL: f"learner-{uuid.uuid4().hex[:6]}",
                      SESSION_LABEL: f"session-{uuid.uuid4().hex[:6]}", **TEST_LABEL}
        self.values: dict[str, str] = {}
        self.workspace = tmp_path

    def __call__(self, form: str, spec) -> dict[str, str]:
        apply_setup(self.api, SetupAction(form, spec), self.values, self.label, self.workspace,
                    self.owner)
        return self.values

    def everything(self) -> None:
        """Remove whatever is left of this test's fixtures, learner containers included."""
        for container in self.api.containers(all=True, filters={"label": list(
                f"{k}={v}" for k, v in TEST_LABEL.items())}):
            if (container.get("Labels") or {}).get(SESSION_LABEL) in (None,
                                                                      self.owner[SESSION_LABEL]):
                self.api.remove_container(container["Id"], force=True)
        cleanup(self.api, self.label, self.owner)


@pytest.fixture
def setup(api, tmp_path) -> Iterator[Setup]:
    made = Setup(api, tmp_path)
    yield made
    made.everything()


def read(api, volume: str, path: str) -> str:
    """A file in a volume, read with a throw-away container."""
    output = api.create_container("busybox", ["cat", f"/v/{path}"], labels=TEST_LABEL,
                                  host_config=api.create_host_config(binds=[f"{volume}:/v:ro"]))
    try:
        api.start(output["Id"])
        api.wait(output["Id"], timeout=30)
        return api.logs(output["Id"]).decode()
    finally:
        api.remove_container(output["Id"], force=True)


def test_a_volume_is_labelled_and_filled(api, setup):
    values = setup("volume", {"as": "data", "files": {"notes.txt": "kept\n",
                                                      "deep/a.txt": "a\n"}})
    volume = api.inspect_volume(values["data"])
    assert values["data"].startswith("tutor-data-")
    assert volume["Labels"][FIXTURE_LABEL] == setup.label
    assert volume["Labels"][SESSION_LABEL] == setup.owner[SESSION_LABEL]
    assert read(api, values["data"], "notes.txt") == "kept\n"
    assert read(api, values["data"], "deep/a.txt") == "a\n"
    # The helper that wrote them is gone.
    assert not api.containers(all=True, filters={"volume": values["data"]})


def test_a_network_and_containers_that_use_volumes_networks_and_restarts(api, setup):
    setup("volume", {"as": "data", "files": {"x.txt": "x"}})
    setup("network", {"as": "net"})
    values = setup("container", {"as": "app", "image": "busybox", "command": ["sleep", "600"],
                                 "volumes": ["{{ data }}:/data:ro"], "network": "{{ net }}",
                                 "restart": "on-failure:3"})
    network = api.inspect_network(values["net"])
    assert network["Driver"] == "bridge" and network["Labels"][FIXTURE_LABEL] == setup.label
    details = api.inspect_container(values["app"])
    assert list(details["NetworkSettings"]["Networks"]) == [values["net"]]
    [mount] = details["Mounts"]
    assert (mount["Name"], mount["Destination"], mount["RW"]) == (values["data"], "/data", False)
    assert details["HostConfig"]["RestartPolicy"] == {"Name": "on-failure",
                                                      "MaximumRetryCount": 3}


def test_a_port_is_published_for_an_image_that_does_not_expose_it(api, setup):
    values = setup("container", {"as": "web", "image": "busybox", "command": ["sleep", "600"],
                                 "ports": {"80/tcp": 0}})
    ports = api.inspect_container(values["web"])["NetworkSettings"]["Ports"]
    assert ports["80/tcp"] and ports["80/tcp"][0]["HostPort"]


def test_cleanup_removes_containers_then_volumes_and_networks(api, setup):
    setup("volume", {"as": "data"})
    setup("network", {"as": "net"})
    values = setup("container", {"as": "app", "image": "busybox", "command": ["sleep", "600"],
                                 "volumes": ["{{ data }}:/data"], "network": "{{ net }}"})
    removed = cleanup(api, setup.label, setup.owner)
    assert removed == [f"container {values['app']}", f"volume {values['data']}",
                       f"network {values['net']}"]
    with pytest.raises(docker.errors.NotFound):
        api.inspect_volume(values["data"])
    with pytest.raises(docker.errors.NotFound):
        api.inspect_network(values["net"])


def test_a_volume_and_network_the_learner_still_uses_are_left_for_later(api, setup):
    values = setup("volume", {"as": "data"})
    setup("network", {"as": "net"})
    # The learner's own container, on the fixture network with the fixture volume.
    learners = api.create_container(
        "busybox", ["sleep", "600"], labels={LEARNER_LABEL: setup.owner[LEARNER_LABEL],
                                             **TEST_LABEL},
        host_config=api.create_host_config(binds=[f"{values['data']}:/data"],
                                           network_mode=values["net"]))
    api.start(learners["Id"])
    assert cleanup(api, setup.label, setup.owner) == []
    assert api.inspect_volume(values["data"]) and api.inspect_network(values["net"])
    api.remove_container(learners["Id"], force=True)
    assert sorted(cleanup(api, setup.label, setup.owner)) == [f"network {values['net']}",
                                                              f"volume {values['data']}"]


def test_a_killed_sessions_volumes_and_networks_are_swept(api, setup):
    values = setup("volume", {"as": "data"})
    setup("network", {"as": "net"})
    learner = setup.owner[LEARNER_LABEL]
    assert leftover_fixtures(api, learner, lambda session: True) == []  # still alive
    removed = leftover_fixtures(api, learner, lambda session: False)
    assert sorted(removed) == [f"network {values['net']}", f"volume {values['data']}"]


# -- vars ---------------------------------------------------------------------------------------


def test_free_volume_and_free_network_step_around_their_own_kind_only():
    api = FakeEngine()
    api.add_volume("notes")
    api.add_volume("notes-2")
    api.add_network("backend")
    api.add_container("data")  # a container's name does not make a volume name taken
    values = choose_values(api, [VarSpec("notes", "free_volume", "notes"),
                                 VarSpec("again", "free_volume", "notes"),
                                 VarSpec("net", "free_network", "backend"),
                                 VarSpec("data", "free_volume", "data")])
    assert values == {"notes": "notes-3", "again": "notes-4", "net": "backend-2",
                      "data": "data"}
    assert set(api.call_names()) == {"volumes", "networks"}


def test_a_recorded_volume_or_network_name_is_kept_even_when_it_exists():
    api = FakeEngine()
    api.add_volume("notes")
    api.add_network("backend")
    # Most likely the learner's own, made in an earlier step: keep the name.
    assert not taken_by_others(api, "free_volume", "notes", "me")
    assert not taken_by_others(api, "free_network", "backend", "me")


LESSON = """
id: objects
title: Objects
summary: s
needs_engine: true
vars:
  notes: {{ free_volume: {volume} }}
steps:
  - id: run
    type: command
    task: Run.
    setup:
{setup}
    check: {{ volume: "{{{{ notes }}}}" }}
    hints: [h]
    explanation: e
    solution: ["docker volume create {{{{ notes }}}}"]
"""


def load(tmp_path: Path, setup: str, volume: str = "notes") -> list[str]:
    lessons = write_course(tmp_path / "lessons", {"objects": dedent(
        LESSON.format(setup=setup, volume=volume))})
    return [str(problem) for problem in load_course(lessons).problems]


def test_the_new_setup_forms_load(tmp_path):
    assert load(tmp_path, """
      - volume: { as: data, files: { notes.txt: hi } }
      - network: { as: net }
      - container: { as: app, image: busybox, volumes: ["{{ data }}:/data:ro"],
                     network: "{{ net }}", restart: "on-failure:2" }
""") == []


@pytest.mark.parametrize("setup, message", [
    ("      - volume: { files: { a: b } }", "field 'setup[1].volume.as': is required"),
    ("      - volume: { as: v, size: 3 }", "unknown field 'size'"),
    ("      - network: { as: n, driver: overlay }", "unknown field 'driver'"),
    ("      - container: { as: c, image: busybox, volumes: /data }",
     "must be a list of SOURCE:DESTINATION[:ro]"),
    ("      - container: { as: c, image: busybox, restart: sometimes }",
     "'sometimes' is not a restart policy"),
    ("      - container: { as: c, image: busybox, network: [a, b] }", "must be a network name"),
])
def test_setup_problems(tmp_path, setup, message):
    problems = load(tmp_path, setup)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize("volume", ["-notes", "my notes", "'a/b'"])
def test_a_free_volume_must_be_a_name_docker_takes(tmp_path, volume):
    problems = load(tmp_path, "      - pull: busybox", volume=volume)
    # (The var is then not declared, so the check using it is reported as well.)
    assert "field 'vars.notes.free_volume'" in problems[0], problems
    assert "must be a name such as notes" in problems[0], problems


# -- removing them: which removals need a question ------------------------------------------------


@pytest.mark.parametrize("kind, command_words", [("volumes", "volume"), ("networks", "network")])
def test_removing_this_sessions_fixture_volume_or_network_asks_nothing(kind, command_words):
    from tutor.dockercli import parse, split_command
    from tutor.dockercli.effects import destructive_targets
    from tutor.practice.created import CreatedTracker
    from tutor.practice.place import LessonPlace
    from tutor.practice.policy import confirmation_question

    api = FakeEngine()
    owner = {SESSION_LABEL: "this-session"}
    add = api.add_volume if kind == "volumes" else api.add_network
    add("tutor-data-1a2b", {FIXTURE_LABEL: "lesson/step", **owner})
    add("theirs-fixture", {FIXTURE_LABEL: "lesson/step", SESSION_LABEL: "another-session"})
    add("mine", None)
    created = CreatedTracker(LessonPlace(Path("/nonexistent")))

    def question(name: str) -> str | None:
        command = parse(split_command(f"docker {command_words} rm {name}"))
        destruction = destructive_targets(command)
        assert destruction is not None and destruction.kind == kind
        return confirmation_question(api, destruction, created, owner)

    assert question("tutor-data-1a2b") is None
    assert "theirs-fixture was not created by the tutor" in (question("theirs-fixture") or "")
    assert "mine was not created by the tutor" in (question("mine") or "")
    assert question("no-such-thing") is None  # docker itself will say it does not exist
