"""Per-keystroke and per-answer costs: completion, answer checking, lesson loading."""

from __future__ import annotations

from pathlib import Path

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from tutor.lessonfile.loader import load_course
from tutor.repl.completer import TutorCompleter

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


class _Conversation:
    course = load_course(LESSONS)


def test_completion_of_a_docker_flag(benchmark):
    completer = TutorCompleter(_Conversation())
    document = Document("docker container run --pu")

    def complete():
        return list(completer.get_completions(document, CompleteEvent()))

    result = benchmark(complete)
    assert any(c.text == "--publish" for c in result)


def test_completion_of_a_slash_command(benchmark):
    completer = TutorCompleter(_Conversation())
    document = Document("/st")
    result = benchmark(lambda: list(completer.get_completions(document, CompleteEvent())))
    assert [c.text for c in result] == ["/start"]


def test_loading_and_validating_the_course(benchmark):
    course = benchmark(load_course, LESSONS)
    assert not course.problems
