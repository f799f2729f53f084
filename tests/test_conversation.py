"""The tutor's side of the conversation: walking lessons, judging answers, saving, resuming."""

from __future__ import annotations

import pytest
from conftest import saved

from tutor.progress import PASSED, Progress


def start_first(talk) -> None:
    talk.conv.greet()
    talk.say("")  # Enter starts the first lesson


def test_greet_without_progress_shows_the_lesson_table(talk):
    talk.conv.greet()
    out = talk.output()
    assert "Test course" in out
    for number, title, lesson_id in [("1", "First lesson", "first"),
                                     ("2", "Second lesson", "second")]:
        row = next(line for line in out.splitlines() if title in line)
        cells = [cell.strip() for cell in row.split("│")]
        assert cells == [number, title, lesson_id, "not started"]
    assert "Press Enter to start “First lesson”" in out
    assert talk.position == (None, None)


def test_enter_starts_the_first_lesson(talk, progress_path):
    talk.conv.greet()
    out = talk.say("")
    assert talk.position == ("first", "intro")
    assert "Lesson: First lesson" in out
    assert "step 1/4" in out
    assert "Welcome to the first lesson." in out
    assert saved(progress_path).current_lesson == "first"
    assert saved(progress_path).current_step == "intro"


def test_words_that_are_not_go_ahead_do_not_start_a_lesson(talk):
    talk.conv.greet()
    out = talk.say("banana bread")
    assert talk.position == (None, None)
    assert "No lesson is running" in out
    assert "ask me anything about Docker in plain words" in out


def test_say_step_advances_on_enter(talk, progress_path):
    start_first(talk)
    out = talk.say("")
    assert talk.position == ("first", "kernel")
    assert "step 2/4" in out and "What do containers on one host share?" in out
    for letter, text in [("a", "The host kernel"), ("b", "A guest operating system"),
                         ("c", "A hypervisor")]:
        assert f"{letter}) {text}" in out
    stored = saved(progress_path)
    assert stored.current_step == "kernel"
    assert stored.lessons["first"].steps["intro"].status == PASSED


@pytest.mark.parametrize("line", ["b", "I see", "hmm!"])
def test_answers_typed_on_a_say_step_do_not_advance(talk, line):
    start_first(talk)
    out = talk.say(line)
    assert talk.position == ("first", "intro")
    assert "press Enter to go on" in out


def test_wrong_answer_counts_an_attempt_shows_feedback_and_is_saved(talk, progress_path):
    start_first(talk)
    talk.say("")
    out = talk.say("b")
    assert "Not quite" in out
    assert "(b) That describes a virtual machine." in out
    assert talk.position == ("first", "kernel")
    record = talk.conv.progress.lessons["first"].steps["kernel"]
    assert record.attempts == 1 and record.status is None
    assert saved(progress_path).lessons["first"].steps["kernel"].attempts == 1
    talk.say("c")
    assert saved(progress_path).lessons["first"].steps["kernel"].attempts == 2


def test_unclear_answer_is_not_an_attempt(talk, progress_path):
    start_first(talk)
    talk.say("")
    out = talk.say("z")
    assert "a to c" in out
    assert talk.position == ("first", "kernel")
    assert talk.conv.progress.lesson("first").step("kernel").attempts == 0


def test_correct_answer_shows_the_explanation_and_advances(talk, progress_path):
    start_first(talk)
    talk.say("")
    out = talk.say("A")
    assert "Correct" in out
    assert "Containers are processes sharing the host kernel." in out
    assert talk.position == ("first", "registry")
    assert "Name the public registry" in out
    stored = saved(progress_path)
    assert stored.current_step == "registry"
    assert stored.lessons["first"].steps["kernel"].status == PASSED
    assert stored.lessons["first"].steps["kernel"].attempts == 0


def test_text_question_feedback_and_correct_answer(talk):
    start_first(talk)
    talk.say("")
    talk.say("a")
    out = talk.say("quay.io")
    assert "Quay is run by Red Hat." in out
    assert talk.position == ("first", "registry")
    out = talk.say("  DOCKER   hub ")
    assert "Docker Hub is the default registry." in out
    assert talk.position == ("first", "wrap")


def finish_first(talk) -> str:
    start_first(talk)
    for line in ["", "a", "Docker Hub"]:
        talk.say(line)
    return talk.say("")


def test_finishing_the_last_step_completes_the_lesson_and_suggests_the_next(talk, progress_path):
    out = finish_first(talk)
    assert "Lesson complete: First lesson" in out
    assert "Next up: “Second lesson”" in out
    assert talk.position == (None, None)
    stored = saved(progress_path)
    assert stored.lessons["first"].completed
    assert stored.current_lesson is None
    # Enter now opens the suggested lesson; its requirement is met, so no reminder
    out = talk.say("")
    assert talk.position == ("second", "hello")
    assert "builds on" not in out


def test_finishing_the_course(talk):
    finish_first(talk)
    talk.say("")
    talk.say("")
    out = talk.say("c a")
    assert "finished the course" in out
    assert talk.conv.next_lesson() is None
    talk.output()
    talk.conv.greet()
    assert "You have finished every lesson" in talk.output()


def test_starting_a_lesson_before_its_requirement_says_so(talk):
    talk.conv.greet()
    out = talk.say("/start second")
    assert talk.position == ("second", "hello")
    assert "This lesson builds on: First lesson" in out


def test_resume_restores_lesson_and_step(talk, make_talk, course):
    start_first(talk)
    talk.say("")
    talk.say("b")  # one wrong answer on "kernel"
    again = make_talk(course)
    assert again.position == ("first", "kernel")
    assert again.conv.progress.lessons["first"].steps["kernel"].attempts == 1
    again.conv.greet()
    out = again.output()
    assert "Welcome back" in out and "First lesson" in out and "step 2" in out
    assert "What do containers on one host share?" in out
    again.say("a")
    assert again.position == ("first", "registry")


def test_resume_with_a_step_id_that_no_longer_exists(make_talk, course):
    progress = Progress(current_lesson="first", current_step="removed-step")
    record = progress.lesson("first")
    record.step("intro").status = PASSED
    record.step("kernel").status = PASSED
    again = make_talk(course, progress=progress)
    assert again.position == ("first", "registry")


def test_resume_with_a_lesson_that_no_longer_exists(make_talk, course):
    again = make_talk(course, progress=Progress(current_lesson="gone", current_step="x"))
    assert again.position == (None, None)
    again.conv.greet()
    assert "Press Enter to start “First lesson”" in again.output()


def test_a_save_that_fails_is_reported_and_the_lesson_goes_on(make_talk, course, tmp_path):
    talk = make_talk(course)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    talk.conv.store.path = blocker / "progress.json"
    talk.conv.greet()
    out = talk.say("")
    assert "Could not save progress" in out
    assert talk.position == ("first", "intro")
    talk.say("")
    assert talk.position == ("first", "kernel")
