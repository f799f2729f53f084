"""The ``free_project`` var (a Compose project name of the learner's own), and setup
containers that publish ports on the real engine.

Compose lessons name their project from a var: two learners on one engine must not
share a project, or one's ``docker compose down`` removes the other's containers."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from engine_helpers import ensure_image, free_port, require_engine
from fake_engine import FakeEngine

from tutor.course.practice_spec import SetupAction, VarSpec
from tutor.practice.fixtures import apply_setup, cleanup
from tutor.practice.variables import choose_values, compose_projects
from tutor.schema.fields import Fields
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml
from tutor.steps.command import CommandStep

PROJECT = "com.docker.compose.project"


def test_a_project_name_nobody_uses_is_kept():
    engine = FakeEngine()
    engine.add_container("web")
    assert choose_values(engine, [VarSpec("project", "free_project", "hello")]) == {
        "project": "hello"}


def test_a_project_that_exists_on_the_engine_is_not_shared():
    engine = FakeEngine()
    engine.add_container("hello-web-1", labels={PROJECT: "hello"})
    engine.add_container("hello-2-web-1", state="exited", labels={PROJECT: "hello-2"})
    engine.add_container("hello", labels={})  # a container's name is no project
    values = choose_values(engine, [VarSpec("project", "free_project", "hello"),
                                    VarSpec("other", "free_project", "hello")])
    assert values == {"project": "hello-3", "other": "hello-4"}


def test_projects_come_from_the_labels_only():
    assert compose_projects([{"Labels": {PROJECT: "a"}}, {"Labels": None}, {}]) == {"a"}


def test_a_step_declares_a_free_project_var():
    step = parse_yaml("""
        task: Start it.
        vars:
          project: { free_project: hello }
        check: { compose: { project: "{{ project }}", down: true } }
        hints: [docker compose up -d]
        explanation: Up.
        solution: [docker compose up -d]
    """.replace("\n        ", "\n"))
    problems: list = []
    parsed = CommandStep.parse(Fields(step, Where(Path("l.yaml")), problems), "up")
    assert not problems, [str(p) for p in problems]
    assert parsed is not None and parsed.variables == (VarSpec("project", "free_project",
                                                                "hello"),)


# -- setup containers publish their ports (the real engine) ---------------------------------------


def _page(url: str) -> bytes:
    """The page, once the server in the just-started container listens (until then the
    engine's proxy accepts and drops the connection)."""
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.engine
def test_setup_container_publishes_a_port_given_with_its_protocol(tmp_path):
    api = require_engine()
    ensure_image(api, "busybox")
    port = free_port()
    values: dict[str, str] = {"port": str(port)}
    label = "tests/free-project-ports"
    owner = {"org.docker-tutor.test": "1"}
    command = ["sh", "-c", "mkdir -p /www && echo published > /www/index.html && "
                           "exec httpd -f -p 80 -h /www"]
    try:
        apply_setup(api, SetupAction("container", {
            "as": "web", "image": "busybox", "command": command,
            "ports": {"80/tcp": "{{ port }}"}}), values, label, tmp_path, owner)
        bindings = api.inspect_container(values["web"])["NetworkSettings"]["Ports"]
        assert bindings["80/tcp"][0]["HostPort"] == str(port)
        assert _page(f"http://127.0.0.1:{port}/") == b"published\n"
    finally:
        cleanup(api, label, owner)
