"""Against the real Docker engine (scripts/engine-up). Skipped without one, except in
CI (CI set), where an unreachable engine is a failure."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from test_engine_doctor import doctor_rows
from test_engine_fakes import make_env

from tutor.engine.connection import Engine
from tutor.engine.doctor import run_doctor
from tutor.engine.endpoint import Endpoint, resolve_endpoint
from tutor.engine.runner import run_docker
from tutor.status import ExitStatus

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def endpoint() -> Endpoint:
    found = resolve_endpoint(os.environ)
    status = Engine(found, environ=os.environ).probe()
    if not status.ok:
        assert status.problem is not None
        message = (f"no Docker engine at {found.describe()}: {status.problem.summary}. "
                   'Start the test engine first: eval "$(scripts/engine-up)"')
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if shutil.which("docker") is None:
        message = "the docker CLI is not on PATH: run scripts/engine-up (it installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_probe_ok(endpoint: Endpoint) -> None:
    engine = Engine(endpoint, environ=os.environ)
    status = engine.probe()
    assert status.ok and status.problem is None
    assert status.server_version and status.api_version and status.negotiated_api_version
    assert ("Engine", status.server_version) in status.components  # Docker's own engine
    assert engine.status_line() == f"engine ok · {status.short_version}"
    assert isinstance(engine.api.info()["Containers"], int)


def test_docker_version_through_the_runner(endpoint: Endpoint, tmp_path: Path) -> None:
    env = make_env(dict(os.environ))
    result = run_docker(["docker", "version"], endpoint, env, tmp_path)
    assert result.returncode == 0, result.output
    assert "Client:" in result.output and "Server:" in result.output
    status = Engine(endpoint, environ=os.environ).probe()
    assert str(status.server_version) in result.output  # the same engine as the SDK


def test_failing_docker_command_keeps_the_engines_words(endpoint: Endpoint,
                                                        tmp_path: Path) -> None:
    env = make_env(dict(os.environ))
    result = run_docker(["docker", "inspect", "no-such-container-for-docker-tutor"],
                        endpoint, env, tmp_path)
    assert result.returncode != 0
    assert "no-such-container-for-docker-tutor" in result.output


def test_doctor_with_the_real_engine(endpoint: Endpoint) -> None:
    env = make_env(dict(os.environ), stdout=io.StringIO())
    status = run_doctor(env, endpoint, images=["busybox"])
    out = env.stdout.getvalue()
    assert status == ExitStatus.SUCCESS, out
    assert "reachable" in out and "Image busybox" in out
    assert "Traceback" not in out
    rows = doctor_rows(out)
    # The test engine is Docker's own (dockerd, not Podman), running as root.
    assert rows["Engine kind"].startswith("Docker Engine"), rows
    assert "Podman" not in rows["Engine kind"] and "rootless" not in rows["Engine kind"]
    assert "Docker Compose" in rows
