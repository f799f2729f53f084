"""An engine reached over ssh://: the SDK and the docker CLI talk to the same engine,
published ports are checked at the engine's host, and what is missing is explained.

The tests marked ``ssh`` need scripts/engine/ssh-up (TUTOR_TEST_SSH_HOST, and its ssh
wrapper first on PATH); the others need only the ssh client.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines_kit import EngineUnderTest, engine_fixture, free_port, until

from tutor.checks.base import CheckContext
from tutor.checks.files import ExecCheck
from tutor.checks.network import HttpCheck
from tutor.checks.reach import ReachCheck
from tutor.engine.endpoint import Endpoint, published_host
from tutor.engine.product import EngineProduct
from tutor.engine.sshconfig import connection_sharing_advice, ssh_settings
from tutor.practice.engine_limits import binds_host_path, limit_hit

remote = pytest.fixture(engine_fixture("TUTOR_TEST_SSH_HOST", "scripts/engine/ssh-up"))
needs_ssh_client = pytest.mark.skipif(shutil.which("ssh") is None,
                                      reason="needs the OpenSSH client (ssh)")


# -- on the engine over ssh ----------------------------------------------------------------


@pytest.mark.ssh
def test_the_cli_and_the_sdk_reach_the_same_engine(remote: EngineUnderTest) -> None:
    target = os.environ.get("TUTOR_TEST_SSH_TARGET", "")
    cli_id = remote.docker("info", "--format", "{{.ID}}").stdout.strip()
    sdk_id = remote.api.info()["ID"]
    assert cli_id and cli_id == sdk_id
    if target:  # the engine behind sshd, asked directly
        direct = subprocess.run(["docker", "info", "--format", "{{.ID}}"], text=True,
                                env={**os.environ, "DOCKER_HOST": target},
                                capture_output=True, check=True).stdout.strip()
        assert direct == sdk_id
    # and what one makes, the other sees
    name = remote.name("same")
    remote.docker("create", "--name", name, "busybox", "true")
    assert f"/{name}" in [n for c in remote.api.containers(all=True) for n in c["Names"]]


@pytest.mark.ssh
def test_a_published_port_is_checked_at_the_engines_host(remote: EngineUnderTest) -> None:
    host = remote.engine.http_host
    assert host == "127.0.0.1"  # ssh://user@127.0.0.1:PORT: the engine's host is here
    port = free_port(5700, 5800)
    name = remote.name("web")
    remote.docker("run", "-d", "--name", name, "-p", f"{port}:80", "busybox",
                  "httpd", "-f", "-p", "80", "-h", "/etc")
    check = HttpCheck(port=port, path="/hostname")
    assert until(lambda: check.evaluate(remote.context()).passed), \
        check.evaluate(remote.context()).messages


@pytest.mark.ssh
def test_a_checks_own_exec_works_over_ssh(remote: EngineUnderTest) -> None:
    """The SDK's ssh transport breaks its pipe closing an exec it read whole
    (docker/docker-py#3218); the checks stream theirs."""
    net, server, client = (remote.name("net"), remote.name("server"), remote.name("client"))
    remote.docker("network", "create", net)
    try:
        remote.docker("run", "-d", "--name", server, "--network", net, "busybox",
                      "httpd", "-f", "-p", "80")
        remote.docker("run", "-d", "--name", client, "--network", net, "busybox", "sleep", "600")
        reach = ReachCheck(source=client, target=server, port=80, wait=5)
        assert reach.evaluate(remote.context()).passed
        said = ExecCheck(container=client, command=("echo", "from the probe"),
                         output_contains="from the probe")
        assert said.evaluate(remote.context()).passed
        wrong = ExecCheck(container=client, command=("echo", "other"), output_contains="probe")
        assert not wrong.evaluate(remote.context()).passed
    finally:
        remote.clean()
        remote.docker("network", "rm", net, check=False)


def test_doctor_names_the_remote_host_and_where_ports_are_checked(
        remote: EngineUnderTest) -> None:
    program = "import sys; from tutor.cli import main; sys.exit(main(['doctor']))"
    done = subprocess.run([sys.executable, "-c", program], text=True,
                          env={**os.environ, "DOCKER_HOST": remote.host, "COLUMNS": "200"},
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(ssh, as " in done.stdout
    assert "checked at 127.0.0.1 (the engine's host)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.ssh
def test_without_paramiko_doctor_says_what_to_install(remote: EngineUnderTest) -> None:
    """The docker SDK loads its ssh transport only with paramiko, even through the ssh
    client; a tutor installed without the 'ssh' extra says so."""
    program = ("import sys; sys.modules['paramiko'] = None\n"
               "from tutor.cli import main\nsys.exit(main(['doctor']))\n")
    done = subprocess.run([sys.executable, "-c", program], text=True,
                          env={**os.environ, "DOCKER_HOST": remote.host, "COLUMNS": "200"},
                          capture_output=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "ssh:// engines need the paramiko package" in done.stdout
    assert "pip install paramiko" in done.stdout and "docker-tutor[ssh]" in done.stdout


@pytest.mark.ssh
def test_a_bind_mount_of_a_folder_here_is_a_limit_of_the_remote_engine(
        remote: EngineUnderTest, tmp_path: Path) -> None:
    """The engine mounts folders of its own machine as its own user: pytest's tmp_path
    (root's, closed to others) is not one it can open."""
    tmp_path.chmod(0o700)
    name = remote.name("bind")
    done = remote.docker("run", "--name", name, "-v", f"{tmp_path}/app:/app", "busybox",
                         "true", check=False)
    assert done.returncode != 0
    product = EngineProduct("Docker Engine", remote="127.0.0.1 (ssh)")
    command = f"docker run -v {tmp_path}/app:/app busybox true"
    assert limit_hit(product, [command], done.stderr) is not None


# -- the pieces, without an engine ------------------------------------------------------------


@pytest.fixture
def ssh_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An ssh client on PATH that reads this test's config (root's ~/.ssh is left alone)."""
    config = tmp_path / "ssh_config"
    wrapper = tmp_path / "bin" / "ssh"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("ssh")} -F {config} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    ssh_settings.cache_clear()
    yield config
    ssh_settings.cache_clear()


@needs_ssh_client
def test_an_ssh_alias_is_resolved_to_the_host_its_ports_are_on(ssh_config: Path) -> None:
    ssh_config.write_text("Host tutor-box\n  HostName 127.0.0.7\n")
    endpoint = Endpoint(host="ssh://me@tutor-box", source="DOCKER_HOST")
    assert published_host(endpoint) == "127.0.0.7"
    assert published_host(Endpoint(host="ssh://me@127.0.0.9:2222", source="x")) == "127.0.0.9"
    assert published_host(Endpoint(host="tcp://127.0.0.8:2375", source="x")) == "127.0.0.8"
    assert published_host(Endpoint(host="unix:///var/run/docker.sock", source="x")) == \
        "127.0.0.1"
    assert published_host(Endpoint(host="tcp://0.0.0.0:2375", source="x")) == "127.0.0.1"


@needs_ssh_client
def test_doctor_advises_sharing_one_ssh_connection(ssh_config: Path) -> None:
    ssh_config.write_text("Host tutor-box\n  HostName 127.0.0.7\n")
    advice = connection_sharing_advice("tutor-box", "me", None)
    assert advice is not None and "ControlMaster auto" in advice.fix
    assert "Host tutor-box" in advice.fix
    ssh_config.write_text("Host tutor-box\n  HostName 127.0.0.7\n  ControlMaster auto\n"
                          "  ControlPath /tmp/cm-%C\n")
    ssh_settings.cache_clear()
    assert connection_sharing_advice("tutor-box", "me", None) is None


def test_a_port_that_cannot_be_reached_on_a_remote_engine_says_where_it_was_asked() -> None:
    """127.0.0.2 stands for the engine's host (loopback: nothing leaves the machine)."""
    port = free_port(5800, 5900)
    ctx = CheckContext(api=None, workspace=Path("."), values={}, http_host="127.0.0.2")
    result = HttpCheck(port=port).evaluate(ctx)
    assert not result.passed
    message = result.messages[0]
    assert message.startswith(f"GET http://127.0.0.2:{port}/ got no answer")
    assert "the engine runs on 127.0.0.2, so the tutor asked there" in message
    assert f"-p 127.0.0.1:{port}:" in message
    local = HttpCheck(port=port).evaluate(CheckContext(api=None, workspace=Path("."),
                                                       values={}))
    assert "the engine runs on" not in local.messages[0]


def test_bind_mounts_of_a_host_path_are_told_from_named_volumes() -> None:
    assert binds_host_path(["docker", "run", "-v", "/srv/app:/app", "busybox"])
    assert binds_host_path(["docker", "run", "--volume=./app:/app", "busybox"])
    assert binds_host_path(["docker", "run", "--mount", "type=bind,source=/x,target=/y", "b"])
    assert not binds_host_path(["docker", "run", "-v", "data:/var/lib/data", "busybox"])
    assert not binds_host_path(["docker", "run", "--mount", "type=volume,source=d,target=/y"])
    local = EngineProduct("Docker Engine")
    remote = EngineProduct("Docker Engine", remote="box (ssh)")
    command = ["docker run -v /srv/app:/app busybox"]
    assert limit_hit(local, command, "no answer") is None
    assert limit_hit(remote, command, "no answer") is not None
    assert limit_hit(remote, ["docker run -v data:/d busybox"], "no answer") is None


def test_a_compose_files_bind_mount_on_a_remote_engine_is_a_limit() -> None:
    local = EngineProduct("Docker Engine")
    remote = EngineProduct("Docker Engine", remote="box (ssh)")
    answer = ("Error response from daemon: error while creating mount source path "
              "'/tmp/lesson/app.py': mkdir /tmp/lesson: permission denied")
    assert limit_hit(remote, ["docker compose up -d"], answer) is not None
    assert limit_hit(remote, ["docker compose up --detach --wait"], answer) is not None
    assert limit_hit(local, ["docker compose up -d"], answer) is None
    assert limit_hit(remote, ["docker compose ps"], answer) is None
    assert limit_hit(remote, ["docker compose up -d"], "service web exited with code 1") is None
