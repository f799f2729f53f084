"""The `health` check: a container's HEALTHCHECK verdict, in memory and on the real engine."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from engine_helpers import Resources, busybox_engine, made_resources
from fake_engine import FakeEngine

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)
WGET = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]


class HealthEngine(FakeEngine):
    """The fake engine, with State.Health and Config.Healthcheck for chosen containers."""

    def __init__(self) -> None:
        super().__init__()
        self.health: dict[str, dict] = {}
        self.tests: dict[str, list[str]] = {}

    def inspect_container(self, container):
        details = super().inspect_container(container)
        name = details["Name"].lstrip("/")
        if name in self.health:
            details["State"]["Health"] = self.health[name]
        if name in self.tests:
            details["Config"]["Healthcheck"] = {"Test": self.tests[name]}
        return details


def parse(text: str, problems: list | None = None):
    found: list = [] if problems is None else problems
    check = parse_check(parse_yaml("check: " + text)["check"], WHERE.at_field("check"), found, 1,
                        {"web"})
    if problems is None:
        assert not found, [str(p) for p in found]
    return check


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds


def judge(engine, text: str, clock: Clock | None = None, **values: str) -> CheckResult:
    clock = clock or Clock()
    return evaluate(parse(text), CheckContext(api=engine, workspace=Path("."),
                                              values={"web": "web", **values},
                                              clock=clock, sleep=clock.sleep))


def failure(result: CheckResult) -> str:
    assert not result.passed
    return " | ".join(result.messages)


# -- parsing ----------------------------------------------------------------------------------


def test_parse_shorthand_and_status():
    assert parse('{health: "{{ web }}"}').status == "healthy"
    assert parse('{health: {container: "{{ web }}", status: unhealthy}}').status == "unhealthy"


def test_parse_rejects_an_unknown_state():
    problems: list = []
    parse('{health: {container: web, status: fine}}', problems)
    assert any("healthy, unhealthy, starting" in str(p) for p in problems)


# -- evaluation against the fake engine --------------------------------------------------------


def test_healthy_passes():
    engine = HealthEngine()
    engine.add_container("web")
    engine.health["web"] = {"Status": "healthy", "FailingStreak": 0, "Log": []}
    assert judge(engine, '{health: "{{ web }}"}').passed


def test_starting_says_what_the_last_probe_printed():
    engine = HealthEngine()
    engine.add_container("web")
    engine.tests["web"] = WGET
    engine.health["web"] = {"Status": "starting", "FailingStreak": 2, "Log": [
        {"ExitCode": 1, "Output": "wget: can't connect to remote host (127.0.0.1): "
                                  "Connection refused\n"}]}
    text = failure(judge(engine, '{health: "{{ web }}"}'))
    assert text.startswith('container "web" is starting; expected healthy')
    assert "`wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1`" in text
    assert "exited with 1" in text and "Connection refused" in text
    assert "2 failed in a row" in text


def test_no_health_check_is_said_at_once_even_with_a_wait():
    engine = HealthEngine()
    engine.add_container("web")
    clock = Clock()
    text = failure(judge(engine, '{health: "{{ web }}", wait: 20}', clock))
    assert "has no health check" in text and "run a new one" in text
    assert clock.sleeps == 0  # waiting would not bring a verdict


def test_switched_off_health_check_is_named():
    engine = HealthEngine()
    engine.add_container("web")
    engine.tests["web"] = ["NONE"]
    assert "switched off" in failure(judge(engine, '{health: "{{ web }}"}'))


def test_a_pending_verdict_is_waited_for():
    engine = HealthEngine()
    engine.add_container("web")
    engine.health["web"] = {"Status": "starting", "Log": []}
    clock = Clock()
    original = clock.sleep

    def sleep_then_healthy(seconds: float) -> None:
        original(seconds)
        if clock.sleeps == 3:
            engine.health["web"] = {"Status": "healthy", "Log": []}

    clock.sleep = sleep_then_healthy  # type: ignore[method-assign]
    assert judge(engine, '{health: "{{ web }}", wait: 20}', clock).passed
    assert clock.sleeps == 3


def test_a_stopped_container_is_not_waited_for():
    engine = HealthEngine()
    engine.add_container("web", state="exited", exit_code=137)
    engine.health["web"] = {"Status": "unhealthy", "Log": []}
    clock = Clock()
    text = failure(judge(engine, '{health: "{{ web }}", wait: 20}', clock))
    assert "exited (exit code 137), so its health check no longer runs" in text
    assert "last verdict: unhealthy" in text and clock.sleeps == 0


def test_a_missing_container_is_named():
    engine = HealthEngine()
    engine.add_container("db")
    assert 'no container named "web" exists (containers: db)' in failure(
        judge(engine, '{health: "{{ web }}"}'))


def test_the_hint_comes_with_a_settled_failure():
    engine = HealthEngine()
    engine.add_container("web")
    result = judge(engine, '{health: "{{ web }}", wait: 5, hint: "Rebuild {{ web }}."}')
    assert result.hints == ("Rebuild web.",)


# -- the real engine ---------------------------------------------------------------------------


api = pytest.fixture(scope="module")(busybox_engine)


made = pytest.fixture(made_resources)


SERVE = ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && "
                     "exec httpd -f -p 8080 -h /www"]


def health_container(api, made: Resources, test: list[str]) -> str:
    from engine_helpers import TEST_LABEL, unique_name

    name = unique_name()
    created = api.create_container("busybox", SERVE, name=name, labels=TEST_LABEL,
                                   healthcheck={"test": test, "interval": 1_000_000_000,
                                                "timeout": 2_000_000_000, "retries": 2})
    made.containers.append(created["Id"])
    api.start(created["Id"])
    return name


def real_judge(api, text: str, name: str) -> CheckResult:
    return evaluate(parse(text), CheckContext(api=api, workspace=Path("."), values={"web": name}))


@pytest.mark.engine
def test_real_health_check_becomes_healthy(api, made):
    name = health_container(api, made, WGET)
    assert real_judge(api, '{health: "{{ web }}", wait: 20}', name).passed


@pytest.mark.engine
def test_real_failing_probe_is_reported_with_its_output(api, made):
    name = health_container(api, made, ["CMD-SHELL", "wget -q -O /dev/null "
                                                     "http://127.0.0.1:9/ || exit 1"])
    deadline = time.monotonic() + 20
    while api.inspect_container(name)["State"]["Health"]["Status"] != "unhealthy":
        assert time.monotonic() < deadline, "the probe never failed"
        time.sleep(0.5)
    text = failure(real_judge(api, '{health: "{{ web }}"}', name))
    assert f'container "{name}" is unhealthy; expected healthy' in text
    assert "exited with 1" in text and "wget" in text


@pytest.mark.engine
def test_real_container_without_health_check_fails_at_once(api, made):
    name, _ = made.container("busybox", ["sleep", "60"])
    text = failure(real_judge(api, '{health: "{{ web }}"}', name))
    assert "has no health check" in text and "busybox had no HEALTHCHECK" in text
