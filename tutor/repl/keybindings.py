"""Key bindings on top of prompt-toolkit's defaults (Emacs keys, Tab completes,
Ctrl-C cancels the line, Ctrl-D on an empty line leaves)."""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def make_key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("f1")
    def _help(event: KeyPressEvent) -> None:
        # Learners who do not know the commands yet reach for F1.
        event.current_buffer.text = "/help"
        event.current_buffer.validate_and_handle()

    return bindings
