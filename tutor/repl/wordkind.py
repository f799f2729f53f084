"""What kind of word fits at the cursor: a pure function under the completer.

Kept free of prompt-toolkit so it can be tested with plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WordKind:
    kind: str  # "slash-command" | "lesson" | "topic" | "docker-keyword" | "docker" | "nothing"
    prefix: str  # the part of the word already typed
    # For "docker": the words typed before the current one (after "docker").
    before: tuple[str, ...] = ()


LESSON_ARGUMENT_COMMANDS = {"start", "reset", "recap"}
TOPIC_ARGUMENT_COMMANDS = {"quiz"}  # a quiz topic, or a lesson id


def word_at_cursor(text_before_cursor: str) -> WordKind:
    stripped = text_before_cursor.lstrip()
    words = stripped.split()
    ends_in_space = not stripped or stripped[-1].isspace()
    current = "" if ends_in_space else words[-1]
    previous = words if ends_in_space else words[:-1]

    if stripped.startswith("/"):
        if not previous:
            return WordKind("slash-command", current)
        if previous[0][1:].lower() in LESSON_ARGUMENT_COMMANDS and len(previous) == 1:
            return WordKind("lesson", current)
        if previous[0][1:].lower() in TOPIC_ARGUMENT_COMMANDS and len(previous) == 1:
            return WordKind("topic", current)
        return WordKind("nothing", current)
    if previous and previous[0] == "docker":
        return WordKind("docker", current, tuple(previous[1:]))
    # Offer "docker" itself only from three letters on: single letters are
    # answers to multiple-choice questions and must not pop up a menu.
    if not previous and len(current) >= 3 and "docker".startswith(current) and current != "docker":
        return WordKind("docker-keyword", current)
    return WordKind("nothing", current)
