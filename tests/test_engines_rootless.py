"""A rootless dockerd: the tutor says it is rootless, its published ports answer on this
machine, and its socket, its port limits and its bind mounts are explained right.

Needs scripts/engine/rootless-up (TUTOR_TEST_ROOTLESS_HOST); skipped without it. The
socket test also needs root, to probe as another user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from engines_kit import EngineUnderTest, engine_fixture, free_port, until
from test_engine_socket_paths import probe_as_nobody

from tutor.checks.network import HttpCheck
from tutor.checks.process import ProcessCheck
from tutor.engine.product import identify
from tutor.practice.diagnose import diagnose

pytestmark = pytest.mark.rootless

rootless = pytest.fixture(engine_fixture("TUTOR_TEST_ROOTLESS_HOST",
                                         "scripts/engine/rootless-up"))


def test_the_engine_is_named_rootless(rootless: EngineUnderTest) -> None:
    status = rootless.engine.probe()
    assert status.ok
    product = identify(rootless.engine.endpoint, status.platform_name, status.components,
                       rootless.api.info()["SecurityOptions"])
    assert product.rootless and not product.podman and product.remote is None
    assert product.describe().endswith(", rootless")


def test_a_published_port_answers_on_this_machine(rootless: EngineUnderTest) -> None:
    """rootlesskit's port driver opens the port on the host, as the engine's user."""
    assert rootless.engine.http_host == "127.0.0.1"
    port = free_port(5900, 6000)
    name = rootless.name("web")
    rootless.docker("run", "-d", "--name", name, "-p", f"{port}:80", "busybox",
                    "httpd", "-f", "-p", "80", "-h", "/etc")
    check = HttpCheck(port=port, path="/hostname")
    assert until(lambda: check.evaluate(rootless.context()).passed), \
        check.evaluate(rootless.context()).messages


def test_a_privileged_port_is_explained(rootless: EngineUnderTest) -> None:
    if Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text().strip() == "0":
        pytest.skip("every port is unprivileged on this machine")
    name = rootless.name("low")
    done = rootless.docker("run", "-d", "--name", name, "-p", "80:80", "busybox",
                           "sleep", "60", check=False)
    assert done.returncode != 0
    notes = diagnose(done.stderr)
    assert notes and "A rootless engine runs as your user" in notes[0]
    assert "net.ipv4.ip_unprivileged_port_start=80" in notes[0]


def test_a_folder_the_engines_user_cannot_open_is_explained(
        rootless: EngineUnderTest, tmp_path: Path) -> None:
    tmp_path.chmod(0o700)  # root's: the engine's user may not enter
    name = rootless.name("bind")
    done = rootless.docker("run", "--name", name, "-v", f"{tmp_path}/app:/app", "busybox",
                           "true", check=False)
    assert done.returncode != 0
    notes = diagnose(done.stderr)
    assert any("a rootless engine runs as the user who started it" in note for note in notes)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to probe as another user (nobody)")
def test_another_users_rootless_socket_is_their_engine(rootless: EngineUnderTest) -> None:
    socket_path = Path(rootless.host.removeprefix("unix://"))
    answer = probe_as_nobody(socket_path)
    owner = os.environ.get("TUTOR_TEST_ROOTLESS_USER", "")
    assert answer["kind"] == "permission_denied"
    assert f"is {owner}'s runtime directory" in answer["detail"]
    assert f"the socket inside is {owner}'s own engine" in answer["detail"]
    assert "unset DOCKER_HOST" in answer["fix"] and "usermod" not in answer["fix"]


def test_whom_the_main_process_runs_as_where_top_cannot_list_processes(
        rootless: EngineUnderTest) -> None:
    """Without cgroups this engine cannot list a container's processes; the check takes
    the user the engine started the process as."""
    root, nobody = rootless.name("root"), rootless.name("nobody")
    rootless.docker("run", "-d", "--name", root, "busybox", "sleep", "600")
    rootless.docker("run", "-d", "--user", "nobody", "--name", nobody, "busybox", "sleep", "600")
    failed = ProcessCheck(container=root, non_root=True).evaluate(rootless.context())
    assert not failed.passed and "as root (uid 0)" in failed.messages[0]
    assert ProcessCheck(container=nobody, user="nobody").evaluate(rootless.context()).passed
