"""Why the Docker engine cannot be used, and the exact command that fixes it.

:func:`diagnose` turns whatever the docker SDK (or the socket underneath it) raised
into an :class:`EngineProblem`, in two tables: :data:`RULES`, ordered small
predicates over the error's clues that decide the :class:`ProblemKind`, and
:data:`BUILDERS`, one small function per kind that writes the summary, what was
tried and the fix. For a unix socket the path is looked at first, so "connection
refused" from a regular file and from a stale socket read differently.

This module never imports the docker SDK or requests: an exception of theirs can
only exist when they are already imported, so classes are looked up in
``sys.modules``.
"""

from __future__ import annotations

import errno
import os
import ssl
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.engine import fixes, socket_fixes
from tutor.engine.endpoint import Endpoint
from tutor.engine.fixes import Situation, cli_missing_problem, start_commands
from tutor.engine.problem import (
    ApiVersionUnsupported,
    EngineProblem,
    NotDockerResponse,
    ProblemKind,
    version_lt,
)
from tutor.engine.socketfile import Identity, SocketFile, inspect_socket

__all__ = [
    "BUILDERS",
    "RULES",
    "ApiVersionUnsupported",
    "EngineProblem",
    "NotDockerResponse",
    "ProblemKind",
    "classify",
    "cli_missing_problem",
    "diagnose",
    "print_problem",
    "problem_for",
    "start_commands",
    "version_lt",
]

Kind = ProblemKind

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


def _is(error: BaseException, module: str, name: str) -> bool:
    """isinstance against a class of a library, only if that library is loaded."""
    found = getattr(sys.modules.get(module), name, None)
    return isinstance(found, type) and isinstance(error, found)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    line = text.splitlines()[0]
    return line if len(line) <= 300 else line[:297] + "..."


def _api_explanation(error: BaseException) -> str:
    explanation = getattr(error, "explanation", None)
    return str(explanation) if explanation else str(error)


# -- what the socket's own error says --------------------------------------------------------

# The exception classes the socket raises, and the errno values of a bare OSError.
_SOCKET_ERRORS: tuple[tuple[type[BaseException], Kind], ...] = (
    (PermissionError, Kind.PERMISSION_DENIED),
    (FileNotFoundError, Kind.SOCKET_MISSING),
    (ConnectionRefusedError, Kind.NOT_RUNNING),
    (TimeoutError, Kind.TIMEOUT),
)
_ERRNO_KINDS = {
    errno.EACCES: Kind.PERMISSION_DENIED, errno.EPERM: Kind.PERMISSION_DENIED,
    errno.ENOENT: Kind.SOCKET_MISSING, errno.ECONNREFUSED: Kind.NOT_RUNNING,
    errno.ENETUNREACH: Kind.HOST_UNREACHABLE, errno.EHOSTUNREACH: Kind.HOST_UNREACHABLE,
    errno.EHOSTDOWN: Kind.HOST_UNREACHABLE,
}


def _socket_error_kind(item: BaseException) -> Kind | None:
    for cls, kind in _SOCKET_ERRORS:
        if isinstance(item, cls):
            return kind
    if _is(item, "socket", "gaierror"):
        return Kind.HOST_UNREACHABLE
    if type(item) is OSError and item.errno is not None:
        return _ERRNO_KINDS.get(item.errno)
    return None


# -- the clues and the rules ------------------------------------------------------------------


@dataclass(frozen=True)
class Clues:
    """What classification looks at: the chain of wrapped errors, their words, the
    kind the innermost socket error points to, and what is at the socket path."""

    chain: tuple[BaseException, ...]
    text: str                     # every error's words, lower case
    socket_error: Kind | None     # the first socket-level error in the chain says...
    endpoint: Endpoint
    socket: SocketFile | None

    @classmethod
    def gather(cls, error: BaseException, endpoint: Endpoint,
               socket: SocketFile | None) -> Clues:
        chain = tuple(causes(error))
        found = (_socket_error_kind(item) for item in chain)
        return cls(chain, " ".join(str(item) for item in chain).lower(),
                   next((kind for kind in found if kind is not None), None), endpoint, socket)

    def has(self, test: Callable[[BaseException], bool]) -> bool:
        return any(test(item) for item in self.chain)


def _versions_disagree(c: Clues) -> bool:
    return c.has(lambda item: isinstance(item, ApiVersionUnsupported)
                 or _is(item, "docker.errors", "InvalidVersion")
                 or (_is(item, "docker.errors", "APIError")
                     and _speaks_of_versions(_api_explanation(item))))


def _speaks_of_versions(text: str) -> bool:
    lowered = text.lower()
    return any(words in lowered for words in (
        "api version", "client version", "is too old", "is too new",
        "minimum supported api", "maximum supported api"))


def _answer_was_not_docker(c: Clues) -> bool:
    return c.has(lambda item: isinstance(item, NotDockerResponse))


def _ssh_setup_failed(c: Clues) -> bool:
    return c.endpoint.scheme == "ssh" and (
        "paramiko" in c.text or c.has(lambda item: isinstance(item, FileNotFoundError)))


def _tls_failed(c: Clues) -> bool:
    return c.has(lambda item: isinstance(item, ssl.SSLError)
                 or _is(item, "requests.exceptions", "SSLError")
                 or _is(item, "urllib3.exceptions", "SSLError")
                 or _is(item, "docker.errors", "TLSParameterError"))


def _path_is_not_a_socket(c: Clues) -> bool:
    return c.socket is not None and c.socket.exists and not c.socket.is_socket


def _socket_says(kind: Kind) -> Callable[[Clues], bool]:
    def says(c: Clues) -> bool:
        return c.socket_error is kind
    says.__name__ = f"socket_says_{kind.value}"
    return says


def _library_timed_out(c: Clues) -> bool:
    return c.has(lambda item: _is(item, "requests.exceptions", "Timeout")
                 or _is(item, "urllib3.exceptions", "TimeoutError"))


def _words(words: str) -> Callable[[Clues], bool]:
    """The errors mention ``words``, and not in an HTTP answer from the engine (an
    engine that answers "permission denied" about a bind mount has no socket trouble)."""
    def mention(c: Clues) -> bool:
        return words in c.text and not c.has(lambda item: _is(item, "docker.errors",
                                                              "APIError"))
    mention.__name__ = f"words_{words.replace(' ', '_')}"
    return mention


def _garbled_answer(c: Clues) -> bool:
    return c.has(lambda item: _is(item, "urllib3.exceptions", "ProtocolError")
                 or _is(item, "http.client", "HTTPException")
                 or isinstance(item, (ConnectionResetError, BrokenPipeError, ValueError,
                                      KeyError))
                 or _is(item, "requests.exceptions", "JSONDecodeError")
                 or _is(item, "requests.exceptions", "ChunkedEncodingError")
                 or _is(item, "docker.errors", "APIError"))


Rule = tuple[Kind, Callable[[Clues], bool]]

# First match wins. The socket's own error is more telling than the library's
# words around it; a path that is not a socket explains any connection error.
RULES: tuple[Rule, ...] = (
    (Kind.API_VERSION, _versions_disagree),
    (Kind.NOT_DOCKER, _answer_was_not_docker),
    (Kind.SSH, _ssh_setup_failed),
    (Kind.TLS, _tls_failed),
    (Kind.NOT_A_SOCKET, _path_is_not_a_socket),
    (Kind.PERMISSION_DENIED, _socket_says(Kind.PERMISSION_DENIED)),
    (Kind.SOCKET_MISSING, _socket_says(Kind.SOCKET_MISSING)),
    (Kind.NOT_RUNNING, _socket_says(Kind.NOT_RUNNING)),
    (Kind.TIMEOUT, _socket_says(Kind.TIMEOUT)),
    (Kind.HOST_UNREACHABLE, _socket_says(Kind.HOST_UNREACHABLE)),
    (Kind.TIMEOUT, _library_timed_out),
    (Kind.SOCKET_MISSING, _words("no such file or directory")),
    (Kind.PERMISSION_DENIED, _words("permission denied")),
    (Kind.NOT_RUNNING, _words("connection refused")),
    (Kind.SSH, _words("paramiko")),
    (Kind.NOT_DOCKER, _garbled_answer),
)


def classify(error: BaseException, endpoint: Endpoint,
             socket: SocketFile | None = None) -> Kind:
    """The kind of problem ``error`` shows (``socket``: what is at the socket path)."""
    clues = Clues.gather(error, endpoint, socket)
    return next((kind for kind, applies in RULES if applies(clues)), Kind.UNKNOWN)


# -- building the problem ---------------------------------------------------------------------

BUILDERS: Mapping[Kind, Callable[[Situation], EngineProblem]] = {
    Kind.CONTEXT_MISSING: fixes.context_missing,
    Kind.SOCKET_MISSING: fixes.socket_missing,
    Kind.NOT_A_SOCKET: socket_fixes.not_a_socket,
    Kind.NOT_RUNNING: fixes.not_running,
    Kind.PERMISSION_DENIED: socket_fixes.permission_denied,
    Kind.API_VERSION: fixes.api_version,
    Kind.TIMEOUT: fixes.timeout,
    Kind.TLS: fixes.tls,
    Kind.SSH: fixes.ssh,
    Kind.HOST_UNREACHABLE: fixes.host_unreachable,
    Kind.NOT_DOCKER: fixes.not_docker,
    Kind.CLI_MISSING: lambda s: cli_missing_problem(s.platform),
    Kind.COMPOSE_MISSING: lambda s: fixes.compose_missing_problem(s.platform),
    Kind.UNKNOWN: fixes.unknown,
}


def problem_for(kind: Kind, endpoint: Endpoint, *, reason: str = "",
                environ: Mapping[str, str] | None = None, home: Path | None = None,
                platform: str | None = None, timeout: float | None = None,
                error: BaseException | None = None, socket: SocketFile | None = None,
                identity: Identity | None = None) -> EngineProblem:
    """Build the problem of ``kind`` for ``endpoint`` (``reason``: the error's words)."""
    situation = Situation(endpoint=endpoint, environ=os.environ if environ is None else environ,
                          home=home, platform=platform or sys.platform, reason=reason,
                          timeout=timeout, error=error, socket=socket, identity=identity)
    return BUILDERS[kind](situation)


def diagnose(error: BaseException, endpoint: Endpoint, *,
             environ: Mapping[str, str] | None = None, home: Path | None = None,
             platform: str | None = None, timeout: float | None = None,
             socket: SocketFile | None = None,
             identity: Identity | None = None) -> EngineProblem:
    """Explain ``error`` (raised while talking to ``endpoint``) as an EngineProblem.

    ``socket`` is what is at a unix endpoint's path (looked at now when not given);
    ``identity`` who connected (this process when not given)."""
    if endpoint.error is not None:
        return problem_for(Kind.CONTEXT_MISSING, endpoint, environ=environ, home=home,
                           platform=platform)
    path = endpoint.socket_path
    if socket is None and path is not None:
        socket = inspect_socket(path)
    kind = classify(error, endpoint, socket)
    common: dict[str, Any] = {"environ": environ, "home": home, "platform": platform,
                              "socket": socket, "identity": identity}
    if kind is Kind.API_VERSION:
        return problem_for(kind, endpoint, reason=_version_reason(error),
                           error=next((item for item in causes(error)
                                       if isinstance(item, ApiVersionUnsupported)), None),
                           **common)
    return problem_for(kind, endpoint, reason=_innermost_reason(error), timeout=timeout,
                       error=error, **common)


def _version_reason(error: BaseException) -> str:
    reason = next((_api_explanation(item) for item in causes(error)
                   if _is(item, "docker.errors", "APIError")
                   or isinstance(item, ApiVersionUnsupported)), _first_line(error))
    return reason.strip().splitlines()[0] if reason.strip() else _first_line(error)


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
