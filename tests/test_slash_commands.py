"""Every slash command, and lines starting with ``docker`` going to the practice object."""

from __future__ import annotations

import pytest
from conftest import FakePractice, saved

from tutor.progress import PASSED, SKIPPED

COMMAND_NAMES = ["help", "lessons", "start", "next", "back", "hint", "explain", "skip", "check",
                 "progress", "reset", "quit"]


def at_kernel(talk) -> None:
    """Start the first lesson and move to its choice question."""
    talk.say("/start first")
    talk.say("")
    assert talk.position == ("first", "kernel")


def table_row(output: str, title: str) -> list[str]:
    row = next(line for line in output.splitlines() if title in line)
    return [cell.strip() for cell in row.split("│")]


# -- /help, /lessons, unknown ---------------------------------------------------------------


def test_help_lists_every_command(talk):
    out = talk.say("/help")
    listed = {line.split()[0] for line in out.splitlines() if line.strip().startswith("/")}
    assert {f"/{name}" for name in COMMAND_NAMES} <= listed
    assert "docker" in out


def test_commands_are_case_insensitive(talk):
    assert talk.say("/HELP") == talk.say("/help")


def test_lessons_lists_lessons_with_status(talk):
    finish = ["/start first", "", "a", "Docker Hub", ""]
    for line in finish:
        talk.say(line)
    talk.say("/start second")
    out = talk.say("/lessons")
    assert table_row(out, "First lesson") == ["1", "First lesson", "first", "✔ done"]
    assert table_row(out, "Second lesson") == ["2", "Second lesson", "second", "0/2 steps"]
    assert "/start" in out


@pytest.mark.parametrize("typed, suggestion", [("/hlep", "/help"), ("/hnit", "/hint"),
                                               ("/restart", "/start"), ("/quti", "/quit")])
def test_unknown_command_suggests_the_closest(talk, typed, suggestion):
    out = talk.say(typed)
    assert f"Unknown command {typed} (did you mean '{suggestion}'?)" in out
    assert "/help" in out
    assert talk.position == (None, None)


def test_unknown_command_with_nothing_close(talk):
    out = talk.say("/xyzzy")
    assert "Unknown command /xyzzy." in out and "did you mean" not in out


# -- /start -------------------------------------------------------------------------------


def test_start_by_id(talk):
    out = talk.say("/start second")
    assert talk.position == ("second", "hello")
    assert "Lesson: Second lesson" in out


def test_start_by_number(talk):
    talk.say("/start 2")
    assert talk.position == ("second", "hello")
    talk.say("/start 1")
    assert talk.position == ("first", "intro")


def test_start_with_a_typo_suggests_the_lesson(talk):
    out = talk.say("/start secnod")
    assert "There is no lesson 'secnod' (did you mean 'second'?)" in out
    assert talk.position == (None, None)


@pytest.mark.parametrize("wanted", ["3", "0", "nonsense"])
def test_start_an_unknown_lesson(talk, wanted):
    out = talk.say(f"/start {wanted}")
    assert f"There is no lesson '{wanted}'" in out
    assert talk.position == (None, None)


def test_start_without_argument_opens_the_next_unfinished_lesson(talk):
    talk.say("/start")
    assert talk.position == ("first", "intro")
    for line in ["", "a", "Docker Hub", ""]:
        talk.say(line)
    talk.say("/start")
    assert talk.position == ("second", "hello")


def test_start_resumes_at_the_first_unfinished_step(talk):
    at_kernel(talk)
    talk.say("/start second")
    talk.say("/start first")
    assert talk.position == ("first", "kernel")


# -- /next and /back --------------------------------------------------------------------


def test_next_on_an_unanswered_question_refuses(talk):
    at_kernel(talk)
    out = talk.say("/next")
    assert talk.position == ("first", "kernel")
    assert "Answer the question first" in out and "/skip" in out


def test_next_after_a_say_step(talk, progress_path):
    talk.say("/start first")
    talk.say("/next")
    assert talk.position == ("first", "kernel")
    assert saved(progress_path).lessons["first"].steps["intro"].status == PASSED


def test_next_on_an_answered_question_after_going_back(talk):
    at_kernel(talk)
    talk.say("a")
    talk.say("/back")
    assert talk.position == ("first", "kernel")
    talk.say("/next")
    assert talk.position == ("first", "registry")


def test_next_without_a_lesson_starts_the_next_one(talk):
    talk.say("/next")
    assert talk.position == ("first", "intro")


def test_back(talk, progress_path):
    at_kernel(talk)
    out = talk.say("/back")
    assert talk.position == ("first", "intro")
    assert "Welcome to the first lesson." in out
    assert saved(progress_path).current_step == "intro"


def test_back_at_the_first_step(talk):
    talk.say("/start first")
    out = talk.say("/back")
    assert talk.position == ("first", "intro")
    assert "first step" in out


def test_back_without_a_lesson(talk):
    assert "No lesson is running" in talk.say("/back")


# -- /hint, /explain, /skip -------------------------------------------------------------


def test_hints_one_at_a_time_then_no_more(talk, progress_path):
    at_kernel(talk)
    first = talk.say("/hint")
    assert "Hint 1/2" in first and "Think about uname -r" in first
    assert "It starts with k." not in first
    second = talk.say("/hint")
    assert "Hint 2/2" in second and "It starts with k." in second
    assert "uname" not in second
    third = talk.say("/hint")
    assert "No more hints" in third
    assert talk.conv.progress.lessons["first"].steps["kernel"].hints == 2
    assert saved(progress_path).lessons["first"].steps["kernel"].hints == 2


def test_wrong_answer_after_all_hints_points_to_explain(talk):
    at_kernel(talk)
    talk.say("/hint")
    assert "/hint" in talk.say("b")
    talk.say("/hint")
    out = talk.say("b")
    assert "/explain" in out and "/hint for a clue" not in out


def test_hint_on_a_say_step(talk):
    talk.say("/start first")
    out = talk.say("/hint")
    assert "No question is waiting" in out
    assert all(r.hints == 0 for r in talk.conv.progress.lesson("first").steps.values())


def test_explain_marks_revealed(talk, progress_path):
    at_kernel(talk)
    out = talk.say("/explain")
    assert "Containers are processes sharing the host kernel." in out
    assert talk.position == ("first", "kernel")  # still has to answer
    assert saved(progress_path).lessons["first"].steps["kernel"].revealed is True
    talk.say("a")
    record = saved(progress_path).lessons["first"].steps["kernel"]
    assert record.status == PASSED and record.revealed is True
    # a revealed answer is not "right first time"
    assert table_row(talk.say("/progress"), "First lesson")[2] == "0/2"


def test_explain_after_passing_does_not_mark_revealed(talk, progress_path):
    at_kernel(talk)
    talk.say("a")
    talk.say("/back")
    talk.say("/explain")
    assert saved(progress_path).lessons["first"].steps["kernel"].revealed is False


def test_explain_on_a_say_step(talk):
    talk.say("/start first")
    assert "Nothing to explain here" in talk.say("/explain")


def test_skip_marks_skipped_and_moves_on(talk, progress_path):
    at_kernel(talk)
    out = talk.say("/skip")
    assert "Skipped" in out
    assert talk.position == ("first", "registry")
    assert saved(progress_path).lessons["first"].steps["kernel"].status == SKIPPED


def test_skip_does_not_downgrade_a_passed_question(talk, progress_path):
    at_kernel(talk)
    talk.say("a")
    talk.say("/back")
    talk.say("/skip")
    assert saved(progress_path).lessons["first"].steps["kernel"].status == PASSED


def test_skipping_the_last_question_completes_with_a_note(talk):
    at_kernel(talk)
    talk.say("a")
    talk.say("/skip")
    out = talk.say("/skip")  # the closing say step
    assert "Lesson complete" in out
    assert "skipped 1 question" in out


# -- /check ---------------------------------------------------------------------------------


def test_check_on_a_non_practice_step(talk):
    at_kernel(talk)
    out = talk.say("/check")
    assert "this step is not one" in out
    assert talk.position == ("first", "kernel")


def test_check_on_a_practice_step_without_practice(make_talk, practice_course):
    talk = make_talk(practice_course)
    talk.say("/start practice")
    talk.say("")
    assert talk.position == ("practice", "pull")
    assert "not available" in talk.say("/check")
    assert talk.position == ("practice", "pull")


@pytest.mark.parametrize("passes", [True, False])
def test_check_on_a_practice_step(make_talk, practice_course, progress_path, passes):
    practice = FakePractice(check_result=passes)
    talk = make_talk(practice_course, practice=practice)
    talk.say("/start practice")
    talk.say("")
    step = talk.conv.step
    talk.say("/check")
    assert ("check_step", step) in practice.calls
    assert set(practice.lesson_ids) <= {"practice"}
    if passes:
        assert talk.position == ("practice", "after")
        assert saved(progress_path).lessons["practice"].steps["pull"].status == PASSED
        assert "leave_step" in practice.names()
    else:
        assert talk.position == ("practice", "pull")


# -- /progress --------------------------------------------------------------------------


def test_progress_counts(talk):
    at_kernel(talk)
    talk.say("/hint")
    talk.say("b")  # a wrong attempt: not right first time
    talk.say("a")
    talk.say("/skip")  # the text question
    out = talk.say("/progress")
    # lesson, steps done, questions right first time, hints, skipped, (time), progress
    assert table_row(out, "First lesson")[:5] == ["First lesson", "3/4", "0/2", "1", "1"]
    assert table_row(out, "First lesson")[6] == "████████░░ 75%"
    assert table_row(out, "Second lesson") == ["Second lesson", "0/2", "0/1", "0", "0", "",
                                               "░░░░░░░░░░ 0%"]
    assert "0 of 2 lessons complete." in out
    talk.say("")  # finish the lesson
    talk.say("/start second")
    talk.say("")
    talk.say("a c")
    out = talk.say("/progress")
    assert table_row(out, "Second lesson")[:5] == ["Second lesson", "2/2", "1/1", "0", "0"]
    assert table_row(out, "Second lesson")[6] == "██████████ 100%"
    assert "2 of 2 lessons complete." in out


# -- /reset -------------------------------------------------------------------------------


def progressed(talk) -> None:
    at_kernel(talk)
    talk.say("a")
    talk.say("/start second")
    talk.say("")


@pytest.mark.parametrize("reply", ["", "n", "no", "nope", "yes please", "/quit"])
def test_reset_cancelled_keeps_progress(talk, progress_path, reply):
    progressed(talk)
    before = progress_path.read_bytes()
    out = talk.say("/reset")
    assert "[y/N]" in out
    assert talk.conv.awaiting_confirmation
    out = talk.say(reply)
    assert "Cancelled" in out
    assert not talk.conv.awaiting_confirmation
    assert progress_path.read_bytes() == before
    assert talk.position == ("second", "pick")
    assert talk.conv.progress.lessons["first"].steps["kernel"].status == PASSED
    assert not talk.conv.finished


@pytest.mark.parametrize("reply", ["y", "yes", "Y", " YES "])
def test_reset_confirmed_forgets_everything(talk, progress_path, reply):
    progressed(talk)
    talk.say("/reset")
    out = talk.say(reply)
    assert "All progress forgotten" in out
    assert talk.position == (None, None)
    stored = saved(progress_path)
    assert stored.lessons == {} and stored.current_lesson is None
    talk.say("")
    assert talk.position == ("first", "intro")


def test_reset_one_lesson_forgets_only_that_lesson(talk, progress_path):
    progressed(talk)
    out = talk.say("/reset first")
    assert "First lesson" in out and "[y/N]" in out
    talk.say("y")
    stored = saved(progress_path)
    assert "first" not in stored.lessons
    assert stored.lessons["second"].steps["hello"].status == PASSED
    assert talk.position == ("second", "pick")  # the running lesson is another one


def test_reset_the_running_lesson_stops_it(talk, progress_path):
    progressed(talk)
    talk.say("/reset 2")
    talk.say("yes")
    assert talk.position == (None, None)
    stored = saved(progress_path)
    assert "second" not in stored.lessons and stored.current_lesson is None
    assert stored.lessons["first"].steps["kernel"].status == PASSED


def test_reset_one_lesson_cancelled(talk, progress_path):
    progressed(talk)
    talk.say("/reset first")
    talk.say("n")
    assert saved(progress_path).lessons["first"].steps["kernel"].status == PASSED


def test_reset_an_unknown_lesson_asks_nothing(talk):
    out = talk.say("/reset nope")
    assert "There is no lesson 'nope'" in out
    assert not talk.conv.awaiting_confirmation


# -- /quit ------------------------------------------------------------------------------------


def test_quit_sets_finished_and_saves(talk, progress_path, make_talk, course):
    at_kernel(talk)
    talk.conv.progress.lesson("first").step("kernel").attempts = 4  # not saved yet
    out = talk.say("/quit")
    assert talk.conv.finished
    assert "Progress saved" in out
    stored = saved(progress_path)
    assert (stored.current_lesson, stored.current_step) == ("first", "kernel")
    assert stored.lessons["first"].steps["kernel"].attempts == 4
    assert make_talk(course).position == ("first", "kernel")


def test_quit_leaves_a_practice_step(make_talk, practice_course):
    practice = FakePractice()
    talk = make_talk(practice_course, practice=practice)
    talk.say("/start practice")
    talk.say("")
    talk.say("/quit")
    assert practice.names()[-1] == "leave_step"


# -- lines starting with docker ----------------------------------------------------------------


def at_pull(make_talk, practice_course, practice):
    talk = make_talk(practice_course, practice=practice)
    talk.say("/start practice")
    talk.say("")
    assert talk.position == ("practice", "pull")
    return talk


def test_entering_a_practice_step_prepares_it(make_talk, practice_course):
    practice = FakePractice()
    at_pull(make_talk, practice_course, practice)
    assert practice.calls == [("enter_step", "pull")]


def test_docker_line_goes_to_practice_and_true_passes_the_step(make_talk, practice_course,
                                                               progress_path):
    practice = FakePractice(run_result=True)
    talk = at_pull(make_talk, practice_course, practice)
    step = talk.conv.step
    out = talk.say("docker pull busybox")
    assert ("run_command", "docker pull busybox", step) in practice.calls
    assert "The image is now local." in out
    assert talk.position == ("practice", "after")
    assert practice.names() == ["enter_step", "run_command", "leave_step"]
    assert saved(progress_path).lessons["practice"].steps["pull"].status == PASSED


@pytest.mark.parametrize("result", [False, None])
def test_docker_line_that_does_not_pass_stays(make_talk, practice_course, result):
    practice = FakePractice(run_result=result)
    talk = at_pull(make_talk, practice_course, practice)
    talk.say("docker images")
    assert talk.position == ("practice", "pull")
    assert practice.names() == ["enter_step", "run_command"]


def test_docker_line_on_a_say_step_runs_without_a_step(make_talk, practice_course):
    practice = FakePractice(run_result=True)
    talk = make_talk(practice_course, practice=practice)
    talk.say("/start practice")
    talk.say("docker ps -a")
    assert practice.calls == [("run_command", "docker ps -a", None)]
    assert talk.position == ("practice", "before")


def test_non_docker_text_on_a_practice_step_is_not_run(make_talk, practice_course):
    practice = FakePractice(run_result=True)
    talk = at_pull(make_talk, practice_course, practice)
    out = talk.say("pull busybox")
    assert "start the line with `docker`" in out
    assert practice.names() == ["enter_step"]
    assert talk.position == ("practice", "pull")


def test_next_on_a_practice_step_refuses(make_talk, practice_course):
    talk = at_pull(make_talk, practice_course, FakePractice())
    assert "Do the task first" in talk.say("/next")
    assert talk.position == ("practice", "pull")


def test_docker_line_without_practice(make_talk, practice_course):
    talk = make_talk(practice_course)
    talk.say("/start practice")
    talk.say("")
    out = talk.say("docker pull busybox")
    assert "Running docker commands is not available in this session." in out
    assert talk.position == ("practice", "pull")


def test_text_answer_starting_with_docker_is_judged(talk):
    at_kernel(talk)
    talk.say("a")
    assert talk.position == ("first", "registry")
    out = talk.say("docker hub")
    assert "Docker Hub is the default registry." in out
    assert talk.position == ("first", "wrap")


def test_docker_line_on_a_choice_question_runs_it(make_talk, course):
    """Choices are answered with letters, so a docker line there is a command to run."""
    from conftest import FakePractice

    practice = FakePractice()
    talk = make_talk(course, practice=practice)
    talk.say("")  # start the first lesson
    talk.say("")  # past the say step, to the choice question
    assert talk.conv.step.kind == "choice"
    talk.say("docker ps")
    assert [call[:2] for call in practice.calls if call[0] == "run_command"] == [
        ("run_command", "docker ps")]
