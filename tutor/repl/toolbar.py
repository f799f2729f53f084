"""The bottom toolbar: where the learner is, and whether the engine answers.

The toolbar is one line and prompt-toolkit cuts off what does not fit, so on a
narrow terminal it says less rather than losing its end: first the key hint
shrinks, then the engine's version and detail go, then "step", and last the
lesson title is shortened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.utils import get_cwidth

if TYPE_CHECKING:
    from tutor.practice.protocol import EngineLine
    from tutor.repl.conversation import Conversation

SEPARATOR = "  │  "
NARROW_SEPARATOR = " │ "
DEFAULT_COLUMNS = 80


def terminal_columns() -> int:
    """The width of the terminal the prompt runs on (80 outside a running prompt)."""
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    if app is None:
        return DEFAULT_COLUMNS
    try:
        return app.output.get_size().columns
    except Exception:  # an output that cannot tell its size
        return DEFAULT_COLUMNS


def short_engine_text(text: str) -> str:
    """``engine ok · 20.10.24`` -> ``engine ok``; ``engine unreachable (socket missing)``
    -> ``engine unreachable``."""
    for mark in (" · ", " ("):
        text = text.split(mark, 1)[0]
    return text


@dataclass(frozen=True)
class _Layout:
    step_word: bool      # "step 3/12" or "3/12"
    full_engine: bool    # the engine's whole line or its first words
    keys: str            # the key hint at the end ("" for none)
    separator: str


LAYOUTS = (
    _Layout(True, True, "/help  Ctrl-D quits ", SEPARATOR),
    _Layout(True, True, "/help ", SEPARATOR),
    _Layout(True, False, "/help ", SEPARATOR),
    _Layout(True, False, "/help ", NARROW_SEPARATOR),
    _Layout(False, False, "/help ", NARROW_SEPARATOR),
    _Layout(False, False, "", NARROW_SEPARATOR),
)


def make_toolbar(conversation: Conversation,
                 columns: Callable[[], int] = terminal_columns
                 ) -> Callable[[], StyleAndTextTuples]:
    def toolbar() -> StyleAndTextTuples:
        title, number, total = conversation.toolbar_state()
        engine = conversation.practice.status() if conversation.practice is not None else None
        width = columns()
        for layout in LAYOUTS:
            parts = _parts(layout, title, number, total, engine)
            if _width(parts) <= width:
                return parts
        return _fit_title(parts, width)

    return toolbar


def _parts(layout: _Layout, title: str | None, number: int, total: int,
           engine: EngineLine | None) -> StyleAndTextTuples:
    parts: StyleAndTextTuples = []
    if title:
        parts.append(("class:bottom-toolbar.lesson", f" {title}"))
        parts.append(("", f"  step {number}/{total}" if layout.step_word
                      else f"  {number}/{total}"))
    else:
        parts.append(("", " no lesson open"))
    if engine is not None:
        style = ("class:bottom-toolbar.engine-ok" if engine.ok
                 else "class:bottom-toolbar.engine-down")
        parts.append(("", layout.separator))
        parts.append((style, engine.text if layout.full_engine
                      else short_engine_text(engine.text)))
    if layout.keys:
        parts.append(("class:bottom-toolbar.key", layout.separator + layout.keys))
    return parts


def _width(parts: StyleAndTextTuples) -> int:
    return sum(get_cwidth(text) for _style, text, *_ in parts)


def _fit_title(parts: StyleAndTextTuples, width: int) -> StyleAndTextTuples:
    """Shorten the lesson title (the first part) with an ellipsis until the line fits."""
    style, title, *_ = parts[0]
    if style != "class:bottom-toolbar.lesson":
        return parts
    room = width - _width(parts[1:])
    if room < 4:  # no room for any of the title: keep where the learner is
        return parts[1:]
    while title and get_cwidth(title) > room - 1:
        title = title[:-1]
    return [(style, title.rstrip() + "…"), *parts[1:]]
