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
    BUILDERS,
    RULES,
    ApiVersionUnsupported,
    classify,
    cli_missing_problem,
    diagnose,
    problem_for,
    start_commands,
)
from tutor.engine.endpoint import Endpoint
from tutor.engine.problem import EngineProblem
from tutor.engine.problem import ProblemKind as Kind
from tutor.engine.socketfile import Identity, SocketFile

DEFAULT = Endpoint(host="unix:///var/run/docker.sock", source="default socket")
ENVIRON = {"HOME": "/nonexistent-home", "XDG_RUNTIME_DIR": "/nonexistent-run"}
# What is at the default socket path on this machine must not change these tests'
# messages: they are told that nothing is there (test_engine_socket_paths looks at
# real sockets, files and directories).
NOTHING_THERE = SocketFile(Path("/var/run/docker.sock"), None)
NOBODY = Identity(65534, frozenset({65534}))


def explain(error: BaseException, endpoint: Endpoint, **options) -> EngineProblem:
    return diagnose(error, endpoint, socket=NOTHING_THERE, identity=NOBODY, **options)


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


def check(problem, kind: Kind, *needles: str) -> None:
    assert problem.kind == kind, str(problem)
    text = str(problem)
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"
    assert "Traceback" not in text


def test_socket_missing_names_path_source_and_start_commands() -> None:
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = explain(error, DEFAULT, environ=ENVIRON, platform="linux")
    check(problem, Kind.SOCKET_MISSING, "/var/run/docker.sock", "(default socket)",
          "sudo systemctl start docker", "sudo dockerd")
    assert problem.summary == "No Docker engine socket at /var/run/docker.sock"
    assert problem.short == "socket missing"
    assert "unset DOCKER_HOST" not in problem.fix  # the default: nothing to unset


def test_socket_missing_on_macos_suggests_desktop_and_colima() -> None:
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = explain(error, DEFAULT, environ=ENVIRON, platform="darwin")
    check(problem, Kind.SOCKET_MISSING, "start the Docker Desktop app", "colima start")


def test_socket_missing_suggests_existing_alternatives_without_using_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".colima" / "default").mkdir(parents=True)
    (home / ".colima" / "default" / "docker.sock").touch()
    run = tmp_path / "run"
    run.mkdir()
    (run / "docker.sock").touch()
    environ = {"HOME": str(home), "XDG_RUNTIME_DIR": str(run)}
    error = wrapped(FileNotFoundError(2, "No such file or directory"))
    problem = explain(error, DEFAULT, environ=environ, platform="linux")
    check(problem, Kind.SOCKET_MISSING,
          f"Found a rootless Docker socket at {run}/docker.sock; to use it: "
          f"export DOCKER_HOST=unix://{run}/docker.sock",
          f"Found a Colima socket at {home}/.colima/default/docker.sock; to use it: "
          f"export DOCKER_HOST=unix://{home}/.colima/default/docker.sock")


def test_socket_missing_for_docker_host_offers_to_unset_it() -> None:
    endpoint = Endpoint(host="unix:///tmp/other.sock", source="DOCKER_HOST")
    problem = diagnose(wrapped(FileNotFoundError(2, "No such file or directory")), endpoint,
                       environ=ENVIRON, platform="linux")
    check(problem, Kind.SOCKET_MISSING, "/tmp/other.sock", "(DOCKER_HOST)", "unset DOCKER_HOST")


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
    check(problem, Kind.NOT_RUNNING, command, host, source)


def test_podman_fix_also_sets_docker_host() -> None:
    endpoint = Endpoint(host="unix:///run/user/1000/podman/podman.sock", source="DOCKER_HOST")
    lines = start_commands(endpoint, {}, "linux")
    assert "export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock" in "\n".join(lines)


def test_connection_refused_on_a_stale_socket() -> None:
    problem = explain(wrapped(ConnectionRefusedError(111, "Connection refused")), DEFAULT,
                       environ=ENVIRON, platform="linux")
    check(problem, Kind.NOT_RUNNING, "The Docker engine is not running", "connection refused",
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
    check(problem, Kind.NOT_RUNNING, f"127.0.0.1:{port}", "(DOCKER_HOST)", "unset DOCKER_HOST")


def test_permission_denied_with_nothing_to_look_at_suggests_the_group_and_rootless() -> None:
    """The socket vanished (or cannot be looked at): the usual advice."""
    problem = explain(wrapped(PermissionError(13, "Permission denied")), DEFAULT,
                       environ=ENVIRON, platform="linux")
    check(problem, Kind.PERMISSION_DENIED, "Permission denied on /var/run/docker.sock",
          "sudo usermod -aG docker $USER", "log out and back in", "newgrp docker",
          "systemctl --user start docker", "(default socket)")


def test_engine_refusing_our_old_api_version() -> None:
    error = api_error(400, "client version 1.24 is too old. Minimum supported API version "
                           "is 1.44, please upgrade your client to a newer version")
    problem = explain(error, DEFAULT, environ=ENVIRON)
    check(problem, Kind.API_VERSION, "client version 1.24 is too old",
          "pip install --upgrade docker", "(default socket)")


def test_engine_too_old_for_us() -> None:
    error = api_error(400, "client version 1.45 is too new. Maximum supported API version "
                           "is 1.23")
    problem = explain(error, DEFAULT, environ=ENVIRON)
    check(problem, Kind.API_VERSION, "Upgrade the Docker engine at unix:///var/run/docker.sock")


def test_sdk_invalid_version_is_an_api_version_problem() -> None:
    error = docker.errors.InvalidVersion(
        "API versions below 1.24 are no longer supported by this library.")
    check(explain(error, DEFAULT, environ=ENVIRON), Kind.API_VERSION, "Upgrade the Docker engine")


def test_negotiation_failure_is_explained_both_ways() -> None:
    old = explain(ApiVersionUnsupported("1.20", "1.12", "1.24", "1.45"), DEFAULT,
                   environ=ENVIRON)
    check(old, Kind.API_VERSION, "offers API 1.20", "needs at least 1.24",
          "Upgrade the Docker engine")
    new = explain(ApiVersionUnsupported("1.52", "1.50", "1.24", "1.45"), DEFAULT,
                   environ=ENVIRON)
    check(new, Kind.API_VERSION, "needs API 1.50 or newer", "pip install --upgrade docker")


def test_other_api_errors_are_not_version_problems() -> None:
    problem = explain(api_error(404, "page not found"), DEFAULT, environ=ENVIRON)
    check(problem, Kind.NOT_DOCKER, "Something answered, but not a Docker engine")


def test_read_timeout() -> None:
    inner = urllib3.exceptions.ReadTimeoutError(None, "/version",
                                                "Read timed out. (read timeout=10)")
    error = requests.exceptions.ReadTimeout(inner)
    problem = explain(error, DEFAULT, environ=ENVIRON, platform="linux", timeout=10)
    check(problem, Kind.TIMEOUT, "no answer within 10 s", "docker info",
          "sudo systemctl restart docker", "(default socket)")


def test_tls_error() -> None:
    endpoint = Endpoint(host="tcp://h:2376", source="DOCKER_HOST")
    inner = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    error = requests.exceptions.SSLError(urllib3.exceptions.SSLError(inner))
    problem = diagnose(error, endpoint, environ=ENVIRON)
    check(problem, Kind.TLS, "WRONG_VERSION_NUMBER", "DOCKER_TLS_VERIFY",
          "tcp://h:2376 (DOCKER_HOST)")


def test_tls_error_of_a_context_points_to_the_context() -> None:
    endpoint = Endpoint(host="tcp://h:2376", source="docker context 'remote'", context="remote")
    error = docker.errors.TLSParameterError("Path to a certificate and key files must be provided")
    check(diagnose(error, endpoint, environ=ENVIRON), Kind.TLS, "docker context inspect remote")


def test_ssh_without_paramiko() -> None:
    endpoint = Endpoint(host="ssh://me@box", source="DOCKER_HOST")
    error = docker.errors.DockerException("Install paramiko package to enable ssh:// support")
    problem = diagnose(error, endpoint, environ=ENVIRON)
    check(problem, Kind.SSH, "pip install paramiko", "ssh://me@box (DOCKER_HOST)")


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
    check(problem, Kind.HOST_UNREACHABLE, "Name or service not known", "unset DOCKER_HOST")


def test_garbage_reply() -> None:
    from http.client import BadStatusLine

    problem = explain(wrapped(BadStatusLine("garbage")), DEFAULT, environ=ENVIRON)
    check(problem, Kind.NOT_DOCKER, "unix:///var/run/docker.sock (default socket)")


def test_context_that_does_not_exist(tmp_path: Path) -> None:
    endpoint = Endpoint(host="", source="docker context 'nope'", context="nope",
                        error=f"context not found (no {tmp_path}/meta.json)")
    problem = diagnose(RuntimeError("unused"), endpoint, environ={"DOCKER_CONTEXT": "nope"})
    check(problem, Kind.CONTEXT_MISSING, "Docker context 'nope' cannot be used",
          "docker context ls", "docker context use default", "unset DOCKER_CONTEXT")


def test_anything_else_is_unknown_but_still_has_a_fix() -> None:
    problem = explain(RuntimeError("something odd\nsecond line"), DEFAULT, environ=ENVIRON,
                       platform="linux")
    check(problem, Kind.UNKNOWN, "something odd", "docker info", "sudo systemctl start docker")
    assert "second line" not in problem.detail


def test_cli_missing_problem() -> None:
    problem = cli_missing_problem("linux")
    assert problem.summary == "The docker command is not installed (not found on PATH)"
    assert "sudo apt-get install docker.io" in problem.fix
    assert "brew install docker" in cli_missing_problem("darwin").fix


# -- the tables ------------------------------------------------------------------------------


def test_every_kind_has_a_builder_that_makes_that_kind() -> None:
    """Each kind's builder, given a situation with the facts it reads, names its kind."""
    facts = {
        Kind.NOT_A_SOCKET: SocketFile(Path("/var/run/docker.sock"), "directory"),
        Kind.CONTEXT_MISSING: None,
    }
    for kind in Kind:
        endpoint = DEFAULT
        if kind is Kind.CONTEXT_MISSING:
            endpoint = Endpoint(host="", source="docker context 'x'", context="x",
                                error="context not found")
        problem = problem_for(kind, endpoint, environ=ENVIRON, platform="linux",
                              reason="why", socket=facts.get(kind, NOTHING_THERE),
                              identity=NOBODY)
        assert problem.kind is kind, kind
        assert problem.summary and problem.detail and problem.fix
        assert problem.short == kind.short and kind.short


def test_the_rules_are_an_ordered_table_of_small_predicates() -> None:
    assert set(BUILDERS) == set(Kind)
    kinds = [kind for kind, _ in RULES]
    assert Kind.UNKNOWN not in kinds  # what no rule claims
    # A garbled answer is the last resort: the socket's own error outranks it.
    assert kinds[-1] is Kind.NOT_DOCKER
    assert kinds.index(Kind.NOT_A_SOCKET) < kinds.index(Kind.NOT_RUNNING)
    assert all(callable(applies) for _, applies in RULES)


def test_a_path_that_is_not_a_socket_outranks_connection_refused() -> None:
    refused = wrapped(ConnectionRefusedError(111, "Connection refused"))
    directory = SocketFile(Path("/var/run/docker.sock"), "directory")
    assert classify(refused, DEFAULT, directory) is Kind.NOT_A_SOCKET
    stale = SocketFile(Path("/var/run/docker.sock"), "socket", mode=0o660)
    assert classify(refused, DEFAULT, stale) is Kind.NOT_RUNNING
    assert classify(refused, DEFAULT, None) is Kind.NOT_RUNNING


def test_the_first_socket_error_in_the_chain_decides() -> None:
    """A refused connection wrapped around a later timeout is still "not running"."""
    try:
        try:
            raise TimeoutError("timed out")
        except TimeoutError as inner:
            raise ConnectionRefusedError(111, "Connection refused") from inner
    except ConnectionRefusedError as outer:
        error = outer
    assert classify(error, DEFAULT, NOTHING_THERE) is Kind.NOT_RUNNING


def test_statuses_carry_typed_kinds_for_the_toolbar() -> None:
    from tutor.engine.connection import EngineStatus, format_status

    problem = explain(wrapped(FileNotFoundError(2, "No such file or directory")), DEFAULT,
                      environ=ENVIRON, platform="linux")
    down = EngineStatus(ok=False, problem=problem)
    assert down.problem is not None and down.problem.kind is Kind.SOCKET_MISSING
    assert format_status(down) == "engine unreachable (socket missing)"
    up = EngineStatus(ok=True, server_version="20.10.24+dfsg1")
    assert format_status(up) == "engine ok · 20.10.24"


def test_an_engine_answering_permission_denied_is_no_socket_problem() -> None:
    """The engine answered (an HTTP error): its words are about something else."""
    error = api_error(500, "error while creating mount source path '/root/x': "
                           "mkdir /root/x: permission denied")
    problem = explain(error, DEFAULT, environ=ENVIRON)
    assert problem.kind is not Kind.PERMISSION_DENIED
    assert "usermod" not in problem.fix
