"""Step setup (fixtures) and cleanup, against an in-memory engine that records every call.

What matters: everything setup creates carries ``org.docker-tutor.fixture=<lesson>/<step>``;
cleanup removes only labelled things, and only those of the step it is given.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
from pathlib import Path

import docker.errors
import pytest
from fake_engine import FakeContainer, FakeEngine, _response, conflict, fake_id, not_found

from tutor.course.practice_spec import SetupAction
from tutor.practice.fixtures import (
    FIXTURE_IMAGE_LABEL,
    FIXTURE_LABEL,
    FIXTURE_TAG_LABEL,
    SetupFailed,
    apply_setup,
    cleanup,
    ensure_image,
    fixture_label_value,
    unique_name,
)

LABEL = fixture_label_value("run-containers", "start-web")


def _matches(labels: dict | None, selector: str | list[str]) -> bool:
    """dockerd's label filter: every selector (KEY or KEY=VALUE) must match."""
    if isinstance(selector, list):
        return all(_matches(labels, one) for one in selector)
    key, eq, value = selector.partition("=")
    labels = labels or {}
    return key in labels and (not eq or labels[key] == value)


class RecordingApi(FakeEngine):
    """FakeEngine plus the calls setup and cleanup make: create, start, stop, put_archive,
    pull, build, remove_*; ``containers``/``images`` honour ``label`` filters like dockerd."""

    def __init__(self) -> None:
        super().__init__()
        self.pull_events: list[dict] | None = None  # None: the pull works
        self.build_events: list[dict] | None = None
        self.vanish_on_remove: set[str] = set()  # ids someone else removes just before us

    # -- creating ------------------------------------------------------------------------

    def create_host_config(self, port_bindings=None, **kwargs):
        self._record("create_host_config", port_bindings)
        return {"PortBindings": port_bindings}

    def create_container(self, image, command=None, name=None, labels=None, environment=None,
                         ports=None, host_config=None, detach=False, stop_timeout=None,
                         **kwargs):
        self._record("create_container", image, {
            "command": command, "name": name, "labels": labels, "environment": environment,
            "ports": ports, "host_config": host_config, "detach": detach,
            "stop_timeout": stop_timeout})
        bindings = {}
        for key, port in ((host_config or {}).get("PortBindings") or {}).items():
            bindings[key if "/" in key else f"{key}/tcp"] = [{"HostIp": "", "HostPort": str(port)}]
        env = environment or {}
        container_id = self.add_container(
            name or fake_id("name")[:12], image=image, state="created",
            cmd=list(command) if command else None,
            env=env if isinstance(env, dict) else dict(e.split("=", 1) for e in env),
            labels=dict(labels or {}))
        self.container_by_id(container_id).port_bindings = bindings
        return {"Id": container_id, "Warnings": []}

    def container_by_id(self, container_id: str) -> FakeContainer:
        return next(c for c in self.containers_ if c.id == container_id)

    def start(self, container):
        self._record("start", container)
        self._find_container(container).state = "running"

    def stop(self, container, timeout=None):
        self._record("stop", container, timeout)
        found = self._find_container(container)
        found.state = "exited"
        found.exit_code = 137

    def kill(self, container, signal=None):
        self._record("kill", container, signal)
        found = self._find_container(container)
        if not found.running:
            raise conflict(f"Cannot kill container: {container}: container is not running")
        found.state = "exited"
        found.exit_code = 137

    def put_archive(self, container, path, data):
        self._record("put_archive", container, path)
        found = self._find_container(container)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                content = archive.extractfile(member).read().decode()  # type: ignore[union-attr]
                found.files["/" + member.name if path == "/" else f"{path}/{member.name}"] = content
        return True

    def pull(self, repository, tag=None, stream=False, decode=False, **kwargs):
        self._record("pull", repository, tag)
        if self.pull_events is not None:
            return iter(self.pull_events)
        self.add_image(f"{repository}:{tag or 'latest'}")
        return iter([{"status": "Pulling from library/" + repository},
                     {"status": f"Status: Downloaded newer image for {repository}:{tag}"}])

    def build(self, fileobj=None, tag=None, labels=None, rm=False, forcerm=False, decode=False,
              **kwargs):
        self._record("build", tag, labels, fileobj.read().decode() if fileobj else None)
        if self.build_events is not None:
            return iter(self.build_events)
        self.add_image(tag, labels=dict(labels or {}))
        return iter([{"stream": "Step 1/1 : FROM busybox\n"},
                     {"stream": f"Successfully tagged {tag}\n"}])

    def inspect_image(self, image):
        # Like docker-py: a 404 saying "No such image" is raised as ImageNotFound.
        try:
            return super().inspect_image(image)
        except docker.errors.NotFound as error:
            raise docker.errors.ImageNotFound(str(error.explanation), response=error.response,
                                              explanation=error.explanation) from None

    # -- listing with filters, removing ---------------------------------------------------

    def containers(self, quiet=False, all=False, trunc=False, latest=False, since=None,
                   before=None, limit=-1, size=False, filters=None):
        listed = super().containers(all=all, filters=filters)
        selector = (filters or {}).get("label")
        if selector is None:
            return listed
        return [c for c in listed if _matches(c["Labels"], selector)]

    def images(self, name=None, quiet=False, all=False, filters=None):
        listed = super().images(name=name)
        selector = (filters or {}).get("label")
        if selector is None:
            return listed
        return [i for i in listed if _matches(i["Labels"], selector)]

    def remove_container(self, container, v=False, link=False, force=False):
        self._record("remove_container", container, force)
        found = self._find_container(container)
        self.containers_.remove(found)
        if found.id in self.vanish_on_remove:
            raise not_found(f"No such container: {container}")

    def remove_image(self, image, force=False, noprune=False):
        self._record("remove_image", image, force)
        found = self._find_image(image)
        if found is None:
            raise not_found(f"No such image: {image}")
        self.images_.remove(found)

    # -- reading the record ----------------------------------------------------------------

    def created(self) -> list[dict]:
        return [call[2] for call in self.calls if call[0] == "create_container"]


def setup(api, form: str, spec, values: dict | None = None, workspace: Path | None = None,
          label: str = LABEL, owner: dict | None = None) -> dict:
    values = {} if values is None else values
    apply_setup(api, SetupAction(form, spec), values, label, workspace or Path("/nonexistent"),
                owner)
    return values


@pytest.fixture
def api() -> RecordingApi:
    engine = RecordingApi()
    engine.add_image("busybox:latest", cmd=["sh"])
    return engine


# -- labels and names ---------------------------------------------------------------------------


def test_label_value_is_lesson_slash_step():
    assert FIXTURE_LABEL == "org.docker-tutor.fixture"
    assert fixture_label_value("run-containers", "start-web") == "run-containers/start-web"


def test_unique_names_start_with_the_alias_and_differ():
    names = {unique_name("my_web") for _ in range(20)}
    assert all(name.startswith("tutor-my-web-") for name in names)
    assert len(names) > 1


# -- container ------------------------------------------------------------------------------


def test_container_is_created_labelled_named_and_started(api):
    values = setup(api, "container", {"as": "web", "image": "busybox",
                                      "command": ["sleep", "600"], "env": {"GREETING": "hi"}})
    [created] = api.created()
    assert created["labels"] == {FIXTURE_LABEL: LABEL}
    assert created["command"] == ["sleep", "600"]
    assert created["environment"] == {"GREETING": "hi"}
    # Said out loud, so `docker stop` waits on Podman too (it would give 0 s).
    assert created["stop_timeout"] == 10
    name = values["web"]
    assert name.startswith("tutor-web-") and created["name"] == name
    container = api.container(name)
    assert container.state == "running"
    assert container.labels == {FIXTURE_LABEL: LABEL}


def test_container_ports_are_published_with_rendered_values(api):
    values = setup(api, "container", {"as": "web", "image": "busybox",
                                      "ports": {"80/tcp": "{{ port }}"}}, {"port": "18080"})
    [created] = api.created()
    assert created["ports"] == [(80, "tcp")]  # as the SDK wants it: text would gain a second /tcp
    assert created["host_config"] == {"PortBindings": {"80/tcp": 18080}}
    assert api.container(values["web"]).port_bindings == {
        "80/tcp": [{"HostIp": "", "HostPort": "18080"}]}


@pytest.mark.parametrize("failures, written", [(1, True), (2, False)])
def test_files_are_written_again_once_when_the_engine_fails_inside(api, failures, written):
    put_archive = api.put_archive
    left = [failures]

    def flaky(container, path, data):
        if left[0]:
            left[0] -= 1
            api._record("put_archive", container, path)
            raise docker.errors.APIError("passing bulk input to subprocess: write |1: broken pipe",
                                         response=_response(500, "Internal Server Error"))
        return put_archive(container, path, data)

    api.put_archive = flaky  # type: ignore[method-assign]
    spec = {"as": "box", "image": "busybox", "files": {"/notes.txt": "hi\n"}}
    if written:
        values = setup(api, "container", spec)
        assert api.container(values["box"]).files["/notes.txt"] == "hi\n"
    else:
        with pytest.raises(docker.errors.APIError):
            setup(api, "container", spec)
    assert api.call_names().count("put_archive") == 2


def test_container_files_are_written_before_it_starts(api):
    values = setup(api, "container", {"as": "box", "image": "busybox",
                                      "files": {"/data/notes.txt": "for {{ who }}\n"}},
                   {"who": "you"})
    container = api.container(values["box"])
    assert container.files["/data/notes.txt"] == "for you\n"
    order = [call[0] for call in api.calls if call[0] in ("put_archive", "start")]
    assert order == ["put_archive", "start"]


def test_container_in_state_exited_is_started_then_stopped(api):
    values = setup(api, "container", {"as": "old", "image": "busybox", "state": "exited"})
    assert api.container(values["old"]).state == "exited"
    assert [c[0] for c in api.calls if c[0] in ("start", "stop")] == ["start", "stop"]


def test_container_in_state_created_is_never_started(api):
    values = setup(api, "container", {"as": "new", "image": "busybox", "state": "created"})
    assert api.container(values["new"]).state == "created"
    assert "start" not in api.call_names()


def test_container_image_is_pulled_when_missing(api):
    setup(api, "container", {"as": "reg", "image": "registry:2"})
    assert ("pull", "registry", "2") in api.calls
    assert api.created()[0]["labels"] == {FIXTURE_LABEL: LABEL}


def test_two_containers_of_one_alias_never_share_a_name(api):
    first = setup(api, "container", {"as": "web", "image": "busybox"})["web"]
    second = setup(api, "container", {"as": "web", "image": "busybox"})["web"]
    assert first != second


# -- pull ------------------------------------------------------------------------------------


def test_pull_of_a_present_image_pulls_nothing(api):
    setup(api, "pull", "busybox")
    assert "pull" not in api.call_names()


@pytest.mark.parametrize("ref, repository, tag", [
    ("alpine", "alpine", "latest"),
    ("registry:2", "registry", "2"),
    ("localhost:5000/tool", "localhost:5000/tool", "latest"),
    ("localhost:5000/tool:1.0", "localhost:5000/tool", "1.0"),
    ("ghcr.io/org/app:v2", "ghcr.io/org/app", "v2"),
])
def test_pull_of_a_missing_image_splits_repository_and_tag(api, ref, repository, tag):
    ensure_image(api, ref)
    assert ("pull", repository, tag) in api.calls


def test_pull_error_is_a_setup_failure_naming_the_image(api):
    api.pull_events = [{"status": "Pulling"}, {"error": "manifest unknown"}]
    with pytest.raises(SetupFailed, match=r"could not pull busybox:1\.99: manifest unknown"):
        setup(api, "pull", "busybox:1.99")


# -- image ------------------------------------------------------------------------------------


def test_image_is_built_with_the_label_and_its_tag_becomes_the_variable(api):
    values = setup(api, "image", {"as": "demo", "tag": "tutor-demo:1",
                                  "dockerfile": "FROM busybox\nCMD [\"echo\", \"{{ word }}\"]\n"},
                   {"word": "hi"})
    # The repository gets a random suffix: two learners on one engine get two images.
    assert re.fullmatch(r"tutor-demo-[0-9a-f]{4}:1", values["demo"])
    [build] = [call for call in api.calls if call[0] == "build"]
    assert build[1] == values["demo"]
    assert build[2] == {FIXTURE_IMAGE_LABEL: LABEL, FIXTURE_TAG_LABEL: values["demo"]}
    assert build[3] == 'FROM busybox\nCMD ["echo", "hi"]\n'


def test_image_build_error_is_a_setup_failure_naming_the_tag(api):
    api.build_events = [{"stream": "Step 1/2"}, {"error": "unknown instruction: RUNN\n"}]
    with pytest.raises(SetupFailed,
                       match=r"could not build tutor-demo-[0-9a-f]{4}:1: unknown instruction"):
        setup(api, "image", {"as": "demo", "tag": "tutor-demo:1", "dockerfile": "RUNN x"})


# -- file -------------------------------------------------------------------------------------


def test_file_is_written_in_the_workspace(api, tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    setup(api, "file", {"path": "app/{{ name }}.txt", "content": "hello {{ name }}\n"},
          {"name": "web"}, workspace)
    assert (workspace / "app" / "web.txt").read_text() == "hello web\n"
    assert api.calls == []  # the engine has nothing to do with it


@pytest.mark.parametrize("path", ["../outside.txt", "app/../../outside.txt", "ABSOLUTE", "."])
def test_file_outside_the_workspace_is_refused(api, tmp_path, path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    if path == "ABSOLUTE":
        path = str(tmp_path / "outside.txt")
    with pytest.raises(SetupFailed, match="outside the workspace"):
        setup(api, "file", {"path": path, "content": "x"}, workspace=workspace)
    assert not (tmp_path / "outside.txt").exists()


def test_file_through_a_symlink_out_of_the_workspace_is_refused(api, tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, workspace / "link")
    with pytest.raises(SetupFailed, match="outside the workspace"):
        setup(api, "file", {"path": "link/secret.txt", "content": "x"}, workspace=workspace)
    assert list(elsewhere.iterdir()) == []


def test_file_path_from_a_variable_cannot_escape_either(api, tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    with pytest.raises(SetupFailed):
        setup(api, "file", {"path": "{{ where }}/x.txt", "content": "x"}, {"where": ".."},
              workspace)
    assert not (tmp_path / "x.txt").exists()


# -- cleanup -----------------------------------------------------------------------------------


def world() -> RecordingApi:
    """Fixtures of two steps, plus the learner's own container and image."""
    api = RecordingApi()
    api.add_image("busybox:latest")
    api.add_container("mine", labels={"app": "mine"})
    api.add_container("also-mine", labels={FIXTURE_LABEL + ".note": "not the fixture label"})
    api.add_image("my-app:1", labels={"maintainer": "me"})
    setup(api, "container", {"as": "web", "image": "busybox"}, label="lesson/a")
    setup(api, "container", {"as": "old", "image": "busybox", "state": "exited"}, label="lesson/a")
    setup(api, "image", {"as": "img", "tag": "tutor-a:1", "dockerfile": "FROM busybox"},
          label="lesson/a")
    setup(api, "container", {"as": "other", "image": "busybox"}, label="lesson/b")
    setup(api, "image", {"as": "img", "tag": "tutor-b:1", "dockerfile": "FROM busybox"},
          label="lesson/b")
    return api


def names(api: RecordingApi) -> set[str]:
    return {c.name for c in api.containers_}


def tags(api: RecordingApi) -> set[str]:
    return {tag for image in api.images_ for tag in image.tags}


def fixture_tag(api: RecordingApi, repository: str) -> str:
    """The tag setup gave an image fixture (its repository gets a random suffix)."""
    [tag] = [tag for tag in tags(api) if re.fullmatch(rf"{repository}-[0-9a-f]{{4}}:1", tag)]
    return tag


def test_cleanup_of_a_step_removes_its_fixtures_only():
    api = world()
    tag_a, tag_b = fixture_tag(api, "tutor-a"), fixture_tag(api, "tutor-b")
    step_a = {c.name for c in api.containers_ if c.labels.get(FIXTURE_LABEL) == "lesson/a"}
    assert len(step_a) == 2
    removed = cleanup(api, "lesson/a")
    assert sorted(removed) == sorted([f"container {name}" for name in step_a] + [f"image {tag_a}"])
    assert names(api) & step_a == set()
    assert {"mine", "also-mine"} <= names(api)
    assert any(c.labels.get(FIXTURE_LABEL) == "lesson/b" for c in api.containers_)
    assert tags(api) >= {"busybox:latest", "my-app:1", tag_b}
    assert tag_a not in tags(api)


def test_cleanup_for_one_owner_leaves_another_learners_fixtures_of_the_same_step():
    api = RecordingApi()
    api.add_image("busybox:latest")
    mine = {"org.docker-tutor.session": "mine"}
    theirs = {"org.docker-tutor.session": "theirs"}
    setup(api, "container", {"as": "web", "image": "busybox"}, label="lesson/a", owner=mine)
    setup(api, "container", {"as": "web", "image": "busybox"}, label="lesson/a", owner=theirs)
    cleanup(api, "lesson/a", mine)
    assert [c.labels["org.docker-tutor.session"] for c in api.containers_] == ["theirs"]


def test_cleanup_of_a_step_whose_label_is_a_prefix_of_another_leaves_the_other():
    api = RecordingApi()
    api.add_image("busybox:latest")
    setup(api, "container", {"as": "web", "image": "busybox"}, label="lesson/a")
    setup(api, "container", {"as": "web", "image": "busybox"}, label="lesson/a-2")
    cleanup(api, "lesson/a")
    assert [c.labels[FIXTURE_LABEL] for c in api.containers_] == ["lesson/a-2"]


def test_cleanup_of_everything_leaves_unlabelled_resources():
    api = world()
    cleanup(api)
    assert names(api) == {"mine", "also-mine"}
    assert tags(api) == {"busybox:latest", "my-app:1"}


def test_cleanup_forces_removal_of_running_fixtures():
    api = world()
    cleanup(api, "lesson/b")
    removals = [call for call in api.calls if call[0] == "remove_container"]
    assert removals and all(call[2] is True for call in removals)


def test_cleanup_kills_a_running_fixture_before_removing_it():
    # Podman's forced remove would stop it with its 10 s stop timeout first.
    api = RecordingApi()
    values = setup(api, "container", {"as": "web", "image": "busybox", "command": ["sleep", "9"]})
    setup(api, "container", {"as": "done", "image": "busybox", "state": "exited"}, values)
    running, stopped = api.container(values["web"]).id, api.container(values["done"]).id
    api.calls.clear()
    cleanup(api, LABEL)
    calls = [call[:2] for call in api.calls if call[0] in ("kill", "remove_container")]
    assert sorted(calls) == sorted([("kill", running), ("remove_container", running),
                                    ("remove_container", stopped)])
    assert calls.index(("kill", running)) < calls.index(("remove_container", running))


def test_cleanup_with_nothing_labelled_removes_nothing():
    api = RecordingApi()
    api.add_container("mine")
    assert cleanup(api, "lesson/a") == []
    assert "remove_container" not in api.call_names()
    assert names(api) == {"mine"}


def test_cleanup_tolerates_a_fixture_removed_meanwhile():
    api = world()
    gone = next(c for c in api.containers_ if c.labels.get(FIXTURE_LABEL) == "lesson/b")
    api.vanish_on_remove.add(gone.id)
    tag_b = fixture_tag(api, "tutor-b")
    removed = cleanup(api, "lesson/b")
    assert f"container {gone.name}" not in removed
    assert f"image {tag_b}" in removed


def test_cleanup_errors_other_than_not_found_are_raised():
    api = world()

    def refuse(container, v=False, link=False, force=False):
        raise docker.errors.APIError("driver failed removing container")

    api.remove_container = refuse  # type: ignore[method-assign]
    with pytest.raises(docker.errors.APIError):
        cleanup(api, "lesson/a")
