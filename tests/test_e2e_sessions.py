"""End-to-end sessions of the real program in a pseudo-terminal (pexpect).

Answers come from the shipped lesson files at test time, so editing a lesson's
content does not break these tests. Each step waits for the tutor's reply and
then for a fresh prompt before typing again: keys typed while the terminal is
not in raw mode would be cooked by the line discipline (Ctrl-C becoming SIGINT).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from replkit import (
    CTRL_C,
    CTRL_D,
    ENTER,
    TutorProcess,
    first_question,
    load_shipped,
    question_after_says,
    right_answer,
    spawned,
    wrong_answer,
)

from tutor.course.lesson import Course, Lesson
from tutor.steps.say import SayStep

pytest.importorskip("pexpect")


@pytest.fixture(scope="module")
def shipped() -> Course:
    course = load_shipped()
    if len(course.lessons) < 2:
        pytest.skip("the end-to-end sessions need at least two shipped lessons")
    return course


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


def progress(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


def step_label(lesson: Lesson, index: int) -> str:
    return f"step {index + 1}/{len(lesson.steps)}"


def walk_to_question(tutor: TutorProcess, lesson: Lesson, start: int) -> int:
    """From step ``start`` (already announced), press Enter through say steps."""
    index = first_question(lesson, start)
    for current in range(start, index):
        assert isinstance(lesson.steps[current], SayStep)
        tutor.prompt()
        tutor.send(ENTER)
        tutor.expect(re.escape(step_label(lesson, current + 1)))
    return index


def test_first_lesson_wrong_hint_right_quit_then_resume(spawn, home, shipped):
    lesson = shipped.lessons[0]
    if not question_after_says(lesson):
        pytest.skip(f"{lesson.id} does not open with say steps and a typed question")

    tutor = spawn()
    tutor.expect_text(f"Press Enter to start “{lesson.title}”")
    tutor.prompt()
    tutor.send(ENTER)
    tutor.expect_text(f"Lesson: {lesson.title}")
    tutor.expect(re.escape(step_label(lesson, 0)))
    index = walk_to_question(tutor, lesson, 0)
    question = lesson.steps[index]

    tutor.prompt()
    tutor.send_line(wrong_answer(question))
    tutor.expect("Not quite")
    tutor.prompt()
    tutor.send_line("/hint")
    tutor.expect(re.escape(f"Hint 1/{len(question.hints)}"))
    tutor.prompt()
    tutor.send_line(right_answer(question))
    tutor.expect("Correct")
    tutor.expect(re.escape(step_label(lesson, index + 1)))
    tutor.prompt()
    tutor.send_line("/quit")
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0

    saved = progress(home)
    next_step = lesson.steps[index + 1]
    assert saved["current"] == {"lesson": lesson.id, "step": next_step.id}
    record = saved["lessons"][lesson.id]["steps"][question.id]
    assert record["status"] == "passed"
    assert record["attempts"] == 1
    assert record["hints"] == 1
    assert (home / "history").is_file()

    again = spawn()
    again.expect_text(f"Welcome back! Picking up “{lesson.title}” at step {index + 2}.")
    again.expect(re.escape(step_label(lesson, index + 1)))
    again.prompt()
    again.send(CTRL_D)
    again.expect("Progress saved")
    assert again.wait_exit() == 0
    assert progress(home)["current"] == {"lesson": lesson.id, "step": next_step.id}


def test_lessons_start_by_number_progress_reset_and_ctrl_c(spawn, home, shipped):
    # The last lesson after the first that a session can answer without an engine.
    later = [number for number, candidate in enumerate(shipped.lessons, start=1)
             if number > 1 and not candidate.needs_engine and question_after_says(candidate)]
    if not later:
        pytest.skip("no later shipped lesson opens with say steps and a typed question")
    number = later[-1]
    lesson = shipped.lessons[number - 1]
    first = shipped.lessons[0]

    tutor = spawn()
    tutor.expect("Press Enter to start")
    tutor.prompt()
    tutor.send_line("/lessons")
    for listed in shipped.lessons:
        tutor.expect(re.escape(listed.id))
    tutor.expect_text("/start <id or number> opens a lesson.")

    tutor.prompt()
    tutor.send_line(f"/start {number}")
    tutor.expect_text(f"Lesson: {lesson.title}")
    tutor.expect(re.escape(step_label(lesson, 0)))
    index = walk_to_question(tutor, lesson, 0)
    tutor.prompt()
    tutor.send_line(right_answer(lesson.steps[index]))
    tutor.expect("Correct")

    tutor.prompt()
    tutor.send_line("/progress")
    questions = sum(1 for step in lesson.steps if step.is_question)
    tutor.expect_row(lesson.title, f"{index + 1}/{len(lesson.steps)}", f"1/{questions}")
    tutor.expect_text(f"0 of {len(shipped.lessons)} lessons complete.")

    tutor.prompt()
    tutor.send_line("/reset")
    tutor.expect_text("Forget ALL your progress in every lesson? [y/N]")
    tutor.prompt("confirm")
    tutor.send_line("n")
    tutor.expect_text("Cancelled: nothing was changed.")
    tutor.prompt("you")
    assert progress(home)["current"]["lesson"] == lesson.id

    tutor.send_line("/reset")
    tutor.expect_text("Forget ALL your progress in every lesson? [y/N]")
    tutor.prompt("confirm")
    tutor.send_line("y")
    tutor.expect_text("All progress forgotten.")
    tutor.prompt("you")
    saved = progress(home)
    assert saved["current"] is None and saved["lessons"] == {}

    # Ctrl-C drops the typed line and the session goes on: had "abc" been kept,
    # Enter would answer "No lesson is running" instead of starting a lesson.
    tutor.send("abc")
    tutor.expect("abc")
    tutor.send(CTRL_C)
    tutor.prompt("you")
    tutor.send(ENTER)
    tutor.expect_text(f"Lesson: {first.title}")
    tutor.prompt()
    tutor.send(CTRL_D)
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0
    assert progress(home)["current"]["lesson"] == first.id
    assert "No lesson is running" not in tutor.transcript()


def test_f1_shows_help_in_a_real_terminal(spawn):
    tutor = spawn()
    tutor.prompt()
    tutor.send("\x1bOP")
    tutor.expect_text("list the commands")
    tutor.prompt()
    tutor.send_line("/quit")
    assert tutor.wait_exit() == 0


def unique_prefix(word: str, others: list[str]) -> str | None:
    for length in range(2, len(word)):
        prefix = word[:length]
        if not any(other.startswith(prefix) for other in others if other != word):
            return prefix
    return None


def test_tab_completes_commands_and_lesson_ids(spawn, shipped):
    ids = [lesson.id for lesson in shipped.lessons]
    # A lesson that opens without the engine (starting it must not probe one).
    candidates = [(lesson, unique_prefix(lesson.id, ids)) for lesson in shipped.lessons[1:]
                  if not lesson.needs_engine and isinstance(lesson.steps[0], SayStep)]
    candidates = [(lesson, prefix) for lesson, prefix in candidates if prefix]
    if not candidates:
        pytest.skip("no engine-free shipped lesson with a unique id prefix")
    lesson, prefix = candidates[-1]

    tutor = spawn()
    tutor.prompt()
    tutor.send("/he")
    tutor.send("\t")
    tutor.expect_completed("/he", "/help")
    tutor.send(ENTER)
    tutor.expect_text("list the commands")

    tutor.prompt()
    tutor.send(f"/start {prefix}")
    tutor.send("\t")
    tutor.expect_completed(f"/start {prefix}", f"/start {lesson.id}")
    tutor.send(ENTER)
    tutor.expect_text(f"Lesson: {lesson.title}")
    tutor.prompt()
    tutor.send(CTRL_D)
    assert tutor.wait_exit() == 0


def test_dumb_terminal_session(spawn, home, shipped):
    lesson = shipped.lessons[0]
    tutor = spawn(term="dumb")
    tutor.expect("Press Enter to start")
    tutor.expect(r"you ›")
    tutor.send(ENTER)
    tutor.expect_text(f"Lesson: {lesson.title}")
    tutor.expect(r"you ›")
    tutor.send_line("/quit")
    tutor.expect("Progress saved")
    assert tutor.wait_exit() == 0
    assert progress(home)["current"]["lesson"] == lesson.id


def test_starts_with_banner_and_colour(spawn):
    tutor = spawn(args=(), no_color=False)
    head = tutor.expect(r"(?s)(.*?)Hi! I'm your Docker tutor").group(1)
    assert "\x1b[" in head  # colour, since NO_COLOR is not set
    assert re.search(r"v\d+\.\d+", head)
    assert head.count("\n") >= 3  # big letters above the version line
    tutor.expect("Press Enter to start")
    tutor.prompt()
    tutor.send(CTRL_D)
    assert tutor.wait_exit() == 0
