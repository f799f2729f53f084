"""``docker-tutor selftest`` on tiny courses, against the real Docker engine.

The engine is shared with other people's tests and tutor sessions, and selftest's
rollback removes *every* container carrying its label (and its leftover check counts
*every* fixture on the engine). So that these tests neither remove what others'
selftest runs or sessions made nor fail because of them, each test gives the two
label keys a unique name (``tutor.practice.selftest.SELFTEST_LABEL`` and
``tutor.practice.fixtures.FIXTURE_LABEL``); the code reads both at call time.
Resources the test makes itself carry org.docker-tutor.test=1 and are removed in
finalizers.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docker.errors
import pytest
from conftest import dedent, write_course
from engine_helpers import TEST_LABEL, TEST_LABEL_KEY, ensure_image, free_port, require_engine

from tutor.cli import main
from tutor.environment import Environment
from tutor.practice.session import PracticeSession
from tutor.status import ExitStatus

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


@dataclass
class Run:
    """One selftest run's course, its label keys, and what to remove afterwards."""

    api: object
    tmp_path: Path
    fixture_key: str
    selftest_key: str
    uid: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    containers: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def course(self, lessons: dict[str, str]) -> Path:
        return write_course(self.tmp_path / "lessons",
                            {lesson_id: dedent(text) for lesson_id, text in lessons.items()})

    def selftest(self, lessons_dir: Path, *lesson_ids: str) -> tuple[int, str]:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=dict(os.environ),
                          data_dir=self.tmp_path / "data", lessons_dir=lessons_dir,
                          stdout_isatty=False, stdin_isatty=False, width=400)
        code = main(["--lessons", str(lessons_dir), "selftest", *lesson_ids], env=env)
        return code, env.stdout.getvalue()  # type: ignore[attr-defined]

    def labelled(self, key: str) -> list[dict]:
        return self.api.containers(all=True, filters={"label": key})  # type: ignore[attr-defined]

    def exists(self, name: str) -> bool:
        try:
            self.api.inspect_container(name)  # type: ignore[attr-defined]
        except docker.errors.NotFound:
            return False
        return True

    def cleanup(self) -> None:
        api = self.api
        ids = [c["Id"] for key in (self.fixture_key, self.selftest_key)
               for c in self.labelled(key)]
        for ident in self.containers + ids:
            try:
                api.remove_container(ident, force=True, v=True)  # type: ignore[attr-defined]
            except docker.errors.NotFound:
                pass
        for ref in self.images:
            try:
                api.remove_image(ref, force=True)  # type: ignore[attr-defined]
            except docker.errors.NotFound:
                pass


@pytest.fixture
def run(api, tmp_path, monkeypatch) -> Iterator[Run]:
    uid = uuid.uuid4().hex[:8]
    made = Run(api, tmp_path, fixture_key=f"org.docker-tutor.fixture-test-{uid}",
               selftest_key=f"org.docker-tutor.selftest-test-{uid}")
    monkeypatch.setattr("tutor.practice.fixtures.FIXTURE_LABEL", made.fixture_key)
    monkeypatch.setattr("tutor.practice.selftest.SELFTEST_LABEL", made.selftest_key)
    yield made
    made.cleanup()


def lesson(lesson_id: str, step: str) -> str:
    return f"""
id: {lesson_id}
title: Selftest {lesson_id}
summary: One practice step.
needs_engine: true
steps:
  - id: intro
    type: say
    text: Not played by selftest.
{step}"""


def correct_step(uid: str) -> str:
    return f"""
  - id: run-box
    type: command
    task: Start a container named `{{{{ name }}}}` from busybox running `sleep 600`, detached.
    vars:
      name: {{ free_name: box-{uid} }}
    setup:
      - container: {{ as: helper, image: busybox, command: [sleep, "600"] }}
    check:
      container: {{ name: "{{{{ name }}}}", image: busybox, state: running }}
    hints: [docker run -d.]
    explanation: It runs.
    solution: ["docker run -d --name {{{{ name }}}} busybox sleep 600"]
    alternatives:
      - ["docker container run --detach --name={{{{ name }}}} busybox sleep 600"]
      - ["docker create --name {{{{ name }}}} busybox sleep 600", "docker start {{{{ name }}}}"]
    wrong:
      - commands: ["docker create --name {{{{ name }}}} busybox sleep 600"]
        reason: "created (never started)"
"""


def failures(output: str) -> str:
    """The report without the summary line."""
    return output.rsplit("selftest:", 1)[0]


# -- a correct step -------------------------------------------------------------------------------


def test_correct_step_passes_and_leaves_nothing_labelled(run, monkeypatch):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})

    # While selftest runs: what the played run/create commands made carries the selftest
    # label (rollback finds them by it), and the fixture the fixture label.
    seen: list[tuple[set[str], set[str]]] = []
    original = PracticeSession.play

    def watching(self, line):
        output = original(self, line)
        seen.append(({c["Names"][0] for c in run.labelled(run.selftest_key)},
                     {c["Names"][0] for c in run.labelled(run.fixture_key)}))
        return output

    monkeypatch.setattr(PracticeSession, "play", watching)
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    assert f"✔ {lesson_id}/run-box  (5 checks)" in out
    assert "selftest: 1 passed, 0 failed" in out
    assert "left behind" not in out

    assert seen, "selftest played no command"
    assert all(selftest_names == {f"/box-{run.uid}"} for selftest_names, _ in seen), seen
    assert all(len(fixture_names) == 1 for _, fixture_names in seen), seen
    assert run.labelled(run.selftest_key) == []
    assert run.labelled(run.fixture_key) == []
    assert not run.exists(f"box-{run.uid}")


def test_unknown_lesson_is_a_usage_error(run):
    lessons = run.course({f"good-{run.uid}": lesson(f"good-{run.uid}", correct_step(run.uid))})
    code, out = run.selftest(lessons, "no-such-lesson")
    assert code == ExitStatus.USAGE
    assert "Unknown lesson(s): no-such-lesson" in out


def test_without_an_engine_selftest_says_so(run, tmp_path):
    lessons = run.course({f"good-{run.uid}": lesson(f"good-{run.uid}", correct_step(run.uid))})
    environ = dict(os.environ, DOCKER_HOST=f"unix://{tmp_path}/nothing-here.sock")
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ,
                      data_dir=tmp_path / "data", lessons_dir=lessons, stdout_isatty=False,
                      stdin_isatty=False, width=400)
    code = main(["--lessons", str(lessons), "selftest"], env=env)
    out = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert code == ExitStatus.ENGINE_UNAVAILABLE
    assert "selftest needs a Docker engine:" in out
    assert f"No Docker engine socket at {tmp_path}/nothing-here.sock" in out


# -- steps selftest must report ---------------------------------------------------------------------


def test_a_check_that_passes_before_the_solution_is_reported(run):
    lesson_id = f"vacuous-{run.uid}"
    step = """
  - id: pull
    type: command
    task: Pull busybox.
    setup:
      - pull: busybox
    check:
      image: { ref: "busybox:latest" }
    hints: [docker pull.]
    explanation: Pulled.
    solution: ["docker pull busybox"]
"""
    lessons = run.course({lesson_id: lesson(lesson_id, step)})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SELFTEST_FAILED
    assert f"✘ {lesson_id}/pull" in out
    assert "passes before anything was done (the check proves nothing)" in out
    assert "selftest: 0 passed, 1 failed" in out


def test_a_wrong_attempt_that_passes_is_reported(run):
    lesson_id = f"wrongpass-{run.uid}"
    step = f"""
  - id: run-box
    type: command
    task: Start `{{{{ name }}}}`.
    vars:
      name: {{ free_name: box-{run.uid} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run -d --name {{{{ name }}}} busybox sleep 600"]
    wrong:
      - commands: ["docker run -d --name {{{{ name }}}} busybox sleep 300"]
        reason: "not running"
"""
    lessons = run.course({lesson_id: lesson(lesson_id, step)})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SELFTEST_FAILED
    report = failures(out)
    assert "wrong attempt passed:" in report
    assert "sleep 300" in report
    # The solution still ran after the wrong attempt was rolled back (no name clash).
    assert "solution" not in report
    assert "selftest: 0 passed, 1 failed" in out
    assert run.labelled(run.selftest_key) == []


def test_a_wrong_attempt_failing_for_another_reason_is_reported(run):
    lesson_id = f"otherreason-{run.uid}"
    step = f"""
  - id: publish
    type: command
    task: Start `{{{{ name }}}}` publishing 80 on {{{{ port }}}}.
    vars:
      name: {{ free_name: web-{run.uid} }}
      port: {{ free_port: {free_port()} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running, ports: {{ "80/tcp": "{{{{ port }}}}" }} }}
    hints: [-p.]
    explanation: Published.
    solution: ["docker run -d --name {{{{ name }}}} -p {{{{ port }}}}:80 busybox sleep 600"]
    wrong:
      - commands: ["docker run -d --name {{{{ name }}}} busybox sleep 600"]
        reason: "publishes 80/tcp on 8081"
"""
    lessons = run.course({lesson_id: lesson(lesson_id, step)})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SELFTEST_FAILED
    report = failures(out)
    assert "failed, but not with 'publishes 80/tcp on 8081'" in report
    assert f'container "web-{run.uid}"' in report  # what it did fail with
    assert "wrong attempt passed" not in report
    assert "selftest: 0 passed, 1 failed" in out


def test_a_solution_that_does_not_pass_is_reported(run):
    lesson_id = f"badsolution-{run.uid}"
    step = f"""
  - id: run-box
    type: command
    task: Start `{{{{ name }}}}`.
    vars:
      name: {{ free_name: box-{run.uid} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run --name {{{{ name }}}} busybox true"]
"""
    lessons = run.course({lesson_id: lesson(lesson_id, step)})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SELFTEST_FAILED
    assert "solution ['docker run --name {{ name }} busybox true'] did not pass" in out
    assert "exited (exit code 0); expected running" in out
    assert run.labelled(run.selftest_key) == []


def test_a_step_after_one_the_engine_cannot_play_is_not_failed(run, monkeypatch):
    """Step one's solution hits a (stand-in) limit of this engine, so the state step two
    builds on is never reached: step two's failure is reported unsupported, not failed."""
    from tutor.practice import engine_limits

    stand_in = engine_limits.Limit(lambda product: True,
                                   lambda words: "unplayable-here" in " ".join(words), None,
                                   "a stand-in limit of this engine")
    monkeypatch.setattr(engine_limits, "LIMITS", (stand_in,))
    lesson_id = f"afterlimit-{run.uid}"
    steps = f"""
  - id: start-box
    type: command
    task: Start `{{{{ name }}}}`.
    vars:
      name: {{ free_name: box-{run.uid} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker run -d.]
    explanation: Runs.
    solution: ["docker run --name {{{{ name }}}} --label unplayable-here busybox true"]
  - id: use-box
    type: command
    task: Look at `{{{{ name }}}}`.
    vars:
      name: {{ free_name: box-{run.uid} }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [docker ps.]
    explanation: Looked.
    solution: ["docker ps"]
"""
    lessons = run.course({lesson_id: lesson(lesson_id, steps)})
    code, out = run.selftest(lessons, lesson_id)
    assert "unsupported here: solution" in out and "a stand-in limit of this engine" in out
    assert "(after start-box, which this engine cannot play)" in out
    assert f"✘ {lesson_id}/use-box" not in out and f"○ {lesson_id}/use-box" in out
    assert code != ExitStatus.SELFTEST_FAILED, out


def test_several_lessons_are_counted_together(run):
    good, vacuous = f"good-{run.uid}", f"vacuous-{run.uid}"
    lessons = run.course({
        good: lesson(good, correct_step(run.uid)),
        vacuous: lesson(vacuous, """
  - id: pull
    type: command
    task: Pull busybox.
    check:
      image: { ref: "busybox:latest" }
    hints: [docker pull.]
    explanation: Pulled.
    solution: ["docker pull busybox"]
"""),
    })
    code, out = run.selftest(lessons)
    assert code == ExitStatus.SELFTEST_FAILED
    assert f"✔ {good}/run-box" in out and f"✘ {vacuous}/pull" in out
    assert "selftest: 1 passed, 1 failed" in out
    assert run.labelled(run.fixture_key) == [] and run.labelled(run.selftest_key) == []


# -- rollback on a shared engine ---------------------------------------------------------------------


def during_first_command(monkeypatch, action) -> None:
    """Call ``action()`` once, just before selftest plays its first command."""
    original = PracticeSession.play
    done: list[bool] = []

    def hooked(self, line):
        if not done:
            done.append(True)
            action()
        return original(self, line)

    monkeypatch.setattr(PracticeSession, "play", hooked)


def test_a_container_someone_creates_during_the_run_is_not_removed(run, api, monkeypatch):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})
    theirs = f"someone-else-{run.uid}"
    run.containers.append(theirs)

    def create() -> None:
        # Also from busybox, as the played commands: only labels may tell them apart.
        created = api.create_container("busybox", command=["sleep", "600"], name=theirs,
                                       labels=TEST_LABEL)
        api.start(created["Id"])

    during_first_command(monkeypatch, create)
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    assert run.exists(theirs)
    assert api.inspect_container(theirs)["State"]["Running"]


def test_an_image_tag_someone_creates_during_the_run_is_not_removed(run, api, monkeypatch):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})
    tag = f"tutor-test-other-{run.uid}:1"
    run.images.append(tag)
    during_first_command(monkeypatch, lambda: api.tag("busybox:latest", tag.split(":")[0], "1"))
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    api.inspect_image(tag)  # still there


def test_an_image_tag_whose_name_only_appears_inside_a_container_name_is_not_removed(
        run, api, monkeypatch):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})
    # The commands say "--name box-<uid>": they name no repository called "<uid>".
    tag = f"{run.uid}:1"
    run.images.append(tag)
    during_first_command(monkeypatch, lambda: api.tag("busybox:latest", run.uid, "1"))
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    try:
        api.inspect_image(tag)
    except docker.errors.ImageNotFound:
        pytest.fail(f"selftest removed {tag}, which it did not create")


def test_another_selftest_runs_containers_are_not_removed(run, api):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})
    other = f"other-selftest-{run.uid}"
    run.containers.append(other)
    created = api.create_container("busybox", command=["sleep", "600"], name=other,
                                   labels={**TEST_LABEL, run.selftest_key: "1"})
    api.start(created["Id"])
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    assert run.exists(other), "selftest removed a container another selftest run made"


def test_fixtures_of_other_lessons_do_not_fail_selftest(run, api):
    lesson_id = f"good-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, correct_step(run.uid))})
    session_fixture = f"tutor-helper-{run.uid}"
    run.containers.append(session_fixture)
    api.create_container("busybox", command=["sleep", "600"], name=session_fixture,
                         labels={**TEST_LABEL, run.fixture_key: "some-other-lesson/step"})
    code, out = run.selftest(lessons, lesson_id)
    assert "left behind" not in out
    assert code == ExitStatus.SUCCESS, out
    assert run.exists(session_fixture)


def test_labels_used_by_the_tests_are_the_real_keys_renamed():
    # Guard: the keys patched above are the ones the code uses.
    import tutor.practice.fixtures as fixtures
    import tutor.practice.selftest as selftest

    assert fixtures.FIXTURE_LABEL == "org.docker-tutor.fixture"
    assert selftest.SELFTEST_LABEL == "org.docker-tutor.selftest"
    assert TEST_LABEL_KEY == "org.docker-tutor.test"


# -- what existed before stays as it was ---------------------------------------------------------


def test_selftest_fails_loudly_when_it_moves_a_tag_that_existed_before(run, api):
    ref = f"tutor-test-mine-{run.uid}:1"
    run.images.append(ref)
    api.tag("busybox:latest", ref.split(":")[0], "1")
    before = api.inspect_image(ref)["Id"]
    lesson_id = f"mover-{run.uid}"
    step = f"""
  - id: retag
    type: command
    task: Give a new image the name `{ref}`.
    setup:
      - image: {{ as: base, tag: "tutor-test-base-{run.uid}:1", dockerfile: "FROM busybox\\nLABEL x=1\\n" }}
    check:
      image: {{ ref: "{ref}", labels: {{ x: "1" }} }}
    hints: [docker tag.]
    explanation: Tagged.
    solution: ["docker tag {{{{ base }}}} {ref}"]
"""
    lessons = run.course({lesson_id: lesson(lesson_id, step)})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SELFTEST_FAILED
    assert "selftest changed what existed before it started" in out
    assert f"image tag {ref} was moved from {before[7:19]}" in out
    assert "selftest: 1 passed, 0 failed" in out  # the step itself is fine: the guard fails
