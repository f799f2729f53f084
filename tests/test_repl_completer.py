"""Completion at the prompt: the pure word_at_cursor classifier, then the
prompt-toolkit completer on top of it (slash commands and lesson ids).

Docker subcommand/flag completion goes through tutor.dockercli.complete and is
not tested here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from replkit import load_clean, load_shipped, tiny_course
from rich.console import Console

from tutor.progress import ProgressStore
from tutor.repl.commands import COMMANDS
from tutor.repl.completer import TutorCompleter, make_completer
from tutor.repl.conversation import Conversation
from tutor.repl.wordkind import WordKind, word_at_cursor

ALL_COMMANDS = [f"/{command.name}" for command in COMMANDS]


# -- word_at_cursor -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix"),
    [("/", "/"), ("/h", "/h"), ("/hel", "/hel"), ("/help", "/help"), ("  /st", "/st"),
     ("/RES", "/RES")],
)
def test_slash_word_is_a_command(text, prefix):
    assert word_at_cursor(text) == WordKind("slash-command", prefix)


@pytest.mark.parametrize("command", ["start", "reset", "START", "Reset"])
def test_word_after_start_or_reset_is_a_lesson(command):
    assert word_at_cursor(f"/{command} ") == WordKind("lesson", "")
    assert word_at_cursor(f"/{command} wh") == WordKind("lesson", "wh")
    assert word_at_cursor(f"/{command}   what-is") == WordKind("lesson", "what-is")


@pytest.mark.parametrize("text", ["/hint ", "/help me", "/start one ", "/start one tw",
                                  "/reset a b", "/ x"])
def test_other_command_arguments_get_nothing(text):
    assert word_at_cursor(text).kind == "nothing"


@pytest.mark.parametrize("text", ["doc", "dock", "docke", "  doc"])
def test_docker_keyword_from_three_letters(text):
    assert word_at_cursor(text) == WordKind("docker-keyword", text.strip())


@pytest.mark.parametrize("text", ["", " ", "d", "do", "a", "b", "c", "a c", "docker", "dox",
                                  "Doc"])
def test_no_docker_keyword_for_answers_and_short_prefixes(text):
    # Single letters answer multiple-choice questions: no menu must pop up.
    assert word_at_cursor(text).kind == "nothing"


def test_docker_keyword_only_as_the_first_word():
    assert word_at_cursor("I think doc").kind == "nothing"


@pytest.mark.parametrize(
    ("text", "prefix", "before"),
    [
        ("docker ", "", ()),
        ("docker r", "r", ()),
        ("docker run", "run", ()),
        ("docker run ", "", ("run",)),
        ("docker run -", "-", ("run",)),
        ("docker run -it busy", "busy", ("run", "-it")),
        ("docker image ls ", "", ("image", "ls")),
        ("  docker   ps  -", "-", ("ps",)),
    ],
)
def test_docker_lines_are_routed_with_the_previous_words(text, prefix, before):
    assert word_at_cursor(text) == WordKind("docker", prefix, before)


# -- TutorCompleter -------------------------------------------------------------------------


@pytest.fixture
def conversation(tmp_path: Path) -> Conversation:
    course = load_clean(tiny_course(tmp_path / "course"))
    return Conversation(course, ProgressStore(tmp_path / "data" / "progress.json"),
                        Console(file=io.StringIO(), width=100))


def complete(completer, text: str, cursor: int | None = None):
    document = Document(text, cursor_position=len(text) if cursor is None else cursor)
    return list(completer.get_completions(document, CompleteEvent(completion_requested=True)))


def test_make_completer_builds_a_tutor_completer(conversation):
    assert isinstance(make_completer(conversation), TutorCompleter)


def test_slash_alone_offers_every_command_in_order(conversation):
    completions = complete(TutorCompleter(conversation), "/")
    assert [c.text for c in completions] == ALL_COMMANDS
    assert all(c.start_position == -1 for c in completions)


def test_slash_prefix_narrows_the_commands(conversation):
    completions = complete(TutorCompleter(conversation), "/he")
    assert [c.text for c in completions] == ["/help"]
    assert completions[0].start_position == -3
    assert completions[0].display_meta_text == "list the commands"


def test_several_commands_share_a_prefix(conversation):
    texts = [c.text for c in complete(TutorCompleter(conversation), "/s")]
    assert texts == [name for name in ALL_COMMANDS if name.startswith("/s")]
    assert set(texts) == {"/start", "/skip"}


def test_command_prefix_is_case_insensitive(conversation):
    assert [c.text for c in complete(TutorCompleter(conversation), "/QUI")] == ["/quiz", "/quit"]


def test_unknown_command_prefix_offers_nothing(conversation):
    assert complete(TutorCompleter(conversation), "/zzz") == []


@pytest.mark.parametrize(
    ("typed", "result"),
    [("/he", "/help"), ("/start al", "/start alpha"), ("  /pro", "  /progress")],
)
def test_applying_a_completion_replaces_the_typed_word(conversation, typed, result):
    from prompt_toolkit.buffer import Buffer

    completer = TutorCompleter(conversation)
    buffer = Buffer(completer=completer)
    buffer.insert_text(typed)
    (completion,) = complete(completer, typed)
    buffer.apply_completion(completion)
    assert buffer.text == result


def test_lesson_ids_after_start(conversation):
    completions = complete(TutorCompleter(conversation), "/start ")
    assert [c.text for c in completions] == ["alpha", "beta"]
    assert [c.display_meta_text for c in completions] == ["Alpha lesson", "Beta lesson"]
    assert all(c.start_position == 0 for c in completions)


def test_lesson_id_prefix_after_reset(conversation):
    completions = complete(TutorCompleter(conversation), "/reset be")
    assert [c.text for c in completions] == ["beta"]
    assert completions[0].start_position == -2


def test_no_lesson_matches(conversation):
    assert complete(TutorCompleter(conversation), "/start zz") == []


def test_no_lesson_ids_after_other_commands(conversation):
    assert complete(TutorCompleter(conversation), "/hint ") == []
    assert complete(TutorCompleter(conversation), "/start alpha ") == []


def test_completion_uses_the_text_before_the_cursor(conversation):
    # cursor right after "/he" in "/help": only what is before it counts
    completions = complete(TutorCompleter(conversation), "/help", cursor=3)
    assert [c.text for c in completions] == ["/help"]


def test_docker_keyword_completion(conversation):
    completions = complete(TutorCompleter(conversation), "doc")
    assert [c.text for c in completions] == ["docker"]
    assert completions[0].start_position == -3


@pytest.mark.parametrize("text", ["", "a", "b c", "d", "do", "some answer"])
def test_answers_get_no_completions(conversation, text):
    assert complete(TutorCompleter(conversation), text) == []


def test_shipped_lesson_ids_are_offered(tmp_path):
    course = load_shipped()
    conversation = Conversation(course, ProgressStore(tmp_path / "progress.json"),
                                Console(file=io.StringIO(), width=100))
    texts = [c.text for c in complete(TutorCompleter(conversation), "/start ")]
    assert texts == [lesson.id for lesson in course.lessons]
    first = course.lessons[0].id
    narrowed = [c.text for c in complete(TutorCompleter(conversation), f"/start {first[:4]}")]
    assert first in narrowed
    assert all(text.startswith(first[:4]) for text in narrowed)


def test_container_and_image_names_complete_from_the_practice_cache(tmp_path):
    from conftest import FakePractice
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from tutor.course.lesson import Course
    from tutor.repl.completer import TutorCompleter

    practice = FakePractice()
    practice.names = {"container": ["web", "db"], "image": ["busybox:latest"]}

    class Conversation:
        course = Course(title="t", lessons=())

    Conversation.practice = practice
    completer = TutorCompleter(Conversation())

    def texts(line):
        return [c.text for c in completer.get_completions(Document(line), CompleteEvent())]

    assert texts("docker exec -it w") == ["web"]
    assert texts("docker rmi bu") == ["busybox:latest"]
    assert texts("docker run -d bu") == ["busybox:latest"]
    assert texts("docker run busybox w") == []  # the container's command, not a name
