"""The terminal stays the learner's: the real program in a pseudo-terminal (pexpect).

Interactive docker commands (``run -it``, ``attach``) get the real terminal and give
it back; Ctrl-C stops the command, not the tutor; keys typed while a command runs
never reach the next prompt; escape sequences and Ctrl-Z at the prompt do no harm;
piped input is read line by line without asking the terminal anything; a narrow
terminal still shows every lesson id.

Tests marked ``engine`` run docker commands against the real engine; every
container they make has a unique name and is removed at teardown.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
import time
from pathlib import Path

import pytest
from engine_helpers import TEST_LABEL, ensure_image, require_engine, unique_name
from replkit import CTRL_C, CTRL_D, ENTER, TutorProcess, load_shipped, spawned, tutor_env

pexpect = pytest.importorskip("pexpect")

DETACH_KEYS = "\x10\x11"  # Ctrl-P Ctrl-Q
CTRL_P = "\x10"
CTRL_Z = "\x1a"
CURSOR_POSITION_REQUEST = "\x1b[6n"
HELP_LINE = "list the commands"  # what /help prints first


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def neutral_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "cwd"
    directory.mkdir()
    return directory


@pytest.fixture
def spawn(home, neutral_dir):
    """Start tutor processes; each is killed at teardown (replkit.spawned)."""
    with spawned(home, neutral_dir) as start:
        yield start


@pytest.fixture
def api():
    client = require_engine()
    ensure_image(client, "busybox")
    return client


@pytest.fixture
def container_name(api):
    """Unique container names; whatever carries one of them is removed at teardown."""
    import docker.errors

    names: list[str] = []

    def make() -> str:
        names.append(unique_name("tutor-e2e"))
        return names[-1]

    yield make
    for name in names:
        try:
            api.remove_container(name, force=True, v=True)
        except docker.errors.NotFound:
            pass


def wait_until(condition, timeout: float = 20.0) -> None:
    """Poll ``condition`` (the engine's state, not a guess at timing) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the engine never reached the expected state")
        time.sleep(0.1)


def running(api, name: str) -> bool:
    import docker.errors

    try:
        return bool(api.inspect_container(name)["State"]["Running"])
    except docker.errors.NotFound:
        return False


def still_works(tutor: TutorProcess) -> None:
    """The tutor answers a command at a fresh prompt, and the line it got was exactly
    what was typed (nothing left over from before)."""
    tutor.prompt()
    tutor.send_line("/help")
    tutor.expect_text(HELP_LINE)


def quit_cleanly(tutor: TutorProcess) -> None:
    tutor.prompt()
    tutor.send(CTRL_D)
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0


# -- interactive docker commands get the terminal and give it back -----------------------


@pytest.mark.engine
def test_run_it_shell_then_exit_returns_to_the_tutor(spawn, api, container_name):
    name = container_name()
    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line(f"docker run -it --rm --name {name} busybox sh")
    tutor.expect(r"/ # ")
    tutor.send_line("echo hi-$((40+2))")
    tutor.expect("hi-42")  # the shell in the container got the keys, not the tutor
    tutor.send_line("exit")
    still_works(tutor)
    quit_cleanly(tutor)


@pytest.mark.engine
def test_attach_then_detach_keys_leave_the_container_running(spawn, api, container_name):
    name = container_name()
    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line(f"docker run -dit --name {name} busybox sh")
    tutor.prompt()
    assert running(api, name)
    tutor.send_line(f"docker attach {name}")
    tutor.send_line("echo attached-$((40+2))")
    tutor.expect("attached-42")  # attached: the container's shell answers
    tutor.send(DETACH_KEYS)
    tutor.expect("read escape sequence")  # the CLI detached
    still_works(tutor)
    assert running(api, name)
    quit_cleanly(tutor)


@pytest.mark.engine
def test_ctrl_c_stops_a_foreground_run_and_the_tutor_goes_on(spawn, api, container_name):
    name = container_name()
    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line(f"docker run --name {name} busybox sleep 60")
    wait_until(lambda: running(api, name))
    tutor.send(CTRL_C)
    tutor.expect_text("Stopped (Ctrl-C).")
    # busybox's sleep, the container's first process, ignores the SIGINT passed on.
    tutor.expect_text(f"keeps running (Ctrl-C only reaches a container's program when it "
                      f"runs with `-it`). Stop it with `docker stop {name}`.")
    assert running(api, name)
    still_works(tutor)
    quit_cleanly(tutor)


# -- keys typed while a command runs stay with that command ------------------------------


@pytest.mark.engine
def test_a_line_typed_during_a_streamed_command_is_dropped(spawn, api, container_name):
    name = container_name()
    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line(f"docker run --name {name} busybox sh -c 'echo up-$((40+2)); sleep 60'")
    tutor.expect("up-42")  # the container runs (the typed line says "up-$((40+2))")
    tutor.send("junk")  # typed while the command runs, never finished with Enter
    api.kill(name)
    tutor.prompt()
    tutor.send_line("/help")
    tutor.expect_text(HELP_LINE)  # the line was "/help", not "junk/help"
    quit_cleanly(tutor)


@pytest.mark.engine
def test_ctrl_p_typed_while_attached_without_a_tty_is_dropped(spawn, api, container_name):
    name = container_name()
    # No TTY: the CLI leaves the terminal as it is, so Ctrl-P is no detach key and
    # nobody reads it. At the next prompt it would recall the previous line.
    created = api.create_container("busybox", name=name, labels=TEST_LABEL, command=[
        "sh", "-c", "while true; do echo tick; sleep 1; done"])
    api.start(created["Id"])
    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line(f"docker attach {name}")
    # The tutor warns first (no TTY: Ctrl-P Ctrl-Q cannot detach) and offers
    # --sig-proxy=false; the keys typed while attached must still go nowhere.
    tutor.expect_text("Ctrl-P Ctrl-Q cannot detach")
    tutor.prompt("confirm")
    tutor.send_line("y")
    tutor.expect("tick")
    tutor.send(CTRL_P)
    api.kill(name)
    tutor.prompt()
    tutor.send_line("/help")
    tutor.expect_text(HELP_LINE)  # not "docker attach NAME/help"
    quit_cleanly(tutor)
    assert f"{name}/help" not in tutor.transcript()


# -- what the prompt does with odd keys --------------------------------------------------


def test_an_escape_sequence_typed_at_the_prompt_is_dropped(spawn):
    tutor = spawn()
    tutor.prompt()
    tutor.send("\x1b[0m")  # looks like a mouse report to prompt-toolkit
    tutor.send("/he\x1b[1;2mlp")
    tutor.send(ENTER)
    tutor.expect_text(HELP_LINE)
    quit_cleanly(tutor)
    transcript = tutor.transcript()
    assert "Traceback" not in transcript and "Unhandled exception" not in transcript
    assert "Press ENTER to continue" not in transcript


def test_ctrl_z_inserts_nothing_where_it_cannot_suspend(spawn):
    # pexpect's child leads its own session: no shell could resume it, so the kernel
    # ignores the stop and the line goes on.
    tutor = spawn()
    tutor.prompt()
    tutor.send("/he" + CTRL_Z + "lp")
    tutor.expect("lp")
    tutor.send(ENTER)
    tutor.expect_text(HELP_LINE)
    quit_cleanly(tutor)
    assert "^Z" not in tutor.transcript()


def test_ctrl_z_suspends_under_a_job_control_shell_and_fg_resumes(home, neutral_dir):
    env = {**tutor_env(home), "PS1": "SHELL$ ", "HISTFILE": "/dev/null"}
    log = io.StringIO()
    shell = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], cwd=str(neutral_dir),
                          env=env, dimensions=(40, 120), encoding="utf-8",
                          codec_errors="replace", timeout=TutorProcess.TIMEOUT)
    shell.logfile_read = log
    try:
        shell.expect_exact("SHELL$ ")
        shell.send(f"{shlex.quote(sys.executable)} -m tutor --no-banner" + ENTER)
        shell.expect_exact("\x1b[?2004h")
        shell.expect("you")
        shell.send("/he" + CTRL_Z)
        shell.expect("Stopped")  # the shell's job report
        shell.expect_exact("SHELL$ ")
        shell.send("fg" + ENTER)
        shell.expect(re.escape("/he"))  # the prompt is back with the half-typed line
        shell.send("lp" + ENTER)
        shell.expect(HELP_LINE)
        shell.expect_exact("\x1b[?2004h")
        shell.send(CTRL_D)
        shell.expect("Progress saved")
        shell.expect_exact("SHELL$ ")
        shell.send("exit" + ENTER)
        shell.expect(pexpect.EOF)
    finally:
        shell.close(force=True)
        print(log.getvalue()[-4000:])
    assert "^Z" not in log.getvalue()


# -- piped input ---------------------------------------------------------------------------


def test_piped_stdin_is_read_to_the_end_without_asking_the_terminal(home, neutral_dir):
    answers = neutral_dir / "answers.txt"
    answers.write_text("/help\n/lessons\n", encoding="utf-8")
    # stdout is the terminal, stdin a file; cursor-position requests are allowed, so any
    # the tutor made would show in the output.
    command = f"{shlex.quote(sys.executable)} -m tutor --no-banner < {shlex.quote(str(answers))}"
    log = io.StringIO()
    child = pexpect.spawn("sh", ["-c", command], cwd=str(neutral_dir),
                          env=tutor_env(home, cpr=True), dimensions=(40, 120),
                          encoding="utf-8", codec_errors="replace",
                          timeout=TutorProcess.TIMEOUT)
    child.logfile_read = log
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
        print(log.getvalue()[-4000:])
    transcript = log.getvalue()
    assert child.exitstatus == 0
    assert CURSOR_POSITION_REQUEST not in transcript
    assert "not a terminal" not in transcript  # prompt-toolkit's warning
    assert re.search(r"you › /help\s+/help\s+" + HELP_LINE, transcript)
    assert "you › /lessons" in transcript
    assert "Progress saved" in transcript  # the end of the input is Ctrl-D


# -- a narrow terminal -----------------------------------------------------------------------


def test_lessons_at_60_columns_show_every_id_whole(spawn):
    course = load_shipped()
    tutor = spawn(dimensions=(40, 60))
    tutor.prompt()
    tutor.send_line("/lessons")
    tutor.expect_text("/start <id or number> opens a lesson.")
    quit_cleanly(tutor)
    # /lessons shows every title whole too (the greeting above it may cut them short).
    transcript = tutor.transcript().split("/lessons", 1)[1]
    for lesson in course.lessons:
        assert re.search(rf"(?<![\w-]){re.escape(lesson.id)}(?![\w-])", transcript), lesson.id
    assert "…" not in transcript


# -- talking to the tutor in the middle of a practice step ------------------------------------


def test_two_questions_in_the_middle_of_a_practice_step_then_the_step(spawn, api, home):
    import json

    from replkit import prompt_pattern

    def back_at_the_prompt() -> None:
        """The tutor may offer to open the lesson it quoted: decline, and go on."""
        if tutor.child.expect([prompt_pattern("confirm"), prompt_pattern("you")]) == 0:
            tutor.send_line("n")
            tutor.prompt()

    tutor = spawn(engine=True)
    tutor.prompt()
    tutor.send_line("/start container-commands")
    for _ in range(5):  # past the lesson's opening explanations
        tutor.prompt()
        if "a container named" in tutor.transcript():
            break
        tutor.send_line("")
    text = tutor.transcript()
    flat = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())
    name = re.findall(r"a container named ([a-z0-9-]+) from", flat)[-1]
    port = re.findall(r"published on port (\d+) of your machine", flat)[-1]
    try:
        tutor.send_line("what is a registry?")
        tutor.expect_text("registry")
        tutor.expect_text("still waiting for your answer")
        back_at_the_prompt()
        tutor.send_line("how do i publish a port")
        tutor.expect_text("From “")
        back_at_the_prompt()
        # The step is still the same, and the questions were no wrong answers; do it now.
        tutor.send_line(f"docker run -d --name {name} -p {port}:80 busybox httpd -f -p 80")
        tutor.expect_text("Correct")
        quit_cleanly(tutor)
    finally:
        try:
            api.remove_container(name, force=True)
        except Exception:
            pass
    assert "Something went wrong" not in tutor.transcript()
    progress = json.loads((home / "progress.json").read_text())
    record = progress["lessons"]["container-commands"]["steps"]["run-web"]
    assert record["status"] == "passed" and record["attempts"] == 0
