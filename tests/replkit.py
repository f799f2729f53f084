"""Helpers for the REPL tests: a small course on disk, in-process sessions driven
through prompt-toolkit pipe input, answers derived from lesson files, and a
pexpect wrapper around the real ``python -m tutor`` process.

Used by test_repl_loop.py, test_repl_completer.py and test_e2e_sessions.py.
Kept independent of conftest.py on purpose (so both can change separately).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.course.lesson import Course, Lesson, Step
from tutor.environment import Environment, default_lessons_dir
from tutor.lessonfile.loader import load_course
from tutor.steps.choice import ChoiceStep, label
from tutor.steps.say import SayStep
from tutor.steps.text import TextStep

SHIPPED_LESSONS = default_lessons_dir()

# Keystrokes as a terminal sends them.
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
F1 = "\x1bOP"
UP = "\x1b[A"


def _judge(step, answer):
    return step.judge(answer)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- a small course --------------------------------------------------------------------

ALPHA = dedent(
    """
    id: alpha
    title: Alpha lesson
    summary: The alpha lesson summary.
    steps:
      - id: hello
        type: say
        text: Alpha says hello.
      - id: pick
        type: choice
        question: Which letter is the right one here?
        choices:
          - text: The wrong choice
            feedback: Wrong-choice feedback for alpha.
          - text: The right choice
            correct: true
          - text: Another wrong choice
        hints:
          - First alpha hint.
          - Second alpha hint.
        explanation: Alpha explanation text.
      - id: word
        type: text
        question: Type the magic word.
        accept:
          - ignore_case: [please, docker build]
        feedback:
          - when: { ignore_case: sorry }
            text: Sorry-feedback for alpha.
        hints:
          - The magic word is polite.
        explanation: Magic explanation text.
      - id: bye
        type: say
        text: Alpha says goodbye.
    """
)

BETA = dedent(
    """
    id: beta
    title: Beta lesson
    summary: The beta lesson summary.
    requires: [alpha]
    steps:
      - id: start
        type: say
        text: Beta begins.
      - id: both
        type: choice
        question: Pick both right answers.
        choices:
          - text: Right one
            correct: true
          - text: Wrong one
          - text: Right two
            correct: true
        hints:
          - Two are right.
        explanation: Beta explanation text.
    """
)

BROKEN = dedent(
    """
    id: broken
    title: Broken lesson
    summary: This lesson has a typo in a field name.
    steps:
      - id: only
        type: say
        txet: The field name is misspelt.
    """
)


def write_course(directory: Path, lessons: dict[str, str], title: str = "Tiny course") -> Path:
    """course.yaml listing ``lessons`` in order, plus one file per lesson."""
    directory.mkdir(parents=True, exist_ok=True)
    listing = "".join(f"  - {lesson_id}\n" for lesson_id in lessons)
    (directory / "course.yaml").write_text(f"title: {title}\nlessons:\n{listing}", encoding="utf-8")
    for lesson_id, text in lessons.items():
        (directory / f"{lesson_id}.yaml").write_text(text, encoding="utf-8")
    return directory


def tiny_course(directory: Path) -> Path:
    return write_course(directory, {"alpha": ALPHA, "beta": BETA})


def load_clean(directory: Path) -> Course:
    course = load_course(directory)
    assert not course.problems, [str(problem) for problem in course.problems]
    return course


def load_shipped() -> Course:
    """The shipped course as the tutor sees it. Problems in some lesson files
    are the lint tests' business: the tutor opens the other lessons anyway."""
    course = load_course(SHIPPED_LESSONS)
    assert course.lessons, [str(problem) for problem in course.problems]
    return course


# -- answers derived from the lesson files ------------------------------------------------


def right_answer(step: Step) -> str:
    """An answer the tutor accepts, checked with the tutor's own judge."""
    if isinstance(step, ChoiceStep):
        answer = " ".join(label(i) for i in sorted(step.correct_indexes))
        verdict = _judge(step, answer)
    elif isinstance(step, TextStep):
        candidates = [
            value
            for pattern in step.accept
            if pattern.kind in ("exact", "ignore_case")
            for value in pattern.values
        ]
        if not candidates:
            raise AssertionError(f"step {step.id}: no literal accepted answer to type")
        answer = candidates[0]
        verdict = _judge(step, answer)
    else:
        raise AssertionError(f"step {step.id} is not a question with a typed answer")
    assert verdict.correct, (step.id, answer, verdict)
    return answer


def wrong_answer(step: Step) -> str:
    """An answer that is understood but wrong (so it counts as an attempt)."""
    if isinstance(step, ChoiceStep):
        index = next(i for i in range(len(step.choices)) if i not in step.correct_indexes)
        answer = label(index)
        verdict = _judge(step, answer)
    elif isinstance(step, TextStep):
        answer = "zzz-surely-not-the-answer"
        verdict = _judge(step, answer)
    else:
        raise AssertionError(f"step {step.id} is not a question with a typed answer")
    assert not verdict.correct and not verdict.unclear, (step.id, answer, verdict)
    return answer


def first_question(lesson: Lesson, start: int = 0) -> int:
    """Index of the first choice/text question at or after ``start``."""
    for index in range(start, len(lesson.steps)):
        if isinstance(lesson.steps[index], (ChoiceStep, TextStep)):
            return index
    raise AssertionError(f"lesson {lesson.id} has no typed question after step {start + 1}")


def question_after_says(lesson: Lesson) -> bool:
    """True when the lesson opens with say steps followed by a typed question
    (so a session can reach it with Enter alone, without a Docker engine)."""
    for step in lesson.steps:
        if isinstance(step, (ChoiceStep, TextStep)):
            return True
        if not isinstance(step, SayStep):
            return False
    return False


def keys_to_question(lesson: Lesson, start: int = 0) -> tuple[str, int]:
    """Enter for every say step from ``start``; returns the keys and the question index."""
    index = first_question(lesson, start)
    assert all(isinstance(step, SayStep) for step in lesson.steps[start:index])
    return ENTER * (index - start), index


# -- in-process sessions -------------------------------------------------------------------


@dataclass
class Run:
    status: int
    out: str
    err: str
    data_dir: Path

    @property
    def text(self) -> str:
        """stdout with the padding rich adds at line ends removed."""
        return "\n".join(line.rstrip() for line in self.out.splitlines())

    @property
    def flat(self) -> str:
        """stdout with all whitespace runs folded to one space (for wrapped sentences)."""
        return " ".join(self.out.split())

    @property
    def progress_file(self) -> Path:
        return self.data_dir / "progress.json"

    def progress(self) -> dict:
        return json.loads(self.progress_file.read_text(encoding="utf-8"))

    def step_record(self, lesson_id: str, step_id: str) -> dict:
        return self.progress()["lessons"][lesson_id]["steps"][step_id]


def make_env(data_dir: Path, lessons_dir: Path | None, pipe, width: int = 100) -> Environment:
    from prompt_toolkit.output import DummyOutput

    return Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ={},
        data_dir=data_dir,
        lessons_dir=lessons_dir,
        stdout_isatty=False,
        stdin_isatty=False,
        width=width,
        prompt_input=pipe,
        prompt_output=DummyOutput(),
    )


def run_keys(
    data_dir: Path,
    keys: str | Sequence[str],
    lessons_dir: Path | None = SHIPPED_LESSONS,
    argv: Sequence[str] = ("--no-banner",),
    practice: bool = False,
) -> Run:
    """Run ``docker-tutor`` in-process with ``keys`` already typed.

    The pipe is closed after the keys, so a session that does not quit by itself
    ends with EOF (like Ctrl-D) instead of waiting for input forever.

    Without ``practice`` the session has no practice runner (as if no engine
    support were built in): these tests are about the REPL, not the engine.
    """
    from unittest import mock

    from prompt_toolkit.input import create_pipe_input

    import tutor.app
    from tutor.cli import main

    text = keys if isinstance(keys, str) else "".join(keys)
    no_practice = (mock.patch.object(tutor.app, "make_practice", lambda env, learner: None)
                   if not practice and hasattr(tutor.app, "make_practice")
                   else contextlib.nullcontext())
    with create_pipe_input() as pipe, no_practice:
        pipe.send_text(text)
        pipe.close()
        env = make_env(data_dir, lessons_dir, pipe)
        status = main(list(argv), env=env)
    return Run(int(status), env.stdout.getvalue(), env.stderr.getvalue(), data_dir)


def line(text: str) -> str:
    return text + ENTER


# -- pexpect sessions of the real program -----------------------------------------------------

PASTE_ON = "\x1b[?2004h"  # prompt-toolkit enables bracketed paste when a prompt starts
_ESC = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
_ESC_1 = r"(?:\x1b\[[0-9;?]*[A-Za-z])+"
GAP = r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+"  # whitespace and style escapes
CELL_GAP = r"(?:[\s│┃|]|\x1b\[[0-9;?]*[A-Za-z])+"  # also table rules


def prompt_pattern(name: str) -> str:
    return name + _ESC + r" " + _ESC + "›"


def tutor_env(home: Path, term: str = "xterm", no_color: bool = True,
              engine: bool = False, cpr: bool = False) -> dict[str, str]:
    """The tutor's environment: its own data directory, no colour, no cursor-position
    requests (nobody in a test answers them) unless ``cpr``; the engine the tests
    use (DOCKER_HOST) only with ``engine``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DOCKER_", "PYTEST_", "COV_", "PROMPT_TOOLKIT_"))
        and key not in ("NO_COLOR", "COLUMNS", "LINES")
    }
    env.update(
        TERM=term,
        DOCKER_TUTOR_HOME=str(home),
        PYTHONIOENCODING="utf-8",
        PYTHONUNBUFFERED="1",
    )
    if not cpr:
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    if no_color:
        env["NO_COLOR"] = "1"
    if engine and os.environ.get("DOCKER_HOST"):
        env["DOCKER_HOST"] = os.environ["DOCKER_HOST"]
    return env


class TutorProcess:
    """The real tutor in a pseudo-terminal, driven like a learner would."""

    TIMEOUT = 15

    def __init__(self, home: Path, cwd: Path, args: Sequence[str] = ("--no-banner",),
                 term: str = "xterm", no_color: bool = True,
                 log: io.StringIO | None = None, engine: bool = False,
                 dimensions: tuple[int, int] = (40, 120)) -> None:
        import pexpect

        self.pexpect = pexpect
        self.log = log if log is not None else io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "tutor", *args],
            cwd=str(cwd),
            env=tutor_env(home, term, no_color, engine=engine),
            dimensions=dimensions,
            encoding="utf-8",
            codec_errors="replace",
            timeout=self.TIMEOUT,
        )
        self.child.logfile_read = self.log

    def expect(self, pattern: str) -> re.Match:
        """Wait for a regular expression in the output."""
        self.child.expect(pattern)
        return self.child.match

    def expect_text(self, text: str) -> None:
        """Wait for ``text``, allowing line wrapping, padding and style escapes
        between its words."""
        self.child.expect(GAP.join(re.escape(word) for word in text.split()))

    def expect_row(self, *cells: str) -> None:
        """Wait for a table row: the cells in order, separated by rules and padding."""
        self.child.expect(CELL_GAP.join(re.escape(cell) for cell in cells))

    def prompt(self, name: str = "you") -> None:
        """Wait until a fresh prompt is up (and the terminal in raw mode)."""
        self.child.expect_exact(PASTE_ON)
        self.child.expect(prompt_pattern(name))

    def expect_completed(self, typed: str, completed: str) -> None:
        """Wait until the input line shows ``completed`` after ``typed`` was typed
        and Tab pressed. prompt-toolkit redraws only what changed, so the added
        text follows the last typed character after cursor escapes; a completion
        menu (text without escapes in between) does not match."""
        assert completed.startswith(typed) and completed != typed
        added = completed[len(typed):]
        redrawn = re.escape(typed[-1]) + _ESC_1 + re.escape(added)
        whole = prompt_pattern("you") + _ESC + " ?" + re.escape(completed)
        self.child.expect(f"{redrawn}|{whole}")

    def send_line(self, text: str) -> None:
        self.child.send(text + ENTER)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def wait_exit(self) -> int | None:
        self.child.expect(self.pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)

    def transcript(self) -> str:
        return self.log.getvalue()


@contextlib.contextmanager
def spawned(home: Path, cwd: Path, **defaults):
    """A ``start(**kwargs)`` that starts tutor processes (``defaults`` overridden by
    ``kwargs``); on leaving, each is killed and its transcript printed (pytest shows it
    only for a failed test)."""
    started: list[TutorProcess] = []

    def start(**kwargs) -> TutorProcess:
        process = TutorProcess(home, cwd, **{**defaults, **kwargs})
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.close()
        for number, process in enumerate(started, start=1):
            print(f"--- transcript of process {number} (end) ---")
            print(process.transcript()[-6000:])
