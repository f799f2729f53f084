"""Why the Docker engine cannot be used, and the exact command that fixes it.

:func:`diagnose` turns whatever the docker SDK (or the socket underneath it) raised
into an :class:`EngineProblem`: a one-line summary, what was tried, and the fix.
It never imports the docker SDK or requests itself: an exception of theirs can only
exist when they are already imported, so classes are looked up in ``sys.modules``.
"""

from __future__ import annotations

import errno
import os
import ssl
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.engine.endpoint import (
    Endpoint,
    SocketCandidate,
    alternative_sockets,
    runtime_dir,
)

# Kinds of problem (EngineProblem.kind).
CONTEXT_MISSING = "context_missing"
SOCKET_MISSING = "socket_missing"
NOT_RUNNING = "not_running"
PERMISSION_DENIED = "permission_denied"
API_VERSION = "api_version"
TIMEOUT = "timeout"
TLS = "tls"
SSH = "ssh"
HOST_UNREACHABLE = "host_unreachable"
NOT_DOCKER = "not_docker"
CLI_MISSING = "cli_missing"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class EngineProblem:
    kind: str
    summary: str    # one line: "No Docker engine socket at /var/run/docker.sock"
    detail: str     # what was tried and what happened
    fix: str        # one instruction per line, with the exact commands

    def __str__(self) -> str:
        return f"{self.summary}\n{self.detail}\n{self.fix}"

    @property
    def short(self) -> str:
        """A few words for the toolbar: "socket missing", "permission denied"..."""
        return _SHORT.get(self.kind, "error")


_SHORT = {
    CONTEXT_MISSING: "context not found",
    SOCKET_MISSING: "socket missing",
    NOT_RUNNING: "not running",
    PERMISSION_DENIED: "permission denied",
    API_VERSION: "API version",
    TIMEOUT: "timeout",
    TLS: "TLS error",
    SSH: "ssh setup",
    HOST_UNREACHABLE: "host unreachable",
    NOT_DOCKER: "not a Docker engine",
    CLI_MISSING: "docker CLI missing",
    UNKNOWN: "error",
}


class ApiVersionUnsupported(Exception):
    """The engine and the tutor's docker SDK share no API version."""

    def __init__(self, server_api: str, server_min: str | None, client_min: str,
                 client_max: str) -> None:
        self.server_api = server_api
        self.server_min = server_min
        self.client_min = client_min
        self.client_max = client_max
        if version_lt(server_api, client_min):
            message = (f"the engine offers API {server_api}, the tutor needs "
                       f"at least {client_min}")
        else:
            message = (f"the engine needs API {server_min} or newer, the tutor's docker "
                       f"SDK speaks at most {client_max}")
        super().__init__(message)

    @property
    def engine_too_old(self) -> bool:
        return version_lt(self.server_api, self.client_min)


class NotDockerResponse(Exception):
    """Something answered on the endpoint, but not the way a Docker engine does."""


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def version_lt(left: str, right: str) -> bool:
    return version_tuple(left) < version_tuple(right)


# -- walking an exception -----------------------------------------------------------------


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error, then everything it wraps: __cause__, __context__, urllib3's
    ``reason`` and exceptions passed as arguments (requests wraps urllib3 that way)."""
    seen: set[int] = set()
    queue = [error]
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += list(getattr(current, "args", ()) or ())
        queue += [item for item in linked if isinstance(item, BaseException)]


def _loaded(module: str, name: str) -> type | None:
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def _is(error: BaseException, module: str, name: str) -> bool:
    cls = _loaded(module, name)
    return cls is not None and isinstance(error, cls)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    line = text.splitlines()[0]
    return line if len(line) <= 300 else line[:297] + "..."


def _api_explanation(error: BaseException) -> str:
    explanation = getattr(error, "explanation", None)
    return str(explanation) if explanation else str(error)


def _looks_like_version_error(text: str) -> bool:
    lowered = text.lower()
    return ("api version" in lowered or "client version" in lowered
            or "is too old" in lowered or "is too new" in lowered
            or "minimum supported api" in lowered or "maximum supported api" in lowered)


def classify(error: BaseException, endpoint: Endpoint) -> str:
    """The kind of problem ``error`` shows (one of the module's kind constants)."""
    chain = list(causes(error))
    for item in chain:
        if isinstance(item, ApiVersionUnsupported):
            return API_VERSION
        if isinstance(item, NotDockerResponse):
            return NOT_DOCKER
        if _is(item, "docker.errors", "InvalidVersion"):
            return API_VERSION
        if _is(item, "docker.errors", "APIError") and _looks_like_version_error(
                _api_explanation(item)):
            return API_VERSION
    text = " ".join(str(item) for item in chain).lower()
    if endpoint.scheme == "ssh" and ("paramiko" in text or any(
            isinstance(item, FileNotFoundError) for item in chain)):
        return SSH
    for item in chain:
        if (isinstance(item, ssl.SSLError) or _is(item, "requests.exceptions", "SSLError")
                or _is(item, "urllib3.exceptions", "SSLError")
                or _is(item, "docker.errors", "TLSParameterError")):
            return TLS
    for item in chain:  # the socket's own error is the most telling
        if isinstance(item, PermissionError):
            return PERMISSION_DENIED
        if isinstance(item, FileNotFoundError):
            return SOCKET_MISSING
        if isinstance(item, ConnectionRefusedError):
            return NOT_RUNNING
        if isinstance(item, TimeoutError):
            return TIMEOUT
        if _is(item, "socket", "gaierror"):
            return HOST_UNREACHABLE
        if type(item) is OSError and item.errno is not None:
            code = item.errno
            if code in (errno.EACCES, errno.EPERM):
                return PERMISSION_DENIED
            if code == errno.ENOENT:
                return SOCKET_MISSING
            if code == errno.ECONNREFUSED:
                return NOT_RUNNING
            if code in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EHOSTDOWN):
                return HOST_UNREACHABLE
    for item in chain:
        if (_is(item, "requests.exceptions", "Timeout")
                or _is(item, "urllib3.exceptions", "TimeoutError")):
            return TIMEOUT
    if "no such file or directory" in text:
        return SOCKET_MISSING
    if "permission denied" in text:
        return PERMISSION_DENIED
    if "connection refused" in text:
        return NOT_RUNNING
    if "paramiko" in text:
        return SSH
    for item in chain:
        if (_is(item, "urllib3.exceptions", "ProtocolError")
                or _is(item, "http.client", "HTTPException")
                or isinstance(item, (ConnectionResetError, BrokenPipeError, ValueError,
                                     KeyError))
                or _is(item, "requests.exceptions", "JSONDecodeError")
                or _is(item, "requests.exceptions", "ChunkedEncodingError")
                or _is(item, "docker.errors", "APIError")):
            return NOT_DOCKER
    return UNKNOWN


# -- the fixes ------------------------------------------------------------------------------


def _flavour(endpoint: Endpoint, environ: Mapping[str, str]) -> str:
    """Which kind of engine the endpoint belongs to, to name the right start command."""
    where = f"{endpoint.host} {endpoint.context or ''}".lower()
    path = endpoint.socket_path
    if "podman" in where:
        return "podman"
    if "colima" in where:
        return "colima"
    if "orbstack" in where:
        return "orbstack"
    if "/.rd/" in where or "rancher" in where:
        return "rancher"
    if "/.docker/run/" in where or "/.docker/desktop/" in where or "desktop" in where:
        return "desktop"
    if endpoint.scheme in ("tcp", "ssh"):
        return "remote"
    run = runtime_dir(environ)
    if path is not None and ((run is not None and path == run / "docker.sock")
                             or str(path).startswith("/run/user/")):
        return "rootless"
    return "system"


def start_commands(endpoint: Endpoint, environ: Mapping[str, str],
                   platform: str | None = None) -> list[str]:
    """Lines telling how to start the engine the endpoint points at."""
    platform = platform or sys.platform
    flavour = _flavour(endpoint, environ)
    if flavour == "podman":
        return ["Podman: systemctl --user start podman.socket",
                "and point docker at it: export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock"]
    if flavour == "colima":
        return ["Colima: colima start"]
    if flavour == "orbstack":
        return ["OrbStack: start the OrbStack app (or: orb start)"]
    if flavour == "rancher":
        return ["Rancher Desktop: start the Rancher Desktop app"]
    if flavour == "desktop":
        return ["Docker Desktop: start the Docker Desktop app and wait until it says "
                "the engine is running"]
    if flavour == "rootless":
        return ["Rootless Docker: systemctl --user start docker"]
    if flavour == "remote":
        return ["On the machine that runs the engine: sudo systemctl start docker"]
    if platform == "darwin":
        return ["Docker Desktop: start the Docker Desktop app",
                "Colima: colima start"]
    return ["Linux: sudo systemctl start docker",
            "(without systemd: sudo dockerd, left running in another terminal)",
            "Docker Desktop: start the Docker Desktop app"]


def _reset_command(endpoint: Endpoint, environ: Mapping[str, str]) -> str:
    if endpoint.source == "DOCKER_HOST":
        return "unset DOCKER_HOST"
    if endpoint.context and environ.get("DOCKER_CONTEXT"):
        return "unset DOCKER_CONTEXT"
    if endpoint.context:
        return "docker context use default"
    return "unset DOCKER_HOST"


def _suggestions(endpoint: Endpoint, environ: Mapping[str, str],
                 home: Path | None) -> list[str]:
    """Other engines' sockets that exist, offered (never used) when ours is missing."""
    found: list[SocketCandidate] = alternative_sockets(environ, home,
                                                       exclude=endpoint.socket_path)
    lines = []
    for candidate in found:
        lines.append(f"Found a {candidate.label} socket at {candidate.path}; to use it: "
                     f"export DOCKER_HOST={candidate.host}")
    return lines


def problem_for(kind: str, endpoint: Endpoint, *, reason: str = "",
                environ: Mapping[str, str] | None = None, home: Path | None = None,
                platform: str | None = None, timeout: float | None = None,
                error: BaseException | None = None) -> EngineProblem:
    """Build the problem of ``kind`` for ``endpoint`` (``reason``: the error's words)."""
    environ = os.environ if environ is None else environ
    tried = endpoint.describe()
    path = endpoint.socket_path
    starts = start_commands(endpoint, environ, platform)

    if kind == CONTEXT_MISSING:
        lines = ["See which contexts exist: docker context ls",
                 "Switch to a working one: docker context use default"]
        if environ.get("DOCKER_CONTEXT"):
            lines.append(f"DOCKER_CONTEXT={environ['DOCKER_CONTEXT']} chose it: "
                         "unset DOCKER_CONTEXT")
        return EngineProblem(
            kind, f"Docker context '{endpoint.context}' cannot be used",
            f"Tried {endpoint.source}: {endpoint.error}.", "\n".join(lines))

    if kind == SOCKET_MISSING:
        where = str(path) if path is not None else endpoint.host
        lines = [f"Start the engine that should listen on {endpoint.host} ({endpoint.source}):"]
        lines += [f"  {line}" for line in starts]
        if not endpoint.is_default:
            lines.append(f"Or use the default engine instead: {_reset_command(endpoint, environ)}")
        lines += _suggestions(endpoint, environ, home)
        return EngineProblem(
            kind, f"No Docker engine socket at {where}",
            f"Tried {tried}: the socket file does not exist, so no engine is running "
            "there (or Docker is not installed).", "\n".join(lines))

    if kind == NOT_RUNNING:
        if endpoint.scheme == "unix":
            detail = (f"Tried {tried}: the socket exists but nothing accepts connections "
                      "on it (connection refused): the engine has stopped.")
        else:
            detail = f"Tried {tried}: connection refused, nothing listens there."
        lines = [f"Start the engine behind {endpoint.host} ({endpoint.source}):"]
        lines += [f"  {line}" for line in starts]
        if not endpoint.is_default:
            lines.append(f"Or use the default engine instead: {_reset_command(endpoint, environ)}")
        return EngineProblem(kind, "The Docker engine is not running", detail, "\n".join(lines))

    if kind == PERMISSION_DENIED:
        where = str(path) if path is not None else endpoint.host
        lines = [f"You may not use {where} ({endpoint.source}). Add yourself to the "
                 "docker group: sudo usermod -aG docker $USER",
                 "then log out and back in (or run: newgrp docker) so the group applies.",
                 "Or use rootless Docker, which needs no root: dockerd-rootless-setuptool.sh "
                 "install, then systemctl --user start docker and "
                 "export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock"]
        return EngineProblem(
            kind, f"Permission denied on {where}",
            f"Tried {tried}: your user may not open the engine's socket (it usually "
            "belongs to root and the 'docker' group; membership is as powerful as root).",
            "\n".join(lines))

    if kind == API_VERSION:
        too_old = isinstance(error, ApiVersionUnsupported) and error.engine_too_old
        too_new = isinstance(error, ApiVersionUnsupported) and not error.engine_too_old
        lowered = reason.lower()
        if not (too_old or too_new):
            too_new = "too old" in lowered and "client" in lowered  # the engine refuses us
            too_old = not too_new
        lines = []
        if too_old:
            lines.append(f"Upgrade the Docker engine at {endpoint.host} ({endpoint.source}): "
                         "Linux: install a current docker-ce or docker.io package "
                         "(sudo apt-get install docker.io); Docker Desktop/Colima: update the app.")
        if too_new:
            lines.append(f"The engine at {endpoint.host} ({endpoint.source}) is newer than "
                         "the tutor's docker SDK: upgrade it: pip install --upgrade docker")
        return EngineProblem(kind, "The Docker engine's API version is not supported",
                             f"Tried {tried}: {reason}", "\n".join(lines))

    if kind == TIMEOUT:
        waited = f" within {timeout:g} s" if timeout else ""
        return EngineProblem(
            kind, "The Docker engine did not answer in time",
            f"Tried {tried}: no answer{waited}. The engine may be starting, overloaded or hung.",
            "\n".join([f"Check the engine at {endpoint.host} ({endpoint.source}): docker info",
                       "If that hangs too, restart it:"] + [f"  {line}" for line in
                                                            _restart(starts)]))

    if kind == TLS:
        if endpoint.context:
            lines = [f"Check the TLS files of the context: docker context inspect "
                     f"{endpoint.context}"]
        else:
            cert_dir = endpoint.tls.cert_dir if endpoint.tls else None
            where = (f"{cert_dir} (DOCKER_CERT_PATH)" if cert_dir is not None
                     else "the directory in DOCKER_CERT_PATH (default ~/.docker)")
            lines = [f"Check that {where} holds ca.pem, cert.pem and key.pem issued for "
                     f"{endpoint.host} ({endpoint.source})."]
        lines.append("If the engine does not use TLS (usually port 2375), unset "
                     "DOCKER_TLS_VERIFY and DOCKER_TLS; if it does (port 2376), set "
                     "DOCKER_TLS_VERIFY=1.")
        return EngineProblem(kind, "The TLS connection to the Docker engine failed",
                             f"Tried {tried}: {reason}", "\n".join(lines))

    if kind == SSH:
        if "paramiko" in reason.lower():
            return EngineProblem(
                kind, "ssh:// engines need the paramiko package",
                f"Tried {tried}: the docker SDK the tutor uses reaches ssh:// engines "
                "through paramiko, which is not installed.",
                "Install it next to the tutor: pip install paramiko\n"
                f"Or use a local engine: {_reset_command(endpoint, environ)}")
        return EngineProblem(
            kind, "Cannot open the ssh connection to the Docker engine",
            f"Tried {tried}: {reason}",
            "Check that this works: ssh <the same user@host> docker version\n"
            "(install the OpenSSH client if ssh is missing: sudo apt-get install "
            "openssh-client)\n"
            f"Or use a local engine: {_reset_command(endpoint, environ)}")

    if kind == HOST_UNREACHABLE:
        return EngineProblem(
            kind, "Cannot reach the Docker engine's host",
            f"Tried {tried}: {reason}",
            f"Check the host name and the network, or use a local engine: "
            f"{_reset_command(endpoint, environ)}")

    if kind == NOT_DOCKER:
        if endpoint.is_default and path is not None:
            fix = (f"Check what listens on {path}: sudo ss -xlp | grep {path.name}\n"
                   "then restart the engine: sudo systemctl restart docker")
        else:
            fix = (f"{endpoint.source} chose {endpoint.host}: point it at a Docker engine "
                   "(docker context ls lists the contexts), or use the default engine: "
                   f"{_reset_command(endpoint, environ)}")
        return EngineProblem(kind, "Something answered, but not a Docker engine",
                             f"Tried {tried}: {reason}", fix)

    if kind == CLI_MISSING:
        return cli_missing_problem(platform)

    lines = [f"Check the engine at {endpoint.host} ({endpoint.source}): docker info",
             "If it is not running, start it:"] + [f"  {line}" for line in starts]
    return EngineProblem(UNKNOWN, "Cannot talk to the Docker engine",
                         f"Tried {tried}: {reason}", "\n".join(lines))


def _restart(starts: list[str]) -> list[str]:
    return [line.replace("systemctl start", "systemctl restart")
                .replace("systemctl --user start", "systemctl --user restart")
                .replace("colima start", "colima restart")
                .replace("start the ", "restart the ") for line in starts]


def cli_missing_problem(platform: str | None = None) -> EngineProblem:
    platform = platform or sys.platform
    if platform == "darwin":
        install = ("Install Docker Desktop, or: brew install docker "
                   "(with Colima: brew install colima)")
    else:
        install = ("Debian/Ubuntu: sudo apt-get install docker.io (or docker-ce-cli from "
                   "Docker's repository); Fedora: sudo dnf install docker-cli")
    return EngineProblem(
        CLI_MISSING, "The docker command is not installed (not found on PATH)",
        "The tutor runs the docker commands you type with the docker CLI, so it needs it "
        "even when the engine itself answers.",
        install + "\nThen check: docker version")


def diagnose(error: BaseException, endpoint: Endpoint, *,
             environ: Mapping[str, str] | None = None, home: Path | None = None,
             platform: str | None = None, timeout: float | None = None) -> EngineProblem:
    """Explain ``error`` (raised while talking to ``endpoint``) as an EngineProblem."""
    if endpoint.error is not None:
        return problem_for(CONTEXT_MISSING, endpoint, environ=environ, home=home,
                           platform=platform)
    kind = classify(error, endpoint)
    if kind == API_VERSION:
        reason = next((_api_explanation(item) for item in causes(error)
                       if _is(item, "docker.errors", "APIError")
                       or isinstance(item, ApiVersionUnsupported)), _first_line(error))
        reason = reason.strip().splitlines()[0] if reason.strip() else _first_line(error)
        version_error = next((item for item in causes(error)
                              if isinstance(item, ApiVersionUnsupported)), None)
        return problem_for(kind, endpoint, reason=reason, environ=environ, home=home,
                           platform=platform, error=version_error)
    return problem_for(kind, endpoint, reason=_innermost_reason(error), environ=environ,
                       home=home, platform=platform, timeout=timeout, error=error)


def _innermost_reason(error: BaseException) -> str:
    """The most specific words: the OS error if there is one, else the error itself."""
    for item in causes(error):
        if isinstance(item, OSError) and not _is(item, "requests.exceptions",
                                                 "RequestException") and item.strerror:
            return item.strerror if not getattr(item, "filename", None) else str(item)
    return _first_line(error)


def print_problem(console: Any, problem: EngineProblem, indent: int = 0) -> None:
    """Summary, what was tried, and the fix, through a rich console with theme styles."""
    import textwrap

    from rich.text import Text

    width = max(int(getattr(console, "width", 80) or 80), 40)

    def say(text: str, style: str, extra: int = 0) -> None:
        margin = " " * (indent + extra)
        for line in textwrap.wrap(text, width=width - len(margin), break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            console.print(Text(margin + line, style=style), soft_wrap=True)

    say(f"• {problem.summary}" if indent else problem.summary, "tutor.error")
    say(problem.detail, "tutor.muted", 2 if indent else 0)
    for line in problem.fix.splitlines():
        stripped = line.lstrip(" ")
        say(stripped, "tutor.hint", (2 if indent else 0) + len(line) - len(stripped))
