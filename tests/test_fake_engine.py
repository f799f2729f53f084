"""The in-memory engine on its own (no engine needed): what tests/test_fake_engine_contract.py
holds against a real engine, in short, so a run without an engine still covers it."""

from __future__ import annotations

from pathlib import Path

import docker.errors
import pytest
from fake_engine import FakeEngine, bind_mount, volume_mount

from tutor.checks import CheckContext, evaluate, parse_check
from tutor.checks.queries import inspect_image, translate
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)


def run_check(engine: FakeEngine, text: str, tmp_path: Path, since: float = 0.0, **values):
    problems: list = []
    check = parse_check(parse_yaml("check: " + text)["check"], WHERE.at_field("check"),
                        problems, 1, set(values))
    assert not problems, [str(p) for p in problems]
    return evaluate(check, CheckContext(api=engine, workspace=tmp_path, values=values,
                                        since=since))


@pytest.fixture
def engine() -> FakeEngine:
    fake = FakeEngine()
    fake.add_image("busybox:latest", cmd=["sh"], pulled=True)
    fake.add_image("app:1", cmd=["app.py"], entrypoint=["python"], env=["PATH=/bin", "A=1"],
                   labels={"tier": "web"}, exposed=("5000/tcp",), workdir="/app")
    return fake


def test_a_container_takes_its_image_config(engine):
    engine.add_container("web", image="app:1", cmd=["other.py"], env={"B": "2"},
                         labels={"own": "x"})
    config = engine.inspect_container("web")["Config"]
    assert config["Entrypoint"] == ["python"] and config["Cmd"] == ["other.py"]
    assert config["WorkingDir"] == "/app" and list(config["ExposedPorts"]) == ["5000/tcp"]
    assert config["Labels"] == {"tier": "web", "own": "x"}
    assert config["Env"] == ["B=2", "PATH=/bin", "A=1"]


def test_exposed_ports_are_listed_without_a_public_port(engine):
    engine.add_container("web", ports={"80/tcp": "8080"}, exposed=("90/tcp",))
    ports = engine.containers()[0]["Ports"]
    assert {"PrivatePort": 90, "Type": "tcp"} in ports
    assert {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"} in ports
    assert engine.inspect_container("web")["NetworkSettings"]["Ports"]["90/tcp"] is None


def test_listing_shows_paused_containers_and_filters_by_label(engine):
    engine.add_container("up", labels={"k": "v"})
    engine.add_container("paused", state="paused")
    engine.add_container("done", state="exited", labels={"k": "w"})
    assert [c["Names"] for c in engine.containers()] == [["/paused"], ["/up"]]
    assert [c["Names"] for c in engine.containers(all=True, filters={"label": "k=w"})] == [
        ["/done"]]
    assert len(engine.containers(all=True, filters={"label": ["k"]})) == 2


def test_image_lists_say_none_like_the_engine(engine):
    engine.add_image(labels={"dangling": "1"})
    listed = {tuple(i["RepoTags"]): i["RepoDigests"] for i in engine.images()}
    assert listed[("<none>:<none>",)] == ["<none>@<none>"]
    assert listed[("app:1",)] is None
    (digest,) = listed[("busybox:latest",)]
    assert digest.startswith("busybox@sha256:") and len(digest) == len("busybox@sha256:") + 64
    assert engine.inspect_image(digest)["RepoTags"] == ["busybox:latest"]


def test_references_are_refused_like_the_engine_refuses_them(engine):
    for ref, status in (("Busybox", 400), ("a b", 400), ("nothing:1", 404)):
        with pytest.raises(docker.errors.APIError) as raised:
            engine.inspect_image(ref)
        assert raised.value.status_code == status
        assert inspect_image(engine, ref) is None  # what the checks see
    with pytest.raises(docker.errors.ImageNotFound):
        engine.inspect_image("nothing:1")


def test_tag_and_pull_are_logged_as_image_events(engine):
    image_id = engine.inspect_image("app:1")["Id"]
    assert engine.tag("app:1", "app", "2") is True
    list(engine.pull("busybox", tag="latest", stream=True))
    with pytest.raises(docker.errors.NotFound):
        engine.pull("busybox", tag="nope")
    assert engine.inspect_image("app:2")["RepoTags"] == ["app:1", "app:2"]
    events = [(e["Action"], e["Actor"]["ID"], e["Actor"]["Attributes"]["name"])
              for e in engine.events(filters={"type": "image"})]
    assert events == [("tag", image_id, "app:2"), ("pull", "busybox:latest", "busybox")]


def test_exec_is_logged_and_plays_a_few_commands(engine):
    engine.add_container("web", files={"/srv/a.txt": "hi"})
    results = []
    for command in (["cat", "/srv/a.txt"], ["cat", "/srv"], ["sh", "-c", "exit 3"], ["false"],
                    ["nosuch"]):
        created = engine.exec_create("web", command)
        output = engine.exec_start(created["Id"])
        results.append((engine.exec_inspect(created["Id"])["ExitCode"], output))
    assert [code for code, _ in results] == [0, 1, 3, 1, 126]
    assert results[1][1] == b"cat: read error: Is a directory\n"
    actions = [e["Action"] for e in engine.events(filters={"type": "container"})][:3]
    assert actions == ["exec_create: cat /srv/a.txt", "exec_start: cat /srv/a.txt", "exec_die"]
    with pytest.raises(NotImplementedError, match="exec_results"):
        engine.exec_start(engine.exec_create("web", ["sh", "-c", "ls /"])["Id"])


def test_exec_in_a_stopped_container_is_a_409(engine):
    engine.add_container("done", state="exited")
    with pytest.raises(docker.errors.APIError) as raised:
        engine.exec_create("done", ["true"])
    assert raised.value.status_code == 409
    assert getattr(translate(raised.value), "status", None) == 409


def test_mount_checks_render_their_placeholders(engine, tmp_path):
    site = tmp_path / "site"
    engine.add_container("web", mounts=[bind_mount(str(site), "/srv"),
                                        volume_mount("data", "/data")])
    check = ("{container: {name: web, mounts: [{destination: /srv, source: '{{ dir }}', "
             "type: bind}, {destination: /data, source: '{{ volume }}', type: volume}]}}")
    assert run_check(engine, check, tmp_path, dir=str(site), volume="data").passed
    failed = run_check(engine, check, tmp_path, dir=str(site), volume="other")
    assert failed.messages == ('container "web" is running but mounts volume data at /data; '
                               'expected other',)
