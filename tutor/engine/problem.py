"""What can be wrong with the Docker engine (or the tools around it), as data.

An :class:`EngineProblem` is what the learner reads: a one-line summary, what was
tried, and the fix. Its :class:`ProblemKind` is for code: the toolbar's few words,
tests, and the choice of fix. The two exceptions are raised by the tutor itself
when the engine answers but cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ProblemKind(Enum):
    """Why the engine cannot be used. The value is a stable identifier."""

    CONTEXT_MISSING = "context_missing"
    SOCKET_MISSING = "socket_missing"
    NOT_A_SOCKET = "not_a_socket"
    NOT_RUNNING = "not_running"
    PERMISSION_DENIED = "permission_denied"
    API_VERSION = "api_version"
    TIMEOUT = "timeout"
    TLS = "tls"
    SSH = "ssh"
    HOST_UNREACHABLE = "host_unreachable"
    NOT_DOCKER = "not_docker"
    CLI_MISSING = "cli_missing"
    COMPOSE_MISSING = "compose_missing"
    UNKNOWN = "unknown"

    @property
    def short(self) -> str:
        """A few words for the toolbar: "socket missing", "permission denied"..."""
        return _SHORT[self]


_SHORT = {
    ProblemKind.CONTEXT_MISSING: "context not found",
    ProblemKind.SOCKET_MISSING: "socket missing",
    ProblemKind.NOT_A_SOCKET: "not a socket",
    ProblemKind.NOT_RUNNING: "not running",
    ProblemKind.PERMISSION_DENIED: "permission denied",
    ProblemKind.API_VERSION: "API version",
    ProblemKind.TIMEOUT: "timeout",
    ProblemKind.TLS: "TLS error",
    ProblemKind.SSH: "ssh setup",
    ProblemKind.HOST_UNREACHABLE: "host unreachable",
    ProblemKind.NOT_DOCKER: "not a Docker engine",
    ProblemKind.CLI_MISSING: "docker CLI missing",
    ProblemKind.COMPOSE_MISSING: "Compose missing",
    ProblemKind.UNKNOWN: "error",
}


@dataclass(frozen=True)
class EngineProblem:
    kind: ProblemKind
    summary: str    # one line: "No Docker engine socket at /var/run/docker.sock"
    detail: str     # what was tried and what happened
    fix: str        # one instruction per line, with the exact commands

    def __str__(self) -> str:
        return f"{self.summary}\n{self.detail}\n{self.fix}"

    @property
    def short(self) -> str:
        return self.kind.short


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
