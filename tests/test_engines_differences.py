"""What other engines answer differently, as the tutor reads it, without the engines:
Podman's event shapes and names (on the in-memory engine), the notes for their error
messages, and the limits selftest reports as unsupported. The same differences are
shown on the real engines by tests/test_engines_{podman,ssh,rootless}.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_engine import FakeEngine

from tutor.checks.base import CheckContext
from tutor.checks.compose import _exec_in
from tutor.checks.events import EventsCheck
from tutor.checks.health import HealthCheck
from tutor.checks.helpers import remember_exec
from tutor.checks.queries import is_podman
from tutor.checks.refs import local_name, repo_tags
from tutor.checks.removals import RemovedCheck
from tutor.engine.product import EngineProduct
from tutor.practice.diagnose import diagnose
from tutor.practice.engine_limits import limit_hit

NOW = 1_700_000_100.0


def podman_engine() -> FakeEngine:
    engine = FakeEngine()
    engine.components = [{"Name": "Podman Engine", "Version": "4.3.1"}]
    return engine


def context(engine: FakeEngine, since: float = NOW - 60) -> CheckContext:
    return CheckContext(api=engine, workspace=Path("."), values={}, since=since,
                        now=lambda: NOW)


def podman_event(engine: FakeEngine, action: str, type: str, actor_id: str, name: str,
                 at: float) -> None:
    """An event the way Podman 4.3's compat /events writes it."""
    engine.events_.append({
        "status": action, "id": actor_id, "from": "", "Type": type, "Action": action,
        "Actor": {"ID": actor_id, "Attributes": {"containerExitCode": "0", "image": "",
                                                 "name": name, "podId": ""}},
        "scope": "local", "time": int(at), "timeNano": int(at * 1e9)})


def test_podman_is_told_from_its_version_components() -> None:
    assert is_podman(podman_engine())
    assert not is_podman(FakeEngine())


def test_on_podman_the_events_are_asked_for_up_to_a_moment_ahead() -> None:
    for engine, ahead in ((podman_engine(), True), (FakeEngine(), False)):
        EventsCheck(action="die").evaluate(context(engine))
        until = next(call for call in engine.calls if call[0] == "events")[2]
        assert (float(until) > NOW) is ahead


def test_podmans_exec_event_is_an_exec_start() -> None:
    engine = podman_engine()
    engine.add_container("web")
    engine.add_event("exec", "web", at=NOW - 5)
    assert EventsCheck(action="exec_start", container="web").evaluate(context(engine)).passed
    engine.events_.clear()
    engine.add_event("exec_died", "web", at=NOW - 5)
    result = EventsCheck(action="exec_start", container="web").evaluate(context(engine))
    assert not result.passed and "exec_died" in result.messages[0]


def test_podmans_remove_event_is_a_destroy() -> None:
    """`docker run --rm` ends with "destroy" on Docker and "remove" on Podman."""
    engine = podman_engine()
    engine.add_container("once")
    podman_event(engine, "remove", "container", "c0ffee", "once", NOW - 5)
    assert EventsCheck(action="destroy", container="once").evaluate(context(engine)).passed
    assert not EventsCheck(action="destroy", container="twice").evaluate(context(engine)).passed
    engine.events_.clear()
    podman_event(engine, "died", "container", "c0ffee", "once", NOW - 5)
    assert not EventsCheck(action="destroy", container="once").evaluate(context(engine)).passed


def test_a_container_podman_removed_besides_the_wanted_ones_is_named() -> None:
    engine = podman_engine()
    for name in ("job-1", "keep"):
        podman_event(engine, "remove", "container", "c0ffee", name, NOW - 5)
    result = RemovedCheck(containers=("job-1",)).evaluate(context(engine))
    assert not result.passed and 'also removed container "keep"' in result.messages[0]
    until = next(call for call in engine.calls if call[0] == "events")[2]
    assert float(until) > NOW  # asked a moment ahead, as Podman's file log needs


def test_podmans_exec_in_a_compose_service_counts() -> None:
    engine = podman_engine()
    engine.add_container("hello-quotes-1", labels={"com.docker.compose.project": "hello",
                                                   "com.docker.compose.service": "quotes"})
    engine.add_container("hello-web-1", labels={"com.docker.compose.project": "hello",
                                                "com.docker.compose.service": "web"})
    assert _exec_in(context(engine), "hello", "quotes")  # nothing ran yet
    # Podman answers with every event, whatever the label filter: exec in another service
    engine.add_event("exec", "hello-web-1", at=NOW - 5)
    assert _exec_in(context(engine), "hello", "quotes")
    engine.add_event("exec", "hello-quotes-1", at=NOW - 5)
    assert _exec_in(context(engine), "hello", "quotes") == []


def test_podmans_exec_events_of_a_checks_probe_are_told_by_container_and_time() -> None:
    """Podman's exec events carry no exec ID: a check's own probe is told by the
    container it ran in and when, so it is not taken for the learner's docker exec."""
    engine = podman_engine()
    client = engine.add_container("client")
    remember_exec("probe-on-podman", client, NOW - 2.0, NOW - 1.9)
    podman_event(engine, "exec", "container", client, "client", NOW - 1.95)
    check = EventsCheck(action="exec_start", container="client")
    assert not check.evaluate(context(engine)).passed  # only the probe ran
    other = podman_engine()
    other.add_container("client")  # another container, at the same moment: not the probe
    podman_event(other, "exec", "container", other.containers_[0].id, "client", NOW - 1.95)
    assert check.evaluate(context(other)).passed
    # The learner's, ending a moment before the check's probe began: theirs.
    podman_event(engine, "exec_died", "container", client, "client", NOW - 2.05)
    assert not check.evaluate(context(engine)).passed  # died is not an exec_start
    podman_event(engine, "exec", "container", client, "client", NOW - 2.1)
    assert check.evaluate(context(engine)).passed


def test_podmans_pull_event_has_the_reference_in_its_name() -> None:
    engine = podman_engine()
    podman_event(engine, "pull", "image", "", "docker.io/library/busybox:latest", NOW - 5)
    assert EventsCheck(type="image", action="pull", container="busybox").evaluate(
        context(engine)).passed
    assert not EventsCheck(type="image", action="pull", container="busybox:1.35").evaluate(
        context(engine)).passed


def test_on_podman_a_build_of_the_image_named_so_is_its_tag() -> None:
    engine = podman_engine()
    image_id = engine.add_image("hello:1")
    other_id = engine.add_image("other:1")
    podman_event(engine, "build", "image", "", other_id.removeprefix("sha256:"), NOW - 5)
    check = EventsCheck(type="image", action="tag", container="hello:1")
    assert not check.evaluate(context(engine)).passed
    podman_event(engine, "build", "image", "", image_id.removeprefix("sha256:"), NOW - 4)
    assert check.evaluate(context(engine)).passed
    # Docker's engine never has it so: a "build" event is no tag there
    docker = FakeEngine()
    image_id = docker.add_image("hello:1")
    podman_event(docker, "build", "image", "", image_id.removeprefix("sha256:"), NOW - 4)
    assert not check.evaluate(context(docker)).passed


def test_podmans_full_names_read_as_docker_shows_them() -> None:
    image = {"RepoTags": ["docker.io/library/busybox:latest", "localhost/app:1",
                          "localhost:5000/app:1", "<none>:<none>", "quay.io/x/y:2"]}
    assert repo_tags(image) == ["busybox:latest", "localhost/app:1", "localhost:5000/app:1",
                                "quay.io/x/y:2"]
    assert repo_tags({"RepoTags": None}) == []
    assert local_name("app:1") == "localhost/app:1"
    assert local_name("user/app") == "localhost/user/app:latest"
    assert local_name("localhost:5000/app:1") is None
    assert local_name("quay.io/app:1") is None


@pytest.mark.parametrize(("output", "wanted"), [
    ('trying to reuse blob sha256:ab at destination: pinging container registry '
     'localhost:5002: Get "https://localhost:5002/v2/": http: server gave HTTP response to '
     'HTTPS client', 'location = "localhost:5002"'),
    ('Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client',
     "Docker allows that only for loopback"),
    ("Error response from daemon: failed to find image localhost:5000/app: "
     "localhost:5000/app: image not known", "cannot push all tags at once"),
    ("Error starting userland proxy: error while calling PortManager.AddPort(): cannot expose "
     "privileged port 80, you can add 'net.ipv4.ip_unprivileged_port_start=80' to "
     "/etc/sysctl.conf (currently 1024)", "ports below 1024 (here 80) need privileges"),
    ("error while calling PortManager.AddPort(): listen tcp4 0.0.0.0:5000: bind: address "
     "already in use", "Something already uses host port 5000."),
    ("docker: Error response from daemon: error while creating mount source path "
     "'/root/app': mkdir /root/app: permission denied", "The engine could not open `/root/app`"),
])
def test_other_engines_messages_get_a_note(output: str, wanted: str) -> None:
    notes = diagnose(output)
    assert any(wanted in note for note in notes), notes


def test_the_podman_note_on_plain_http_says_podman_makes_no_loopback_exception() -> None:
    [note] = diagnose('pinging container registry 127.0.0.1:5003: Get '
                      '"https://127.0.0.1:5003/v2/": http: server gave HTTP response to '
                      'HTTPS client')
    assert "Unlike Docker, Podman makes no exception for localhost" in note
    assert "registries.conf" in note


def test_limits_need_the_engine_the_command_and_the_answer() -> None:
    podman = EngineProduct("Podman 4.3.1", podman=True)
    docker = EngineProduct("Docker Engine")
    push_all = ["docker push --all-tags localhost:5000/app"]
    answer = "failed to find image localhost:5000/app: localhost:5000/app: image not known"
    assert limit_hit(podman, push_all, answer) is not None
    assert limit_hit(docker, push_all, answer) is None
    assert limit_hit(podman, ["docker push localhost:5000/app:1"], answer) is None
    assert limit_hit(podman, push_all, "unauthorized: authentication required") is None
    assert limit_hit(None, push_all, answer) is None


def test_podmans_refusal_of_prune_all_with_a_filter_is_a_limit_with_a_note() -> None:
    podman = EngineProduct("Podman 4.3.1", podman=True)
    answer = ('Error response from daemon: specifying "dangling" filter more than once with '
              'different values is not supported')
    for command in ("docker image prune -a -f --filter label=batch=b1",
                    "docker image prune --all --force --filter=label=batch=b1",
                    "docker image prune -af --filter label=batch=b1"):
        assert limit_hit(podman, [command], answer) is not None, command
    assert limit_hit(podman, ["docker image prune -f --filter label=batch=b1"], answer) is None
    assert limit_hit(EngineProduct("Docker Engine"), ["docker image prune -a --filter x=y"],
                     answer) is None
    [note] = diagnose(answer)
    assert "refuses `docker image prune --all` together with `--filter`" in note
    assert "docker rmi NAME:TAG" in note


def with_health(engine: FakeEngine, health: dict, test: list[str] | None = None) -> FakeEngine:
    """``engine`` whose one container "web" reports ``health`` (and has ``test``)."""
    engine.add_container("web")
    inspect_container = engine.inspect_container

    def inspect(container):
        found = inspect_container(container)
        found["State"]["Health"] = dict(health)
        if test:
            found["Config"]["Healthcheck"] = {"Test": test}
        return found

    engine.inspect_container = inspect  # type: ignore[method-assign]
    return engine


def test_health_probes_that_never_ran_on_podman_are_said_so_and_a_limit() -> None:
    never_ran = {"Status": "starting", "FailingStreak": 0, "Log": None}
    engine = with_health(podman_engine(), never_ran, ["CMD-SHELL", "true"])
    result = HealthCheck(container="web").evaluate(context(engine))
    assert not result.passed
    assert result.messages[0].startswith('container "web" is starting; expected healthy '
                                         '(no probe has finished yet: `true`)')
    assert "systemd timers" in result.messages[0]
    podman = EngineProduct("Podman 4.3.1", podman=True)
    assert limit_hit(podman, ["docker run -d web"], result.messages[0]) is not None
    docker = with_health(FakeEngine(), never_ran, ["CMD-SHELL", "true"])
    assert "systemd" not in HealthCheck(container="web").evaluate(context(docker)).messages[0]


def test_podmans_empty_health_status_means_no_health_check() -> None:
    engine = with_health(podman_engine(), {"Status": "", "FailingStreak": 0, "Log": None})
    result = HealthCheck(container="web").evaluate(context(engine))
    assert not result.passed and "has no health check" in result.messages[0]


class _StartingRegistry:
    """127.0.0.1:PORT that drops the first ``drops`` connections, as a proxy in front of
    a registry that does not listen yet does, then answers the tags list."""

    def __init__(self, drops: int) -> None:
        import socket
        import threading

        self.drops = drops
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        body = b'{"name": "hello", "tags": ["1"]}'
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with client:
                if self.drops > 0:
                    self.drops -= 1
                    continue  # closed without a word
                client.recv(65536)
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                               % (len(body), body))

    def close(self) -> None:
        self.server.close()


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


@pytest.mark.parametrize("drops", [0, 3])
def test_a_registry_that_is_still_starting_gets_a_moment(drops: int) -> None:
    from tutor.checks.network import RegistryTagCheck

    registry = _StartingRegistry(drops)
    clock = _Clock()
    try:
        ctx = CheckContext(api=None, workspace=Path("."), values={}, clock=lambda: clock.now,
                           sleep=clock.sleep)
        check = RegistryTagCheck(registry=f"127.0.0.1:{registry.port}", repository="hello",
                                 tag="1")
        result = check.evaluate(ctx)
        assert result.passed, result.messages
        assert clock.slept == pytest.approx(0.25 * drops)
    finally:
        registry.close()


def test_a_registry_port_that_keeps_dropping_connections_is_reported() -> None:
    from tutor.checks.network import REGISTRY_STARTING_SECONDS, RegistryTagCheck

    registry = _StartingRegistry(drops=10_000)
    clock = _Clock()
    try:
        ctx = CheckContext(api=None, workspace=Path("."), values={}, clock=lambda: clock.now,
                           sleep=clock.sleep)
        result = RegistryTagCheck(registry=f"127.0.0.1:{registry.port}", repository="hello",
                                  tag="1").evaluate(ctx)
        assert not result.passed
        assert "cannot reach the registry" in result.messages[0]
        assert "nothing answered HTTP" in result.messages[0]
        assert clock.slept >= REGISTRY_STARTING_SECONDS
    finally:
        registry.close()


class PodmanNames(FakeEngine):
    """Podman 4.3's compat container list: the name filter is a regex matched against the
    name without its "/", and each summary has an empty "Name"."""

    def containers(self, *args, filters=None, **kwargs):
        import re

        pattern = (filters or {}).get("name")
        listed = super().containers(*args, filters={k: v for k, v in (filters or {}).items()
                                                     if k != "name"}, **kwargs)
        if pattern:
            listed = [c for c in listed
                      if any(re.search(pattern, n.lstrip("/")) for n in c["Names"])]
        return [{**c, "Name": ""} for c in listed]


def test_on_podman_a_container_is_found_by_its_name_and_named_in_messages() -> None:
    from tutor.checks.containers import ContainerCheck
    from tutor.checks.queries import container_name

    engine = PodmanNames()
    engine.add_container("web")
    engine.add_container("db")
    assert ContainerCheck(name="web", state="running").check(context(engine)).passed
    missing = ContainerCheck(name="api").check(context(engine))
    assert missing.messages == ('no container named "api" exists (containers: db, web)',)
    assert container_name({"Names": ["/web"], "Name": ""}) == "web"
