"""The engine side of the `dockerfile` check: build the learner's Dockerfile, make a
probe container from the image, and remove both again.

Both carry ``CHECK_LABEL`` (its value is the build's unique tag, so two learners on
one engine never collide). Removal touches exactly these two: the image is removed
by its tag without pruning its parents, which are Docker's build cache, possibly
shared with the learner's own builds.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.checks.base import CheckContext, EngineUnavailable, Missing, excerpt
from tutor.checks.files import stat_path
from tutor.checks.network import HTTP_TIMEOUT, HttpCheck, fetch
from tutor.checks.queries import call, inspect_container, inspect_image, translate

CHECK_LABEL = "org.docker-tutor.check"
BUILD_TIMEOUT = 900  # seconds without a word from the build (a slow RUN), not an engine fault
OUTPUT_LINES = 8  # of the build's or the app's output, shown with a failure
START_SECONDS = 10.0  # for the app to answer HTTP once its container started
_NOISE = (" ---> ", "Removing intermediate container", "Step ")
_COLOUR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # pip colours its errors


@dataclass(frozen=True)
class Built:
    tag: str  # unique to this build; also the label's value
    image: dict | None  # the image's inspect data, when the build succeeded
    failure: str = ""  # the engine's message, for the learner, when it did not


def build(api: Any, context: Path, dockerfile: str) -> Built:
    """Build ``context/dockerfile``; a failure of the Dockerfile is the learner's, not the engine's."""
    tag = f"tutor-check:{secrets.token_hex(6)}"
    output: list[str] = []  # pieces of text: a line may come in several
    try:
        stream = api.build(path=str(context), dockerfile=dockerfile, tag=tag, labels={
            CHECK_LABEL: tag}, rm=True, forcerm=True, decode=True, timeout=BUILD_TIMEOUT)
        for event in stream:
            output.append(str(event.get("stream") or ""))
            if "error" in event:
                lines = _COLOUR.sub("", "".join(output)).splitlines()
                return Built(tag, None, _failure(str(event["error"]), lines))
    except Exception as error:
        translated = translate(error)
        if isinstance(translated, EngineUnavailable) and translated.status == 400:
            # The engine refused the Dockerfile itself, such as an unknown instruction.
            said = getattr(error, "explanation", None) or str(error)
            return Built(tag, None, f"docker build refused the Dockerfile: {said}")
        if translated is error:
            raise
        raise translated from error
    image = inspect_image(api, tag)
    return Built(tag, image, "" if image else "the built image went away before it was judged")


def _failure(error: str, lines: list[str]) -> str:
    steps = [line.partition(" : ")[2] for line in lines if line.startswith("Step ")]
    at = f" at {steps[-1].strip()}" if steps else ""
    after = lines[max((i for i, line in enumerate(lines) if line.startswith("Step ")),
                      default=-1) + 1:]
    output = [line.rstrip() for line in after if line.strip() and not line.startswith(_NOISE)]
    text = f"docker build failed{at}: {error.strip()}"
    if output:
        text += "\nIts last lines of output:\n" + "\n".join(
            "  " + excerpt(line, 160) for line in output[-OUTPUT_LINES:])
    return text


def remove_image(api: Any, built: Built) -> None:
    if built.image is None:
        return
    try:
        call(api.remove_image, built.tag, noprune=True)
    except (Missing, EngineUnavailable):
        pass  # best effort: the verdict stands; the label finds it later


@dataclass(frozen=True)
class Probe:
    id: str | None  # the container's ID, None when none could be made
    problem: str = ""  # why not, for the learner


@contextmanager
def probe_container(api: Any, built: Built, ports: list[int], host: str) -> Iterator[Probe]:
    """A container from the built image, created but not started; removed on the way out."""
    assert built.image is not None
    host_config = api.create_host_config(port_bindings={port: (host,) for port in ports})
    try:
        created = call(api.create_container, built.image["Id"], ports=ports,
                       name=f"tutor-check-{secrets.token_hex(4)}",
                       labels={CHECK_LABEL: built.tag}, host_config=host_config, detach=True)
    except EngineUnavailable as error:
        if error.status != 400:
            raise
        # Such as an image with nothing to start (no CMD or ENTRYPOINT anywhere).
        yield Probe(None, f"no container can be made from the built image: {error}")
        return
    try:
        yield Probe(created["Id"])
    finally:
        try:
            call(api.remove_container, created["Id"], force=True, v=True)
        except (Missing, EngineUnavailable):
            pass


def http_answer(ctx: CheckContext, container_id: str, spec: HttpCheck) -> str | None:
    """Start the probe container and ask the app; None when it answers as ``spec`` says."""
    api = ctx.api
    port = int(str(spec.port))
    call(api.start, container_id)
    deadline = ctx.clock() + START_SECONDS
    while True:
        details = inspect_container(api, container_id) or {}
        state = details.get("State") or {}
        if not state.get("Running"):
            return (f"a container from the built image stopped (exit code "
                    f"{state.get('ExitCode', '?')}) before answering HTTP on its port {port}"
                    f"{_logs(api, container_id)}")
        bindings = ((details.get("NetworkSettings") or {}).get("Ports") or {}).get(
            f"{port}/tcp") or []
        host_port = int(bindings[0]["HostPort"]) if bindings else 0
        url = f"http://{ctx.http_host}:{host_port}{spec.path}"
        answered = bool(host_port) and fetch(url, HTTP_TIMEOUT).status is not None
        if answered or ctx.clock() >= deadline:
            break
        ctx.sleep(0.25)
    shown = f"a container from the built image, its port {port} published on port {host_port}"
    if not answered:
        return f"{shown}: nothing answered HTTP within {START_SECONDS:g} s{_logs(api, container_id)}"
    result = HttpCheck(port=host_port, path=spec.path, status=spec.status,
                       contains=spec.contains).check(ctx)
    return None if result.passed else f"{shown}: {result.messages[0]}"


def _logs(api: Any, container_id: str) -> str:
    try:
        raw = call(api.logs, container_id, tail=OUTPUT_LINES)
    except Missing:
        return ""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw or "")
    lines = [excerpt(line, 160) for line in text.splitlines() if line.strip()]
    if not lines:
        return "; it printed nothing"
    return ". Its last lines of output:\n" + "\n".join("  " + line for line in lines)


def missing_file_note(api: Any, container_id: str, path: str, workdir: str) -> str:
    """`` (app.py is at /app.py)`` when a file of that name is elsewhere, else ``""``."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    for folder in dict.fromkeys((workdir or "/", "/")):
        candidate = f"{folder.rstrip('/')}/{name}"
        if candidate != path and stat_path(api, container_id, candidate) is not None:
            return f" ({name} is at {candidate})"
    return ""

