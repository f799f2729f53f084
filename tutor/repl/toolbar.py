"""The bottom toolbar: where the learner is, and whether the engine answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from prompt_toolkit.formatted_text import StyleAndTextTuples

if TYPE_CHECKING:
    from tutor.repl.conversation import Conversation


def make_toolbar(conversation: Conversation) -> Callable[[], StyleAndTextTuples]:
    def toolbar() -> StyleAndTextTuples:
        title, number, total = conversation.toolbar_state()
        parts: StyleAndTextTuples = []
        if title:
            parts.append(("class:bottom-toolbar.lesson", f" {title}"))
            parts.append(("", f"  step {number}/{total}"))
        else:
            parts.append(("", " no lesson open"))
        if conversation.practice is not None:
            engine = conversation.practice.status()
            style = ("class:bottom-toolbar.engine-ok" if engine.ok
                     else "class:bottom-toolbar.engine-down")
            parts.append(("", "  │  "))
            parts.append((style, engine.text))
        parts.append(("class:bottom-toolbar.key", "  │  /help  Ctrl-D quits "))
        return parts

    return toolbar
