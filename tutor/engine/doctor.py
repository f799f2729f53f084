"""``docker-tutor doctor``: is everything in place to practise, and if not, the fix.

Reports the docker CLI (the tutor runs the learner's commands with it), Docker
Compose, the engine endpoint and why it was chosen, whether the engine answers,
which engine it is (Docker Engine, Docker Desktop, Podman; rootless; remote) and
its versions, and for each image asked about whether it is present locally or
could be pulled.
Every failure is shown as a problem with its exact fix, never as a traceback.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.engine.compose import ComposeInfo, find_compose
from tutor.engine.connection import Engine
from tutor.engine.diagnosis import print_problem
from tutor.engine.endpoint import Endpoint, cli_environment, resolve_endpoint
from tutor.engine.fixes import cli_missing_problem, compose_missing_problem
from tutor.engine.problem import EngineProblem
from tutor.engine.product import EngineProduct, identify, remote_host
from tutor.engine.runner import find_docker
from tutor.status import ExitStatus

if TYPE_CHECKING:
    from tutor.engine.connection import EngineStatus
    from tutor.environment import Environment

CLI_TIMEOUT = 20.0

OK = "tutor.correct"
BAD = "tutor.error"
WARN = "tutor.warning"
PLAIN = ""


@dataclass(frozen=True)
class CliInfo:
    path: str | None             # None: not on PATH
    version: str | None = None   # "28.2.2"
    api_version: str | None = None
    error: str | None = None     # the CLI is there but `docker version` failed oddly


def client_info(endpoint: Endpoint, environ: Any) -> CliInfo:
    """``docker version --format '{{json .Client}}'`` through the CLI subprocess."""
    path = find_docker(environ)
    if path is None:
        return CliInfo(path=None)
    try:
        done = subprocess.run(["docker", "version", "--format", "{{json .Client}}"],
                              executable=path, env=cli_environment(endpoint, environ),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=CLI_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return CliInfo(path=path, error=f"docker version did not finish in {CLI_TIMEOUT:g} s")
    except OSError as error:
        return CliInfo(path=path, error=f"cannot run {path}: {error.strerror or error}")
    # The CLI prints its own part even when the engine does not answer (exit 1).
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                return CliInfo(path=path, version=data.get("Version"),
                               api_version=data.get("ApiVersion"))
    message = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    first = message.splitlines()[0] if message else f"exit status {done.returncode}"
    return CliInfo(path=path, error=f"docker version printed no version: {first}")


def run_doctor(env: Environment, endpoint: Endpoint | None = None,
               images: Sequence[str] = (), engine: Engine | None = None) -> ExitStatus:
    """Print the report; SUCCESS when the engine answers and the CLI is present."""
    from rich.table import Table
    from rich.text import Text

    console = env.console
    problems: list[EngineProblem] = []   # practice cannot work until these are fixed
    advice: list[EngineProblem] = []     # worth fixing, but practice works without
    try:
        if endpoint is None:
            endpoint = resolve_endpoint(env.environ)
        if engine is None:
            engine = Engine(endpoint, environ=env.environ)
        cli = client_info(endpoint, env.environ)
        compose = find_compose(endpoint, env.environ, cli.path)
        status = engine.probe(max_age=0)
    except Exception as error:  # pragma: no cover - resolve/probe do not raise
        console.print(Text(f"docker-tutor doctor failed: {type(error).__name__}: {error}",
                           style=BAD))
        return ExitStatus.ENGINE_UNAVAILABLE

    table = Table(title="docker-tutor doctor", title_style="tutor.heading",
                  header_style="tutor.heading", show_lines=False)
    table.add_column("Check", style="tutor.heading", no_wrap=True)
    table.add_column("Result")

    def row(name: str, text: str, style: str = PLAIN) -> None:
        table.add_row(name, Text(text, style=style))

    if cli.path is None:
        row("docker CLI", "not found on PATH: needed to run your commands", BAD)
        problems.append(cli_missing_problem())
    elif cli.version is None:
        row("docker CLI", f"{cli.path}: {cli.error}", WARN)
    else:
        api = f" (API {cli.api_version})" if cli.api_version else ""
        row("docker CLI", f"{cli.version}{api}, {cli.path}", OK)
    _compose_row(row, compose)
    if compose is None:
        advice.append(compose_missing_problem())

    row("Endpoint", endpoint.host or "(none)")
    row("Chosen by", endpoint.source)
    remote = remote_host(endpoint)
    if remote is not None:
        row("Remote host", remote)
        row("Published ports", f"checked at {engine.http_host} (the engine's host)")
        sharing = _ssh_sharing_advice(endpoint)
        if sharing is not None:
            advice.append(sharing)
    if endpoint.tls is not None:
        row("TLS", "verify server certificate" if endpoint.tls.verify
            else "on, without verifying the server", PLAIN)

    if status.ok:
        row("Engine", "reachable", OK)
        row("Engine kind", _product(engine, status).describe())
        platform = f", {status.platform}" if status.platform else ""
        row("Engine version", f"{status.server_version} (API {status.api_version}{platform})")
        row("API used", f"{status.negotiated_api_version}")
    else:
        assert status.problem is not None
        row("Engine", f"unreachable: {status.problem.summary}", BAD)
        problems.append(status.problem)

    for image in images:
        text, style, problem = _image_report(engine, status, image)
        row(f"Image {image}", text, style)
        if problem is not None and problem not in problems:
            problems.append(problem)

    console.print(table)
    if problems:
        console.print()
        console.print(Text("To fix:", style="tutor.heading"))
        for problem in problems:
            print_problem(console, problem, indent=2)
    else:
        console.print(Text("Everything needed for the practice steps is in place.", style=OK))
    if advice:
        console.print()
        console.print(Text("Worth fixing too:", style="tutor.heading"))
        for problem in advice:
            print_problem(console, problem, indent=2)
    ok = status.ok and cli.path is not None
    return ExitStatus.SUCCESS if ok else ExitStatus.ENGINE_UNAVAILABLE


def _ssh_sharing_advice(endpoint: Endpoint) -> EngineProblem | None:
    if endpoint.scheme != "ssh":
        return None
    from urllib.parse import urlsplit

    from tutor.engine.sshconfig import connection_sharing_advice

    try:
        parts = urlsplit(endpoint.host)
        port = parts.port
    except ValueError:
        return None
    return connection_sharing_advice(parts.hostname or "", parts.username, port) \
        if parts.hostname else None


def _compose_row(row: Any, compose: ComposeInfo | None) -> None:
    if compose is None:
        row("Docker Compose", "not found (neither docker compose nor docker-compose)", WARN)
    else:
        row("Docker Compose", compose.describe(), OK if compose.major >= 2 else WARN)


def _product(engine: Engine, status: EngineStatus) -> EngineProduct:
    """Which engine answers; /info tells whether it is rootless (unknown if it fails)."""
    options: list[str] | None = None
    try:
        listed = engine.api.info().get("SecurityOptions")
    except Exception:  # an engine that answers /version but not /info: leave it unknown
        listed = None
    if isinstance(listed, list):
        options = [str(option) for option in listed]
    return identify(engine.endpoint, status.platform_name, status.components, options)


def _image_report(engine: Engine, status: EngineStatus,
                  image: str) -> tuple[str, str, EngineProblem | None]:
    """(text, style, problem) for one image."""
    if not status.ok:
        return "unknown: the engine does not answer", WARN, None
    try:
        api = engine.api
    except Exception as error:  # EngineUnavailable, or the client cannot be built
        problem = getattr(error, "problem", None) or engine.problem_for(error)
        return f"unknown: {problem.summary}", WARN, problem
    import docker.errors

    try:
        details = api.inspect_image(image)
    except docker.errors.NotFound:
        pass
    except Exception as error:
        problem = engine.problem_for(error)
        return f"unknown: {problem.summary}", WARN, problem
    else:
        short = str(details.get("Id", "")).replace("sha256:", "")[:12]
        return f"present locally ({short})" if short else "present locally", OK, None
    try:
        api.inspect_distribution(image)
    except docker.errors.APIError as error:
        reason = _one_line(str(error.explanation or error))
        return (f"not present; a pull will probably fail (registry check: {reason})",
                WARN, None)
    except Exception as error:
        reason = _one_line(f"{type(error).__name__}: {error}")
        return f"not present; registry check failed ({reason})", WARN, None
    return "not present; the registry has it, so docker pull should work", WARN, None


def _one_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "no details"
    return line if len(line) <= limit else line[: limit - 1] + "…"
