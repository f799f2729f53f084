"""diagnose(): real exception objects, wrapped the way docker/requests/urllib3 wrap them,
become problems that name the endpoint, its source and the exact fix."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import docker
import docker.errors
import pytest
import requests
import urllib3.exceptions

from tutor.engine.diagnosis import (
    API_VERSION,
    CONTEXT_MISSING,
    HOST_UNREACHABLE,
    NOT_DOCKER,
    NOT_RUNNING,
    PERMISSION_DENIED,
    SOCKET_MISSING,
    SSH,
    TIMEOUT,
    TLS,
    UNKNOWN,
    ApiVersionUnsupported,
    cli_missing_problem,
    diagnose,
    start_commands,
)
from tutor.engine.endpoint import Endpoint

DEFAULT = Endpoint(host="unix:///var/run/docker.sock", source="default socket")
ENVIRON = {"HOME": "/nonexistent-home", "XDG_RUNTIME_DIR": "/nonexistent-run"}


def wrapped(inner: BaseException) -> BaseException:
    """What docker's APIClient(version='auto') raises for a socket error: a
    DockerException from requests' ConnectionError around urllib3's ProtocolError."""
    try:
        try:
            raise requests.exceptions.ConnectionError(
                urllib3.exceptions.ProtocolError("Connection aborted.", inner))
        except requests.exceptions.ConnectionError as error:
            raise docker.errors.DockerException(
                f"Error while fetching server API version: {error}") from error
    except docker.errors.DockerException as outer:
        return outer


def api_error(status: int, explanation: str) -> docker.errors.APIError:
    response = requests.Response()
    response.status_code = status
    response.url = "http+docker://localhost/v1.24/containers/json"
    return docker.errors.APIError(f"{status} Client Error", response=response,
                                  explanation=explanation)


def check(problem, kind: str, *needles: str) -> None:
    assert problem.kind == kind, str(problem)
    text = str(problem)
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"
    assert "Traceback" not in text


def test_socket_missing_names_path_source_and_start_commands() -> None:
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = diagnose(error, DEFAULT, environ=ENVIRON, platform="linux")
    check(problem, SOCKET_MISSING, "/var/run/docker.sock", "(default socket)",
          "sudo systemctl start docker", "sudo dockerd")
    assert problem.summary == "No Docker engine socket at /var/run/docker.sock"
    assert problem.short == "socket missing"
    assert "unset DOCKER_HOST" not in problem.fix  # the default: nothing to unset


def test_socket_missing_on_macos_suggests_desktop_and_colima() -> None:
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = diagnose(error, DEFAULT, environ=ENVIRON, platform="darwin")
    check(problem, SOCKET_MISSING, "start the Docker Desktop app", "colima start")


def test_socket_missing_suggests_existing_alternatives_without_using_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".colima" / "default").mkdir(parents=True)
    (home / ".colima" / "default" / "docker.sock").touch()
    run = tmp_path / "run"
    run.mkdir()
    (run / "docker.sock").touch()
    environ = {"HOME": str(home), "XDG_RUNTIME_DIR": str(run)}
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = diagnose(error, DEFAULT, environ=environ, platform="linux")
    check(problem, SOCKET_MISSING,
          f"Found a rootless Docker socket at {run}/docker.sock; to use it: "
          f"export DOCKER_HOST=unix://{run}/docker.sock",
          f"Found a Colima socket at {home}/.colima/default/docker.sock; to use it: "
          f"export DOCKER_HOST=unix://{home}/.colima/default/docker.sock")


def test_socket_missing_for_docker_host_offers_to_unset_it() -> None:
    endpoint = Endpoint(host="unix:///tmp/other.sock", source="DOCKER_HOST")
    problem = diagnose(wrapped(FileNotFoundError(2, "No such file or directory")), endpoint,
                       environ=ENVIRON, platform="linux")
    check(problem, SOCKET_MISSING, "/tmp/other.sock", "(DOCKER_HOST)", "unset DOCKER_HOST")


@pytest.mark.parametrize(("host", "context", "command"), [
    ("unix:///Users/me/.colima/default/docker.sock", "colima", "colima start"),
    ("unix:///run/user/1000/podman/podman.sock", None, "systemctl --user start podman.socket"),
    ("unix:///run/user/1000/docker.sock", None, "systemctl --user start docker"),
    ("unix:///home/me/.docker/desktop/docker.sock", "desktop-linux",
     "start the Docker Desktop app"),
])
def test_start_command_matches_the_kind_of_engine(host: str, context: str | None,
                                                  command: str) -> None:
    source = f"docker context '{context}'" if context else "DOCKER_HOST"
    endpoint = Endpoint(host=host, source=source, context=context)
    problem = diagnose(wrapped(ConnectionRefusedError(111, "Connection refused")), endpoint,
                       environ={"HOME": "/h", "XDG_RUNTIME_DIR": "/run/user/1000"},
                       platform="linux")
    check(problem, NOT_RUNNING, command, host, source)


def test_podman_fix_also_sets_docker_host() -> None:
    endpoint = Endpoint(host="unix:///run/user/1000/podman/podman.sock", source="DOCKER_HOST")
    lines = start_commands(endpoint, {}, "linux")
    assert "export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock" in "\n".join(lines)


def test_connection_refused_on_a_stale_socket() -> None:
    problem = diagnose(wrapped(ConnectionRefusedError(111, "Connection refused")), DEFAULT,
                       environ=ENVIRON, platform="linux")
    check(problem, NOT_RUNNING, "The Docker engine is not running", "connection refused",
          "unix:///var/run/docker.sock (default socket)", "sudo systemctl start docker")


def test_connection_refused_over_tcp_from_a_real_request() -> None:
    """A real refused TCP connection through the docker SDK (nothing listens there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = Endpoint(host=f"tcp://127.0.0.1:{port}", source="DOCKER_HOST")
    client = docker.APIClient(base_url=endpoint.host, version="1.41", timeout=5)
    with pytest.raises(requests.exceptions.ConnectionError) as caught:
        client.version(api_version=False)
    problem = diagnose(caught.value, endpoint, environ=ENVIRON, platform="linux")
    check(problem, NOT_RUNNING, f"127.0.0.1:{port}", "(DOCKER_HOST)", "unset DOCKER_HOST")


def test_permission_denied_suggests_the_docker_group_and_rootless() -> None:
    problem = diagnose(wrapped(PermissionError(13, "Permission denied")), DEFAULT,
                       environ=ENVIRON, platform="linux")
    check(problem, PERMISSION_DENIED, "Permission denied on /var/run/docker.sock",
          "sudo usermod -aG docker $USER", "log out and back in", "newgrp docker",
          "systemctl --user start docker", "(default socket)")


def test_engine_refusing_our_old_api_version() -> None:
    error = api_error(400, "client version 1.24 is too old. Minimum supported API version "
                           "is 1.44, please upgrade your client to a newer version")
    problem = diagnose(error, DEFAULT, environ=ENVIRON)
    check(problem, API_VERSION, "client version 1.24 is too old",
          "pip install --upgrade docker", "(default socket)")


def test_engine_too_old_for_us() -> None:
    error = api_error(400, "client version 1.45 is too new. Maximum supported API version "
                           "is 1.23")
    problem = diagnose(error, DEFAULT, environ=ENVIRON)
    check(problem, API_VERSION, "Upgrade the Docker engine at unix:///var/run/docker.sock")


def test_sdk_invalid_version_is_an_api_version_problem() -> None:
    error = docker.errors.InvalidVersion(
        "API versions below 1.24 are no longer supported by this library.")
    check(diagnose(error, DEFAULT, environ=ENVIRON), API_VERSION, "Upgrade the Docker engine")


def test_negotiation_failure_is_explained_both_ways() -> None:
    old = diagnose(ApiVersionUnsupported("1.20", "1.12", "1.24", "1.45"), DEFAULT,
                   environ=ENVIRON)
    check(old, API_VERSION, "offers API 1.20", "needs at least 1.24", "Upgrade the Docker engine")
    new = diagnose(ApiVersionUnsupported("1.52", "1.50", "1.24", "1.45"), DEFAULT,
                   environ=ENVIRON)
    check(new, API_VERSION, "needs API 1.50 or newer", "pip install --upgrade docker")


def test_other_api_errors_are_not_version_problems() -> None:
    problem = diagnose(api_error(404, "page not found"), DEFAULT, environ=ENVIRON)
    check(problem, NOT_DOCKER, "Something answered, but not a Docker engine")


def test_read_timeout() -> None:
    inner = urllib3.exceptions.ReadTimeoutError(None, "/version",
                                                "Read timed out. (read timeout=10)")
    error = requests.exceptions.ReadTimeout(inner)
    problem = diagnose(error, DEFAULT, environ=ENVIRON, platform="linux", timeout=10)
    check(problem, TIMEOUT, "no answer within 10 s", "docker info",
          "sudo systemctl restart docker", "(default socket)")


def test_tls_error() -> None:
    endpoint = Endpoint(host="tcp://h:2376", source="DOCKER_HOST")
    inner = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    error = requests.exceptions.SSLError(urllib3.exceptions.SSLError(inner))
    problem = diagnose(error, endpoint, environ=ENVIRON)
    check(problem, TLS, "WRONG_VERSION_NUMBER", "DOCKER_TLS_VERIFY", "tcp://h:2376 (DOCKER_HOST)")


def test_tls_error_of_a_context_points_to_the_context() -> None:
    endpoint = Endpoint(host="tcp://h:2376", source="docker context 'remote'", context="remote")
    error = docker.errors.TLSParameterError("Path to a certificate and key files must be provided")
    check(diagnose(error, endpoint, environ=ENVIRON), TLS, "docker context inspect remote")


def test_ssh_without_paramiko() -> None:
    endpoint = Endpoint(host="ssh://me@box", source="DOCKER_HOST")
    error = docker.errors.DockerException("Install paramiko package to enable ssh:// support")
    problem = diagnose(error, endpoint, environ=ENVIRON)
    check(problem, SSH, "pip install paramiko", "ssh://me@box (DOCKER_HOST)")


def test_unknown_host() -> None:
    endpoint = Endpoint(host="tcp://nowhere.invalid:2375", source="DOCKER_HOST")
    gai = socket.gaierror(-2, "Name or service not known")
    try:
        try:
            raise gai
        except socket.gaierror as cause:
            raise urllib3.exceptions.NameResolutionError("nowhere.invalid", None, cause) from cause
    except urllib3.exceptions.NameResolutionError as error:
        wrapped_error = requests.exceptions.ConnectionError(
            urllib3.exceptions.MaxRetryError(None, "/version", error))
    problem = diagnose(wrapped_error, endpoint, environ=ENVIRON)
    check(problem, HOST_UNREACHABLE, "Name or service not known", "unset DOCKER_HOST")


def test_garbage_reply() -> None:
    from http.client import BadStatusLine

    problem = diagnose(wrapped(BadStatusLine("garbage")), DEFAULT, environ=ENVIRON)
    check(problem, NOT_DOCKER, "unix:///var/run/docker.sock (default socket)")


def test_context_that_does_not_exist(tmp_path: Path) -> None:
    endpoint = Endpoint(host="", source="docker context 'nope'", context="nope",
                        error=f"context not found (no {tmp_path}/meta.json)")
    problem = diagnose(RuntimeError("unused"), endpoint, environ={"DOCKER_CONTEXT": "nope"})
    check(problem, CONTEXT_MISSING, "Docker context 'nope' cannot be used", "docker context ls",
          "docker context use default", "unset DOCKER_CONTEXT")


def test_anything_else_is_unknown_but_still_has_a_fix() -> None:
    problem = diagnose(RuntimeError("something odd\nsecond line"), DEFAULT, environ=ENVIRON,
                       platform="linux")
    check(problem, UNKNOWN, "something odd", "docker info", "sudo systemctl start docker")
    assert "second line" not in problem.detail


def test_cli_missing_problem() -> None:
    problem = cli_missing_problem("linux")
    assert problem.summary == "The docker command is not installed (not found on PATH)"
    assert "sudo apt-get install docker.io" in problem.fix
    assert "brew install docker" in cli_missing_problem("darwin").fix
