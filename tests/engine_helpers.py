"""Shared helpers for tests that need the real Docker engine (``@pytest.mark.engine``).

``require_engine()`` returns a ``docker.APIClient`` for the engine ``DOCKER_HOST``
names (``scripts/engine-up`` starts one). When the engine is unreachable the test
is skipped, except in CI (the ``CI`` variable is set): there a skipped engine
test would hide a broken setup, so it fails and says to run scripts/engine-up.

Everything a test creates carries ``TEST_LABEL`` and is removed by the test
(``Resources`` collects what to remove).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import docker
import docker.errors
import pytest

TEST_LABEL_KEY = "org.docker-tutor.test"
TEST_LABEL = {TEST_LABEL_KEY: "1"}

_client: docker.APIClient | None = None
_failure: str | None = None


def _connect() -> docker.APIClient:
    api = docker.APIClient(version="auto", timeout=60, **docker.utils.kwargs_from_env())
    api.ping()
    return api


def require_engine() -> docker.APIClient:
    """A low-level client for the real engine; skip (or, in CI, fail) when there is none."""
    global _client, _failure
    if _client is None and _failure is None:
        try:
            _client = _connect()
        except Exception as error:
            host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
            _failure = f"the Docker engine at {host} is not reachable ({error})"
    if _client is not None:
        return _client
    advice = "; start it with: eval \"$(scripts/engine-up)\""
    if os.environ.get("CI"):
        pytest.fail(f"{_failure}{advice} (CI is set, so engine tests must run, not skip)",
                    pytrace=False)
    pytest.skip(f"{_failure}{advice}")
    raise AssertionError("unreachable")  # pragma: no cover


def unique_name(prefix: str = "tutor-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def free_port() -> int:
    """A host port nothing listens on right now (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_image(api: docker.APIClient, repository: str, tag: str = "latest") -> None:
    """Pull ``repository:tag`` when it is missing (the engine-up mirror serves busybox)."""
    try:
        api.inspect_image(f"{repository}:{tag}")
    except docker.errors.NotFound:
        try:
            api.pull(repository, tag=tag)
        except docker.errors.APIError as error:
            pytest.skip(f"image {repository}:{tag} is missing and cannot be pulled ({error})")


def busybox_engine() -> docker.APIClient:
    """The real engine, with busybox: ``api = pytest.fixture(scope="module")(busybox_engine)``
    in an engine test file."""
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


def made_resources(api: docker.APIClient) -> Iterator[Resources]:
    """What a test makes, removed after it: ``made = pytest.fixture(made_resources)``."""
    resources = Resources(api)
    yield resources
    resources.cleanup()


class Resources:
    """Creates labelled containers and images, and removes them all in ``cleanup()``."""

    def __init__(self, api: docker.APIClient) -> None:
        self.api = api
        self.containers: list[str] = []
        self.images: list[str] = []

    def container(self, image: str = "busybox", command: Any = None, name: str | None = None,
                  ports: dict[int, Any] | None = None, start: bool = True,
                  **host_config: Any) -> tuple[str, str]:
        """Create (and start) a container; returns (name, id)."""
        name = name or unique_name()
        config = self.api.create_host_config(port_bindings=ports or {}, **host_config)
        created = self.api.create_container(
            image, command=command, name=name, labels=TEST_LABEL,
            ports=list(ports or {}), host_config=config)
        self.containers.append(created["Id"])
        if start:
            self.api.start(created["Id"])
        return name, created["Id"]

    def wait_exit(self, container_id: str, timeout: float = 30) -> int:
        return self.api.wait(container_id, timeout=timeout)["StatusCode"]

    def image(self, ref: str) -> str:
        """Remember an image reference the test made, for removal."""
        self.images.append(ref)
        return ref

    def cleanup(self) -> None:
        for container_id in reversed(self.containers):
            try:
                self.api.remove_container(container_id, force=True, v=True)
            except docker.errors.NotFound:
                pass
        for ref in reversed(self.images):
            try:
                self.api.remove_image(ref, force=True)
            except docker.errors.NotFound:
                pass
