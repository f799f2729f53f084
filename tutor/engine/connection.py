"""Talking to the Docker engine through the docker SDK.

:class:`Engine` wraps one :class:`~tutor.engine.endpoint.Endpoint`. It imports the
docker SDK only when first used, negotiates the API version itself (so building
the client never blocks on the network), caches whether the engine answers for a
few seconds, and can check in a background thread so the toolbar never waits.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tutor.engine.endpoint import Endpoint, published_host
from tutor.engine.problem import (
    ApiVersionUnsupported,
    EngineProblem,
    NotDockerResponse,
    ProblemKind,
    version_lt,
)

if TYPE_CHECKING:
    import docker

__all__ = ["Engine", "EngineProblem", "EngineStatus", "EngineUnavailable"]

DEFAULT_TIMEOUT = 10.0       # seconds for one API call
DEFAULT_CACHE_SECONDS = 5.0  # how long a probe result is trusted
# The docker SDK 7.x speaks API 1.24 up to 1.45; these are read from it when loaded.
FALLBACK_MIN_API = "1.24"
FALLBACK_MAX_API = "1.45"


@dataclass(frozen=True)
class EngineStatus:
    ok: bool
    server_version: str | None = None   # "20.10.24+dfsg1"
    api_version: str | None = None      # the engine's newest API: "1.41"
    min_api_version: str | None = None  # the engine's oldest API: "1.12"
    negotiated_api_version: str | None = None  # what the tutor uses: min(engine, SDK)
    os: str | None = None               # "linux"
    arch: str | None = None             # "amd64"
    platform_name: str | None = None    # "Docker Engine - Community", "" for distro builds
    # (name, version) from /version's Components: ("Engine", "20.10.24"), ("containerd",
    # ...); Podman's Docker-compatible API lists ("Podman Engine", "5.2.2").
    components: tuple[tuple[str, str], ...] = ()
    problem: EngineProblem | None = None
    checked_at: float = field(default_factory=time.monotonic)

    @property
    def platform(self) -> str | None:
        if self.os and self.arch:
            return f"{self.os}/{self.arch}"
        return self.os or self.arch

    @property
    def short_version(self) -> str:
        """``20.10.24`` for ``20.10.24+dfsg1``: what fits in the toolbar."""
        return (self.server_version or "?").split("+", 1)[0]


class EngineUnavailable(Exception):
    """Raised by :attr:`Engine.api` when the engine cannot be used; carries the problem."""

    def __init__(self, problem: EngineProblem) -> None:
        super().__init__(problem.summary)
        self.problem = problem


class Engine:
    """One Docker engine, reached through ``endpoint``.

    ``probe()`` tells whether it answers (cached ``cache_seconds``); ``api`` is a
    docker ``APIClient`` speaking the negotiated API version; after an API call
    fails, call ``invalidate()`` (or use :meth:`problem_for`) so the next command
    checks again: the engine may come back during the session.
    """

    def __init__(self, endpoint: Endpoint, *, environ: Mapping[str, str] | None = None,
                 home: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                 cache_seconds: float = DEFAULT_CACHE_SECONDS) -> None:
        self.endpoint = endpoint
        self.environ = dict(environ) if environ is not None else None
        self.home = home
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self._status: EngineStatus | None = None   # the last result, fresh or not
        self._invalidated = False
        self._probe_lock = threading.Lock()          # one probe at a time
        self._state_lock = threading.Lock()
        self._background: threading.Thread | None = None
        self._raw: Any = None    # client for unversioned calls (/version)
        self._api: Any = None    # client at the negotiated version
        self._api_version: str | None = None
        # Called (from whichever thread probed) when the engine's state changes.
        self.listeners: list[Callable[[], None]] = []
        self._http_host: str | None = None
        self._closes_at_exit = False  # ssh:// only: see _close_before_exit

    @property
    def http_host(self) -> str:
        """Where this engine's published ports answer (its host when it is remote)."""
        if self._http_host is None:
            self._http_host = published_host(self.endpoint)
        return self._http_host

    # -- the SDK client ------------------------------------------------------------------

    def _build_client(self, version: str) -> docker.APIClient:
        import docker

        kwargs: dict[str, Any] = {"base_url": _sdk_base_url(self.endpoint),
                                  "version": version, "timeout": self.timeout}
        tls = self.endpoint.tls
        if tls is not None:
            from docker.tls import TLSConfig

            client_cert = None
            if tls.client_cert is not None and tls.client_key is not None:
                client_cert = (str(tls.client_cert), str(tls.client_key))
            ca = str(tls.ca_cert) if tls.ca_cert is not None else None
            kwargs["tls"] = TLSConfig(client_cert=client_cert, ca_cert=ca, verify=tls.verify)
        if self.endpoint.scheme == "ssh":
            # Like the docker CLI: go through the ssh client (and ~/.ssh/config).
            kwargs["use_ssh_client"] = True
            _close_before_exit(self)
        return docker.APIClient(**kwargs)

    @property
    def api(self) -> docker.APIClient:
        """A docker ``APIClient`` at the negotiated API version.

        Probes first when needed (so this can block up to ``timeout``); raises
        :class:`EngineUnavailable` when the engine cannot be used.
        """
        status = self.probe()
        if not status.ok:
            assert status.problem is not None
            raise EngineUnavailable(status.problem)
        with self._state_lock:
            version = status.negotiated_api_version or _sdk_max_api()
            if self._api is None or self._api_version != version:
                self._close(self._api)
                self._api = self._build_client(version)
                self._api_version = version
            return self._api

    # -- probing -------------------------------------------------------------------------

    @property
    def last_status(self) -> EngineStatus | None:
        """The most recent probe result, however old (None before the first one)."""
        return self._status

    def probe(self, max_age: float | None = None) -> EngineStatus:
        """Ask the engine for its version. Cached for ``max_age`` (default
        ``cache_seconds``) seconds. Never raises: failures come back as a problem."""
        max_age = self.cache_seconds if max_age is None else max_age
        cached = self._cached(max_age)
        if cached is not None:
            return cached
        with self._probe_lock:
            cached = self._cached(max_age)  # another thread may just have probed
            if cached is not None:
                return cached
            status = self._probe_now()
            with self._state_lock:
                previous, self._status = self._status, status
                self._invalidated = False
                if not status.ok:
                    self._close(self._raw)
                    self._raw = None
            if previous is None or previous.ok != status.ok or previous.problem != status.problem:
                for listener in list(self.listeners):
                    listener()  # e.g. redraw the toolbar now, not at its next refresh
            return status

    def _cached(self, max_age: float) -> EngineStatus | None:
        with self._state_lock:
            status = self._status
            if status is None or self._invalidated or max_age <= 0:
                return None
            if time.monotonic() - status.checked_at > max_age:
                return None
            return status

    def _probe_now(self) -> EngineStatus:
        endpoint = self.endpoint
        if endpoint.error is not None:
            return EngineStatus(ok=False, problem=self._diagnose(RuntimeError(endpoint.error)))
        if endpoint.scheme == "ssh" and not _paramiko_available():
            from tutor.engine.diagnosis import problem_for

            return EngineStatus(ok=False, problem=problem_for(
                ProblemKind.SSH, endpoint, reason="No module named 'paramiko'",
                environ=self.environ, home=self.home))
        try:
            if self._raw is None:
                self._raw = self._build_client(_sdk_max_api())
            info = self._raw.version(api_version=False)
            if not isinstance(info, dict) or not info.get("ApiVersion"):
                raise NotDockerResponse(
                    "the reply to GET /version has no ApiVersion: "
                    f"{str(info)[:120]!r}")
            server_api = str(info["ApiVersion"])
            server_min = info.get("MinAPIVersion")
            negotiated = _negotiate(server_api, server_min)
        except Exception as error:  # every failure becomes a problem, never a traceback
            return EngineStatus(ok=False, problem=self._diagnose(error))
        return EngineStatus(ok=True, server_version=info.get("Version"), api_version=server_api,
                            min_api_version=server_min, negotiated_api_version=negotiated,
                            os=info.get("Os"), arch=info.get("Arch"),
                            platform_name=_platform_name(info), components=_components(info))

    def invalidate(self) -> None:
        """Forget the cached status: the next probe (or ``api``) asks the engine again."""
        with self._state_lock:
            self._invalidated = True

    def problem_for(self, error: BaseException) -> EngineProblem:
        """Explain an error from an API call, and re-check the engine next time."""
        self.invalidate()
        return self._diagnose(error)

    def plain_problem(self) -> EngineProblem | None:
        """Without waiting: why the engine cannot be reached, when a local socket says so at
        once (missing, refusing, not a socket, not ours to open). None when it accepts a
        connection, or when only a real request could tell (tcp://, ssh://)."""
        import socket

        path = self.endpoint.socket_path
        if self.endpoint.error is not None:
            return self._diagnose(RuntimeError(self.endpoint.error))
        if path is None:
            return None
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.setblocking(False)
            probe.connect(str(path))  # a unix socket answers at once: accepted or refused
        except BlockingIOError:
            return None  # accepted, the engine is just busy
        except OSError as error:
            return self._diagnose(error)
        finally:
            probe.close()
        return None

    def _diagnose(self, error: BaseException) -> EngineProblem:
        # Reading what went wrong (sockets, groups, contexts, fixes): loaded when something did.
        from tutor.engine.diagnosis import diagnose

        return diagnose(error, self.endpoint, environ=self.environ, home=self.home,
                        timeout=self.timeout)

    # -- non-blocking use (the toolbar) --------------------------------------------------

    def probe_in_background(self) -> None:
        """Start a probe in a daemon thread unless one runs or the cache is fresh."""
        if self._cached(self.cache_seconds) is not None:
            return
        with self._state_lock:
            if self._background is not None and self._background.is_alive():
                return
            thread = threading.Thread(target=self.probe, name="docker-tutor-engine-probe",
                                      daemon=True)
            self._background = thread
        thread.start()

    def wait_for_background(self, timeout: float | None = None) -> None:
        thread = self._background
        if thread is not None:
            thread.join(timeout)

    def status_line(self, block: bool = False) -> str:
        """Short text for the toolbar: ``engine ok · 20.10.24``, ``engine unreachable
        (socket missing)``, ``engine checking…``. Never waits unless ``block``."""
        if block:
            status: EngineStatus | None = self.probe()
        else:
            self.probe_in_background()
            status = self._status
        return format_status(status)

    def close(self) -> None:
        with self._state_lock:
            self._close(self._raw)
            self._close(self._api)
            self._raw = self._api = None

    @staticmethod
    def _close(client: Any) -> None:
        if client is not None:
            try:
                client.close()
            except Exception:
                pass


class _Forever:
    """An object that lives as long as the process: its finalizer never runs early."""


_EXIT_ORDER = _Forever()


def _close_before_exit(engine: Engine) -> None:
    """Close an ssh:// engine's clients before urllib3's finalizers do at exit.

    Their connections are ssh processes; urllib3 closes its pools at exit, when those
    processes may have ended, and the docker SDK's ssh socket then prints
    BrokenPipeError tracebacks. atexit runs the newest handler first, and making a
    weakref.finalize makes sure their handler is registered before this one.
    """
    if engine._closes_at_exit:
        return
    engine._closes_at_exit = True
    weakref.finalize(_EXIT_ORDER, lambda: None)
    atexit.register(engine.close)


def _platform_name(info: Mapping[str, Any]) -> str | None:
    platform = info.get("Platform")
    name = platform.get("Name") if isinstance(platform, dict) else None
    return name if isinstance(name, str) else None


def _components(info: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(name, version) of /version's Components list (older engines have none)."""
    listed = info.get("Components")
    found = [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []
    return tuple((str(item.get("Name", "")), str(item.get("Version", ""))) for item in found)


def format_status(status: EngineStatus | None) -> str:
    if status is None:
        return "engine checking…"
    if status.ok:
        return f"engine ok · {status.short_version}"
    if status.problem is not None:
        return f"engine unreachable ({status.problem.short})"
    return "engine unreachable"


# -- helpers ---------------------------------------------------------------------------------


def _sdk_max_api() -> str:
    try:
        from docker.constants import DEFAULT_DOCKER_API_VERSION
    except ImportError:  # pragma: no cover - docker is a dependency
        return FALLBACK_MAX_API
    return DEFAULT_DOCKER_API_VERSION


def _sdk_min_api() -> str:
    try:
        from docker.constants import MINIMUM_DOCKER_API_VERSION
    except ImportError:  # pragma: no cover
        return FALLBACK_MIN_API
    return MINIMUM_DOCKER_API_VERSION


def _negotiate(server_api: str, server_min: str | None) -> str:
    """The newest API version both the engine and the docker SDK speak."""
    client_max, client_min = _sdk_max_api(), _sdk_min_api()
    negotiated = server_api if version_lt(server_api, client_max) else client_max
    if version_lt(negotiated, client_min) or (server_min and version_lt(client_max, server_min)):
        raise ApiVersionUnsupported(server_api, server_min, client_min, client_max)
    return negotiated


def _sdk_base_url(endpoint: Endpoint) -> str:
    """The docker SDK wants a port on tcp://; the CLI defaults it (2375, 2376 with TLS)."""
    host = endpoint.host
    if endpoint.scheme != "tcp":
        return host
    parts = urlsplit(host if "://" in host else f"tcp://{host}")
    try:
        port = parts.port
    except ValueError:
        return host  # let the SDK report the malformed address
    if port is not None:
        return host
    default = 2376 if endpoint.tls is not None else 2375
    return f"{parts.scheme}://{parts.netloc}:{default}{parts.path}"


def _paramiko_available() -> bool:
    try:
        import importlib.util

        return importlib.util.find_spec("paramiko") is not None
    except (ImportError, ValueError):
        return False
