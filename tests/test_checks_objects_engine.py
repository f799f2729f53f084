"""The check kinds about volumes, networks, reachability, logs, restarts and configuration,
against the real Docker engine.

Needs an engine (``eval "$(scripts/engine-up)"``); skipped without one, except in CI.
Everything carries the label org.docker-tutor.test=1 and is removed after each test.
"""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from check_kit import check_runner, failed
from engine_helpers import TEST_LABEL, Resources, busybox_engine, unique_name

from tutor.checks.helpers import HELPER_LABEL_KEY, HELPER_LABEL_VALUE, is_check_event
from tutor.practice.fixtures import FIXTURE_LABEL

pytestmark = pytest.mark.engine

SLEEP = ["sleep", "600"]
HTTPD = ["httpd", "-f", "-p", "80"]


api = pytest.fixture(scope="module")(busybox_engine)


class Objects(Resources):
    """Resources plus labelled volumes and networks, removed after the containers."""

    def __init__(self, api) -> None:
        super().__init__(api)
        self.volumes: list[str] = []
        self.networks: list[str] = []

    def volume(self, files: dict[str, str] | None = None) -> str:
        name = unique_name("tutor-test-vol")
        self.api.create_volume(name, labels=TEST_LABEL)
        self.volumes.append(name)
        if files:
            _writer, writer_id = self.container(command=["true"], start=False,
                                               binds=[f"{name}:/v"])
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w") as archive:
                for path, content in files.items():
                    data = content.encode()
                    info = tarfile.TarInfo(path)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
            self.api.put_archive(writer_id, "/v", buffer.getvalue())
            self.api.remove_container(writer_id, force=True)
        return name

    def network(self) -> str:
        name = unique_name("tutor-test-net")
        self.api.create_network(name, driver="bridge", labels=TEST_LABEL)
        self.networks.append(name)
        return name

    def cleanup(self) -> None:
        super().cleanup()
        for name in self.volumes:
            try:
                self.api.remove_volume(name, force=True)
            except docker.errors.NotFound:
                pass
        for name in self.networks:
            try:
                self.api.remove_network(name)
            except docker.errors.NotFound:
                pass


@pytest.fixture
def made(api) -> Iterator[Objects]:
    resources = Objects(api)
    yield resources
    resources.cleanup()


@pytest.fixture
def run(api, tmp_path: Path):
    return check_runner(api, tmp_path)


def helpers_left(api) -> list[dict]:
    return api.containers(all=True, filters={"label": f"{HELPER_LABEL_KEY}={HELPER_LABEL_VALUE}"})


# -- volume ---------------------------------------------------------------------------------------


def test_a_file_in_a_volume_is_read_and_the_helper_goes(api, made, run):
    volume = made.volume({"notes.txt": "remember me\n", "sub/deep.txt": "deep\n"})
    before = {c["Id"] for c in helpers_left(api)}
    assert run("{volume: {name: '{{ v }}', path: notes.txt, contains: remember}}", v=volume).passed
    assert run("{volume: {name: '{{ v }}', path: /sub/deep.txt, contains: deep}}", v=volume).passed
    assert run("{volume: {name: '{{ v }}', path: sub}}", v=volume).passed
    assert failed(run("{volume: {name: '{{ v }}', path: notes.txt, contains: forget}}",
                      v=volume)) == (
        f'notes.txt in volume "{volume}" does not contain "forget"; it holds "remember me"')
    assert failed(run("{volume: {name: '{{ v }}', path: nope.txt}}", v=volume)) == (
        f'nope.txt is missing in volume "{volume}" (it holds: notes.txt, sub/)')
    assert failed(run("{volume: {name: '{{ v }}', path: sub, contains: deep}}", v=volume)) == (
        f'sub in volume "{volume}" is a directory; expected a file containing "deep"')
    # Every helper was removed again, and none of this test's helpers is left behind.
    assert {c["Id"] for c in helpers_left(api)} <= before


def test_an_empty_volume_says_so(made, run):
    volume = made.volume()
    assert failed(run("{volume: {name: '{{ v }}', path: notes.txt}}", v=volume)) == (
        f'notes.txt is missing in volume "{volume}" (it is empty)')


def test_a_missing_volume_is_named_and_not_created_by_the_check(api, run):
    name = unique_name("tutor-test-missing")
    message = failed(run("{volume: {name: '{{ v }}', path: notes.txt}}", v=name))
    assert message.startswith(f'no volume named "{name}" exists (')
    with pytest.raises(docker.errors.NotFound):
        api.inspect_volume(name)  # reading must never create it (a mount of a missing name would)
    assert run("{volume: {name: '{{ v }}', absent: true}}", v=name).passed


def test_a_volume_in_use_says_by_whom(made, run):
    volume = made.volume()
    user, _ = made.container(command=["true"], start=False, binds=[f"{volume}:/data"])
    assert failed(run("{volume: {name: '{{ v }}', absent: true}}", v=volume)) == (
        f'volume "{volume}" still exists (used by container {user}: remove it first); '
        f"expected it to be removed")


def test_volume_labels(made, run):
    volume = made.volume()
    assert run("{volume: {name: '{{ v }}', labels: {org.docker-tutor.test: '1'}}}",
               v=volume).passed
    assert failed(run("{volume: {name: '{{ v }}', labels: {team: web}}}", v=volume)) == (
        f'volume "{volume}" has no label team; expected team=web')


def test_the_helper_carries_the_fixture_label_and_its_events_are_the_checks_own(api, made,
                                                                                run):
    assert HELPER_LABEL_KEY == FIXTURE_LABEL
    volume = made.volume({"a.txt": "a"})
    began = time.time()
    assert run("{volume: {name: '{{ v }}', path: a.txt}}", v=volume).passed
    events = list(api.events(since=int(began), until=time.time() + 1, decode=True,
                             filters={"type": "container",
                                      "label": f"{HELPER_LABEL_KEY}={HELPER_LABEL_VALUE}"}))
    actions = {event["Action"] for event in events}
    assert {"create", "destroy"} <= actions  # created and removed again, never started
    assert "start" not in actions
    assert all(is_check_event(event) for event in events)


# -- network ----------------------------------------------------------------------------------------


def test_containers_attached_to_a_network_running_or_not(api, made, run):
    network = made.network()
    running, _ = made.container(command=SLEEP, network_mode=network)
    stopped, _ = made.container(command=["true"], network_mode=network, start=False)
    elsewhere, _ = made.container(command=SLEEP)
    check = "{network: {name: '{{ n }}', driver: bridge, containers: ['{{ a }}', '{{ b }}']}}"
    assert run(check, n=network, a=running, b=stopped).passed
    assert failed(run("{network: {name: '{{ n }}', containers: ['{{ a }}']}}", n=network,
                      a=elsewhere)) == (
        f'network "{network}" exists but has no container "{elsewhere}" attached '
        f'("{elsewhere}" is on bridge)')
    assert failed(run("{network: {name: '{{ n }}', driver: overlay}}", n=network)) == (
        f'network "{network}" exists but uses the driver bridge; expected overlay')
    assert failed(run("{network: {name: '{{ n }}', containers: [nobody-here-xyz]}}",
                      n=network)) == (
        f'network "{network}" exists but has no container "nobody-here-xyz" attached (there is '
        f"no such container)")


def test_a_network_in_use_cannot_be_absent_and_says_why(made, run):
    network = made.network()
    running, _ = made.container(command=SLEEP, network_mode=network)
    assert failed(run("{network: {name: '{{ n }}', absent: true}}", n=network)) == (
        f'network "{network}" still exists (containers attached: {running}: the engine refuses '
        f"to remove a network while running containers use it; remove or disconnect them "
        f"first); expected it to be removed")


def test_a_missing_network_lists_the_others(run):
    message = failed(run("{network: no-such-network-xyz}"))
    assert message.startswith('no network named "no-such-network-xyz" exists (networks: ')
    assert "bridge" in message
    assert run("{network: {name: no-such-network-xyz, absent: true}}").passed


def test_a_network_is_named_exactly_not_by_an_id_prefix(api, made, run):
    network = made.network()
    prefix = api.inspect_network(network)["Id"][:12]
    assert failed(run("{network: '{{ n }}'}", n=prefix)).startswith(
        f'no network named "{prefix}" exists')


# -- reach -----------------------------------------------------------------------------------------


def test_by_name_on_a_shared_network_and_not_on_the_default_bridge(made, run):
    network = made.network()
    server, _ = made.container(command=HTTPD, network_mode=network)
    client, _ = made.container(command=SLEEP, network_mode=network)
    loner, _ = made.container(command=SLEEP)
    wait = "\n  wait: 5\n"
    assert run(f"\ncheck:\n  reach: {{from: '{{{{ c }}}}', to: '{{{{ s }}}}', port: 80}}{wait}",
               c=client, s=server).passed
    assert run("{reach: {from: '{{ c }}', to: '{{ s }}'}}", c=client, s=server).passed
    assert failed(run("{reach: {from: '{{ c }}', to: '{{ s }}', port: 81}}", c=client,
                      s=server)) == (
        f'from container "{client}", "{server}" port 81 cannot be reached: the name resolves, '
        f"but nothing listens on port 81 there (connection refused)")
    assert failed(run("{reach: {from: '{{ c }}', to: '{{ s }}', port: 80}}", c=loner,
                      s=server)) == (
        f'from container "{loner}", "{server}" port 80 cannot be reached: the name "{server}" '
        f"does not resolve (bad address); containers find each other by name only on a "
        f'user-defined network they share ("{loner}" is on bridge, "{server}" on {network})')
    assert run("{reach: {from: '{{ c }}', to: '{{ s }}', reachable: false}}", c=loner,
               s=server).passed
    assert failed(run("{reach: {from: '{{ c }}', to: '{{ s }}', reachable: false}}", c=client,
                      s=server)) == (
        f'from container "{client}", "{server}" answers (they share network {network}); '
        f"expected it to be unreachable")


def test_reach_needs_a_running_source_with_the_tools(api, made, run):
    stopped, stopped_id = made.container(command=["true"])
    made.wait_exit(stopped_id)
    assert failed(run("{reach: {from: '{{ c }}', to: web}}", c=stopped)) == (
        f'container "{stopped}" is exited (exit code 0); it has to run to reach "web"')
    try:
        api.inspect_image("python:3.11-slim")
    except docker.errors.NotFound:
        pytest.skip("python:3.11-slim (an image without ping) is not on the engine")
    bare, _ = made.container(image="python:3.11-slim", command=SLEEP)
    message = failed(run("{reach: {from: '{{ c }}', to: web}}", c=bare))
    assert message.startswith(f'container "{bare}" has no `ping` to test the connection with')


def test_a_container_on_two_networks_names_both(api, made, run):
    first, second = made.network(), made.network()
    left, _ = made.container(command=SLEEP, network_mode=first)
    api.connect_container_to_network(left, second)
    right, _ = made.container(command=SLEEP)
    message = failed(run("{reach: {from: '{{ a }}', to: '{{ b }}'}}", a=left, b=right))
    assert message.endswith(
        f'("{left}" is on {" and ".join(sorted([first, second]))}, "{right}" on bridge)')


def test_the_probe_is_not_the_learners_exec(made, run):
    network = made.network()
    server, _ = made.container(command=HTTPD, network_mode=network)
    client, _ = made.container(command=SLEEP, network_mode=network)
    began = time.time()
    assert run("{reach: {from: '{{ c }}', to: '{{ s }}'}}", c=client, s=server).passed
    assert run("{exec: {container: '{{ c }}', command: ['true']}}", c=client).passed
    assert failed(run("{events: {action: exec_start, container: '{{ c }}'}}", since=began,
                      c=client)).startswith(f'no exec_start event for container "{client}"')


# -- logs ------------------------------------------------------------------------------------------


def test_logs_hold_stdout_and_stderr_of_a_stopped_container(made, run):
    name, container_id = made.container(
        command=["sh", "-c", "echo starting; echo 'error: config missing' >&2; exit 3"])
    made.wait_exit(container_id)
    assert run("{logs: {container: '{{ n }}', contains: 'error: config missing'}}",
               n=name).passed
    chatty, chatty_id = made.container(
        command=["sh", "-c", "for i in 1 2 3 4; do echo line $i; done"])
    made.wait_exit(chatty_id)
    assert failed(run("{logs: {container: '{{ n }}', contains: all good}}", n=chatty)) == (
        f'the output of container "{chatty}" does not contain "all good"; it ends with '
        f'"line 2 / line 3 / line 4"')
    quiet, quiet_id = made.container(command=["true"])
    made.wait_exit(quiet_id)
    assert failed(run("{logs: {container: '{{ n }}', contains: hi}}", n=quiet)) == (
        f'the output of container "{quiet}" is empty; expected it to contain "hi"')


# -- container: restarts, command, entrypoint, read-only mounts ----------------------------------


def test_restart_policy_and_count(made, run):
    flaky, _ = made.container(command=["sh", "-c", "exit 1"],
                              restart_policy={"Name": "on-failure", "MaximumRetryCount": 0})
    steady, _ = made.container(command=SLEEP)
    clean, clean_id = made.container(command=["true"],
                                     restart_policy={"Name": "on-failure", "MaximumRetryCount": 0})
    made.wait_exit(clean_id)
    assert run("\ncheck:\n  container: {name: '{{ n }}', restart_policy: on-failure, "
               "restarts: 1}\n  wait: 10\n", n=flaky).passed
    assert failed(run("{container: {name: '{{ n }}', restart_policy: always}}", n=flaky)).endswith(
        "has restart policy on-failure; expected always")
    assert failed(run("{container: {name: '{{ n }}', restart_policy: 'on-failure:3'}}",
                      n=flaky)).endswith(
        "has restart policy on-failure (unlimited retries); expected on-failure:3")
    assert failed(run("{container: {name: '{{ n }}', restarts: 1}}", n=steady)) == (
        f'container "{steady}" is running but has restarted 0 times; expected at least once '
        f"(its restart policy is no, so the engine never restarts it)")
    assert failed(run("{container: {name: '{{ n }}', restarts: 2}}", n=clean)) == (
        f'container "{clean}" has exited (exit code 0) but has restarted 0 times; expected at '
        f"least 2 times (it exited with code 0, and on-failure restarts only after a failure)")


def test_command_and_entrypoint(api, made, run):
    name = unique_name()
    created = api.create_container("busybox", command=["Docker"], entrypoint=["echo", "Hello,"],
                                   name=name, labels=TEST_LABEL)
    made.containers.append(created["Id"])
    assert run("{container: {name: '{{ n }}', cmd: [Docker], entrypoint: [echo, 'Hello,']}}",
               n=name).passed
    assert failed(run("{container: {name: '{{ n }}', cmd: [world]}}", n=name)) == (
        f'container "{name}" is created (never started) but has command ["Docker"]; '
        f'expected ["world"]')
    plain, _ = made.container(command=SLEEP, start=False)
    assert failed(run("{container: {name: '{{ n }}', entrypoint: [cat]}}", n=plain)).endswith(
        'has entrypoint none; expected ["cat"]')


def test_read_only_mounts_and_rendered_sources(made, run, tmp_path):
    (tmp_path / "site").mkdir()
    volume = made.volume()
    name, _ = made.container(command=SLEEP, start=False,
                             binds=[f"{tmp_path / 'site'}:/site:ro", f"{volume}:/data"])
    check = ("{container: {name: '{{ n }}', mounts: [{destination: /site, source: site, "
             "read_only: true}, {destination: /data, source: '{{ v }}', type: volume, "
             "read_only: false}]}}")
    assert run(check, n=name, v=volume).passed
    assert failed(run("{container: {name: '{{ n }}', mounts: [{destination: /data, "
                      "read_only: true}]}}", n=name)).endswith(
        "mounts /data writable; expected a mount at /data (read-only)")


def test_why_a_container_did_not_restart_is_said_once(made, run):
    plain, plain_id = made.container(command=["sh", "-c", "exit 1"])
    made.wait_exit(plain_id)
    assert failed(run("{container: {name: '{{ n }}', restart_policy: on-failure, restarts: 1}}",
                      n=plain)) == (
        f'container "{plain}" has exited (exit code 1) but has restart policy no (it is never '
        f"restarted); expected on-failure. It also has restarted 0 times; expected at least once")
