"""The `removed` check: exactly these containers are gone, and the learner's commands
removed no other (in memory, and on the real engine with a real prune)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from engine_helpers import Resources, busybox_engine, made_resources, unique_name
from fake_engine import FakeEngine

from tutor.checks import CheckContext, CheckResult, evaluate, parse_check
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/demo.yaml"), lesson="demo", step="s", step_number=1)
CHECK = 'removed: {containers: ["{{ a }}", "{{ b }}"]}'


def parse(text: str, problems: list | None = None):
    found: list = [] if problems is None else problems
    check = parse_check(parse_yaml("check:\n  " + text)["check"], WHERE.at_field("check"),
                        found, 1, {"a", "b", "run"})
    if problems is None:
        assert not found, [str(p) for p in found]
    return check


def judge(api, since: float, windows=None, a: str = "job-1", b: str = "job-2",
          text: str = CHECK, run: str = "") -> CheckResult:
    return evaluate(parse(text), CheckContext(api=api, workspace=Path("."), since=since,
                                              windows=windows,
                                              values={"a": a, "b": b, "run": run}))


AMONG_RUN = 'removed: {containers: ["{{ a }}", "{{ b }}"], among: ["run={{ run }}"]}'


def failure(result: CheckResult) -> str:
    assert not result.passed
    return " | ".join(result.messages)


def test_parse_needs_containers():
    problems: list = []
    parse("removed: {}", problems)
    assert any("containers" in str(p) for p in problems)


def test_gone_and_nothing_else_passes():
    engine = FakeEngine()
    now = time.time()
    engine.add_event("destroy", name="job-1", at=now)
    engine.add_event("destroy", name="job-2", at=now)
    assert judge(engine, since=now - 5, windows=((now - 1, now + 1),)).passed


def test_one_still_there_is_named():
    engine = FakeEngine()
    engine.add_container("job-2", state="exited")
    text = failure(judge(engine, since=time.time() - 5))
    assert text == 'container "job-2" still exists; expected it removed'


def test_another_removal_by_the_learner_fails():
    engine = FakeEngine()
    now = time.time()
    for name in ("job-1", "job-2", "keep"):
        engine.add_event("destroy", name=name, at=now)
    text = failure(judge(engine, since=now - 5, windows=((now - 1, now + 1),)))
    assert text.startswith('while your commands ran, the engine also removed container "keep", '
                           'which was not to be removed: a prune removes everything its filters '
                           'match')


def test_removals_outside_the_learners_commands_are_someone_elses():
    engine = FakeEngine()
    now = time.time()
    engine.add_event("destroy", name="someone-elses", at=now - 30)  # between the commands
    engine.add_event("destroy", name="before-the-step", at=now - 600)
    engine.add_event("die", name="keep", at=now)  # stopping is no removal
    assert judge(engine, since=now - 60, windows=((now - 1, now + 1),)).passed
    # Without windows (judged outside the tutor) every removal since the step began counts.
    assert 'since this step began, the engine also removed container "someone-elses"' in \
        failure(judge(engine, since=now - 60))


def test_among_narrows_the_others_to_containers_with_those_labels():
    engine = FakeEngine()
    now = time.time()
    engine.add_container("keep", state="exited", labels={"org.docker-tutor.fixture": "a/b"})
    engine.add_container("churn", state="exited", labels={"bench": "1"})
    for name in ("job-1", "job-2", "keep", "churn"):
        engine.add_event("destroy", name=name, at=now)
    engine.containers_.clear()  # all four are gone
    windows = ((now - 1, now + 1),)
    text = 'removed: {containers: ["{{ a }}", "{{ b }}"], among: [org.docker-tutor.fixture]}'
    message = failure(judge(engine, since=now - 5, windows=windows, text=text))
    assert 'removed container "keep"' in message and "churn" not in message
    only_b = 'removed: {containers: ["{{ a }}", "{{ b }}"], among: [org.docker-tutor.fixture=x/y]}'
    assert judge(engine, since=now - 5, windows=windows, text=only_b).passed


def test_among_like_counts_the_containers_of_the_same_owner():
    engine = FakeEngine()
    now = time.time()
    engine.add_container("batch", labels={"owner": "me"})
    engine.add_container("mine", state="exited", labels={"owner": "me"})
    engine.add_container("theirs", state="exited", labels={"owner": "you"})
    for name in ("job-1", "job-2", "mine", "theirs"):
        engine.add_event("destroy", name=name, at=now)
    engine.containers_[:] = [c for c in engine.containers_ if c.name == "batch"]
    windows = ((now - 1, now + 1),)
    like = ('removed: {containers: ["{{ a }}", "{{ b }}"], among_like: {container: batch, '
            'label: owner}}')
    message = failure(judge(engine, since=now - 5, windows=windows, text=like))
    assert 'removed container "mine"' in message and "theirs" not in message
    unlabelled = like.replace("label: owner", "label: team")
    assert failure(judge(engine, since=now - 5, windows=windows, text=unlabelled)) == (
        'container "batch" has no label team, which tells whose removed containers count')


# -- the real engine ---------------------------------------------------------------------------


api = pytest.fixture(scope="module")(busybox_engine)


made = pytest.fixture(made_resources)


def batch(api, made: Resources, label: str) -> list[str]:
    """Two stopped containers with the batch label, one without; all three carry the
    label ``run=LABEL``, so that only they count (others' tests share the engine)."""
    from engine_helpers import TEST_LABEL

    names = []
    for labels in ({"batch": label}, {"batch": label}, {}):
        name = unique_name()
        created = api.create_container("busybox", ["true"], name=name,
                                       labels={**TEST_LABEL, "run": label, **labels})
        made.containers.append(created["Id"])
        names.append(name)
    return names


def run(*argv: str) -> tuple[float, float]:
    started = time.time()
    subprocess.run(["docker", *argv], check=True, capture_output=True, timeout=60)
    return started, time.time()


@pytest.mark.engine
def test_real_filtered_prune_removes_exactly_the_batch(api, made):
    label = unique_name("batch")
    first, second, keep = batch(api, made, label)
    since = time.time()
    window = run("container", "prune", "-f", "--filter", f"label=batch={label}")
    result = judge(api, since, (window,), first, second, AMONG_RUN, label)
    assert result.passed, result.messages
    assert api.inspect_container(keep)["State"]["Status"] == "created"


@pytest.mark.engine
def test_real_removal_of_one_more_is_named(api, made):
    label = unique_name("batch")
    first, second, keep = batch(api, made, label)
    since = time.time()
    window = run("rm", first, second, keep)
    text = failure(judge(api, since, (window,), first, second, AMONG_RUN, label))
    assert f'while your commands ran, the engine also removed container "{keep}"' in text
