"""Fakes for the engine tests: a fake `docker` CLI, a fake Docker API on a unix
socket, and short socket directories. Imported by the other test_engine_* files
(this file itself has no tests)."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tutor.environment import Environment

# A stand-in for the docker CLI. The first argument picks what it does.
FAKE_DOCKER = r'''
import json, os, signal, sys, time

args = sys.argv[1:]
what = args[0] if args else ""
marker = os.environ.get("FAKE_DOCKER_MARKER")

def started():
    if marker:
        with open(marker, "w") as handle:
            handle.write(str(os.getpid()))

if what == "compose":          # like a docker CLI without the compose plugin
    print("docker: unknown command: docker compose", file=sys.stderr)
    sys.exit(1)
if what == "version":          # docker version --format '{{json .Client}}'
    print(json.dumps({"Version": "99.1.0-fake", "ApiVersion": "1.43", "Os": "linux"}))
    sys.exit(int(os.environ.get("FAKE_DOCKER_EXIT", "0")))
if what == "echo-argv":
    print("ARGV=" + json.dumps(sys.argv[1:]))
    print("DOCKER_HOST=" + os.environ.get("DOCKER_HOST", "<unset>"))
    print("DOCKER_CONTEXT=" + os.environ.get("DOCKER_CONTEXT", "<unset>"))
    print("TTY=" + str(sys.stdout.isatty()))
    sys.stdout.flush()
    print("to stderr", file=sys.stderr)
    sys.exit(int(os.environ.get("FAKE_DOCKER_EXIT", "0")))
if what == "bytes":            # a multi-byte character split across writes, then bad bytes
    out = sys.stdout.buffer
    euro = "€".encode()
    out.write(b"price: " + euro[:1]); out.flush(); time.sleep(0.05)
    out.write(euro[1:] + b" ok\n\xff\xfe end\n"); out.flush()
    sys.exit(0)
if what == "lots":             # more than the captured tail
    line = "x" * 99 + "\n"
    for number in range(int(args[1])):
        sys.stdout.write(f"{number:08d}" + line)
    print("LAST LINE")
    sys.exit(3)
if what == "sleep":            # stops on SIGINT like the docker CLI does
    def on_sigint(signum, frame):
        print("got SIGINT", flush=True)
        sys.exit(130)
    signal.signal(signal.SIGINT, on_sigint)
    print("sleeping", flush=True)
    started()
    time.sleep(60)
    sys.exit(0)
if what == "hold":             # runs until the test creates FAKE_DOCKER_RELEASE
    started()
    release = os.environ["FAKE_DOCKER_RELEASE"]
    deadline = time.monotonic() + 20
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.02)
    print("released", flush=True)
    sys.exit(0)
if what == "stubborn":         # ignores SIGINT: needs SIGTERM
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("ignoring Ctrl-C", flush=True)
    started()
    time.sleep(60)
    sys.exit(0)
print("fake docker: unknown " + repr(args), file=sys.stderr)
sys.exit(64)
'''


def install_fake_docker(directory: Path) -> Path:
    """Write an executable `docker` into ``directory`` (a python script)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "docker"
    path.write_text(f"#!{sys.executable}\n{FAKE_DOCKER}", encoding="utf-8")
    path.chmod(0o755)
    return path


def make_env(environ: dict[str, str], stdout=None, stdout_isatty: bool = False,
             data_dir: Path | None = None, stdin=None) -> Environment:
    """``stdin`` (a terminal's file) makes the environment's stdin a terminal."""
    return Environment(stdin=stdin if stdin is not None else io.StringIO(),
                       stdout=stdout if stdout is not None else io.StringIO(),
                       stderr=io.StringIO(), environ=environ,
                       data_dir=data_dir or Path(tempfile.gettempdir()) / "dt-data",
                       lessons_dir=Path("."), stdout_isatty=stdout_isatty,
                       stdin_isatty=stdin is not None, width=100)


@pytest.fixture(name="socket_dir")
def socket_dir_fixture() -> Iterator[Path]:
    """A short directory for unix sockets (their paths are limited to ~107 bytes)."""
    directory = Path(tempfile.mkdtemp(prefix="dt-", dir="/tmp"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# -- servers on unix sockets ------------------------------------------------------------------


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class FakeDockerApi:
    """A few Docker API answers over HTTP on a unix socket (enough for probe/doctor)."""

    def __init__(self, path: Path, version: dict | None = None,
                 images: dict[str, str] | None = None,
                 registry: dict[str, int] | None = None, info: dict | None = None) -> None:
        self.path = path
        self.version = version or {"Version": "99.0.0-fake", "ApiVersion": "1.43",
                                   "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"}
        self.info = info   # GET /info's answer; None: 404, as from an engine without it
        self.images = images or {}          # name -> image id
        self.registry = registry or {}      # name -> status code for /distribution
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def address_string(self) -> str:
                return "unix"

            def do_GET(self) -> None:
                fake.requests.append(self.path)
                status, body = fake.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _UnixHTTPServer(str(path), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def answer(self, path: str) -> tuple[int, dict]:
        parts = path.split("?")[0].strip("/").split("/")
        if parts and parts[0].startswith("v1."):
            parts = parts[1:]
        if parts == ["version"]:
            return 200, self.version
        if parts == ["info"] and self.info is not None:
            return 200, self.info
        if len(parts) >= 3 and parts[0] == "images" and parts[-1] == "json":
            name = "/".join(parts[1:-1])
            if name in self.images:
                return 200, {"Id": self.images[name]}
            return 404, {"message": f"No such image: {name}"}
        if len(parts) >= 3 and parts[0] == "distribution":
            name = "/".join(parts[1:-1])
            code = self.registry.get(name, 404)
            if code == 200:
                return 200, {"Descriptor": {"digest": "sha256:" + "0" * 64}, "Platforms": []}
            return code, {"message": "manifest unknown: manifest unknown"}
        return 404, {"message": "page not found"}

    def __enter__(self) -> FakeDockerApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class RawSocketServer:
    """Accepts connections on a unix socket and answers with ``reply`` bytes (or just
    closes when ``reply`` is empty): something listening that is not Docker."""

    def __init__(self, path: Path, reply: bytes) -> None:
        self.reply = reply
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:  # timeouts included
                continue
            with connection:
                connection.settimeout(2)
                try:
                    connection.recv(65536)  # the request
                    if self.reply:
                        connection.sendall(self.reply)
                except OSError:
                    pass

    def __enter__(self) -> RawSocketServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join(5)
        self.listener.close()


def dead_socket(path: Path) -> Path:
    """A socket file nobody listens on: connecting to it is refused."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()
    return path


def test_fake_docker_is_executable(tmp_path: Path) -> None:
    """The fake CLI itself works (so failures elsewhere are not the fake's)."""
    import subprocess

    docker = install_fake_docker(tmp_path / "bin")
    done = subprocess.run([str(docker), "version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["Version"] == "99.1.0-fake"
    assert os.access(docker, os.X_OK)
