"""Engine.probe against sockets that are missing, dead, not Docker, or a fake Docker API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_engine_fakes import (  # noqa: F401 - socket_dir_fixture is a fixture
    FakeDockerApi,
    RawSocketServer,
    dead_socket,
    socket_dir_fixture,
)

from tutor.engine.connection import Engine, EngineUnavailable, format_status
from tutor.engine.endpoint import Endpoint
from tutor.engine.problem import ProblemKind

ENVIRON = {"HOME": "/nonexistent-home", "XDG_RUNTIME_DIR": "/nonexistent-run"}


def engine_at(path: Path, source: str = "DOCKER_HOST", **kwargs) -> Engine:
    return Engine(Endpoint(host=f"unix://{path}", source=source), environ=ENVIRON, **kwargs)


def test_importing_the_engine_layer_does_not_import_docker() -> None:
    code = ("import sys, tutor.engine, tutor.engine.connection, tutor.engine.runner, "
            "tutor.engine.doctor, tutor.engine.diagnosis, tutor.engine.compose, "
            "tutor.engine.product; "
            "print('docker' in sys.modules, 'requests' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_diagnosis_of_engine_problems_loads_only_when_there_is_one(tmp_path: Path) -> None:
    """A session whose engine answers never reads sockets, groups and fixes for advice:
    that code (and its memory) comes in with the first problem."""
    explaining = ("tutor.engine.diagnosis", "tutor.engine.fixes", "tutor.engine.socketfile",
                  "tutor.practice.diagnose")
    code = ("import sys\n"
            "from tutor.engine.connection import Engine\n"
            "from tutor.engine.endpoint import Endpoint\n"
            "import tutor.engine.runner, tutor.practice.session\n"
            f"explaining = {explaining!r}\n"
            "print(sorted(m for m in explaining if m in sys.modules))\n"
            f"engine = Engine(Endpoint(host='unix://{tmp_path}/none.sock', source='DOCKER_HOST'))\n"
            "print(engine.probe().problem.kind.name)\n"
            "print('tutor.engine.diagnosis' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split("\n")[:3] == ["[]", "SOCKET_MISSING", "True"]


def test_missing_socket(tmp_path: Path) -> None:
    path = tmp_path / "docker.sock"
    engine = engine_at(path)
    status = engine.probe()
    assert not status.ok
    problem = status.problem
    assert problem is not None and problem.kind is ProblemKind.SOCKET_MISSING
    assert problem.summary == f"No Docker engine socket at {path}"
    assert f"Tried unix://{path} (DOCKER_HOST)" in problem.detail
    assert "unset DOCKER_HOST" in problem.fix
    assert engine.status_line(block=True) == "engine unreachable (socket missing)"


def test_dead_socket_is_not_running(socket_dir: Path) -> None:
    path = dead_socket(socket_dir / "d.sock")
    status = engine_at(path, source="docker context 'x'").probe()
    assert status.problem is not None and status.problem.kind is ProblemKind.NOT_RUNNING
    assert "connection refused" in status.problem.detail
    assert f"unix://{path}" in status.problem.fix and "docker context 'x'" in status.problem.fix


@pytest.mark.parametrize("reply", [b"", b"garbage that is not http\r\n\r\n",
                                   b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"])
def test_something_else_listening_is_not_docker(socket_dir: Path, reply: bytes) -> None:
    path = socket_dir / "x.sock"
    with RawSocketServer(path, reply):
        status = engine_at(path).probe()
    assert not status.ok
    problem = status.problem
    assert problem is not None and problem.kind is ProblemKind.NOT_DOCKER, problem
    assert status.problem.summary == "Something answered, but not a Docker engine"
    assert "Traceback" not in str(status.problem)


def test_silent_server_times_out(socket_dir: Path) -> None:
    path = socket_dir / "s.sock"
    import socket

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)  # accepted by the kernel, never answered
    try:
        status = engine_at(path, timeout=0.3).probe()
    finally:
        listener.close()
    assert status.problem is not None and status.problem.kind is ProblemKind.TIMEOUT
    assert "no answer within 0.3 s" in status.problem.detail


def test_fake_docker_api_is_reachable_and_negotiates(socket_dir: Path) -> None:
    path = socket_dir / "f.sock"
    with FakeDockerApi(path, images={"busybox": "sha256:" + "ab" * 32}) as fake:
        engine = engine_at(path)
        status = engine.probe()
        assert status.ok, status.problem
        assert status.server_version == "99.0.0-fake"
        assert status.api_version == "1.43"
        assert status.negotiated_api_version == "1.43"
        assert status.platform == "linux/amd64"
        assert engine.status_line() == "engine ok · 99.0.0-fake"
        assert engine.api.api_version == "1.43"
        assert engine.api.inspect_image("busybox")["Id"].startswith("sha256:abab")
        assert "/v1.43/images/busybox/json" in fake.requests
        assert fake.requests[0] == "/version"  # unversioned: works with any engine


def test_newer_engine_is_spoken_to_at_the_sdks_newest_version(socket_dir: Path) -> None:
    path = socket_dir / "n.sock"
    with FakeDockerApi(path, version={"Version": "29.0.0", "ApiVersion": "1.52",
                                      "MinAPIVersion": "1.44"}):
        status = engine_at(path).probe()
    assert status.ok and status.negotiated_api_version == "1.45"


@pytest.mark.parametrize(("version", "needle"), [
    ({"Version": "1.11", "ApiVersion": "1.20", "MinAPIVersion": "1.12"},
     "Upgrade the Docker engine"),
    ({"Version": "40.0", "ApiVersion": "1.60", "MinAPIVersion": "1.50"},
     "pip install --upgrade docker"),
])
def test_no_common_api_version(socket_dir: Path, version: dict, needle: str) -> None:
    path = socket_dir / "v.sock"
    with FakeDockerApi(path, version=version):
        engine = engine_at(path)
        status = engine.probe()
        with pytest.raises(EngineUnavailable) as caught:
            _ = engine.api
    assert status.problem is not None and status.problem.kind is ProblemKind.API_VERSION
    assert needle in status.problem.fix
    assert caught.value.problem == status.problem


def test_reply_without_api_version_is_not_docker(socket_dir: Path) -> None:
    path = socket_dir / "j.sock"
    with FakeDockerApi(path, version={"hello": "world"}):
        status = engine_at(path).probe()
    assert status.problem is not None and status.problem.kind is ProblemKind.NOT_DOCKER
    assert "no ApiVersion" in status.problem.detail


def test_probe_is_cached_until_invalidated_and_sees_the_engine_come_back(socket_dir: Path) -> None:
    path = socket_dir / "c.sock"
    engine = engine_at(path, cache_seconds=3600)
    first = engine.probe()
    assert not first.ok
    with FakeDockerApi(path):
        assert engine.probe() is first            # cached: no new check
        engine.invalidate()
        second = engine.probe()
        assert second.ok                          # the engine came back mid-session
        assert engine.probe() is second
    assert engine.probe(max_age=0).ok is False    # max_age=0 always asks


def test_api_raises_engine_unavailable_with_the_problem(tmp_path: Path) -> None:
    engine = engine_at(tmp_path / "none.sock")
    with pytest.raises(EngineUnavailable) as caught:
        _ = engine.api
    assert caught.value.problem.kind is ProblemKind.SOCKET_MISSING
    assert str(caught.value) == caught.value.problem.summary


def test_problem_for_an_api_error_invalidates(socket_dir: Path) -> None:
    path = socket_dir / "p.sock"
    engine = engine_at(path, cache_seconds=3600)
    with FakeDockerApi(path):
        assert engine.probe().ok
    problem = engine.problem_for(ConnectionRefusedError(111, "Connection refused"))
    assert problem.kind is ProblemKind.NOT_RUNNING
    assert engine.probe().ok is False  # re-checked, not the cached "ok"


def test_background_probe_never_blocks_the_status_line(tmp_path: Path) -> None:
    engine = engine_at(tmp_path / "bg.sock")
    line = engine.status_line()          # starts a probe in a thread, returns at once
    assert line in ("engine checking…", "engine unreachable (socket missing)")
    engine.wait_for_background(10)
    assert engine.last_status is not None
    assert engine.status_line() == "engine unreachable (socket missing)"


def test_context_that_does_not_exist_never_connects() -> None:
    endpoint = Endpoint(host="", source="docker context 'gone'", context="gone",
                        error="context not found (no /x/meta.json)")
    status = Engine(endpoint, environ={}).probe()
    assert status.problem is not None and status.problem.kind is ProblemKind.CONTEXT_MISSING


def test_ssh_endpoint_without_paramiko_says_so() -> None:
    pytest.importorskip("docker")
    try:
        import paramiko  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("paramiko is installed here")
    status = Engine(Endpoint(host="ssh://me@box", source="DOCKER_HOST"), environ={}).probe()
    assert status.problem is not None and status.problem.kind is ProblemKind.SSH
    assert "pip install paramiko" in status.problem.fix


def test_format_status() -> None:
    assert format_status(None) == "engine checking…"


def test_listeners_hear_when_the_engine_starts_or_stops_answering(monkeypatch):
    from tutor.engine.connection import Engine, EngineStatus
    from tutor.engine.endpoint import Endpoint

    engine = Engine(Endpoint(host="unix:///nonexistent.sock", source="test"), cache_seconds=0)
    answers = iter([EngineStatus(ok=False), EngineStatus(ok=False), EngineStatus(ok=True),
                    EngineStatus(ok=True)])
    monkeypatch.setattr(engine, "_probe_now", lambda: next(answers))
    heard: list[bool] = []
    engine.listeners.append(lambda: heard.append(bool(engine.last_status and
                                                      engine.last_status.ok)))
    for _ in range(4):
        engine.probe()
    assert heard == [False, True]  # the first answer, then the change; not every probe
