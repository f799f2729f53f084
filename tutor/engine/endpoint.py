"""Which Docker engine to talk to, found the way the docker CLI finds it.

Order (docker CLI's ``resolveContextName``):

1. ``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY`` / ``DOCKER_TLS`` / ``DOCKER_CERT_PATH``);
2. the docker context named by ``DOCKER_CONTEXT``, else ``currentContext`` in the
   CLI config file (``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``);
   context ``default`` means the default socket;
3. the default socket ``unix:///var/run/docker.sock``.

A context's metadata is read with the docker SDK's context classes, imported only
when a context is configured (the SDK is slow to import). Where the SDK's own
``ContextAPI`` differs from the CLI, this module does what the CLI does: it finds
the store in ``$DOCKER_CONFIG`` or ``~/.docker`` whether or not a config.json is
there, and uses a context's TLS files even when only some of them exist.

Other well-known sockets (rootless, Docker Desktop, Colima, Podman...) are never
used silently: :func:`alternative_sockets` lists the ones that exist so problem
messages can suggest them.

Resolve once per process and hand the same :class:`Endpoint` to the SDK
(:class:`tutor.engine.connection.Engine`) and to the CLI subprocess
(:func:`cli_environment`), so both talk to the same engine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SOCKET = Path("/var/run/docker.sock")
DEFAULT_HOST = f"unix://{DEFAULT_SOCKET}"
DEFAULT_CONTEXT = "default"
DEFAULT_SOURCE = "default socket"

# Variables that choose the engine for the docker CLI; cli_environment rewrites them.
ENGINE_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_TLS",
                    "DOCKER_CERT_PATH")


@dataclass(frozen=True)
class TlsSettings:
    """TLS for a tcp:// engine. Paths are None when the file does not exist."""

    verify: bool
    ca_cert: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    cert_dir: Path | None = None  # where the *.pem files were looked for


@dataclass(frozen=True)
class Endpoint:
    """One Docker engine address and why it was chosen.

    ``source`` is for people: ``"DOCKER_HOST"``, ``"docker context 'colima'"``,
    ``"default socket"``. ``error`` is set when the choice itself is broken (a
    context that does not exist): then ``host`` is empty and nothing can connect.
    """

    host: str
    source: str
    context: str | None = None
    tls: TlsSettings | None = None
    error: str | None = None

    @property
    def scheme(self) -> str:
        """``unix``, ``tcp``, ``ssh``, ``npipe``... (a bare ``host:port`` is tcp)."""
        if "://" not in self.host:
            return "tcp" if self.host else ""
        scheme = self.host.split("://", 1)[0].lower()
        return {"http": "tcp", "https": "tcp", "http+unix": "unix"}.get(scheme, scheme)

    @property
    def socket_path(self) -> Path | None:
        """The socket file of a ``unix://`` endpoint (``unix://`` alone is the default)."""
        if self.scheme != "unix":
            return None
        path = self.host.split("://", 1)[1]
        if not path:
            return DEFAULT_SOCKET
        return Path(path if path.startswith("/") else "/" + path)

    @property
    def is_default(self) -> bool:
        return self.socket_path == DEFAULT_SOCKET and self.error is None

    def describe(self) -> str:
        """``unix:///var/run/docker.sock (default socket)``."""
        if self.error:
            return f"{self.source} (not usable: {self.error})"
        return f"{self.host} ({self.source})"


class _ContextError(Exception):
    pass


def config_dir(environ: Mapping[str, str], home: Path | None = None) -> Path:
    """The docker CLI's config directory: ``$DOCKER_CONFIG`` or ``~/.docker``."""
    override = environ.get("DOCKER_CONFIG")
    if override:
        return Path(override).expanduser()
    return _home(environ, home) / ".docker"


def _home(environ: Mapping[str, str], home: Path | None) -> Path:
    if home is not None:
        return home
    if environ.get("HOME"):
        return Path(environ["HOME"])
    return Path.home()


def resolve_endpoint(environ: Mapping[str, str], home: Path | None = None) -> Endpoint:
    """Find the engine the docker CLI would use. Pure: reads files, never connects."""
    host = environ.get("DOCKER_HOST", "")
    if host:
        return _from_docker_host(host.strip(), environ, home)
    configs = config_dir(environ, home)
    name = environ.get("DOCKER_CONTEXT", "")
    if not name:
        name = _current_context(configs)
    if name and name != DEFAULT_CONTEXT:
        return _from_context(name, configs)
    if name == DEFAULT_CONTEXT:
        return Endpoint(host=DEFAULT_HOST, source=DEFAULT_SOURCE, context=DEFAULT_CONTEXT)
    return Endpoint(host=DEFAULT_HOST, source=DEFAULT_SOURCE)


def _from_docker_host(host: str, environ: Mapping[str, str], home: Path | None) -> Endpoint:
    probe = Endpoint(host=host, source="DOCKER_HOST")
    tls = None
    verify = bool(environ.get("DOCKER_TLS_VERIFY"))
    if probe.scheme == "tcp" and (verify or environ.get("DOCKER_TLS")
                                  or host.lower().startswith("https://")):
        cert_dir = Path(environ["DOCKER_CERT_PATH"]).expanduser() if environ.get(
            "DOCKER_CERT_PATH") else config_dir(environ, home)
        tls = _tls_from_dir(cert_dir, verify=verify)
    return Endpoint(host=host, source="DOCKER_HOST", tls=tls)


def _current_context(configs: Path) -> str:
    """``currentContext`` from config.json; a missing or broken file means none.

    (The docker CLI only warns about an unreadable config file and carries on.)
    """
    try:
        data = json.loads((configs / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = data.get("currentContext") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _from_context(name: str, configs: Path) -> Endpoint:
    source = f"docker context '{name}'"
    try:
        host, skip_verify, tls_dir = _read_context(name, configs)
    except _ContextError as error:
        return Endpoint(host="", source=source, context=name, error=str(error))
    tls = None
    endpoint = Endpoint(host=host, source=source, context=name)
    if endpoint.scheme == "tcp":
        has_material = any((tls_dir / f).is_file() for f in ("ca.pem", "cert.pem", "key.pem"))
        # docker CLI: no TLS data and SkipTLSVerify unset means plain HTTP.
        if has_material or skip_verify:
            tls = _tls_from_dir(tls_dir, verify=not skip_verify)
    return Endpoint(host=host, source=source, context=name, tls=tls)


def _read_context(name: str, configs: Path) -> tuple[str, bool, Path]:
    """(host, SkipTLSVerify, TLS directory) of context ``name`` in the store under
    ``configs``, read with the docker SDK's context classes.

    The SDK's ``ContextAPI`` is not asked to find the store: it looks for it through
    the process's own environment and only next to an existing config.json, which
    ``docker context create`` does not write; nor for the TLS files: it ignores a
    context that has a CA but no client certificate (the CLI then still uses TLS).
    """
    # The SDK is slow to import; only a configured context needs it.
    from docker.context import Context
    from docker.context.config import METAFILE, get_context_id
    from docker.errors import ContextException

    digest = get_context_id(name)
    meta_path = configs / "contexts" / "meta" / digest / METAFILE
    try:
        text = meta_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _ContextError(f"context not found (no {meta_path})") from None
    except OSError as error:
        raise _ContextError(f"cannot read {meta_path}: {error.strerror or error}") from None
    broken = _ContextError(f"{meta_path} has no Endpoints.docker.Host")
    try:
        data = json.loads(text)
        stored = data["Endpoints"]["docker"]
        # The CLI reads a missing SkipTLSVerify as false (the SDK would say true).
        skip = bool(stored.get("SkipTLSVerify", False))
        context = Context(name, endpoints={"docker": dict(stored)})
    except (ValueError, KeyError, TypeError, AttributeError, ContextException):
        raise broken from None
    host = context.Host or DEFAULT_HOST
    if not isinstance(host, str):
        raise broken
    return host, skip, configs / "contexts" / "tls" / digest / "docker"


def _tls_from_dir(directory: Path, verify: bool) -> TlsSettings:
    def existing(name: str) -> Path | None:
        path = directory / name
        return path if path.is_file() else None

    return TlsSettings(verify=verify, ca_cert=existing("ca.pem"),
                       client_cert=existing("cert.pem"), client_key=existing("key.pem"),
                       cert_dir=directory)


def cli_environment(endpoint: Endpoint, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for a docker CLI subprocess that talks to ``endpoint``.

    Everything else in ``environ`` is kept (PATH, DOCKER_CONFIG for credentials...).
    """
    child = {key: value for key, value in environ.items() if key not in ENGINE_VARIABLES}
    if endpoint.error is not None or (endpoint.context and endpoint.tls is not None):
        # A broken context: let the CLI report the same problem. A context with
        # TLS: the CLI reads its own TLS files exactly as it always does.
        child["DOCKER_CONTEXT"] = endpoint.context or DEFAULT_CONTEXT
        return child
    child["DOCKER_HOST"] = endpoint.host
    tls = endpoint.tls
    if tls is not None:
        if tls.verify:
            child["DOCKER_TLS_VERIFY"] = "1"
        else:
            child["DOCKER_TLS"] = "1"
        if tls.cert_dir is not None:
            child["DOCKER_CERT_PATH"] = str(tls.cert_dir)
    return child


# -- where published ports are ------------------------------------------------------------

LOCAL_HTTP_HOST = "127.0.0.1"
_UNSPECIFIED = ("", "0.0.0.0", "::", "localhost")


def published_host(endpoint: Endpoint) -> str:
    """The host whose ports ``docker run -p`` publishes: the engine's own host for a
    tcp:// or ssh:// engine (an ssh alias resolved as ssh resolves it), else this
    machine (127.0.0.1)."""
    if endpoint.scheme not in ("tcp", "ssh") or endpoint.error is not None:
        return LOCAL_HTTP_HOST
    host = endpoint.host if "://" in endpoint.host else f"tcp://{endpoint.host}"
    try:
        parts = urlsplit(host)
        name, port = parts.hostname or "", parts.port
    except ValueError:
        return LOCAL_HTTP_HOST
    if endpoint.scheme == "ssh" and name:
        from tutor.engine.sshconfig import ssh_settings  # runs ssh -G: only for ssh://

        name = ssh_settings(name, parts.username, port).get("hostname") or name
    return LOCAL_HTTP_HOST if name in _UNSPECIFIED else name


# -- other engines, for suggestions only ------------------------------------------------


@dataclass(frozen=True)
class SocketCandidate:
    label: str      # "rootless Docker", "Docker Desktop", "Colima", "Podman"...
    path: Path

    @property
    def host(self) -> str:
        return f"unix://{self.path}"


def runtime_dir(environ: Mapping[str, str]) -> Path | None:
    value = environ.get("XDG_RUNTIME_DIR")
    if value:
        return Path(value)
    getuid = getattr(os, "getuid", None)
    return Path(f"/run/user/{getuid()}") if getuid else None


def candidate_sockets(environ: Mapping[str, str],
                      home: Path | None = None) -> list[SocketCandidate]:
    """Well-known engine sockets other than the default one (existing or not)."""
    home_dir = _home(environ, home)
    run = runtime_dir(environ)
    candidates: list[SocketCandidate] = []
    if run is not None:
        candidates.append(SocketCandidate("rootless Docker", run / "docker.sock"))
    candidates += [
        SocketCandidate("Docker Desktop", home_dir / ".docker" / "run" / "docker.sock"),
        SocketCandidate("Docker Desktop", home_dir / ".docker" / "desktop" / "docker.sock"),
        SocketCandidate("Colima", home_dir / ".colima" / "default" / "docker.sock"),
        SocketCandidate("Colima", home_dir / ".config" / "colima" / "default" / "docker.sock"),
        SocketCandidate("Rancher Desktop", home_dir / ".rd" / "docker.sock"),
        SocketCandidate("OrbStack", home_dir / ".orbstack" / "run" / "docker.sock"),
    ]
    if run is not None:
        candidates.append(SocketCandidate("Podman", run / "podman" / "podman.sock"))
    return candidates


def alternative_sockets(environ: Mapping[str, str], home: Path | None = None,
                        exclude: Path | None = None) -> list[SocketCandidate]:
    """The candidate sockets that exist (never used without the learner's say-so)."""
    found = []
    for candidate in candidate_sockets(environ, home):
        try:
            exists = candidate.path.exists()
        except OSError:
            exists = False
        if exists and candidate.path != exclude:
            found.append(candidate)
    return found
