"""What is really at the socket path: real files, directories, dead sockets and sockets
whose mode, owner and group shut a user out, probed through the docker SDK.

The permission cases need a user that is not root (root passes every permission
check): the probe runs in a forked child that drops to nobody (uid 65534). The
sockets listen, so only their permissions stand in the way.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_engine_fakes import dead_socket, socket_dir_fixture  # noqa: F401 - a fixture

from tutor.engine.connection import Engine
from tutor.engine.diagnosis import diagnose
from tutor.engine.endpoint import Endpoint
from tutor.engine.problem import ProblemKind
from tutor.engine.socketfile import Identity, group_id, group_name, inspect_socket

ENVIRON = {"HOME": "/nonexistent-home", "XDG_RUNTIME_DIR": "/nonexistent-run",
           "PATH": "/usr/bin:/bin"}
NOBODY = 65534
AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root: to give sockets to other owners and groups, and to drop to an "
           "unprivileged user (nobody) for the probe")


def endpoint_at(path: Path, source: str = "DOCKER_HOST", context: str | None = None) -> Endpoint:
    return Endpoint(host=f"unix://{path}", source=source, context=context)


def probe(path: Path, **kwargs) -> tuple[ProblemKind, str, str, str]:
    status = Engine(endpoint_at(path, **kwargs), environ=ENVIRON).probe()
    assert not status.ok and status.problem is not None
    problem = status.problem
    assert "Traceback" not in str(problem)
    return problem.kind, problem.summary, problem.detail, problem.fix


@pytest.fixture
def open_dir(socket_dir: Path) -> Path:
    """The socket directory, open to everyone (the probe runs as nobody)."""
    socket_dir.chmod(0o755)
    return socket_dir


@pytest.fixture
def listening() -> Iterator[list[socket.socket]]:
    """Sockets that listen (closed afterwards): only their permissions stop a client."""
    made: list[socket.socket] = []
    yield made
    for sock in made:
        sock.close()


def listening_socket(path: Path, made: list[socket.socket], mode: int, uid: int = 0,
                     gid: int = 0) -> Path:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(1)
    made.append(sock)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return path


def probe_as_nobody(path: Path) -> dict[str, str]:
    """Probe ``path`` in a forked child running as nobody; the problem comes back as JSON."""
    endpoint = endpoint_at(path)
    # Warm up in the parent: the child cannot read the interpreter's files as nobody,
    # so everything the probe imports must already be loaded.
    Engine(endpoint_at(path.with_name("warm-up.sock")), environ=ENVIRON).probe()
    diagnose(PermissionError(13, "Permission denied"), endpoint, environ=ENVIRON,
             identity=Identity(NOBODY, frozenset({NOBODY})))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, probe, report, exit without cleanup
        code = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            status = Engine(endpoint, environ=ENVIRON).probe()
            problem = status.problem
            answer = ({"ok": "yes"} if problem is None else
                      {"kind": problem.kind.value, "summary": problem.summary,
                       "detail": problem.detail, "fix": problem.fix})
            os.write(write, json.dumps(answer).encode())
            code = 0
        except BaseException as error:
            os.write(write, json.dumps({"error": repr(error)}).encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    answer = json.loads(data)
    assert "error" not in answer, answer
    return answer


# -- not a socket -----------------------------------------------------------------------------


def test_a_regular_file_is_not_a_socket(socket_dir: Path) -> None:
    path = socket_dir / "docker.sock"
    path.write_text("not a socket\n", encoding="utf-8")
    kind, summary, detail, fix = probe(path)
    assert kind is ProblemKind.NOT_A_SOCKET
    assert summary == f"{path} is a regular file, not a socket"
    assert "a Docker engine listens on a unix socket" in detail and "13 bytes" in detail
    assert "nothing accepts connections" not in detail
    assert "DOCKER_HOST probably points at the wrong path" in fix
    assert "unset DOCKER_HOST" in fix


def test_a_directory_is_not_a_socket_and_the_bind_mount_is_named(socket_dir: Path) -> None:
    path = socket_dir / "docker.sock"
    path.mkdir()
    kind, summary, detail, fix = probe(path, source="docker context 'box'", context="box")
    assert kind is ProblemKind.NOT_A_SOCKET
    assert summary == f"{path} is a directory, not a socket"
    assert "-v /var/run/docker.sock:/var/run/docker.sock" in detail
    assert "docker context 'box' probably points at the wrong path" in fix
    assert "docker context inspect box" in fix


def test_not_a_socket_at_the_default_path_is_moved_aside() -> None:
    """The default socket's path holding a file: move it, restart the engine."""
    default = Endpoint(host="unix:///var/run/docker.sock", source="default socket")
    from tutor.engine.socketfile import SocketFile

    there = SocketFile(Path("/var/run/docker.sock"), "regular file", size=0)
    problem = diagnose(ConnectionRefusedError(111, "Connection refused"), default,
                       environ=ENVIRON, platform="linux", socket=there)
    assert problem.kind is ProblemKind.NOT_A_SOCKET
    assert "sudo mv /var/run/docker.sock /var/run/docker.sock.old" in problem.fix
    assert "sudo systemctl restart docker" in problem.fix


# -- nobody listens ---------------------------------------------------------------------------


def test_a_stale_socket_is_left_behind_by_a_stopped_engine(socket_dir: Path) -> None:
    path = dead_socket(socket_dir / "docker.sock")
    kind, summary, detail, fix = probe(path)
    assert kind is ProblemKind.NOT_RUNNING
    assert summary == "The Docker engine is not running"
    assert f"{path} is a socket, but no engine listens on it" in detail
    assert "stale socket file, left behind by an engine that stopped or crashed" in detail
    assert "Starting the engine replaces the stale socket file." in fix


def test_a_dangling_symbolic_link_is_named(socket_dir: Path) -> None:
    path = socket_dir / "docker.sock"
    path.symlink_to(socket_dir / "gone" / "real.sock")
    kind, _, detail, _ = probe(path)
    assert kind is ProblemKind.SOCKET_MISSING
    assert f"a symbolic link to {socket_dir}/gone/real.sock, which does not exist" in detail


# -- permissions (probed as nobody) -----------------------------------------------------------


@AS_ROOT
def test_mode_000_socket_has_wrong_permissions_not_a_missing_group(
        open_dir: Path, listening: list[socket.socket]) -> None:
    path = listening_socket(open_dir / "docker.sock", listening, 0o000)
    answer = probe_as_nobody(path)
    assert answer["kind"] == "permission_denied"
    assert answer["summary"] == f"Permission denied on {path}"
    detail, fix = answer["detail"], answer["fix"]
    assert "mode 000 (s---------), owner root, group root" in detail
    assert "joining its group would not help" in detail
    assert "normally root:docker, mode 660 (srw-rw----)" in detail
    first = fix.splitlines()[0]
    assert first.startswith("Restart the engine"), fix
    assert f"sudo chown root:docker {path} && sudo chmod 660 {path}" in fix
    assert "usermod -aG root" not in fix


@AS_ROOT
def test_owner_only_socket_has_wrong_permissions(open_dir: Path,
                                                 listening: list[socket.socket]) -> None:
    gid = group_id("docker") or 4242
    path = listening_socket(open_dir / "docker.sock", listening, 0o600, gid=gid)
    answer = probe_as_nobody(path)
    assert answer["kind"] == "permission_denied"
    assert f"mode 600 (srw-------), owner root, group {group_name(gid)}" in answer["detail"]
    assert "the mode gives the group no access" in answer["detail"]
    assert "sudo chmod 660" in answer["fix"]
    assert not answer["fix"].startswith("Add yourself")


@AS_ROOT
def test_group_socket_asks_to_join_that_group(open_dir: Path,
                                              listening: list[socket.socket]) -> None:
    gid = group_id("docker") or 4242
    group = group_name(gid)
    path = listening_socket(open_dir / "docker.sock", listening, 0o660, gid=gid)
    answer = probe_as_nobody(path)
    assert answer["kind"] == "permission_denied"
    assert f"mode 660 (srw-rw----), owner root, group {group}" in answer["detail"]
    assert f"members of the '{group}' group may connect" in answer["detail"]
    fix = answer["fix"]
    assert fix.startswith(f"Add yourself to the '{group}' group: sudo usermod -aG {group} $USER")
    assert f"newgrp {group}" in fix and "log out and back in" in fix
    assert "systemctl --user start docker" in fix  # rootless, as the other way
    assert "chmod" not in fix


@AS_ROOT
def test_socket_of_group_root_never_suggests_joining_root(open_dir: Path,
                                                          listening: list[socket.socket]) -> None:
    path = listening_socket(open_dir / "docker.sock", listening, 0o660, gid=0)
    answer = probe_as_nobody(path)
    assert "owner root, group root: only root may use it" in answer["detail"]
    assert "usermod -aG root" not in answer["fix"]
    assert "sudo usermod -aG docker $USER" in answer["fix"]
    assert "Restart the engine so its socket gets the group" in answer["fix"]


@AS_ROOT
def test_another_users_socket_is_their_engine(open_dir: Path,
                                              listening: list[socket.socket]) -> None:
    path = listening_socket(open_dir / "docker.sock", listening, 0o660, uid=4243, gid=4243)
    answer = probe_as_nobody(path)
    assert "it belongs to 4243's own engine" in answer["detail"]
    assert "Use your own engine instead: unset DOCKER_HOST" in answer["fix"]
    assert "usermod" not in answer["fix"]


@AS_ROOT
def test_socket_in_a_closed_directory(open_dir: Path, listening: list[socket.socket]) -> None:
    closed = open_dir / "private"
    closed.mkdir(mode=0o700)
    path = listening_socket(closed / "docker.sock", listening, 0o666)
    answer = probe_as_nobody(path)
    assert answer["kind"] == "permission_denied"
    assert f"the directory {closed} is closed to you" in answer["detail"]
    assert f"ls -ld {closed}" in answer["fix"]


@AS_ROOT
def test_a_socket_nobody_may_use_answers_nobody(open_dir: Path) -> None:
    """The child really is unprivileged: a missing socket is still a missing socket."""
    answer = probe_as_nobody(open_dir / "absent.sock")
    assert answer["kind"] == "socket_missing"


# -- the facts themselves ---------------------------------------------------------------------


def test_inspect_socket_names_what_is_there(socket_dir: Path) -> None:
    sock_path = dead_socket(socket_dir / "s.sock")
    sock_path.chmod(0o660)
    facts = inspect_socket(sock_path)
    assert facts.is_socket and facts.mode == 0o660 and facts.mode_text == "660 (srw-rw----)"
    assert facts.uid == os.getuid()
    file_path = socket_dir / "f"
    file_path.write_bytes(b"12345")
    assert inspect_socket(file_path).kind == "regular file"
    assert inspect_socket(file_path).size == 5
    assert inspect_socket(socket_dir).kind == "directory"
    missing = inspect_socket(socket_dir / "none")
    assert not missing.exists and missing.link_target is None


def test_who_may_connect_follows_the_write_bits(socket_dir: Path) -> None:
    facts = inspect_socket(dead_socket(socket_dir / "w.sock"))
    from dataclasses import replace

    root_docker_660 = replace(facts, uid=0, gid=106, mode=0o660)
    stranger = Identity(NOBODY, frozenset({NOBODY}))
    member = Identity(NOBODY, frozenset({NOBODY, 106}))
    assert not root_docker_660.lets_in(stranger)
    assert root_docker_660.relation(stranger) == "others"
    assert root_docker_660.lets_in(member) and root_docker_660.relation(member) == "group"
    assert replace(root_docker_660, mode=0o620).lets_in(member)  # write is what counts
    assert not replace(root_docker_660, mode=0o640).lets_in(member)
    assert replace(root_docker_660, mode=0o000).lets_in(Identity(0, frozenset({0})))


def test_refused_although_the_mode_allows_points_to_acls(socket_dir: Path) -> None:
    path = dead_socket(socket_dir / "acl.sock")
    path.chmod(0o666)
    problem = diagnose(PermissionError(13, "Permission denied"), endpoint_at(path),
                       environ=ENVIRON, identity=Identity(NOBODY, frozenset({NOBODY})))
    assert problem.kind is ProblemKind.PERMISSION_DENIED
    assert "which lets you connect, yet the system refused" in problem.detail
    assert f"getfacl {path}" in problem.fix
