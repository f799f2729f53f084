"""What reaches the conversation from the keyboard or a pipe: escape sequences and
control keys are no text, and input that is not a terminal is read line by line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from replkit import ENTER, line, run_keys, tiny_course

from tutor.cli import main
from tutor.environment import Environment
from tutor.repl import loop
from tutor.repl.loop import clean_line
from tutor.status import ExitStatus

HELP_LINE = "list the commands"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    return tiny_course(tmp_path / "course")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.mark.parametrize(("typed", "kept"), [
    ("\x1b[31mdocker ps\x1b[0m", "docker ps"),
    ("/he\x1alp", "/help"),
    ("docker\trun", "docker run"),
    ("a\x1b]0;a window title\x07b", "ab"),
    ("\x1b", ""),
    ("docker run \\\n  busybox", "docker run \\\n  busybox"),
    ("naïve ✓ 名前", "naïve ✓ 名前"),
])
def test_clean_line(typed, kept):
    assert clean_line(typed) == kept


def test_a_pasted_line_with_colours_is_its_text(data, lessons):
    run = run_keys(data, PASTE_START + "/he\x1b[1mlp\x1b[0m" + PASTE_END + ENTER, lessons)
    assert HELP_LINE in run.text
    assert "Unknown command" not in run.text


# An escape sequence typed (not pasted) at the prompt: test_e2e_terminal.py, in a real
# terminal (in-process, prompt-toolkit's crash handler would wait for Enter forever).


def test_ctrl_z_is_no_character_of_the_line(data, lessons):
    run = run_keys(data, line("/he\x1alp"), lessons)
    assert HELP_LINE in run.text
    assert "Unknown command" not in run.text


# -- input that is not a terminal ---------------------------------------------------------


def piped_env(text: str, data: Path, lessons: Path) -> Environment:
    """The process's own stdin is a pipe: no prompt input is given."""
    return Environment(stdin=io.StringIO(text), stdout=io.StringIO(), stderr=io.StringIO(),
                       environ={}, data_dir=data, lessons_dir=lessons, stdin_isatty=False,
                       stdout_isatty=False, width=100)


def test_piped_lines_are_read_until_the_end_of_input(data, lessons, monkeypatch):
    def no_prompt_toolkit(*args):
        raise AssertionError("prompt-toolkit must not read a pipe")

    monkeypatch.setattr(loop, "make_prompt_session", no_prompt_toolkit)
    env = piped_env("/help\n\n/reset\ny\n", data, lessons)
    status = main(["--no-banner"], env=env)
    out = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert status == ExitStatus.SUCCESS
    assert "you › /help" in out and HELP_LINE in out
    assert "Lesson: Alpha lesson" in out  # the empty line is Enter
    assert "confirm › y" in out and "All progress forgotten." in out
    assert out.rstrip().endswith("Progress saved. See you next time!")  # end of input


def test_piped_lines_keep_their_text_without_control_characters(data, lessons):
    env = piped_env("/he\x1b[0mlp\r\n/quit\n", data, lessons)
    main(["--no-banner"], env=env)
    out = env.stdout.getvalue()  # type: ignore[attr-defined]
    assert "you › /help" in out and HELP_LINE in out
    assert "\x1b" not in out and "\r" not in out


def test_an_empty_pipe_quits_at_once(data, lessons):
    env = piped_env("", data, lessons)
    assert main(["--no-banner"], env=env) == ExitStatus.SUCCESS
    assert "Progress saved" in env.stdout.getvalue()  # type: ignore[attr-defined]
