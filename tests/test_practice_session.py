"""PracticeSession without an engine: a fake Engine (probe/api), an in-memory docker API
(tests/test_practice_fixtures.RecordingApi) and a fake docker CLI runner patched over
``tutor.engine.runner.run_docker``.

Also the Conversation on top of a real PracticeSession: confirmation questions.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import dedent
from test_practice_fixtures import RecordingApi

from tutor.course.lesson import Course, Lesson
from tutor.engine.connection import EngineStatus
from tutor.engine.diagnosis import EngineProblem, ProblemKind
from tutor.engine.endpoint import Endpoint
from tutor.engine.runner import RunResult
from tutor.environment import Environment
from tutor.practice.fixtures import FIXTURE_IMAGE_LABEL, FIXTURE_LABEL, FIXTURE_TAG_LABEL
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL
from tutor.practice.pipeline import with_label
from tutor.practice.protocol import Outcome
from tutor.practice.session import PracticeSession
from tutor.progress import PASSED, ProgressStore
from tutor.repl.conversation import Conversation

PROBLEM = EngineProblem(
    kind=ProblemKind.SOCKET_MISSING,
    summary="No Docker engine socket at /var/run/docker.sock",
    detail="Tried unix:///var/run/docker.sock (default socket): the socket file does not exist.",
    fix="Start the engine:\n  Linux: sudo systemctl start docker",
)


class FakeEngine:
    """Stands in for tutor.engine.connection.Engine: answers probe() as told."""

    def __init__(self, api: RecordingApi | None = None, problem: EngineProblem | None = None):
        self.api_ = api if api is not None else RecordingApi()
        self.problem = problem
        self.endpoint = Endpoint(host="unix:///nonexistent/docker.sock", source="test")
        self.http_host = "127.0.0.1"  # where published ports answer (Engine.http_host)
        self.probes = 0
        self.invalidated = 0

    def probe(self, max_age=None) -> EngineStatus:
        self.probes += 1
        if self.problem is not None:
            return EngineStatus(ok=False, problem=self.problem)
        return EngineStatus(ok=True, server_version="20.10.24", api_version="1.41",
                            negotiated_api_version="1.41")

    @property
    def api(self) -> RecordingApi:
        if self.problem is not None:
            raise AssertionError("the API was used although the engine is down")
        return self.api_

    def invalidate(self) -> None:
        self.invalidated += 1

    def problem_for(self, error: BaseException) -> EngineProblem:
        self.invalidate()
        return PROBLEM

    def status_line(self, block: bool = False) -> str:
        return "engine ok" if self.problem is None else "engine unreachable"

    @property
    def last_status(self) -> EngineStatus:
        return self.probe()


@dataclass
class FakeRunner:
    """Records docker CLI runs; ``effect(words, api)`` plays what docker would do."""

    api: RecordingApi
    effect: Callable[[list[str], RecordingApi], tuple[int, str]] | None = None
    runs: list[tuple[list[str], str]] = field(default_factory=list)

    def __call__(self, argv, endpoint, env, cwd, mode="stream", **kwargs) -> RunResult:
        self.runs.append((list(argv), mode))
        code, output = self.effect(list(argv), self.api) if self.effect else (0, "")
        env.stdout.write(output)
        return RunResult(returncode=code, output=output, interrupted=False)

    @property
    def argvs(self) -> list[list[str]]:
        return [argv for argv, _ in self.runs]


def docker_effects(words: list[str], api: RecordingApi) -> tuple[int, str]:
    """Just enough of the docker CLI: run -d --name N IMAGE..., rm [-f] NAMES..., rmi."""
    args = words[1:]
    if args[:1] == ["run"]:
        name = args[args.index("--name") + 1] if "--name" in args else f"auto-{len(api.calls)}"
        if any(c.name == name for c in api.containers_):
            return 125, (f'docker: Error response from daemon: Conflict. The container name '
                         f'"/{name}" is already in use by container "abc".\n')
        labels = dict(args[i + 1].split("=", 1) for i, word in enumerate(args)
                      if word == "--label")
        made = api.add_container(name, image="busybox", state="running", labels=labels)
        if "--cidfile" in args:  # the CLI writes the new container's ID there
            Path(args[args.index("--cidfile") + 1]).write_text(made)
        return 0, "0123456789ab\n"
    if args[:1] == ["rm"]:
        code, output = 0, ""
        for target in [a for a in args[1:] if not a.startswith("-")]:
            try:
                api.containers_.remove(api.container(target))
                output += target + "\n"
            except StopIteration:
                code, output = 1, output + f"Error response from daemon: No such container: {target}\n"
        return code, output
    if args[:1] == ["rmi"]:
        for target in args[1:]:
            image = api._find_image(target)
            if image is not None:
                api.images_.remove(image)
        return 0, ""
    return 0, ""


DRILL = dedent(
    """
    id: drill
    title: Drill
    summary: Practice.
    needs_engine: true
    steps:
      - id: run-web
        type: command
        task: Start a container named `{{ name }}` from busybox, detached.
        vars:
          name: { free_name: web }
        setup:
          - container: { as: helper, image: busybox, command: [sleep, "600"] }
        check:
          container: { name: "{{ name }}", state: running }
        hints: [Use docker run -d --name.]
        explanation: "`{{ name }}` runs."
        solution: ["docker run -d --name {{ name }} busybox sleep 600"]
      - id: remove-old
        type: command
        task: Remove the container `old`.
        check:
          container: { name: old, absent: true }
        hints: [docker rm.]
        explanation: Gone.
        solution: ["docker rm -f old"]
      - id: kernel
        type: choice
        question: What do containers share?
        choices:
          - text: The host kernel
            correct: true
          - text: A guest OS
        hints: [k.]
        explanation: The kernel.
    """
)


# Short names for the drill fixtures of tests/practice_kit.py, which other practice
# test files share.
@pytest.fixture
def course(drill_course: Course) -> Course:
    return drill_course


@pytest.fixture
def lesson(drill_lesson: Lesson) -> Lesson:
    return drill_lesson


@pytest.fixture
def api(fake_api: RecordingApi) -> RecordingApi:
    return fake_api


@pytest.fixture
def env(practice_env: Environment) -> Environment:
    return practice_env


@pytest.fixture
def runner(fake_runner: FakeRunner) -> FakeRunner:
    return fake_runner


@pytest.fixture
def engine(api) -> FakeEngine:
    return FakeEngine(api)


@pytest.fixture
def session(env, engine) -> PracticeSession:
    return PracticeSession(env, engine)


def printed(env: Environment) -> str:
    return env.stdout.getvalue()  # type: ignore[attr-defined]


def fixture_name(api: RecordingApi, label: str) -> str:
    [container] = [c for c in api.containers_ if c.labels.get(FIXTURE_LABEL) == label]
    return container.name


# -- with_label --------------------------------------------------------------------------------


@pytest.mark.parametrize("line, typed, expected", [
    ("docker run -d busybox sleep 600", ("run",),
     "docker run --label L=1 -d busybox sleep 600"),
    ("docker container run --rm busybox echo run", ("container", "run"),
     "docker container run --label L=1 --rm busybox echo run"),
    ("docker create --name run busybox run", ("create",),
     "docker create --label L=1 --name run busybox run"),
    ("docker --log-level debug run busybox sh -c 'echo --label'", ("run",),
     "docker --log-level debug run --label L=1 busybox sh -c 'echo --label'"),
])
def test_with_label_goes_after_the_command_words_only(line, typed, expected):
    argv = shlex.split(line)
    labelled = with_label(argv, typed, "L=1")
    assert labelled == shlex.split(expected)
    # The container's own command is exactly what was typed.
    assert labelled[-3:] == argv[-3:]
    assert argv == shlex.split(line)  # the input list is not modified


def test_with_label_leaves_argv_alone_when_the_command_words_are_not_there():
    argv = ["docker", "ps", "-a"]
    assert with_label(argv, ("run",), "L") == argv


# -- the engine is not there ---------------------------------------------------------------------


@pytest.fixture
def down(env, api) -> tuple[PracticeSession, FakeEngine]:
    engine = FakeEngine(api, problem=PROBLEM)
    return PracticeSession(env, engine), engine


def test_command_without_engine_prints_the_problem_and_runs_nothing(down, env, runner):
    session, _ = down
    outcome = session.run_command("docker ps", None, None)
    assert outcome == Outcome(passed=False, confirm=None)
    text = printed(env)
    assert "This needs the Docker engine, and it does not answer" in text
    assert "No Docker engine socket at /var/run/docker.sock" in text
    assert "sudo systemctl start docker" in text
    assert "Concept lessons and quizzes work without it" in text
    assert runner.runs == []


def test_practice_step_without_engine_runs_no_setup_and_no_command(down, env, runner, lesson, api):
    session, _ = down
    step = lesson.steps[0]
    values = session.enter_step("drill", step)
    assert values["name"] == "web"  # the default, shown in the task
    assert "helper" not in values  # no setup ran
    outcome = session.run_command("docker run -d --name web busybox sleep 600", "drill", step)
    assert not outcome.passed and outcome.confirm is None
    assert runner.runs == []
    assert api.calls == []
    assert printed(env).count("Concept lessons and quizzes work without it") == 2


def test_check_without_engine_says_so_and_fails(down, env, lesson, api):
    session, _ = down
    assert session.check_step("drill", lesson.steps[0]) is False
    assert "No Docker engine socket" in printed(env)
    assert api.calls == []


def test_destructive_command_without_engine_asks_nothing_and_runs_nothing(down, runner):
    session, _ = down
    outcome = session.run_command("docker system prune -af", None, None)
    assert outcome.confirm is None and runner.runs == []


# -- refused before anything runs ---------------------------------------------------------------


@pytest.mark.parametrize("line, construct", [
    ("docker ps | grep x", "pipe"),
    ("docker ps && docker images", "and-list"),
    ("docker logs web > out.txt", "redirection"),
    ("docker rm $(docker ps -aq)", "command substitution"),
])
def test_shell_syntax_is_refused_naming_the_construct(session, engine, env, runner, line,
                                                      construct):
    outcome = session.run_command(line, None, None)
    assert not outcome.passed and outcome.confirm is None
    assert f"Not run: this line uses shell syntax ({construct})." in printed(env)
    assert runner.runs == []
    assert engine.probes == 0
    assert engine.api_.calls == []


def test_pipe_refusal_suggests_the_docker_way(session, env, runner):
    session.run_command("docker ps | grep web", None, None)
    assert "docker ps --filter name=web" in printed(env)


def test_unknown_docker_command_gets_did_you_mean(session, engine, env, runner):
    outcome = session.run_command("docker contaner ls", None, None)
    assert not outcome.passed
    text = printed(env)
    assert "'docker contaner' is not a docker command." in text
    assert "Did you mean 'docker container'" in text
    assert runner.runs == [] and engine.probes == 0


def test_unknown_flag_is_left_to_docker_and_explained_when_it_fails(session, env, runner):
    runner.effect = lambda argv, api: (125, "unknown flag: --detatch\n")
    session.run_command("docker run --detatch busybox", None, None)
    assert runner.argvs == [["docker", "run", "--detatch", "busybox"]]
    assert "unknown flag --detatch" in printed(env)
    assert "Did you mean '--detach'" in printed(env)


def test_usage_note_is_not_shown_when_docker_accepted_the_command(session, env, runner):
    runner.effect = lambda argv, api: (0, "ok\n")
    session.run_command("docker run --detatch busybox", None, None)
    assert "Did you mean" not in printed(env)


# -- running -----------------------------------------------------------------------------------


def test_command_outside_a_step_runs_as_typed(session, runner):
    outcome = session.run_command("docker ps -a --format '{{.Names}}'", None, None)
    assert runner.runs == [(["docker", "ps", "-a", "--format", "{{.Names}}"], "stream")]
    assert outcome == Outcome()


def test_interactive_command_gets_the_terminal(session, runner):
    session.run_command("docker run -it busybox sh", None, None)
    assert runner.runs[0][1] == "terminal"


def test_failed_command_gets_a_tip(session, env, runner):
    session.run_command("docker stop webb", None, None)
    text = printed(env)
    assert "Tip: There is no container `webb`" not in text  # stop is not simulated: exit 0
    runner.effect = lambda argv, api: (1, "Error response from daemon: No such container: webb\n")
    session.run_command("docker stop webb", None, None)
    assert "Tip: There is no container `webb`. `docker ps -a` lists every container" in printed(env)


def test_practice_step_passes_when_the_engine_shows_the_result(session, env, runner, lesson, api):
    step = lesson.steps[0]
    session.begin_lesson(lesson, session.record)
    values = session.enter_step("drill", step)
    assert values["name"] == "web"
    outcome = session.run_command("docker run -d --name web busybox sleep 600", "drill", step)
    assert outcome.passed and outcome.confirm is None
    # The learner's words, with the learner's label and a file for the new container's
    # ID right after `run`; the file is gone again afterwards.
    [argv] = runner.argvs
    id_file = argv[argv.index("--cidfile") + 1]
    assert argv == ["docker", "run", "--cidfile", id_file,
                    "--label", f"org.docker-tutor.learner={session.learner}",
                    "-d", "--name", "web", "busybox", "sleep", "600"]
    assert not Path(id_file).parent.exists()
    assert [item["name"] for item in session.record.created] == ["web"]


def test_a_learners_own_id_file_is_left_alone(session, runner, lesson, api, tmp_path):
    step = lesson.steps[0]
    session.begin_lesson(lesson, session.record)
    session.enter_step("drill", step)
    own = tmp_path / "web.id"
    outcome = session.run_command(f"docker run -d --cidfile {own} --name web busybox sleep 600",
                                  "drill", step)
    assert outcome.passed
    [argv] = runner.argvs
    assert argv.count("--cidfile") == 1 and own.read_text()  # theirs, written by the CLI
    # what it made is still found: by the learner's label, before and after
    assert [item["name"] for item in session.record.created] == ["web"]


def test_practice_step_fails_with_what_was_expected(session, env, runner, lesson, api):
    step = lesson.steps[0]
    session.enter_step("drill", step)
    outcome = session.run_command("docker run -d --name wbe busybox sleep 600", "drill", step)
    assert not outcome.passed
    text = printed(env)
    assert "Not done yet:" in text
    assert '"web"' in text


def test_a_failed_check_does_not_list_another_learners_containers(session, env, runner, lesson,
                                                                  api):
    api.add_container("their-box", labels={LEARNER_LABEL: "another-learner"})
    api.add_container("outside-box")
    step = lesson.steps[0]
    session.enter_step("drill", step)
    session.run_command("docker run -d --name wbe busybox sleep 600", "drill", step)
    text = printed(env)
    assert "Not done yet:" in text and "outside-box" in text and "their-box" not in text


def test_a_step_that_passes_leaves_no_failure_to_explain(session, runner, lesson, api):
    step = lesson.steps[0]
    session.enter_step("drill", step)
    session.run_command("docker run -d --name wbe busybox sleep 600", "drill", step)
    assert session.last_failure() is not None and session.last_failure().missing
    assert session.run_command("docker run -d --name web busybox sleep 600", "drill", step).passed
    assert session.last_failure() is None


def test_free_name_avoids_the_learners_container(session, api, lesson):
    api.add_container("web", labels={"mine": "yes"})
    values = session.enter_step("drill", lesson.steps[0])
    assert values["name"] == "web-2"
    assert session.values_for(lesson.steps[0])["name"] == "web-2"


def test_values_before_entering_are_the_defaults(session, lesson, api):
    assert session.values_for(lesson.steps[0])["name"] == "web"
    assert api.calls == []


def test_entering_twice_sets_up_once(session, lesson, api):
    first = session.enter_step("drill", lesson.steps[0])
    again = session.enter_step("drill", lesson.steps[0])
    assert first is again
    assert len(api.created()) == 1


def test_leaving_removes_the_steps_fixtures_and_nothing_else(session, env, lesson, api):
    api.add_container("mine")
    session.enter_step("drill", lesson.steps[0])
    helper = fixture_name(api, "drill/run-web")
    session.leave_step("drill", lesson.steps[0])
    assert {c.name for c in api.containers_} == {"mine"}
    assert f"Cleaned up what this step created: container {helper}." in printed(env)
    assert session.state is None


def test_setup_failure_is_reported_and_nothing_runs(session, env, runner, lesson, api):
    def broken(*args, **kwargs):
        raise __import__("docker").errors.APIError("No such image: busybox (simulated)")

    api.create_container = broken  # type: ignore[method-assign]
    session.enter_step("drill", lesson.steps[0])
    assert "Could not prepare this step:" in printed(env)
    outcome = session.run_command("docker run -d --name web busybox sleep 600", "drill",
                                  lesson.steps[0])
    assert not outcome.passed and runner.runs == []


# -- asking before destroying -----------------------------------------------------------------------


def test_removing_the_learners_container_asks_and_runs_only_on_proceed(session, runner, api):
    api.add_container("mine")
    outcome = session.run_command("docker rm -f mine", None, None)
    assert outcome.confirm is not None
    question, proceed = outcome.confirm
    assert "mine was not created by the tutor" in question
    assert "remove containers mine (forced)" in question
    assert runner.runs == []
    assert any(c.name == "mine" for c in api.containers_)
    result = proceed()
    assert runner.argvs == [["docker", "rm", "-f", "mine"]]
    assert isinstance(result, Outcome) and result.confirm is None
    assert not any(c.name == "mine" for c in api.containers_)


def test_removing_a_fixture_runs_without_asking(session, runner, api, lesson):
    session.enter_step("drill", lesson.steps[0])
    helper = fixture_name(api, "drill/run-web")
    outcome = session.run_command(f"docker rm -f {helper}", "drill", lesson.steps[0])
    assert outcome.confirm is None
    assert runner.argvs == [["docker", "rm", "-f", helper]]


def test_a_fixture_of_another_step_counts_as_the_tutors(session, runner, api):
    api.add_container("tutor-web-1234", labels={FIXTURE_LABEL: "other/step",
                                                 SESSION_LABEL: session.session.id})
    outcome = session.run_command("docker rm -f tutor-web-1234", None, None)
    assert outcome.confirm is None and len(runner.runs) == 1


def test_another_learners_fixture_is_not_the_tutors_to_remove(session, runner, api):
    # Same lesson and step, but set up by another tutor session on a shared engine.
    api.add_container("tutor-web-9876", labels={FIXTURE_LABEL: "drill/run-web",
                                                 SESSION_LABEL: "someone-else"})
    outcome = session.run_command("docker rm -f tutor-web-9876", None, None)
    assert outcome.confirm is not None
    assert "tutor-web-9876 was not created by the tutor" in outcome.confirm[0]
    assert runner.runs == []


def test_another_learners_container_is_named_as_theirs(session, runner, api):
    # Shared engine: their `docker run` through their tutor labelled it with their id.
    api.add_container("web", labels={LEARNER_LABEL: "someone-else"})
    api.add_container("mine")
    outcome = session.run_command("docker rm -f web mine", None, None)
    assert outcome.confirm is not None
    question = outcome.confirm[0]
    assert "web belongs to another learner on this shared engine: removing it breaks their " \
           "lesson. mine was not created by the tutor for this step. Run it?" in question
    assert runner.runs == []


def test_the_learners_own_labelled_container_is_not_someone_elses(session, runner, api):
    api.add_container("web", labels={LEARNER_LABEL: session.learner})
    outcome = session.run_command("docker rm -f web", None, None)
    assert outcome.confirm is not None and "another learner" not in outcome.confirm[0]


def test_a_fixture_removed_by_its_id_prefix_needs_no_question(session, runner, api, lesson):
    session.enter_step("drill", lesson.steps[0])
    helper = fixture_name(api, "drill/run-web")
    prefix = api.container(helper).id[:12]
    outcome = session.run_command(f"docker rm -f {prefix}", "drill", lesson.steps[0])
    assert outcome.confirm is None
    assert runner.argvs == [["docker", "rm", "-f", prefix]]


def test_a_mixed_removal_names_only_the_learners_containers(session, runner, api):
    api.add_container("tutor-web-1234", labels={FIXTURE_LABEL: "drill/run-web",
                                                 SESSION_LABEL: session.session.id})
    api.add_container("mine")
    api.add_container("mine-too")
    outcome = session.run_command("docker rm -f tutor-web-1234 mine mine-too", None, None)
    assert outcome.confirm is not None
    question = outcome.confirm[0]
    assert "remove containers tutor-web-1234, mine, mine-too (forced). mine, mine-too were " \
           "not created by the tutor" in question
    assert runner.runs == []


def test_removing_a_container_that_does_not_exist_lets_docker_say_so(session, env, runner):
    outcome = session.run_command("docker rm ghost", None, None)
    assert outcome.confirm is None
    assert runner.argvs == [["docker", "rm", "ghost"]]
    assert "Tip: There is no container `ghost`" in printed(env)


def test_removing_the_learners_image_asks(session, runner, api):
    api.add_image("my-app:1", labels={"maintainer": "me"})
    outcome = session.run_command("docker rmi my-app:1", None, None)
    assert outcome.confirm is not None and "my-app:1 was not created by the tutor" in (
        outcome.confirm[0])
    assert runner.runs == []


def test_an_image_built_from_a_fixture_image_still_asks(session, runner, api):
    # It inherits the fixture's labels, but not the fixture's tag.
    api.add_image("mine:1", labels={FIXTURE_IMAGE_LABEL: "drill/build",
                                    FIXTURE_TAG_LABEL: "tutor-demo:1"})
    outcome = session.run_command("docker rmi mine:1", None, None)
    assert outcome.confirm is not None and "mine:1 was not created by the tutor" in (
        outcome.confirm[0])


def test_removing_a_fixture_image_runs_without_asking(session, runner, api):
    api.add_image("tutor-demo:1", labels={FIXTURE_IMAGE_LABEL: "drill/build",
                                          FIXTURE_TAG_LABEL: "tutor-demo:1",
                                          SESSION_LABEL: session.session.id})
    outcome = session.run_command("docker image rm tutor-demo:1", None, None)
    assert outcome.confirm is None and len(runner.runs) == 1


@pytest.mark.parametrize("line, phrase", [
    ("docker container prune -f", "remove all stopped containers"),
    ("docker image prune -a", "remove all unused images"),
    ("docker system prune -af", "remove stopped containers"),
    ("docker volume prune", "remove all unused anonymous volumes"),
])
def test_prune_always_asks(session, runner, api, line, phrase):
    # Only fixtures exist, yet prune picks its own targets: always ask.
    api.add_container("tutor-web-1234", state="exited", labels={FIXTURE_LABEL: "drill/x"})
    outcome = session.run_command(line, None, None)
    assert outcome.confirm is not None
    question, proceed = outcome.confirm
    assert phrase in question and "your own resources" in question
    assert runner.runs == []
    proceed()
    assert len(runner.runs) == 1


def test_read_only_and_creating_commands_never_ask(session, runner, api):
    api.add_container("mine")
    for line in ("docker ps -a", "docker stop mine", "docker run --rm busybox true",
                 "docker kill mine"):
        assert session.run_command(line, None, None).confirm is None
    assert len(runner.runs) == 4


def test_confirmed_removal_in_a_step_is_judged_afterwards(session, runner, api, lesson):
    api.add_container("old")
    step = lesson.steps[1]
    session.enter_step("drill", step)
    outcome = session.run_command("docker rm -f old", "drill", step)
    assert outcome.confirm is not None and not outcome.passed
    assert outcome.confirm[1]().passed


# -- Conversation on top of a real PracticeSession -------------------------------------------------


@pytest.fixture
def conversation(course, env, session, tmp_path) -> Conversation:
    conv = Conversation(course, ProgressStore(tmp_path / "progress.json"), env.console,
                        practice=session)
    return conv


def said(env: Environment, conv: Conversation, line: str) -> str:
    before = len(printed(env))
    conv.handle(line)
    return printed(env)[before:]


def test_conversation_n_cancels_and_nothing_runs(conversation, env, runner, api, course):
    api.add_container("old")
    conversation.start_lesson(course.lessons[0], index=1)
    out = said(env, conversation, "docker rm -f old")
    assert "old was not created by the tutor for this step. Run it? [y/N]" in out
    assert conversation.awaiting_confirmation
    out = said(env, conversation, "n")
    assert "Cancelled: nothing was changed." in out
    assert not conversation.awaiting_confirmation
    assert runner.runs == []
    assert any(c.name == "old" for c in api.containers_)
    assert conversation.step.id == "remove-old"


@pytest.mark.parametrize("answer", ["", "no", "docker rm -f old", "/skip"])
def test_conversation_anything_but_yes_cancels(conversation, env, runner, api, course, answer):
    api.add_container("old")
    conversation.start_lesson(course.lessons[0], index=1)
    said(env, conversation, "docker rm -f old")
    out = said(env, conversation, answer)
    assert "Cancelled: nothing was changed." in out
    assert runner.runs == []
    assert conversation.step.id == "remove-old"  # the answer was not also taken as a command


@pytest.mark.parametrize("answer", ["y", "yes", " Y "])
def test_conversation_y_runs_it_and_the_step_passes(conversation, env, runner, api, course,
                                                    answer):
    api.add_container("old")
    conversation.start_lesson(course.lessons[0], index=1)
    said(env, conversation, "docker rm -f old")
    out = said(env, conversation, answer)
    assert runner.argvs == [["docker", "rm", "-f", "old"]]
    assert "Correct" in out
    assert conversation.step.id == "kernel"
    assert conversation.progress.lessons["drill"].steps["remove-old"].status == PASSED


def test_conversation_confirmed_command_that_does_not_solve_the_step_leaves_it_open(
        conversation, env, runner, api, course):
    # Removing an unrelated container of the learner: asked, run, judged, not passed.
    api.add_container("mine")
    conversation.start_lesson(course.lessons[0], index=0)
    said(env, conversation, "docker rm -f mine")
    said(env, conversation, "y")
    assert runner.argvs == [["docker", "rm", "-f", "mine"]]
    assert conversation.step.id == "run-web"  # removing "mine" does not start web


def test_conversation_practice_step_end_to_end_with_fakes(conversation, env, runner, api, course):
    conversation.start_lesson(course.lessons[0])
    helper = fixture_name(api, "drill/run-web")
    out = said(env, conversation, "docker run -d --name wbe busybox sleep 600")
    assert "Not done yet:" in out
    assert conversation.step.id == "run-web"
    out = said(env, conversation, "docker run -d --name web busybox sleep 600")
    assert "Correct" in out and "`web` runs." not in out  # rendered as markdown code
    assert "web runs." in out
    assert f"Cleaned up what this step created: container {helper}." in out
    assert conversation.step.id == "remove-old"
    assert not any(c.name == helper for c in api.containers_)
    assert any(c.name == "web" for c in api.containers_)  # the learner's own stays


def test_conversation_quiz_works_while_the_engine_is_down(course, env, api, runner, tmp_path):
    engine = FakeEngine(api, problem=PROBLEM)
    conv = Conversation(course, ProgressStore(tmp_path / "progress.json"), env.console,
                        practice=PracticeSession(env, engine))
    conv.start_lesson(course.lessons[0])
    out = said(env, conv, "docker run -d --name web busybox sleep 600")
    assert "No Docker engine socket" in out
    said(env, conv, "/skip")
    said(env, conv, "/skip")
    assert conv.step.id == "kernel"
    out = said(env, conv, "a")
    assert "Correct" in out
    assert runner.runs == [] and api.calls == []


def test_removing_what_the_learner_made_in_this_lesson_needs_no_question(session, runner, api):
    web = api.add_container("web", labels={})
    api.add_image("hello:1", labels={})
    session.record.created.extend([{"kind": "container", "id": web, "name": "web"},
                                   {"kind": "image", "ref": "hello:1"}])
    assert session.run_command("docker rm -f web", None, None).confirm is None
    assert session.run_command(f"docker rm -f {web[:12]}", None, None).confirm is None
    assert session.run_command("docker rmi hello:1", None, None).confirm is None
    assert len(runner.runs) == 3


def test_a_name_the_learner_moved_is_still_theirs_to_be_asked_about(session, runner, api):
    api.add_image("hello:1", labels={})
    session.record.created.append({"kind": "image", "ref": "hello:1", "replaced": "sha256:abc"})
    outcome = session.run_command("docker rmi hello:1", None, None)
    assert outcome.confirm is not None and "hello:1 was not created by the tutor" in (
        outcome.confirm[0])


def test_a_container_from_another_lesson_still_asks(session, runner, api):
    api.add_container("db", labels={})
    session.record.created.append({"kind": "container", "id": "e" * 64, "name": "web"})
    outcome = session.run_command("docker rm -f db", None, None)
    assert outcome.confirm is not None and "db was not created by the tutor" in outcome.confirm[0]
    assert runner.runs == []


def test_a_real_command_outside_the_model_asks_before_running(session, runner):
    outcome = session.run_command("docker compose watch", None, None)
    assert outcome.confirm is not None
    assert "doesn't cover it" in outcome.confirm[0] and "Run it anyway?" in outcome.confirm[0]
    assert runner.runs == []
    outcome.confirm[1]()
    assert runner.argvs == [["docker", "compose", "watch"]]


def test_known_names_come_from_a_background_refresh_and_never_wait(session, api, monkeypatch):
    import threading

    api.add_container("web", labels={})
    release = threading.Event()
    listing = api.containers

    def slow_containers(*args, **kwargs):
        release.wait(5)  # an engine that is slow to answer
        return listing(*args, **kwargs)

    monkeypatch.setattr(api, "containers", slow_containers)
    assert session.known_names("container") == ()  # answered at once, from the empty cache
    release.set()
    session.names._thread.join(timeout=5)
    assert session.known_names("container") == ("web",)
    assert "busybox:latest" in session.known_names("image")


def test_known_names_are_empty_while_the_engine_is_down(down):
    practice, _engine = down
    assert practice.known_names("container") == ()


def test_a_steps_vars_are_kept_in_the_lesson_record_across_a_restart(env, engine, api, lesson):
    from tutor.progress import LessonRecord

    record = LessonRecord()
    step = lesson.steps[lesson.step_index("run-web")]
    first = PracticeSession(env, engine, learner="ana")
    first.begin_lesson(lesson, record)
    assert first.enter_step(lesson.id, step)["name"] == "web"
    # The learner made "web" as asked (through the tutor: it has her label), then quit;
    # a new session resumes the step.
    api.add_container("web", labels={"org.docker-tutor.learner": "ana"})
    first.leave_step(lesson.id, step)
    again = PracticeSession(env, engine, learner="ana")
    again.begin_lesson(lesson, record)
    assert again.enter_step(lesson.id, step)["name"] == "web"  # not "web-2"
    assert record.values["run-web.name"] == "web"


def test_a_new_lesson_record_chooses_around_existing_names(env, engine, api, lesson):
    from tutor.progress import LessonRecord

    api.add_container("web", labels={})
    step = lesson.steps[lesson.step_index("run-web")]
    practice = PracticeSession(env, engine)
    practice.begin_lesson(lesson, LessonRecord())
    assert practice.enter_step(lesson.id, step)["name"] == "web-2"


def test_a_yes_in_everyday_words_confirms_and_anything_else_cancels(conversation, env, runner,
                                                                  api, course):
    api.add_container("old")
    conversation.start_lesson(course.lessons[0], index=1)
    for maybe in ("maybe", "yes please no", "nope"):
        said(env, conversation, "docker rm -f old")
        assert "Cancelled: nothing was changed." in said(env, conversation, maybe)
    assert runner.runs == []
    said(env, conversation, "docker rm -f old")
    said(env, conversation, "Sure!")
    assert runner.argvs == [["docker", "rm", "-f", "old"]]
