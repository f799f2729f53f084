"""The `process` check: whom a container's main process runs as, in memory and for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import busybox_engine, made_resources
from fake_engine import FakeEngine

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.checks.base import EngineUnavailable
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)
PASSWD = "root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1000::/home/web:/bin/sh\n" \
         "nobody:x:65534:65534:nobody:/home:/bin/false\n"


class TopEngine(FakeEngine):
    """The fake engine, answering ``top`` with a main process (host PID 4242) per container."""

    def __init__(self) -> None:
        super().__init__()
        self.uids: dict[str, int] = {}

    def top(self, container, ps_args=None):
        self._record("top", container, ps_args)
        found = self._find_container(container)
        uid = self.uids.get(found.name, 0)
        assert ps_args == "-o pid,uid,args"
        return {"Titles": ["PID", "UID", "COMMAND"],
                "Processes": [["4242", str(uid), " ".join(found.cmd)],
                              ["4300", "0", "sh"]]}


def parse(text: str, problems: list | None = None):
    found: list = [] if problems is None else problems
    check = parse_check(parse_yaml("check: " + text)["check"], WHERE.at_field("check"), found, 1,
                        {"web"})
    if problems is None:
        assert not found, [str(p) for p in found]
    return check


def judge(api, text: str, name: str = "web") -> CheckResult:
    return evaluate(parse(text), CheckContext(api=api, workspace=Path("."),
                                              values={"web": name}))


def failure(result: CheckResult) -> str:
    assert not result.passed
    return " | ".join(result.messages)


@pytest.fixture
def engine() -> TopEngine:
    engine = TopEngine()
    engine.add_container("web", cmd=["httpd", "-f", "-p", "8080"],
                         files={"/etc/passwd": PASSWD})
    return engine


# -- parsing ----------------------------------------------------------------------------------


def test_parse_needs_a_user_or_non_root():
    problems: list = []
    parse('{process: {container: web}}', problems)
    assert any("needs user" in str(p) for p in problems)


def test_parse_refuses_root_with_non_root():
    problems: list = []
    parse('{process: {container: web, user: root, non_root: true}}', problems)
    assert any("contradicts" in str(p) for p in problems)


def test_parse_takes_a_number_as_user():
    assert parse('{process: {container: "{{ web }}", user: 1000}}').user == "1000"


# -- evaluation against the fake engine --------------------------------------------------------


def test_named_user_passes(engine):
    engine.uids["web"] = 1000
    assert judge(engine, '{process: {container: "{{ web }}", user: web}}').passed
    assert judge(engine, '{process: {container: "{{ web }}", user: 1000}}').passed
    assert judge(engine, '{process: {container: "{{ web }}", non_root: true}}').passed


def test_root_fails_non_root_with_the_command(engine):
    text = failure(judge(engine, '{process: {container: "{{ web }}", non_root: true}}'))
    assert text == ('container "web" runs its main process (httpd -f -p 8080) as root (uid 0); '
                    'expected a user other than root')


def test_another_user_is_named_with_both_uids(engine):
    engine.uids["web"] = 65534
    text = failure(judge(engine, '{process: {container: "{{ web }}", user: web}}'))
    assert text.endswith("as nobody (uid 65534); expected web (uid 1000)")


def test_a_user_the_image_does_not_know(engine):
    engine.uids["web"] = 1000
    text = failure(judge(engine, '{process: {container: "{{ web }}", user: app}}'))
    assert "expected user app, which the container's /etc/passwd does not list" in text
    assert "nobody, root, web" in text


def test_a_uid_without_a_name(engine):
    engine.uids["web"] = 4321
    text = failure(judge(engine, '{process: {container: "{{ web }}", user: web}}'))
    assert "as uid 4321 (a number without a name" in text


def test_a_stopped_container_has_no_process():
    engine = TopEngine()
    engine.add_container("web", state="exited", exit_code=1)
    text = failure(judge(engine, '{process: {container: "{{ web }}", non_root: true}}'))
    assert text == ('container "web" is exited (exit code 1); its main process can only be '
                    'looked at while it runs')
    assert "top" not in engine.call_names()


def test_a_container_that_stops_while_looked_at_says_how_it_ended():
    from fake_objects import conflict

    class StoppingEngine(TopEngine):
        def top(self, container, ps_args=None):
            found = self._find_container(container)
            found.state, found.exit_code = "exited", 1
            raise conflict(f"Container {found.id} is not running")

    engine = StoppingEngine()
    engine.add_container("web", cmd=["sh"], files={"/etc/passwd": PASSWD})
    text = failure(judge(engine, '{process: {container: "{{ web }}", non_root: true}}'))
    assert text == ('container "web" stopped while its processes were looked at: it is exited '
                    '(exit code 1)')


# -- the real engine ---------------------------------------------------------------------------


api = pytest.fixture(scope="module")(busybox_engine)


made = pytest.fixture(made_resources)


@pytest.mark.engine
def test_real_user_option_is_seen(api, made):
    from engine_helpers import TEST_LABEL, unique_name

    name = unique_name()
    created = api.create_container("busybox", ["sleep", "60"], name=name, user="65534",
                                   labels=TEST_LABEL)
    made.containers.append(created["Id"])
    api.start(created["Id"])
    assert judge(api, '{process: {container: "{{ web }}", user: nobody}}', name).passed
    assert judge(api, '{process: {container: "{{ web }}", non_root: true}}', name).passed
    text = failure(judge(api, '{process: {container: "{{ web }}", user: root}}', name))
    assert text == (f'container "{name}" runs its main process (sleep 60) as nobody '
                    f'(uid 65534); expected root (uid 0)')


@pytest.mark.engine
def test_real_root_process_fails_non_root(api, made):
    name, _ = made.container("busybox", ["sleep", "60"])
    text = failure(judge(api, '{process: {container: "{{ web }}", non_root: true}}', name))
    assert "as root (uid 0); expected a user other than root" in text


@pytest.mark.engine
def test_real_process_that_drops_privileges_counts_not_the_setting(api, made):
    # Started as root, the main process becomes nobody: what runs is what counts.
    name, _ = made.container("busybox", ["su", "-s", "/bin/sh", "nobody", "-c",
                                         "exec sleep 60"])
    assert api.inspect_container(name)["Config"]["User"] == ""
    result = judge(api, '{process: {container: "{{ web }}", user: nobody}}', name)
    assert result.passed, result.messages


# -- an engine whose process list has no user IDs (Podman 4) -----------------------------------


class PodmanTopEngine(TopEngine):
    """Podman 4.3 answers ``top`` with ps options it does not take with an empty body, and
    has the user the process was started as in ``Config.User``."""

    def __init__(self) -> None:
        super().__init__()
        self.configured: dict[str, str] = {}

    def top(self, container, ps_args=None):
        import requests

        self._record("top", container, ps_args)
        raise requests.exceptions.JSONDecodeError("Expecting value", "", 0)

    def inspect_container(self, container):
        details = super().inspect_container(container)
        details["Config"]["User"] = self.configured.get(details["Name"].lstrip("/"), "")
        return details


def test_without_user_ids_the_started_user_counts(engine):
    podman = PodmanTopEngine()
    podman.add_container("web", cmd=["httpd", "-f", "-p", "8080"], files={"/etc/passwd": PASSWD})
    text = failure(judge(podman, '{process: {container: "{{ web }}", non_root: true}}'))
    assert text == ('container "web" runs its main process (httpd -f -p 8080) as root '
                    '(uid 0); expected a user other than root')
    podman.configured["web"] = "nobody"
    assert judge(podman, '{process: {container: "{{ web }}", non_root: true}}').passed
    assert judge(podman, '{process: {container: "{{ web }}", user: 65534}}').passed
    podman.configured["web"] = "1000:1000"
    assert judge(podman, '{process: {container: "{{ web }}", user: web}}').passed
    podman.configured["web"] = "ghost"  # a name the image's /etc/passwd lacks
    assert "not among the processes" in failure(
        judge(podman, '{process: {container: "{{ web }}", non_root: true}}'))


def test_an_engine_that_cannot_list_processes_gives_the_started_user():
    """A rootless dockerd without cgroups answers top with a 500 ("unable to get all
    container pids")."""
    import docker.errors
    from fake_engine import _response

    podman = PodmanTopEngine()

    def failing_top(container, ps_args=None):
        raise docker.errors.APIError("runc did not terminate successfully: unable to get all "
                                     "container pids", response=_response(500, "Server Error"))

    podman.top = failing_top  # type: ignore[method-assign]
    podman.add_container("web", cmd=["httpd"], files={"/etc/passwd": PASSWD})
    podman.configured["web"] = "nobody"
    assert judge(podman, '{process: {container: "{{ web }}", user: nobody}}').passed

    def other_failure(container, ps_args=None):
        raise docker.errors.APIError("proxy error", response=_response(502, "Bad Gateway"))

    podman.top = other_failure  # type: ignore[method-assign]
    with pytest.raises(EngineUnavailable, match="502"):  # not an answer to judge by
        judge(podman, '{process: {container: "{{ web }}", user: nobody}}')
