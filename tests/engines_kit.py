"""Helpers for the tests of other engines (tests/test_engines_*.py): Podman's service, a
rootless dockerd, an engine over ssh://, brought up by scripts/engine/*-up, which export
TUTOR_TEST_PODMAN_HOST, TUTOR_TEST_ROOTLESS_HOST, TUTOR_TEST_SSH_HOST (see
docs/test-engines.md). A test whose engine is not up is skipped, saying which script
brings it up.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tutor.checks.base import CheckContext
from tutor.engine.connection import Engine
from tutor.engine.endpoint import Endpoint, cli_environment

LABEL = {"org.docker-tutor.test": "engines"}


def engine_host(variable: str, script: str) -> str:
    """The engine's DOCKER_HOST, or a skip when it is not up."""
    host = os.environ.get(variable, "")
    if not host:
        pytest.skip(f"{variable} is not set: bring the engine up with {script} "
                    "(scripts/test-engines does it all)")
    done = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"],
                          env={**os.environ, "DOCKER_HOST": host}, capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode != 0:
        pytest.skip(f"the engine at {host} does not answer ({done.stderr.strip()[:200]}); "
                    f"bring it up with {script}")
    return host


@dataclass
class EngineUnderTest:
    """One engine: the tutor's Engine on it, its docker CLI, and what a test made there."""

    host: str
    engine: Engine = field(init=False)
    containers: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engine = Engine(Endpoint(host=self.host, source="DOCKER_HOST"),
                             environ=dict(os.environ))

    @property
    def api(self) -> Any:
        return self.engine.api

    def docker(self, *args: str, check: bool = True,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """The docker CLI on this engine, the way the tutor runs it (cli_environment)."""
        env = cli_environment(self.engine.endpoint, os.environ)
        done = subprocess.run(["docker", *args], env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed: {done.stderr}{done.stdout}")
        return done

    def name(self, prefix: str) -> str:
        """A unique container name, removed at the end of the test."""
        made = f"tutor-engines-{prefix}-{secrets.token_hex(3)}"
        self.containers.append(made)
        return made

    def image(self, prefix: str, tag: str = "1") -> str:
        """A unique image reference, removed at the end of the test."""
        made = f"tutor-engines-{prefix}-{secrets.token_hex(3)}:{tag}"
        self.images.append(made)
        return made

    def context(self, **kwargs: Any) -> CheckContext:
        return CheckContext(api=self.api, workspace=Path("."), values={},
                            http_host=self.engine.http_host, **kwargs)

    def clean(self) -> None:
        for name in self.containers:
            self.docker("rm", "-f", name, check=False)
        for ref in self.images:
            self.docker("rmi", "-f", ref, check=False)
        self.engine.close()


def engine_fixture(variable: str, script: str) -> Callable[[], Iterator[EngineUnderTest]]:
    def fixture() -> Iterator[EngineUnderTest]:
        under_test = EngineUnderTest(engine_host(variable, script))
        try:
            yield under_test
        finally:
            under_test.clean()
    return fixture


def free_port(start: int = 5000, stop: int = 5050) -> int:
    """A port nothing listens on (the lessons' own range by default)."""
    for port in range(start, stop):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port between {start} and {stop}")


def until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
