"""Completion for tutor commands, lesson ids and docker commands."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from tutor.repl.commands import COMMANDS
from tutor.repl.name_offers import NameOffers
from tutor.repl.wordkind import WordKind, word_at_cursor

if TYPE_CHECKING:
    from tutor.repl.conversation import Conversation


class TutorCompleter(Completer):
    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self._names: dict[str, NameOffers] = {}  # by kind: "container", "image"

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        word = word_at_cursor(document.text_before_cursor)
        if word.kind == "docker":
            return self._docker_completions(word.before, word.prefix)
        return self._tutor_completions(word)

    def _tutor_completions(self, word: WordKind) -> Iterator[Completion]:
        start = -len(word.prefix)
        if word.kind == "slash-command":
            for command in COMMANDS:
                name = f"/{command.name}"
                if name.startswith(word.prefix.lower()):
                    yield Completion(name, start, display_meta=command.summary)
        elif word.kind == "lesson":
            for lesson in self.conversation.course.lessons:
                if lesson.id.startswith(word.prefix):
                    yield Completion(lesson.id, start, display_meta=lesson.title)
        elif word.kind == "topic":
            course = self.conversation.course
            for topic_id, title in [(topic.id, topic.title) for topic in course.topics] + [
                    (lesson.id, lesson.title) for lesson in course.lessons]:
                if topic_id.startswith(word.prefix):
                    yield Completion(topic_id, start, display_meta=title)
        elif word.kind == "docker-keyword":
            yield Completion("docker", start, display_meta="run a docker command")

    def _docker_completions(self, before: tuple[str, ...], prefix: str) -> list[Completion]:
        """A list, not a generator: hundreds of cached names are handed over in one piece
        rather than resumed for one by one."""
        from tutor.dockercli.complete import argument_kind, suggest  # lazy: only for docker lines

        suggested = [Completion(text, -len(prefix), display_meta=meta)
                     for text, meta in suggest(before, prefix)]
        kind = argument_kind(before) if not prefix.startswith("-") else None
        practice = self.conversation.practice
        if kind is None or practice is None:
            return suggested
        offers = self._names.get(kind)
        if offers is None:
            offers = self._names[kind] = NameOffers(kind)
        return [*suggested, *offers.matching(practice.known_names(kind), prefix)]


def make_completer(conversation: Conversation) -> Completer:
    return TutorCompleter(conversation)
