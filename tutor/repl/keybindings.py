"""Key bindings on top of prompt-toolkit's defaults (Emacs keys, Tab completes,
Ctrl-C cancels the line, Ctrl-D on an empty line leaves)."""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.utils import suspend_to_background_supported


def make_key_bindings(can_suspend: bool = False) -> KeyBindings:
    """``can_suspend``: the tutor runs on an interactive terminal, where Ctrl-Z may
    stop it like any program started from a shell."""
    bindings = KeyBindings()

    @bindings.add("f1")
    def _help(event: KeyPressEvent) -> None:
        # Learners who do not know the commands yet reach for F1.
        event.current_buffer.text = "/help"
        event.current_buffer.validate_and_handle()

    @bindings.add("c-z")
    def _suspend(event: KeyPressEvent) -> None:
        # prompt-toolkit inserts a literal ^Z by default, which no answer or docker
        # command wants. A shell user expects Ctrl-Z to suspend (`fg` comes back);
        # the kernel ignores that where no shell could resume the tutor (an orphaned
        # process group), and without SIGTSTP (Windows) or a terminal the key does nothing.
        if can_suspend and suspend_to_background_supported():
            event.app.suspend_to_background()

    @bindings.add(Keys.Vt100MouseEvent)
    def _ignore_mouse(event: KeyPressEvent) -> None:
        # Mouse support is off, so this is no mouse: an escape sequence that looks like
        # one ("\x1b[0m" typed or pasted), which prompt-toolkit's own handler would
        # crash on. It is dropped.
        pass

    return bindings
