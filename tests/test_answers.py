"""Judging answers to choice and text questions."""

from __future__ import annotations

import pytest

from tutor.steps.choice import Choice, ChoiceStep, parse_choice_answer
from tutor.steps.text import AnswerFeedback, AnswerPattern, TextStep

SINGLE = ChoiceStep(
    id="single",
    question="What do containers share?",
    choices=(
        Choice("The host kernel", correct=True),
        Choice("A guest OS", feedback="That is a VM."),
        Choice("A hypervisor", feedback="No hypervisor needed."),
        Choice("Nothing"),  # wrong, no feedback
    ),
    hints=("h1", "h2"),
    explanation="They share the kernel.",
)

MULTI = ChoiceStep(
    id="multi",
    question="Which are runtimes?",
    choices=(
        Choice("runc", correct=True),
        Choice("nginx", feedback="nginx is a web server."),
        Choice("crun", correct=True),
        Choice("youki", correct=True),
        Choice("redis"),
    ),
    hints=("h",),
    explanation="OCI runtimes.",
)


def _judge(step, answer):
    return step.judge(answer)


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("a", {0}),
        ("A", {0}),
        ("  b  ", {1}),
        ("a c", {0, 2}),
        ("a,c", {0, 2}),
        ("a, c", {0, 2}),
        ("ac", {0, 2}),
        ("CA", {0, 2}),
        ("1 3", {0, 2}),
        ("1,3", {0, 2}),
        ("a and c", {0, 2}),
        ("a)", {0}),
        ("d.", {3}),
    ],
)
def test_choice_answers_are_parsed(answer, expected):
    assert parse_choice_answer(answer, 4) == expected


@pytest.mark.parametrize("answer", ["e", "z", "a e", "hello", "?"])
def test_letters_out_of_range_are_unclear_and_name_the_range(answer):
    verdict = _judge(SINGLE, answer)
    assert verdict.unclear and not verdict.correct
    assert len(verdict.feedback) == 1
    assert "a to d" in verdict.feedback[0]


@pytest.mark.parametrize("answer, number", [("5", 5), ("0", 0), ("1 9", 9)])
def test_numbers_out_of_range_are_unclear_and_name_the_range(answer, number):
    verdict = _judge(SINGLE, answer)
    assert verdict.unclear and not verdict.correct
    assert f"no choice {number}" in verdict.feedback[0]
    assert "a to d" in verdict.feedback[0]


def test_range_follows_the_number_of_choices():
    verdict = _judge(MULTI, "f")
    assert verdict.unclear and "a to e" in verdict.feedback[0]
    assert _judge(MULTI, "e").unclear is False


@pytest.mark.parametrize("answer", ["", "   "])
def test_empty_choice_answer_is_unclear(answer):
    verdict = _judge(SINGLE, answer)
    assert verdict.unclear and verdict.feedback


@pytest.mark.parametrize("answer", ["a b", "ab", "1 2", "a,c"])
def test_two_letters_on_a_single_answer_question_is_unclear(answer):
    verdict = _judge(SINGLE, answer)
    assert verdict.unclear and not verdict.correct
    assert "one" in verdict.feedback[0].lower()


@pytest.mark.parametrize("answer", ["a", "A", "1", "a a"])
def test_single_correct(answer):
    verdict = _judge(SINGLE, answer)
    assert verdict.correct and not verdict.unclear and verdict.feedback == ()


def test_single_wrong_gives_the_lesson_feedback():
    verdict = _judge(SINGLE, "b")
    assert not verdict.correct and not verdict.unclear
    assert verdict.feedback == ("(b) That is a VM.",)


def test_wrong_choice_without_feedback_is_still_wrong():
    verdict = _judge(SINGLE, "d")
    assert not verdict.correct and not verdict.unclear


@pytest.mark.parametrize("answer", ["a c d", "acd", "d c a", "1 3 4", "a, c and d"])
def test_multiple_correct_needs_all(answer):
    assert _judge(MULTI, answer).correct


def test_multiple_partially_right_says_how_many_are_missing():
    one_missing = _judge(MULTI, "a c")
    assert not one_missing.correct and not one_missing.unclear
    assert any("1 more choice is right" in item for item in one_missing.feedback)
    two_missing = _judge(MULTI, "a")
    assert any("2 more choices are right" in item for item in two_missing.feedback)


def test_multiple_with_a_wrong_pick_returns_its_feedback():
    verdict = _judge(MULTI, "a b c d")
    assert not verdict.correct
    assert verdict.feedback == ("(b) nginx is a web server.",)


def test_multiple_with_a_wrong_pick_without_feedback_says_how_many_are_wrong():
    verdict = _judge(MULTI, "a c d e")
    assert not verdict.correct
    assert len(verdict.feedback) == 1 and "1 of your picks is not right" in verdict.feedback[0]


# -- text answers ---------------------------------------------------------------------------


def text_step(*accept: AnswerPattern, feedback: tuple[AnswerFeedback, ...] = ()) -> TextStep:
    return TextStep(id="t", question="Q?", accept=accept, hints=("h",), explanation="E",
                    feedback=feedback)


EXACT = text_step(AnswerPattern("exact", ("DockerHub",)))
IGNORE_CASE = text_step(AnswerPattern("ignore_case", ("Docker Hub",)))
REGEX = text_step(AnswerPattern("regex", (r"docker\s*hub",)))


@pytest.mark.parametrize("answer, correct", [
    ("DockerHub", True),
    ("  DockerHub \n", True),  # surrounding whitespace trimmed
    ("dockerhub", False),  # case matters
    ("DOCKERHUB", False),
    ("Docker Hub", False),
    ("DockerHub!", False),
])
def test_exact_is_case_sensitive(answer, correct):
    assert _judge(EXACT, answer).correct is correct


@pytest.mark.parametrize("answer, correct", [
    ("Docker Hub", True),
    ("docker hub", True),
    ("DOCKER HUB", True),
    ("  docker    hub  ", True),  # inner whitespace folded
    ("docker\thub", True),
    ("`Docker Hub`", True),  # quoted as the lesson shows it
    ("dockerhub", False),
    ("docker hub please", False),
])
def test_ignore_case_folds_case_and_whitespace(answer, correct):
    assert _judge(IGNORE_CASE, answer).correct is correct


@pytest.mark.parametrize("answer, correct", [
    ("dockerhub", True),
    ("Docker Hub", True),
    ("DOCKER   HUB", True),
    ("docker hubs", False),  # full match, not search
    ("the docker hub", False),
])
def test_regex_is_full_match_and_case_insensitive(answer, correct):
    assert _judge(REGEX, answer).correct is correct


def test_list_of_alternatives_and_several_forms():
    step = text_step(AnswerPattern("ignore_case", ("hub.docker.com", "docker.io")),
                     AnswerPattern("exact", ("DockerHub",)))
    for answer in ("hub.docker.com", "DOCKER.IO", "DockerHub"):
        assert _judge(step, answer).correct, answer
    assert not _judge(step, "quay.io").correct


def test_feedback_for_a_known_wrong_answer():
    step = text_step(
        AnswerPattern("ignore_case", ("Docker Hub",)),
        feedback=(
            AnswerFeedback(AnswerPattern("ignore_case", ("quay.io",)), "Quay is run by Red Hat."),
            AnswerFeedback(AnswerPattern("regex", (r"gh?cr\.io",)), "That is GitHub's."),
        ),
    )
    assert _judge(step, "Quay.IO") == _judge(step, "quay.io")
    verdict = _judge(step, "Quay.IO")
    assert not verdict.correct and not verdict.unclear
    assert verdict.feedback == ("Quay is run by Red Hat.",)
    assert _judge(step, "ghcr.io").feedback == ("That is GitHub's.",)
    unknown = _judge(step, "somewhere else")
    assert not unknown.correct and not unknown.unclear and unknown.feedback == ()


@pytest.mark.parametrize("answer", ["", "   ", "\n"])
def test_empty_text_answer_is_unclear(answer):
    verdict = _judge(IGNORE_CASE, answer)
    assert verdict.unclear and not verdict.correct and verdict.feedback
