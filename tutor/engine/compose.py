"""Which Docker Compose is installed: the ``docker compose`` CLI plugin (Compose v2),
else a ``docker-compose`` command (the old Python v1, or a standalone v2 binary).

Neither contacts the engine: ``version`` is answered by the tool itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from tutor.engine.endpoint import Endpoint, cli_environment

COMPOSE_TIMEOUT = 20.0
_VERSION = re.compile(r"version\s+v?(\d+\.\d+[0-9A-Za-z.+-]*)", re.IGNORECASE)


@dataclass(frozen=True)
class ComposeInfo:
    version: str        # "2.40.3"
    command: str        # how to call it: "docker compose" or "docker-compose"
    path: str           # the docker CLI, or the docker-compose executable

    @property
    def major(self) -> int:
        head = self.version.split(".", 1)[0]
        return int(head) if head.isdigit() else 0

    def describe(self) -> str:
        if self.command == "docker compose":
            return f"{self.version} (docker compose, the CLI plugin)"
        if self.major < 2:
            return (f"{self.version} (docker-compose, the old v1: lessons use docker compose "
                    "v2, whose commands are the same)")
        return f"{self.version} (docker-compose, standalone v2 at {self.path})"


def find_compose(endpoint: Endpoint, environ: Mapping[str, str],
                 docker: str | None) -> ComposeInfo | None:
    """The Compose the learner can use (``docker``: the docker CLI's path, if any)."""
    env = cli_environment(endpoint, environ)
    if docker is not None:
        version = _version_of(["docker", "compose", "version"], docker, env)
        if version is not None:
            return ComposeInfo(version, "docker compose", docker)
    standalone = shutil.which("docker-compose", path=environ.get("PATH"))
    if standalone is not None:
        version = _version_of(["docker-compose", "--version"], standalone, env)
        if version is not None:
            return ComposeInfo(version, "docker-compose", standalone)
    return None


def _version_of(argv: list[str], executable: str, env: dict[str, str]) -> str | None:
    """The version a ``... version`` command prints; None when it fails (for the docker
    CLI without the plugin: "unknown command" or "'compose' is not a docker command")."""
    try:
        done = subprocess.run(argv, executable=executable, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=COMPOSE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    found = _VERSION.search(done.stdout.decode("utf-8", "replace"))
    return found.group(1).rstrip(",") if found else None
