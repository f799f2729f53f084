"""The conversation in plain words: questions anywhere, requests, answers in words."""

from __future__ import annotations

from conftest import SHIPPED_LESSONS, FakePractice

from tutor.lessonfile.loader import load_course
from tutor.practice.protocol import Failure


def at_kernel_question(talk) -> None:
    talk.conv.greet()
    talk.say("")  # start the first lesson
    talk.say("")  # past its introduction
    assert talk.position == ("first", "kernel")


def test_a_question_in_the_middle_of_a_question_leaves_it_pending(make_talk):
    talk = make_talk(load_course(SHIPPED_LESSONS))
    talk.conv.greet()
    talk.say("")
    lesson = talk.conv.lesson
    while talk.conv.step is not None and not talk.conv.step.is_question:
        talk.say("")
    pending = talk.position
    out = talk.say("what is the difference between an image and a container?")
    assert "From " in out and "still waiting for your answer" in out
    talk.say("n")  # no, do not open another lesson
    assert talk.position == pending and talk.conv.lesson is lesson
    record = talk.conv.record_of(talk.conv.step)
    assert record.attempts == 0 and record.status is None


def test_a_question_before_any_lesson_is_answered(make_talk):
    talk = make_talk(load_course(SHIPPED_LESSONS))
    talk.conv.greet()
    out = talk.say("whats a registry")
    assert "registry" in out.lower() and "From " in out
    assert talk.position == (None, None)


def test_a_question_the_lessons_do_not_answer_gets_an_honest_no(make_talk):
    talk = make_talk(load_course(SHIPPED_LESSONS))
    talk.conv.greet()
    out = talk.say("how do I cook pasta?")
    assert "I don't find that in the lessons" in out
    assert "/explain docker" in out


def test_words_for_requests_do_what_the_commands_do(talk):
    at_kernel_question(talk)
    out = talk.say("give me a hint")
    assert "Hint 1/2" in out and "uname -r" in out
    out = talk.say("I'm stuck")
    assert "Hint 2/2" in out
    out = talk.say("repeat the question")
    assert "What do containers on one host share?" in out
    assert talk.conv.record_of(talk.conv.step).attempts == 0
    talk.say("skip this")
    assert talk.position == ("first", "registry")


def test_an_answer_in_words_counts_and_a_close_one_is_asked_about(talk):
    at_kernel_question(talk)
    out = talk.say("kernal")
    assert "Did you mean (a) The host kernel?" in out
    out = talk.say("y")
    assert "Correct" in out and talk.position == ("first", "registry")


def test_a_wrong_answer_that_sounds_like_a_request_says_how_to_ask(talk):
    at_kernel_question(talk)
    talk.say("a")  # right: on to the free-text question
    assert talk.position == ("first", "registry")
    out = talk.say("the hub, i need help")
    assert "Not quite" in out and "/hint for a clue" in out
    assert talk.conv.record_of(talk.conv.step).attempts == 1


def test_why_did_that_fail_repeats_the_last_failure(make_talk, practice_course):
    practice = FakePractice()
    practice.last_failure = lambda: Failure("docker run -d busybox sleeep", "exec: sleeep: not found",
                                            ("The container's program does not exist.",),
                                            ("container web is exited (exit code 127)",),
                                            ("Mind the spelling of the command.",))
    talk = make_talk(practice_course, practice=practice)
    out = talk.say("why did that fail?")
    assert "docker run -d busybox sleeep" in out and "sleeep: not found" in out
    assert "container web is exited" in out and "Mind the spelling" in out


def test_where_am_i_and_what_is_running(make_talk, practice_course):
    practice = FakePractice()
    practice.containers_summary = lambda: ["web-2: up 3 minutes, from busybox, 0.0.0.0:8081->80/tcp"]
    talk = make_talk(practice_course, practice=practice)
    out = talk.say("what is running?")
    assert "web-2: up 3 minutes" in out
    talk.say("")
    out = talk.say("where am I?")
    assert "You are in “Practice lesson”, step 1 of 3" in out


def test_yes_opens_the_lesson_at_the_step_that_answered(make_talk):
    talk = make_talk(load_course(SHIPPED_LESSONS))
    talk.conv.greet()
    out = talk.say("whats a dangling image")
    assert "Open “Building and pushing an image” at step 4?" in out
    out = talk.say("y")
    assert talk.position == ("build-and-push", "dangling")
    assert "Someone ran" in out and "Type the letter of your answer." in out


def test_a_question_right_after_a_wrong_answer_does_not_count_as_another(talk):
    at_kernel_question(talk)
    out = talk.say("b")  # wrong: a guest operating system
    assert "Not quite" in out or "not" in out.lower()
    attempts = talk.conv.record_of(talk.conv.step).attempts
    out = talk.say("what is a namespace?")
    assert "From " in out or "I don't find that" in out
    assert talk.position == ("first", "kernel")
    assert talk.conv.record_of(talk.conv.step).attempts == attempts
    assert "Correct" in talk.say("a")
