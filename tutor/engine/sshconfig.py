"""What the ssh client makes of an ssh:// engine's host, read with ``ssh -G``.

The tutor reaches ssh:// engines through the ssh client, as the docker CLI does, so
the user's ~/.ssh/config applies: ``ssh://box`` may be an alias whose ``HostName``
is elsewhere, and without connection sharing every API call opens a new connection.
``ssh -G`` prints the settings ssh would use; it reads the configuration only and
connects nowhere.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

from tutor.engine.problem import EngineProblem, ProblemKind

SSH_G_TIMEOUT = 5.0


@lru_cache(maxsize=8)
def ssh_settings(host: str, user: str | None = None, port: int | None = None) -> dict[str, str]:
    """ssh's settings for ``host`` (lower-case keys); empty when ssh is missing or fails."""
    argv = ["ssh", "-G"]
    if user:
        argv += ["-l", user]
    if port:
        argv += ["-p", str(port)]
    try:
        done = subprocess.run([*argv, "--", host], capture_output=True, text=True,
                              timeout=SSH_G_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    settings: dict[str, str] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.strip().partition(" ")
        settings.setdefault(key.lower(), value.strip())
    return settings


def shares_connections(settings: dict[str, str]) -> bool:
    """Whether ssh reuses one connection (ControlMaster with a ControlPath)."""
    master = settings.get("controlmaster", "false").lower()
    path = settings.get("controlpath", "none").lower()
    return master not in ("false", "no") and path not in ("", "none")


def connection_sharing_advice(host: str, user: str | None,
                              port: int | None) -> EngineProblem | None:
    """Advice for an ssh:// engine whose ssh opens a new connection for every call."""
    settings = ssh_settings(host, user, port)
    if not settings or shares_connections(settings):
        return None
    return EngineProblem(
        ProblemKind.SSH, "Every call to the engine opens a new ssh connection",
        "The tutor and the docker CLI reach an ssh:// engine through the ssh client, which "
        "here makes a new connection (and login) for each API call: checks wait for each.",
        f"Let ssh share one connection: in ~/.ssh/config add\n"
        f"  Host {host}\n"
        f"    ControlMaster auto\n"
        f"    ControlPath ~/.ssh/cm-%C\n"
        f"    ControlPersist 10m")
