"""Talking to the tutor in plain words: requests, questions, answers in words."""

from __future__ import annotations

import pytest

from tutor.repl.intents import Intent, intent_of, is_question, sounds_like_a_request
from tutor.steps.choice import Choice, ChoiceStep, match_words
from tutor.steps.text import AnswerPattern, TextStep


@pytest.mark.parametrize("line, intent", [
    ("hint", Intent.HINT), ("give me a hint", Intent.HINT), ("Give me a hint please", Intent.HINT),
    ("can I have another hint?", Intent.HINT), ("I'm stuck", Intent.HINT), ("no idea", Intent.HINT),
    ("show me the answer", Intent.REVEAL), ("i give up", Intent.REVEAL),
    ("skip this", Intent.SKIP), ("skip", Intent.SKIP), ("move on", Intent.SKIP),
    ("next", Intent.NEXT), ("go on", Intent.NEXT), ("go back", Intent.BACK),
    ("previous step", Intent.BACK), ("repeat the question", Intent.REPEAT),
    ("say that again", Intent.REPEAT), ("where am I?", Intent.WHERE),
    ("what is running?", Intent.RUNNING), ("whats running", Intent.RUNNING),
    ("why did that fail?", Intent.WHY_FAILED), ("what went wrong", Intent.WHY_FAILED),
    ("exit", Intent.EXIT_SHELL),
])
def test_everyday_phrasings_map_to_actions(line, intent):
    assert intent_of(line) is intent


@pytest.mark.parametrize("line", ["the daemon", "docker hub", "a", "hint me about kernels please",
                                  "what is a container?", ""])
def test_other_lines_are_no_request(line):
    assert intent_of(line) is None


@pytest.mark.parametrize("line, question", [
    ("what is the difference between an image and a container?", True),
    ("whats a registry", True), ("how do i publish a port", True), ("Docker Hub?", True),
    ("Docker Hub", False), ("the daemon", False), ("docker ps", False), ("/help", False),
    ("is", False),
])
def test_questions_are_told_from_answers(line, question):
    assert is_question(line) is question


def test_a_request_word_in_an_answer_is_noticed():
    assert sounds_like_a_request("hint pls") and not sounds_like_a_request("docker hub")


CHOICES = ["The Docker daemon (`dockerd`) on the host", "The docker CLI on your laptop",
           "A virtual machine per container", "The host **kernel**"]


@pytest.mark.parametrize("words, index", [("the daemon", 0), ("dockerd", 0), ("the cli", 1),
                                          ("virtual machine", 2), ("host kernel", 3)])
def test_a_choice_named_in_words_is_recognised(words, index):
    assert match_words(words, CHOICES).index == index


def test_a_misspelt_choice_is_only_proposed():
    match = match_words("kernal", CHOICES)
    assert match.index is None and match.close == [3]


def test_words_matching_nothing_propose_nothing():
    assert match_words("banana", CHOICES).close == []


STEP = ChoiceStep(id="q", question="Who builds the image?", choices=tuple(
    Choice(text, correct=(index == 0)) for index, text in enumerate(CHOICES)),
    hints=("h",), explanation="The daemon does.")


def test_a_choice_step_judges_words_like_letters_but_marks_them():
    verdict = STEP.judge("the daemon")
    assert verdict.correct and verdict.by_words
    verdict = STEP.judge("kernal")
    assert verdict.unclear and verdict.proposed == 3
    assert verdict.feedback == ("Did you mean (d) The host kernel?",)


def test_typos_are_tolerated_only_where_the_lesson_allows():
    strict = TextStep(id="t", question="Q", accept=(AnswerPattern("ignore_case", ("Docker Hub",)),),
                      hints=("h",), explanation="E")
    lenient = TextStep(id="t", question="Q", accept=strict.accept, hints=("h",),
                       explanation="E", typos=True)
    assert not strict.judge("Dokcer Hub").correct
    verdict = lenient.judge("Dokcer Hub")
    assert verdict.correct and "Read as `Docker Hub`" in verdict.feedback[0]
    assert not lenient.judge("Quay").correct


def test_typos_is_read_from_the_lesson_file_and_checked(tmp_path):
    from conftest import SHIPPED_LESSONS, dedent, write_course

    from tutor.lessonfile.loader import load_course

    cgroups = load_course(SHIPPED_LESSONS).lesson("containers-vs-vms").steps
    step = next(s for s in cgroups if s.id == "cgroups")
    assert isinstance(step, TextStep) and step.typos
    assert step.judge("contorl groups").correct  # the shipped step allows it
    assert not step.judge("namespaces").correct  # a wrong idea is no typo
    lesson = dedent("""
        id: q
        title: Q
        summary: s
        steps:
          - id: hub
            type: text
            question: Which registry?
            accept: [{ ignore_case: Docker Hub }]
            typos: sometimes
            hints: [h]
            explanation: e
    """)
    course = load_course(write_course(tmp_path, {"q": lesson}))
    assert [p.message for p in course.problems] == ["must be true or false, found text"]
    assert course.problems[0].where.field == "typos"
