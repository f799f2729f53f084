"""docker-tutor doctor, with the engine reachable (a fake Docker API on a unix socket)
and unreachable, and with or without the docker CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_engine_fakes import (  # noqa: F401 - socket_dir_fixture is a fixture
    FakeDockerApi,
    install_fake_docker,
    make_env,
    socket_dir_fixture,
)

from tutor.engine.doctor import client_info, run_doctor
from tutor.engine.endpoint import Endpoint
from tutor.status import ExitStatus


@pytest.fixture
def with_cli(tmp_path: Path) -> dict[str, str]:
    install_fake_docker(tmp_path / "bin")
    return {"PATH": f"{tmp_path / 'bin'}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path)}


@pytest.fixture
def without_cli(tmp_path: Path) -> dict[str, str]:
    return {"PATH": str(tmp_path / "nothing-here"), "HOME": str(tmp_path)}


def test_reachable_engine(socket_dir: Path, with_cli: dict[str, str]) -> None:
    path = socket_dir / "ok.sock"
    endpoint = Endpoint(host=f"unix://{path}", source="DOCKER_HOST")
    env = make_env(with_cli)
    with FakeDockerApi(path, images={"busybox": "sha256:" + "12" * 32},
                       registry={"alpine": 200}):
        status = run_doctor(env, endpoint, images=["busybox", "alpine", "nosuch"])
    out = env.stdout.getvalue()
    assert status == ExitStatus.SUCCESS
    assert "docker CLI" in out and "99.1.0-fake (API 1.43)" in out
    assert f"unix://{path}" in out and "DOCKER_HOST" in out
    assert "reachable" in out and "unreachable" not in out
    assert "99.0.0-fake (API 1.43, linux/amd64)" in out
    assert "present locally (121212121212)" in out
    assert "not present; the registry has it, so docker pull should work" in out
    assert "not present; a pull will probably fail (registry check: manifest unknown" in out
    assert "Everything needed for the practice steps is in place." in out
    assert "Traceback" not in out


def test_unreachable_engine(socket_dir: Path, with_cli: dict[str, str]) -> None:
    missing = socket_dir / "no-engine.sock"
    endpoint = Endpoint(host=f"unix://{missing}", source="docker context 'colima'",
                        context="colima")
    env = make_env(with_cli)
    status = run_doctor(env, endpoint, images=["busybox"])
    out = env.stdout.getvalue()
    assert status == ExitStatus.ENGINE_UNAVAILABLE
    assert "99.1.0-fake" in out  # the CLI answers even without an engine
    assert "unreachable: No Docker engine socket at" in out  # the table row
    flat = " ".join(out.split())  # long paths wrap
    assert f"• No Docker engine socket at {missing}" in flat      # the fix section
    assert "unknown: the engine does not answer" in out
    assert "To fix:" in out
    assert f"Tried unix://{missing} (docker context 'colima')" in flat
    assert "docker context use default" in out
    assert "Traceback" not in out


def test_missing_cli_fails_even_with_an_engine(socket_dir: Path,
                                               without_cli: dict[str, str]) -> None:
    path = socket_dir / "ok.sock"
    env = make_env(without_cli)
    with FakeDockerApi(path):
        status = run_doctor(env, Endpoint(host=f"unix://{path}", source="DOCKER_HOST"))
    out = env.stdout.getvalue()
    assert status == ExitStatus.ENGINE_UNAVAILABLE
    assert "not found on PATH: needed to run your commands" in out
    assert "The docker command is not installed (not found on PATH)" in out
    assert "reachable" in out


def test_doctor_resolves_the_endpoint_from_the_environment(socket_dir: Path,
                                                           with_cli: dict[str, str]) -> None:
    missing = socket_dir / "env.sock"
    env = make_env({**with_cli, "DOCKER_HOST": f"unix://{missing}"})
    assert run_doctor(env) == ExitStatus.ENGINE_UNAVAILABLE
    out = env.stdout.getvalue()
    assert f"unix://{missing}" in out and "unset DOCKER_HOST" in out


def test_client_info_parses_the_clients_json(with_cli: dict[str, str]) -> None:
    info = client_info(Endpoint(host="unix:///x.sock", source="DOCKER_HOST"),
                       {**with_cli, "FAKE_DOCKER_EXIT": "1"})  # engine down: exit 1, JSON still
    assert info.version == "99.1.0-fake" and info.api_version == "1.43"
    assert info.path is not None and info.path.endswith("/bin/docker")
