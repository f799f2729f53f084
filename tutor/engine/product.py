"""Which engine answers: Docker Engine, Docker Desktop, or Podman's Docker-compatible
API; rootless or not; on this machine or on another host.

Read from what the engine says about itself: ``GET /version`` (its Components
list names a "Podman Engine" on Podman; Platform.Name says "Docker Engine -
Community" or "Docker Desktop 4.x" on Docker's own builds) and ``GET /info``
(SecurityOptions holds "name=rootless" for a rootless engine, Docker or Podman).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from tutor.engine.endpoint import Endpoint

PODMAN_COMPONENT = "Podman Engine"
ROOTLESS_OPTION = "name=rootless"


@dataclass(frozen=True)
class EngineProduct:
    name: str                    # "Docker Engine", "Podman 5.2.2", "Docker Desktop 4.34.0 (...)"
    podman: bool = False
    rootless: bool | None = None   # None: unknown (/info not read)
    remote: str | None = None      # the host of a tcp:// or ssh:// engine

    def describe(self) -> str:
        """``Podman 5.2.2 (Docker-compatible API), rootless`` (the host is told apart)."""
        name = f"{self.name} (Docker-compatible API)" if self.podman else self.name
        return f"{name}, rootless" if self.rootless else name


def identify(endpoint: Endpoint, platform_name: str | None,
             components: Sequence[tuple[str, str]],
             security_options: Sequence[str] | None = None) -> EngineProduct:
    """Name the engine from its /version answer (and /info's SecurityOptions if read)."""
    rootless = (None if security_options is None
                else any(ROOTLESS_OPTION in option.split(",") for option in security_options))
    remote = remote_host(endpoint)
    podman = next((version for name, version in components if name == PODMAN_COMPONENT), None)
    if podman is not None or "podman" in (platform_name or "").lower():
        name = f"Podman {podman}" if podman else "Podman"
        return EngineProduct(name, podman=True, rootless=rootless, remote=remote)
    return EngineProduct(platform_name or "Docker Engine", rootless=rootless, remote=remote)


def remote_host(endpoint: Endpoint) -> str | None:
    """``build.example:2376 (tcp, TLS)`` / ``box (ssh, as me)``; None for local engines."""
    scheme = endpoint.scheme
    if scheme not in ("tcp", "ssh"):
        return None
    host = endpoint.host if "://" in endpoint.host else f"tcp://{endpoint.host}"
    parts = urlsplit(host)
    where = parts.hostname or parts.netloc or endpoint.host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and scheme == "tcp":
        where = f"{where}:{port}"
    how = [scheme]
    if scheme == "tcp" and endpoint.tls is not None:
        how.append("TLS" if endpoint.tls.verify else "TLS without verification")
    if scheme == "ssh" and parts.username:
        how.append(f"as {parts.username}")
    return f"{where} ({', '.join(how)})"
