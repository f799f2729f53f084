"""Parsing the check kinds about volumes, networks, reachability and logs, and the
`container` fields about restarts, command, entrypoint and read-only mounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_checks_spec import parse

from tutor.checks.container_config import ConfigSpec, restart_policy_problem
from tutor.checks.containers import ContainerCheck
from tutor.checks.docker_networks import NetworkCheck
from tutor.checks.logs import LogsCheck
from tutor.checks.mounts import MountSpec
from tutor.checks.reach import ReachCheck, classify, probe_argv
from tutor.checks.volumes import VolumeCheck


def only_problem(text: str, declared: tuple[str, ...] = ()) -> str:
    check, problems = parse(text, declared)
    assert check is None
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def test_the_new_kinds_parse():
    check, problems = parse("""
        check:
          all:
            - volume: { name: "{{ vol }}", path: notes.txt, contains: remember me,
                        labels: { team: a } }
            - volume: old-data
            - volume: { name: gone, absent: true }
            - network: { name: "{{ net }}", driver: bridge, containers: ["{{ web }}", client] }
            - network: backend
            - reach: { from: client, to: "{{ web }}", port: "{{ port }}" }
            - reach: { from: a, to: b, reachable: false }
            - logs: { container: job, contains: "error:" }
    """, declared=("vol", "net", "web", "port"))
    assert problems == []
    assert check.checks == (
        VolumeCheck(name="{{ vol }}", path="notes.txt", contains="remember me",
                    labels=(("team", "a"),)),
        VolumeCheck(name="old-data"),
        VolumeCheck(name="gone", absent=True),
        NetworkCheck(name="{{ net }}", driver="bridge", containers=("{{ web }}", "client")),
        NetworkCheck(name="backend"),
        ReachCheck(source="client", target="{{ web }}", port="{{ port }}"),
        ReachCheck(source="a", target="b", reachable=False),
        LogsCheck(container="job", contains="error:"),
    )


def test_container_fields_about_restarts_command_and_mounts():
    check, problems = parse("""
        check:
          container:
            name: flaky
            restart_policy: "on-failure:3"
            restarts: 2
            cmd: [Docker]
            entrypoint: [echo, "Hello,"]
            mounts: [{ destination: /site, source: site, type: bind, read_only: true },
                     { destination: /data }]
    """)
    assert problems == []
    assert check == ContainerCheck(
        name="flaky",
        config=ConfigSpec("on-failure:3", 2, ("Docker",), ("echo", "Hello,")),
        mounts=(MountSpec("/site", "site", "bind", True), MountSpec("/data")))


@pytest.mark.parametrize("snippet, message", [
    ("volume: { name: v, contains: hi }", "field 'check.volume.contains': needs 'path'"),
    ("volume: { name: v, path: ../etc/passwd }", "must name a file inside the volume"),
    ("volume: { name: v, path: / }", "must name a file inside the volume"),
    ("volume: { name: v, absent: true, path: a.txt }", "an absent volume has no labels"),
    ("volume: { path: a.txt }", "field 'check.volume.name': is required"),
    ("network: { name: n, absent: true, driver: bridge }", "an absent network has no driver"),
    ("network: { name: n, containers: [] }", "must not be empty"),
    ("reach: { from: a }", "field 'check.reach.to': is required"),
    ("reach: { from: a, to: b, port: 70000 }", "must be between 1 and 65535"),
    ("reach: { from: a, to: b, reachable: maybe }", "reachable"),
    ("logs: { container: a }", "field 'check.logs.contains': is required"),
    ("container: { name: a, restart_policy: sometimes }", "'sometimes' is not a restart policy"),
    ("container: { name: a, restart_policy: 'always:3' }", "only on-failure takes a count"),
    ("container: { name: a, restarts: 0 }", "must be between 1 and 1000"),
    ("container: { name: a, cmd: echo hi }", "must be a list of words"),
    ("container: { name: a, mounts: [{ destination: /d, read_only: yes please }] }",
     "read_only"),
])
def test_field_problems(snippet, message):
    problem = only_problem(f"check:\n  {snippet}\n")
    assert message in problem


def test_placeholders_in_the_new_kinds_must_be_declared():
    problem = only_problem("""
        check:
          reach: { from: "{{ client }}", to: web }
    """, declared=("clients",))
    assert "uses {{ client }}, but the step declares no var 'client'" in problem
    assert "did you mean 'clients'" in problem


@pytest.mark.parametrize("text, problem", [
    ("no", None), ("on-failure", None), ("on-failure:5", None), ("always", None),
    ("unless-stopped", None), ("on-failure:x", "only on-failure takes a count"),
    ("never", "'never' is not a restart policy"),
])
def test_restart_policies_as_docker_run_takes_them(text, problem):
    found = restart_policy_problem(text)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_the_probe_is_nc_with_a_port_and_ping_without():
    assert probe_argv("web", 80) == ["nc", "-w", "2", "web", "80"]
    assert probe_argv("web", None) == ["ping", "-c", "1", "-W", "2", "web"]


@pytest.mark.parametrize("code, output, outcome", [
    (0, "", "reached"),
    (0, "PING web (172.18.0.2): 56 data bytes\n1 packets received", "reached"),
    (1, "ping: bad address 'web'\n", "no-name"),
    (1, "nc: bad address 'web'\n", "no-name"),
    (1, "nc: can't connect to remote host (172.18.0.2): Connection refused\n", "refused"),
    (1, "nc: timed out\n", "timeout"),
    (1, "1 packets transmitted, 0 packets received, 100% packet loss\n", "timeout"),
    (126, 'OCI runtime exec failed: exec: "nc": executable file not found in $PATH', "no-tool"),
    (127, "sh: nc: not found", "no-tool"),
    (2, "nc: something odd\n", "other"),
])
def test_probe_outcomes_are_told_apart_by_their_words(code, output, outcome):
    assert classify(code, output) == outcome


def test_the_docs_table_lists_every_kind():
    from conftest import REPO

    from tutor.checks import check_kinds

    table = (REPO / "docs" / "checks.md").read_text()
    for kind in check_kinds():
        if kind in ("all", "any", "dockerfile"):
            continue  # combinators are described in the text; dockerfile has its own section
        assert f"| `{kind}` |" in table, kind


def test_the_events_of_checks_themselves_do_not_count():
    """A volume helper's create/destroy and a probe's exec_start are not the learner's."""
    from fake_engine import FakeEngine

    from tutor.checks import CheckContext, evaluate
    from tutor.checks.events import EventsCheck
    from tutor.checks.helpers import HELPER_LABELS, remember_exec

    api = FakeEngine()
    api.add_container("client")
    api.add_event("destroy", **HELPER_LABELS)
    remember_exec("probe-exec-id")
    api.add_event("exec_start", name="client", execID="probe-exec-id")
    context = CheckContext(api=api, workspace=Path("."), values={}, since=0.0)
    assert not evaluate(EventsCheck(action="destroy"), context).passed
    assert not evaluate(EventsCheck(action="exec_start", container="client"), context).passed
    api.add_event("exec_start", name="client", execID="learners-exec-id")
    assert evaluate(EventsCheck(action="exec_start", container="client"), context).passed


def test_all_says_a_shared_failure_once():
    from fake_engine import FakeEngine

    from tutor.checks import CheckContext, evaluate

    check, problems = parse("""
        check:
          all:
            - container: { name: reader, state: exited }
            - logs: { container: reader, contains: remember me }
    """)
    assert problems == []
    result = evaluate(check, CheckContext(api=FakeEngine(), workspace=Path("."), values={}))
    assert result.messages == ('no container named "reader" exists (there are no containers)',)
