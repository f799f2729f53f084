"""Quiz rounds end to end: the real program in a pseudo-terminal (pexpect), and what
start-up imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from quizkit import write_quiz_course
from replkit import CTRL_D, TutorProcess, spawned

from tutor.lessonfile.loader import load_course
from tutor.steps.choice import ChoiceStep

pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def lessons(tmp_path):
    return write_quiz_course(tmp_path / "lessons")


@pytest.fixture
def spawn(tmp_path, lessons):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    with spawned(tmp_path / "home", cwd) as start:
        yield lambda *args: start(args=("--no-banner", "--lessons", str(lessons), *args))


def stored(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "home" / "progress.json").read_text(encoding="utf-8"))


def right_letters(tutor: TutorProcess, lessons: Path) -> str:
    """Read the question on screen, find it in the lesson, and the letters of its right
    choices as this round lettered them."""
    course = load_course(lessons)
    steps = [step for lesson in course.lessons for step in lesson.steps
             if isinstance(step, ChoiceStep) and step.quiz]
    tutor.expect(r"(?:Type the letter of your answer|type the letters, e\.g\. 'a c')\.")
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tutor.child.before)
    step = next(step for step in steps if step.question.split("?")[0] in " ".join(screen.split()))
    shown = dict((text.strip(), letter) for letter, text in
                 re.findall(r"^\s*([a-d])\) (.+?)\s*$", screen, re.M))
    return " ".join(sorted(shown[choice.text] for choice in step.choices if choice.correct))


def test_a_quiz_round_in_the_tutor(spawn, tmp_path, lessons):
    tutor = spawn()
    tutor.expect_text("Press Enter to start “Basics”")
    tutor.prompt()
    tutor.send_line("/quiz kernel")
    tutor.expect_text("Quiz on The kernel: 2 questions (2 new).")
    tutor.expect("Quiz · 1/2")
    first = right_letters(tutor, lessons)
    tutor.prompt()
    tutor.send_line(first)
    tutor.expect("Correct!")
    tutor.expect("Quiz · 2/2")
    right_letters(tutor, lessons)
    tutor.prompt()
    tutor.send_line("/skip")
    tutor.expect("Skipped.")
    tutor.expect_text("Round over: 1 of 2 right (50%).")
    tutor.expect_row("The kernel", "1/2")
    tutor.expect("Review next:")
    tutor.expect_text("Next review: in")
    tutor.prompt()
    tutor.send_line("/progress")
    tutor.expect("Quiz mastery")
    tutor.prompt()
    tutor.send(CTRL_D)
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0
    ratings = sorted(review["rating"] for record in stored(tmp_path)["quiz"]["questions"].values()
                     for review in record["reviews"])
    assert ratings == [1, 3]


def test_docker_tutor_quiz_asks_one_round_and_leaves(spawn, tmp_path):
    tutor = spawn("quiz", "--topic", "registries", "--count", "3")
    tutor.expect_text("Quiz on Registries: 1 question (1 new).")
    tutor.expect("Name the public registry")
    tutor.prompt()
    tutor.send_line("what is a registry?")
    tutor.expect("That reads like a question")
    tutor.prompt()
    tutor.send_line("docker hub")
    tutor.expect("Correct!")
    tutor.expect_text("Round over: 1 of 1 right (100%).")
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0
    assert len(stored(tmp_path)["quiz"]["questions"]) == 1


def test_docker_tutor_quiz_with_an_unknown_topic(spawn):
    tutor = spawn("quiz", "--topic", "registry")
    tutor.expect_text("No quiz questions on 'registry' (did you mean 'registries'?).")
    assert tutor.wait_exit() == 2


def test_the_scheduler_loads_with_the_first_answer_not_before_the_first_prompt(tmp_path,
                                                                              lessons):
    """What the tutor does before its first prompt (course, progress with answers that
    are due, the start screen's advice) loads no scheduler; a quiz answer does."""
    script = f"""
import io, sys
from pathlib import Path
from tutor.environment import Environment
from tutor.app import build_conversation
from tutor.progress import Progress, ProgressStore
from tutor.progress.reviews import QuestionRecord, Review

env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={{}},
                  data_dir=Path({str(tmp_path / "data")!r}), lessons_dir=Path({str(lessons)!r}),
                  stdout_isatty=False, stdin_isatty=False, width=100)
progress = Progress()
card = {{"card_id": 1, "state": 2, "step": None, "stability": 3.0, "difficulty": 5.0,
        "due": "2020-01-02T00:00:00+00:00", "last_review": "2020-01-01T00:00:00+00:00"}}
from tutor.quiz.questions import collect_questions
from tutor.lessonfile.loader import load_course
key = collect_questions(load_course(env.lessons_dir))[0].key
progress.quiz.questions[key] = QuestionRecord(
    [Review("2020-01-01T00:00:00+00:00", 3)], card, 1)
ProgressStore(env.progress_path).save(progress)
conversation = build_conversation(env)
conversation.greet()
print("advice", "due for review" in env.stdout.getvalue() or "due for review" in
      conversation.console.file.getvalue())
print("before", "fsrs" in sys.modules)
conversation.handle("/quiz kernel 1")
conversation.handle("/skip")
print("after", "fsrs" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["advice True", "before False", "after True"]
