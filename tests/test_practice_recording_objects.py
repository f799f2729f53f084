"""Volumes and networks the learner's commands make: told from the command alone (the
names it gives, looked up before and after), labelled with the learner, offered at the
lesson's cleanup, removable without a question. No engine: tests/fake_engine.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_engine import FakeEngine
from test_practice_fixtures import RecordingApi

from tutor.dockercli import parse, split_command
from tutor.dockercli.effects import destructive_targets
from tutor.dockercli.naming import named_networks, named_volumes
from tutor.practice import recording
from tutor.practice.created import CreatedTracker
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL
from tutor.practice.place import LessonPlace
from tutor.practice.policy import confirmation_question
from tutor.practice.protocol import describe_created

LEARNER = "a1b2c3d4e5f6"


def parsed(command: str):
    return parse(split_command(command))


@pytest.mark.parametrize("command, volumes", [
    ("docker volume create notes", ["notes"]),
    ("docker volume create", []),  # anonymous: named by the engine
    ("docker run -v notes:/data busybox", ["notes"]),
    ("docker run -v notes:/data:ro -v logs:/logs busybox", ["notes", "logs"]),
    ("docker container create --volume notes:/data busybox", ["notes"]),
    ("docker run --mount type=volume,source=cache,target=/c busybox", ["cache"]),
    ("docker run --mount src=cache,dst=/c busybox", ["cache"]),  # type defaults to volume
    ("docker run --mount type=bind,src=/srv,dst=/c busybox", []),
    ("docker run -v /srv/site:/www -v ./conf:/conf busybox", []),  # bind mounts
    ("docker run -v /data busybox", []),  # an anonymous volume
    ("docker volume rm notes", []),
])
def test_the_volumes_a_command_may_create(command, volumes):
    assert named_volumes(parsed(command)) == volumes


def test_the_network_a_command_creates():
    assert named_networks(parsed("docker network create --driver bridge backend")) == ["backend"]
    assert named_networks(parsed("docker run --network backend busybox")) == []


def made_by(api: FakeEngine, command: str, effect) -> list[dict[str, str]]:
    command_parsed = parsed(command)
    before = recording.look_before(api, command_parsed, LEARNER)
    effect()
    return recording.look_after(api, command_parsed, LEARNER, before).items


def test_a_new_volume_is_the_learners_and_an_existing_one_is_not():
    api = FakeEngine()
    api.add_volume("old", None)
    made = made_by(api, "docker run -v notes:/data -v old:/old busybox true", lambda: (
        api.add_volume("notes", None)))
    assert [item for item in made if item["kind"] == "volume"] == [
        {"kind": "volume", "name": "notes"}]


def test_a_new_network_is_the_learners_by_its_id():
    api = FakeEngine()
    api.add_network("backend-old", None)  # a name that merely contains "backend"
    made = made_by(api, "docker network create backend",
                   lambda: api.add_network("backend", {LEARNER_LABEL: LEARNER}))
    [network] = [n for n in api.networks_ if n["Name"] == "backend"]
    assert made == [{"kind": "network", "name": "backend", "id": network["Id"]}]


def test_a_network_that_existed_is_not_recorded():
    api = FakeEngine()
    api.add_network("backend", None)
    assert made_by(api, "docker network create backend", lambda: None) == []


def test_volume_and_network_creation_get_the_learners_label():
    assert recording.label_for_learner(parsed("docker volume create notes"))
    assert recording.label_for_learner(parsed("docker network create backend"))
    assert recording.label_for_learner(parsed("docker run busybox"))
    assert not recording.label_for_learner(parsed("docker volume ls"))


def test_cleanup_lists_and_removes_them_after_the_containers():
    api = RecordingApi()
    api.add_volume("notes", None)
    api.add_network("backend", None)
    web = api.add_container("web")
    network_id = api.networks_[0]["Id"]
    tracker = CreatedTracker(LessonPlace(Path("/nonexistent")))
    tracker.place.record.created.extend([
        {"kind": "volume", "name": "notes"}, {"kind": "network", "name": "backend",
                                               "id": network_id},
        {"kind": "container", "id": web, "name": "web"}, {"kind": "volume", "name": "gone"}])
    present = tracker.still_there(api)
    assert [describe_created(item) for item in present] == [
        "volume notes", "network backend", "container web"]
    removed = tracker.remove(api, present, warn=pytest.fail)
    assert removed == ["container web", "network backend", "volume notes"]
    calls = [call[0] for call in api.calls if call[0].startswith("remove_")]
    assert calls == ["remove_container", "remove_network", "remove_volume"]
    assert api.volumes_ == [] and api.networks_ == []


def question(api, tracker, command, owner):
    destruction = destructive_targets(parsed(command))
    assert destruction is not None
    return confirmation_question(api, destruction, tracker, owner)


def test_removing_a_volume_or_network_the_learner_made_here_asks_nothing():
    api = FakeEngine()
    api.add_volume("notes", None)
    api.add_volume("theirs", {LEARNER_LABEL: "someone-else"})
    api.add_volume("older", None)
    api.add_network("backend", None)
    tracker = CreatedTracker(LessonPlace(Path("/nonexistent")))
    tracker.place.record.created.extend([
        {"kind": "volume", "name": "notes"},
        {"kind": "network", "name": "backend", "id": api.networks_[0]["Id"]}])
    owner = {LEARNER_LABEL: LEARNER, SESSION_LABEL: "this-session"}
    assert question(api, tracker, "docker volume rm notes", owner) is None
    assert question(api, tracker, "docker network rm backend", owner) is None
    assert "older was not created by the tutor" in question(api, tracker, "docker volume rm older",
                                                            owner)
    assert "theirs belongs to another learner" in question(api, tracker,
                                                           "docker volume rm theirs", owner)


# -- Compose projects started in the lesson's workspace ---------------------------------------


def compose_container(api, name: str, project: str, folder: Path) -> str:
    return api.add_container(name, labels={
        "com.docker.compose.project": project, "com.docker.compose.service": "web",
        "com.docker.compose.project.working_dir": str(folder)})


def test_cleanup_offers_the_compose_projects_started_in_the_workspace(tmp_path):
    api = RecordingApi()
    tracker = CreatedTracker(LessonPlace(tmp_path / "workspaces"))
    workspace = tracker.place.workspace
    compose_container(api, "hello-web-1", "hello", workspace)
    compose_container(api, "hello-quotes-1", "hello", workspace / "app")
    compose_container(api, "shop-web-1", "shop", tmp_path / "elsewhere")
    api.add_network("hello_default", {"com.docker.compose.project": "hello"})
    api.add_volume("hello_visits", {"com.docker.compose.project": "hello"})
    present = tracker.still_there(api)
    assert [describe_created(item) for item in present] == [
        "Compose project hello (2 containers, with its networks and volumes)"]
    assert tracker.remove(api, present, warn=pytest.fail) == [describe_created(present[0])]
    assert [c.name for c in api.containers_] == ["shop-web-1"]
    assert api.networks_ == [] and api.volumes_ == []


def test_a_project_name_shared_with_someone_elses_keeps_its_networks_and_volumes(tmp_path):
    api = RecordingApi()
    tracker = CreatedTracker(LessonPlace(tmp_path / "workspaces"))
    compose_container(api, "hello-web-1", "hello", tracker.place.workspace)
    compose_container(api, "hello-web-2", "hello", tmp_path / "another-learner")
    api.add_volume("hello_visits", {"com.docker.compose.project": "hello"})
    tracker.remove(api, tracker.still_there(api), warn=pytest.fail)
    assert [c.name for c in api.containers_] == ["hello-web-2"]
    assert [v["Name"] for v in api.volumes_] == ["hello_visits"]
