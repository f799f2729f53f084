"""Stand-ins for engines that misbehave, all on this machine (loopback or unix sockets):

- ``HungEngine``: a unix socket that accepts connections and never answers;
- ``blackhole``: a tcp address on 127.0.0.1 that drops packets (an iptables DROP rule
  where iptables may be used, else a listening socket whose accept queue is kept full,
  so the kernel drops further connection attempts);
- ``EngineProxy``: forwards a unix socket to the real engine, optionally holding each
  request back for a while (an engine that answers late), and stamps when the engine
  answered ``GET /version`` (the tutor's probe).

Every server runs in daemon threads and stops when its context ends.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def engine_socket_path() -> str:
    """The real engine's unix socket, from DOCKER_HOST (the test engine's default)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        raise SystemExit(f"the benchmark proxies a unix-socket engine; DOCKER_HOST is {host}")
    return host[len("unix://"):]


def _socket_dir() -> Path:
    # Short path: a unix socket path must stay under ~100 bytes.
    return Path(tempfile.mkdtemp(prefix="tb-", dir="/tmp"))


class _Server:
    def __init__(self) -> None:
        self.folder = _socket_dir()
        self.path = str(self.folder / "engine.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(64)
        self.stopped = threading.Event()
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def docker_host(self) -> str:
        return f"unix://{self.path}"

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            ready, _, _ = select.select([self.listener], [], [], 0.1)
            if not ready:
                continue
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        """Nothing: the connection stays open and unanswered."""

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(2)
        for conn in [self.listener, *self.connections]:
            with contextlib.suppress(OSError):
                conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class HungEngine(_Server):
    """Accepts, reads nothing, answers nothing: an engine that hangs."""


@dataclass
class VersionAnswer:
    asked: float     # monotonic time the request reached the proxy
    answered: float  # monotonic time the engine's answer passed through


class EngineProxy(_Server):
    """Forwards to the real engine; each request waits ``delay`` seconds first."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.upstream = engine_socket_path()
        self.delay = delay
        self.versions: list[VersionAnswer] = []

    def handle(self, conn: socket.socket) -> None:
        threading.Thread(target=self._forward, args=(conn,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.connections.append(upstream)
        asked: float | None = None
        try:
            upstream.connect(self.upstream)
            while not self.stopped.is_set():
                ready, _, _ = select.select([client, upstream], [], [], 0.1)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        if b" /version " in data.split(b"\r\n", 1)[0] or \
                                b"/version HTTP" in data:
                            asked = time.monotonic()
                        if self.delay:
                            time.sleep(self.delay)
                        upstream.sendall(data)
                    else:
                        client.sendall(data)
                        if asked is not None:
                            self.versions.append(VersionAnswer(asked, time.monotonic()))
                            asked = None
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()

    def first_version_answer(self, timeout: float = 15.0) -> VersionAnswer:
        deadline = time.monotonic() + timeout
        while not self.versions:
            if time.monotonic() > deadline:
                raise TimeoutError("the tutor never asked the engine for /version")
            time.sleep(0.005)
        return self.versions[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _iptables(*args: str) -> bool:
    if shutil.which("iptables") is None:
        return False
    try:
        done = subprocess.run(["iptables", "-w", "5", *args], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@contextlib.contextmanager
def blackhole(prefer_iptables: bool = True) -> Iterator[tuple[str, str]]:
    """(DOCKER_HOST, how) for a tcp address on 127.0.0.1 where packets are dropped."""
    port = _free_port()
    rule = ("INPUT", "-i", "lo", "-p", "tcp", "--dport", str(port), "-j", "DROP")
    if prefer_iptables and _iptables("-I", *rule):
        try:
            yield f"tcp://127.0.0.1:{port}", "iptables DROP on a loopback port"
        finally:
            _iptables("-D", *rule)
        return
    # No iptables: a listener that never accepts, its accept queue filled by us, so the
    # kernel drops every further SYN (the client retries until its timeout).
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen(0)
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.2)
        yield f"tcp://127.0.0.1:{port}", "listening socket that never accepts (queue full)"
    finally:
        for sock in [*fillers, listener]:
            sock.close()
