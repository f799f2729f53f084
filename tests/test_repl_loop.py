"""The REPL loop in-process: prompt-toolkit reads keystrokes from a pipe, the
tutor prints into a StringIO, progress lands in a tmp data directory.

Each test types a whole session up front (the pipe is closed afterwards, so a
session that does not quit ends as if Ctrl-D had been pressed). Sessions run
without a practice runner: the engine is not part of these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replkit import (
    ALPHA,
    BETA,
    BROKEN,
    CTRL_C,
    CTRL_D,
    ENTER,
    F1,
    SHIPPED_LESSONS,
    UP,
    keys_to_question,
    line,
    load_clean,
    load_shipped,
    question_after_says,
    right_answer,
    run_keys,
    tiny_course,
    write_course,
    wrong_answer,
)

from tutor.lessonfile.loader import load_course
from tutor.progress import Progress, ProgressStore
from tutor.repl.conversation import Conversation
from tutor.repl.toolbar import make_toolbar
from tutor.status import ExitStatus


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    return tiny_course(tmp_path / "course")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


# -- start-up ----------------------------------------------------------------------------


def test_start_greets_lists_lessons_and_offers_the_first(data, lessons):
    run = run_keys(data, CTRL_D, lessons)
    assert run.status == ExitStatus.SUCCESS
    assert run.text.startswith("docker-tutor v")
    assert "Hi! I'm your Docker tutor" in run.text
    assert "Tiny course" in run.text
    assert "Alpha lesson" in run.text and "Beta lesson" in run.text
    assert "Press Enter to start “Alpha lesson”" in run.flat
    assert run.err == ""


def test_enter_starts_the_first_lesson(data, lessons):
    run = run_keys(data, [ENTER, CTRL_D], lessons)
    assert "Lesson: Alpha lesson" in run.text
    assert "The alpha lesson summary." in run.text
    assert "Alpha lesson · step 1/4" in run.text
    assert "Alpha says hello." in run.text
    assert run.progress()["current"] == {"lesson": "alpha", "step": "hello"}


def test_enter_starts_the_first_shipped_lesson(data):
    course = load_shipped()
    first = course.lessons[0]
    run = run_keys(data, [ENTER, CTRL_D], SHIPPED_LESSONS)
    assert f"Lesson: {first.title}" in run.text
    assert f"step 1/{len(first.steps)}" in run.text
    assert run.progress()["current"] == {"lesson": first.id, "step": first.steps[0].id}


def test_wrong_then_right_answer(data, lessons):
    course = load_clean(lessons)
    alpha = course.lessons[0]
    keys, index = keys_to_question(alpha)
    question = alpha.steps[index]
    run = run_keys(data, [ENTER, keys, line(wrong_answer(question)),
                          line(right_answer(question)), CTRL_D], lessons)
    text = run.text
    assert "✘ Not quite." in text
    assert "Wrong-choice feedback for alpha." in text
    assert "Try again, or type /hint for a clue." in text
    assert text.index("Not quite") < text.index("✔ Correct!")
    assert "Alpha explanation text." in text
    assert f"step {index + 2}/4" in text  # moved on after the right answer
    record = run.step_record("alpha", question.id)
    assert record["status"] == "passed"
    assert record["attempts"] == 1
    assert run.progress()["current"]["step"] == alpha.steps[index + 1].id


def test_wrong_then_right_answer_in_a_shipped_lesson(data):
    course = load_shipped()
    lesson = course.lessons[0]
    if not question_after_says(lesson):
        pytest.skip(f"{lesson.id} does not open with say steps and a typed question")
    keys, index = keys_to_question(lesson)
    question = lesson.steps[index]
    run = run_keys(data, [ENTER, keys, line(wrong_answer(question)), line("/hint"),
                          line(right_answer(question)), CTRL_D], SHIPPED_LESSONS)
    assert run.text.index("Not quite") < run.text.index("Hint 1/") < run.text.index("Correct!")
    record = run.step_record(lesson.id, question.id)
    assert record == {"status": "passed", "attempts": 1, "hints": 1, "revealed": False}


def test_text_question_feedback_then_right(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("b"), line("sorry"), line("PLEASE"), CTRL_D],
                   lessons)
    assert "Sorry-feedback for alpha." in run.text
    assert "Magic explanation text." in run.text
    assert run.step_record("alpha", "word")["status"] == "passed"
    assert run.progress()["current"]["step"] == "bye"


def test_unclear_answer_does_not_count_as_an_attempt(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("z"), line("b"), CTRL_D], lessons)
    assert "Answer with the letter of a choice: a to c." in run.text
    assert "Not quite" not in run.text
    assert run.step_record("alpha", "pick") == {
        "status": "passed", "attempts": 0, "hints": 0, "revealed": False}


# -- Ctrl-C, Ctrl-D, /quit ---------------------------------------------------------------


def test_ctrl_c_drops_the_half_typed_line_and_keeps_going(data, lessons):
    # "a" is a wrong answer; if Ctrl-C kept it, the next "b" would make "ab"
    # (two picks on a one-answer question) instead of the right answer.
    run = run_keys(data, [ENTER, ENTER, "a", CTRL_C, line("b"), CTRL_D], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert "✔ Correct!" in run.text
    assert "Not quite" not in run.text
    assert "Only one choice" not in run.text
    assert run.step_record("alpha", "pick")["attempts"] == 0
    assert run.err == ""


def test_ctrl_c_on_an_empty_line_does_not_quit(data, lessons):
    run = run_keys(data, [CTRL_C, CTRL_C, ENTER], lessons)
    assert "Lesson: Alpha lesson" in run.text  # the Enter after two Ctrl-C still counted
    assert run.status == ExitStatus.SUCCESS


def test_ctrl_c_on_a_say_step_drops_the_text(data, lessons):
    run = run_keys(data, [ENTER, "some words", CTRL_C, ENTER, CTRL_D], lessons)
    assert "This step has no question" not in run.text
    assert run.progress()["current"]["step"] == "pick"


def test_ctrl_d_quits_and_saves_progress(data, lessons):
    run = run_keys(data, [ENTER, ENTER, CTRL_D, line("/help")], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert run.text.rstrip().endswith("Progress saved. See you next time!")
    assert "list the commands" not in run.text  # nothing after Ctrl-D was read
    assert run.progress()["current"] == {"lesson": "alpha", "step": "pick"}
    assert run.progress()["lessons"]["alpha"]["steps"]["hello"]["status"] == "passed"


def test_ctrl_d_before_any_lesson_saves_empty_progress(data, lessons):
    run = run_keys(data, CTRL_D, lessons)
    assert run.progress()["current"] is None
    assert run.progress()["lessons"] == {}


def test_quit_command_leaves(data, lessons):
    run = run_keys(data, [ENTER, line("/quit"), line("/help")], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert run.text.rstrip().endswith("Progress saved. See you next time!")
    assert "list the commands" not in run.text
    assert run.progress()["current"] == {"lesson": "alpha", "step": "hello"}


def test_quit_command_is_case_insensitive(data, lessons):
    run = run_keys(data, [line("/QUIT"), line("/help")], lessons)
    assert "Progress saved" in run.text
    assert "list the commands" not in run.text


def test_end_of_input_acts_like_ctrl_d(data, lessons):
    run = run_keys(data, [ENTER, ENTER], lessons)  # the pipe closes after the keys
    assert run.status == ExitStatus.SUCCESS
    assert "Progress saved" in run.text
    assert run.progress()["current"]["step"] == "pick"


# -- a second run ----------------------------------------------------------------------


def test_second_run_resumes_at_the_saved_step(data, lessons):
    first = run_keys(data, [ENTER, ENTER, line("b"), line("/quit")], lessons)
    assert first.progress()["current"] == {"lesson": "alpha", "step": "word"}
    second = run_keys(data, CTRL_D, lessons)
    assert "Welcome back! Picking up “Alpha lesson” at step 3." in second.flat
    assert "Type the magic word." in second.text
    assert "Hi! I'm your Docker tutor" not in second.text
    # and the learner goes on from there
    third = run_keys(data, [line("please"), CTRL_D], lessons)
    assert "✔ Correct!" in third.text
    assert third.progress()["current"]["step"] == "bye"


def test_second_run_after_finishing_a_lesson_offers_the_next(data, lessons):
    run_keys(data, [ENTER, ENTER, line("b"), line("please"), ENTER, CTRL_D], lessons)
    again = run_keys(data, [ENTER, CTRL_D], lessons)
    assert "Welcome back" not in again.text
    assert "Press Enter to start “Beta lesson”" in again.flat
    assert "✔ done" in again.text
    assert "Lesson: Beta lesson" in again.text


def test_history_file_is_written_in_the_data_dir(data, lessons):
    run_keys(data, [line("/lessons"), line("/progress"), CTRL_D], lessons)
    history = (data / "history").read_text(encoding="utf-8")
    assert "+/lessons" in history
    assert "+/progress" in history
    assert history.index("+/lessons") < history.index("+/progress")


def test_history_is_recalled_in_the_next_run(data, lessons):
    run_keys(data, [line("/progress"), CTRL_D], lessons)
    run = run_keys(data, [UP, ENTER, CTRL_D], lessons)
    assert "0 of 2 lessons complete." in run.text


def test_dropped_lines_are_not_kept_in_history(data, lessons):
    run_keys(data, ["/lessons", CTRL_C, line("/help"), CTRL_D], lessons)
    history = (data / "history").read_text(encoding="utf-8")
    assert "+/help" in history
    assert "/lessons" not in history


def test_saved_position_in_a_lesson_that_no_longer_exists_starts_fresh(data, lessons):
    ProgressStore(data / "progress.json").save(
        Progress(current_lesson="gone", current_step="somewhere"))
    run = run_keys(data, [ENTER, CTRL_D], lessons)
    assert "Welcome back" not in run.text
    assert "Lesson: Alpha lesson" in run.text


def test_saved_step_that_no_longer_exists_resumes_at_the_first_unfinished(data, lessons):
    progress = Progress(current_lesson="alpha", current_step="removed-step")
    progress.lesson("alpha").step("hello").status = "passed"
    ProgressStore(data / "progress.json").save(progress)
    run = run_keys(data, CTRL_D, lessons)
    assert "Picking up “Alpha lesson” at step 2." in run.flat


# -- broken things at start-up ------------------------------------------------------------


def test_corrupt_progress_file_is_reported_and_kept_as_a_backup(data, lessons):
    data.mkdir()
    (data / "progress.json").write_text("{ this is not json", encoding="utf-8")
    run = run_keys(data, [ENTER, CTRL_D], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert "Your progress file could not be read" in run.flat
    assert "starting with fresh progress" in run.flat
    backups = list(data.glob("progress.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == "{ this is not json"
    assert backups[0].name in "".join(run.out.split())  # the path may be wrapped
    assert "Hi! I'm your Docker tutor" in run.text  # fresh start
    # and the new progress was saved as a readable file
    assert run.progress()["current"] == {"lesson": "alpha", "step": "hello"}


def test_progress_of_an_unknown_version_is_set_aside(data, lessons):
    data.mkdir()
    (data / "progress.json").write_text(json.dumps({"version": 99}), encoding="utf-8")
    run = run_keys(data, CTRL_D, lessons)
    assert "could not be read" in run.flat
    assert len(list(data.glob("progress.json.corrupt-*"))) == 1


def test_broken_lesson_is_reported_and_the_others_still_open(tmp_path, data):
    lessons = write_course(tmp_path / "course", {"alpha": ALPHA, "broken": BROKEN, "beta": BETA})
    run = run_keys(data, [ENTER, line("/start beta"), CTRL_D], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert "Some lesson files have problems; the other lessons are open:" in run.flat
    problems = run.flat.split("⚠")[1:]  # lines wrap: look at the text after each marker
    assert problems, run.text
    assert any("broken.yaml" in text and "'txet'" in text for text in problems), problems
    assert "Broken lesson" not in run.text  # not offered in the lesson table
    assert "Lesson: Alpha lesson" in run.text
    assert "Lesson: Beta lesson" in run.text


def test_course_with_no_loadable_lesson_exits_with_lesson_errors(tmp_path, data):
    lessons = write_course(tmp_path / "course", {"broken": BROKEN})
    run = run_keys(data, "", lessons)
    assert run.status == ExitStatus.LESSON_ERRORS
    assert "no lesson could be loaded" in run.err
    assert "broken.yaml" in run.text


def test_no_lessons_dir_is_an_error_exit(tmp_path, data):
    missing = tmp_path / "nowhere"
    run = run_keys(data, "", missing)
    assert run.status == ExitStatus.ERROR
    assert f"docker-tutor: {missing / 'course.yaml'} is missing" in run.err
    assert f"docker-tutor lint {missing}" in run.err
    assert not (data / "progress.json").exists()


def test_lessons_option_pointing_nowhere_is_an_error_exit(tmp_path, data):
    missing = tmp_path / "elsewhere"
    run = run_keys(data, "", SHIPPED_LESSONS, argv=["--no-banner", "--lessons", str(missing)])
    assert run.status == ExitStatus.ERROR
    assert "course.yaml is missing" in run.err


def test_lessons_option_picks_the_course(tmp_path, data, lessons):
    run = run_keys(data, CTRL_D, SHIPPED_LESSONS, argv=["--no-banner", "--lessons", str(lessons)])
    assert "Tiny course" in run.text


def test_no_banner_is_printed_when_output_is_not_a_terminal(data, lessons):
    run = run_keys(data, CTRL_D, lessons, argv=[])
    assert run.text.splitlines()[0].startswith("docker-tutor v")


# -- commands through the loop -------------------------------------------------------------


def test_f1_submits_help(data, lessons):
    run = run_keys(data, [F1, CTRL_D], lessons)
    assert "/help" in run.text and "list the commands" in run.text
    assert "A line starting with `docker` runs that docker command" in run.flat
    assert "+/help" in (data / "history").read_text(encoding="utf-8")


def test_f1_replaces_a_half_typed_line(data, lessons):
    run = run_keys(data, [ENTER, ENTER, "a", F1, line("b"), CTRL_D], lessons)
    assert "list the commands" in run.text
    assert "Not quite" not in run.text  # the "a" was never submitted as an answer
    assert run.step_record("alpha", "pick")["attempts"] == 0


def test_unknown_command_suggests_the_closest(data, lessons):
    run = run_keys(data, [line("/hlep"), CTRL_D], lessons)
    assert "Unknown command /hlep (did you mean '/help'?)" in run.flat


def test_start_by_number_and_lessons_table(data, lessons):
    run = run_keys(data, [line("/start 2"), ENTER, line("a c"), line("/lessons"), CTRL_D], lessons)
    assert "Lesson: Beta lesson" in run.text
    assert "This lesson builds on: Alpha lesson" in run.flat
    assert "✔ Correct!" in run.text
    assert "Lesson complete: Beta lesson" in run.text
    assert "/start <id or number> opens a lesson." in run.text


def test_reset_asks_and_no_keeps_progress(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("/reset"), line("n"), CTRL_D], lessons)
    assert "Forget ALL your progress in every lesson? [y/N]" in run.flat
    assert "Cancelled: nothing was changed." in run.text
    assert run.progress()["current"] == {"lesson": "alpha", "step": "pick"}


def test_reset_yes_forgets_everything(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("/reset"), line("y"), CTRL_D], lessons)
    assert "All progress forgotten." in run.text
    assert run.progress()["current"] is None
    assert run.progress()["lessons"] == {}


def test_reset_one_lesson(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("/reset alpha"), line("yes"), CTRL_D], lessons)
    assert "Forget your progress in “Alpha lesson”? [y/N]" in run.flat
    assert "Progress for “Alpha lesson” forgotten." in run.flat
    assert "alpha" not in run.progress()["lessons"]


def test_ctrl_d_at_the_confirmation_quits_without_resetting(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("/reset"), CTRL_D], lessons)
    assert "Progress saved" in run.text
    assert run.progress()["current"] == {"lesson": "alpha", "step": "pick"}


def test_progress_command_counts(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("a"), line("b"), line("/hint"), line("please"),
                          line("/progress"), CTRL_D], lessons)
    rows = [text for text in run.text.splitlines() if text.strip().startswith("Alpha lesson")]
    assert rows, run.text
    cells = [cell.strip() for cell in rows[-1].replace("│", "|").split("|")]
    # steps done, questions right first time, hints, skipped, (time), progress
    assert cells[1:5] == ["3/4", "1/2", "1", "0"], cells
    assert cells[6] == "████████░░ 75%", cells
    assert "0 of 2 lessons complete." in run.text


def test_docker_line_without_practice_says_it_is_unavailable(data, lessons):
    run = run_keys(data, [line("docker ps"), CTRL_D], lessons)
    assert "Running docker commands is not available in this session." in run.text


def test_docker_line_on_a_say_step_is_a_command_not_an_answer(data, lessons):
    run = run_keys(data, [ENTER, line("docker ps"), CTRL_D], lessons)
    assert "Running docker commands is not available in this session." in run.text
    assert "This step has no question" not in run.text
    assert run.progress()["current"]["step"] == "hello"


# A regression test: lines starting with "docker" used to be sent to the docker
# runner even on a text question that accepts "docker build".
def test_text_answer_starting_with_docker_is_judged_as_an_answer(data, lessons):
    run = run_keys(data, [ENTER, ENTER, line("b"), line("docker build"), CTRL_D], lessons)
    assert run.text.count("✔ Correct!") == 2  # the choice, then the text question
    assert "Magic explanation text." in run.text
    assert run.step_record("alpha", "word")["status"] == "passed"


def test_shipped_build_command_accepts_docker_build(data):
    course = load_shipped()
    lesson = course.lessons[0]
    index = lesson.step_index("build-command")
    if index is None:
        pytest.skip("the shipped lesson no longer has the build-command step")
    step = lesson.steps[index]
    if not any(pattern.matches("docker build") for pattern in step.accept):
        pytest.skip("the shipped lesson no longer accepts 'docker build'")
    # Jump straight to the step through saved progress: the run resumes there.
    ProgressStore(data / "progress.json").save(
        Progress(current_lesson=lesson.id, current_step=step.id))
    run = run_keys(data, [line("docker build"), CTRL_D], SHIPPED_LESSONS)
    assert "Welcome back" in run.text
    assert "✔ Correct!" in run.text


def test_prompt_says_confirm_while_a_question_waits(data, lessons):
    from tutor.repl.loop import prompt_message

    conversation = _conversation(lessons, data)

    def shown() -> str:
        return "".join(text for _style, text, *_ in prompt_message(conversation))

    assert shown() == "you › "
    conversation.handle("/reset")
    assert shown() == "confirm › "
    conversation.handle("n")
    assert shown() == "you › "


# -- the toolbar -------------------------------------------------------------------------


class _Practice:
    def __init__(self, status) -> None:
        self._status = status

    def status(self):
        return self._status

    def watch_engine(self, changed) -> None:
        pass

    def enter_step(self, step) -> None:
        pass

    def leave_step(self, step) -> None:
        pass


def _conversation(lessons: Path, data: Path, practice=None, progress=None) -> Conversation:
    import io

    from rich.console import Console

    from tutor.render.theme import TUTOR_THEME

    console = Console(file=io.StringIO(), theme=TUTOR_THEME, width=100)
    return Conversation(load_course(lessons), ProgressStore(data / "progress.json"),
                        console, practice=practice,
                        progress=progress)


def _toolbar_text(conversation: Conversation) -> str:
    return "".join(text for _style, text, *_ in make_toolbar(conversation)())


def test_toolbar_without_a_lesson(data, lessons):
    conversation = _conversation(lessons, data)
    text = _toolbar_text(conversation)
    assert "no lesson open" in text
    assert "/help" in text and "Ctrl-D quits" in text
    assert "step" not in text


def test_toolbar_in_a_lesson_follows_the_step(data, lessons):
    conversation = _conversation(lessons, data)
    toolbar = make_toolbar(conversation)
    conversation.handle("")  # Enter starts the first lesson
    parts = toolbar()
    assert ("class:bottom-toolbar.lesson", " Alpha lesson") in parts
    assert "step 1/4" in "".join(text for _style, text, *_ in parts)
    conversation.handle("")
    assert "step 2/4" in _toolbar_text(conversation)
    assert "no lesson open" not in _toolbar_text(conversation)


def test_toolbar_after_resuming(data, lessons):
    progress = Progress(current_lesson="beta", current_step="both")
    conversation = _conversation(lessons, data, progress=progress)
    text = _toolbar_text(conversation)
    assert "Beta lesson" in text and "step 2/2" in text


@pytest.mark.parametrize(
    ("status", "style"),
    [("engine ok (27.1)", "class:bottom-toolbar.engine-ok"),
     ("engine down", "class:bottom-toolbar.engine-down")],
)
def test_toolbar_shows_the_engine_status(data, lessons, status, style):
    from tutor.practice.protocol import EngineLine

    line = EngineLine(status, ok=style.endswith("engine-ok"))
    conversation = _conversation(lessons, data, practice=_Practice(line))
    parts = make_toolbar(conversation)()
    assert (style, status) in parts


def test_toolbar_without_practice_says_nothing_about_the_engine(data, lessons):
    parts = make_toolbar(_conversation(lessons, data))()
    assert not any("engine" in style for style, *_ in parts)


# -- trouble while running ---------------------------------------------------------------


def test_ctrl_c_during_a_long_step_stops_that_step_not_the_tutor(data, lessons, monkeypatch):
    original = Conversation.handle

    def handle(self, line):
        if line == "/slow":
            raise KeyboardInterrupt  # as if Ctrl-C arrived while a command ran
        original(self, line)

    monkeypatch.setattr(Conversation, "handle", handle)
    run = run_keys(data, [line("/slow"), ENTER, CTRL_D], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert "Interrupted." in run.text
    assert run.text.index("Interrupted.") < run.text.index("Lesson: Alpha lesson")


def test_unusable_data_dir_does_not_stop_the_tutor(tmp_path, lessons):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data directory should be", encoding="utf-8")
    run = run_keys(blocked, [ENTER, line("/lessons"), CTRL_D], lessons)
    assert run.status == ExitStatus.SUCCESS
    assert "Progress could not be read" in run.flat
    assert "Could not save progress" in run.flat
    assert "Lesson: Alpha lesson" in run.text
    assert "/start <id or number> opens a lesson." in run.text  # still answering commands
    assert blocked.read_text(encoding="utf-8").startswith("a file")  # left alone


def test_quit_does_not_claim_progress_was_saved_when_saving_failed(tmp_path, lessons):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data directory should be", encoding="utf-8")
    run = run_keys(blocked, [ENTER, line("/quit")], lessons)
    last_words = run.flat[run.flat.rindex("Could not save progress"):]
    assert "Progress saved" not in last_words


def test_an_unexpected_error_is_reported_in_one_line_and_the_session_goes_on(
        data, lessons, monkeypatch):
    from tutor.repl.conversation import Conversation

    original = Conversation.handle

    def broken(self, line):
        if line.strip() == "/progress":
            raise RuntimeError("boom")
        return original(self, line)

    monkeypatch.setattr(Conversation, "handle", broken)
    run = run_keys(data, [line("/progress"), line("/help"), CTRL_D], lessons)
    assert "Something went wrong: RuntimeError: boom" in run.text
    assert "Traceback" not in run.text
    assert "/hint" in run.text  # /help still answered after the error
    assert "RuntimeError: boom" in (data / "errors.log").read_text()
