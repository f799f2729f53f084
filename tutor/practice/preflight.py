"""Before a command runs: what the learner should know first, and maybe a better way.

- ``docker buildx ...`` needs the buildx CLI plugin; without it the CLI only says
  "'buildx' is not a docker command". Say so and offer the classic ``docker build``.
- ``docker attach`` to a container started without ``-it``: Ctrl-P Ctrl-Q cannot
  detach, and Ctrl-C stops the container's main process. Warn, and offer
  ``--sig-proxy=false`` (Ctrl-C then only detaches) or ``docker logs -f``.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.practice.pipeline import TypedCommand

# Where the docker CLI looks for plugins (besides $DOCKER_CONFIG/cli-plugins).
SYSTEM_PLUGIN_DIRS = ("/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins",
                      "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins")
# buildx flags that the classic builder does not have.
BUILDX_ONLY = frozenset({"--load", "--push", "--builder", "--provenance", "--sbom", "--output",
                         "-o", "--cache-to", "--cache-from", "--attest", "--metadata-file"})


@dataclass(frozen=True)
class Advice:
    """Said before the command runs. With ``instead``, the learner is asked whether to
    run that command rather than the one typed (a no runs nothing); without, the typed
    command cannot run here."""

    message: str
    instead: list[str] | None = None

    @property
    def question(self) -> str:
        if self.instead is not None:
            return f"{self.message} Run `{shlex.join(self.instead)}` instead?"
        return self.message


def has_cli_plugin(name: str, environ: Mapping[str, str]) -> bool:
    """True when the docker CLI would find the plugin ``docker-NAME``."""
    config = environ.get("DOCKER_CONFIG") or str(Path(environ.get("HOME") or
                                                      Path.home()) / ".docker")
    for folder in (os.path.join(config, "cli-plugins"), *SYSTEM_PLUGIN_DIRS):
        candidate = os.path.join(folder, f"docker-{name}")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return True
    return False


def buildx_advice(command: TypedCommand, environ: Mapping[str, str]) -> Advice | None:
    argv = command.argv
    if "buildx" not in argv[1:3] or has_cli_plugin("buildx", environ):
        return None
    start = argv.index("buildx")
    rest = argv[start + 1:]
    if not rest or rest[0] != "build":
        return Advice("This docker has no buildx plugin (BuildKit's client), so "
                      f"`{shlex.join(argv)}` cannot run here.")
    classic = ["docker", "build", *_without_buildx_flags(rest[1:])]
    return Advice("This docker has no buildx plugin (BuildKit's client), so `docker buildx "
                  "build` cannot run here; the classic builder builds the same image.",
                  instead=classic)


def _without_buildx_flags(words: list[str]) -> list[str]:
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        name = word.split("=", 1)[0]
        if name in BUILDX_ONLY:
            # --load and --push are switches; the others take a value.
            skip = "=" not in word and name not in ("--load", "--push")
            continue
        kept.append(word)
    return kept


def compose_advice(command: TypedCommand, environ: Mapping[str, str]) -> Advice | None:
    """``docker compose`` without the plugin: say so, offer ``docker-compose`` when that is
    installed, else how to install Compose."""
    argv = command.argv
    if "compose" not in argv[1:3] or has_cli_plugin("compose", environ):
        return None
    standalone = shutil.which("docker-compose", path=environ.get("PATH"))
    rest = argv[argv.index("compose") + 1:]
    if standalone is not None:
        return Advice("This docker has no compose plugin, but the docker-compose command is "
                      "installed and takes the same words.", instead=["docker-compose", *rest])
    from tutor.engine.fixes import compose_missing_problem

    problem = compose_missing_problem()
    return Advice(f"{problem.summary}, so `{shlex.join(argv)}` cannot run here. "
                  + " ".join(line.strip() for line in problem.fix.splitlines()))


def attach_advice(command: TypedCommand, api: Any) -> Advice | None:
    """A container without a terminal: attaching would hand it the learner's Ctrl-C."""
    parsed = command.parsed
    if parsed is None or parsed.path != ("container", "attach") or not parsed.args:
        return None
    if parsed.option("sig-proxy") is not None or parsed.flag("no-stdin"):
        return None  # the learner chose how Ctrl-C behaves
    import docker.errors  # the SDK is loaded: the engine answered before this

    name = parsed.args[0]
    try:
        config = api.inspect_container(name).get("Config") or {}
    except docker.errors.NotFound:
        return None  # docker says "No such container" itself
    if config.get("Tty") and config.get("OpenStdin"):
        return None
    return Advice(
        f"`{name}` was started without `-it`, so once attached, Ctrl-P Ctrl-Q cannot detach "
        "and Ctrl-C stops its main process (the container stops). To watch its output, "
        f"`docker logs -f {name}` is safer; with `--sig-proxy=false`, Ctrl-C only detaches.",
        instead=["docker", "attach", "--sig-proxy=false", name])
