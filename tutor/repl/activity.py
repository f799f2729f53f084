"""An activity takes over the learner's lines for a while (a quiz round, tutor.quiz): the
conversation gives it each line first, before slash commands and answers."""

from __future__ import annotations

from typing import Protocol


class Activity(Protocol):
    def handle(self, text: str) -> bool:
        """Take a line; False leaves it to the conversation (/quit, /help ...)."""

    def stop(self) -> None:
        """The tutor is closing while the activity runs."""

    def toolbar(self) -> tuple[str, int, int]:
        """What the bottom toolbar shows: a title, a number and a total."""
