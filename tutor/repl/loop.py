"""The read-eval-print loop: survives Ctrl-C, leaves on Ctrl-D or /quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, InMemoryHistory

from tutor.repl.completer import make_completer
from tutor.repl.keybindings import make_key_bindings
from tutor.repl.style import make_style
from tutor.repl.toolbar import make_toolbar

if TYPE_CHECKING:
    from prompt_toolkit.history import History

    from tutor.environment import Environment
    from tutor.repl.conversation import Conversation


TOOLBAR_REFRESH_SECONDS = 2.0


def make_history(env: Environment) -> History:
    try:
        env.history_path.parent.mkdir(parents=True, exist_ok=True)
        return FileHistory(str(env.history_path))
    except OSError:
        return InMemoryHistory()  # a read-only home must not stop the tutor


def make_prompt_session(env: Environment, conversation: Conversation) -> PromptSession:
    return PromptSession(
        history=make_history(env),
        completer=make_completer(conversation),
        complete_while_typing=True,
        key_bindings=make_key_bindings(),
        bottom_toolbar=make_toolbar(conversation),
        style=make_style(),
        include_default_pygments_style=False,
        input=env.prompt_input,
        output=env.prompt_output,
        enable_history_search=True,
        mouse_support=False,
        # Redraw now and then so the toolbar shows the engine's state as it changes
        # (its probe runs in the background and never delays a keystroke).
        refresh_interval=TOOLBAR_REFRESH_SECONDS,
    )


def prompt_message(conversation: Conversation) -> FormattedText:
    if conversation.awaiting_confirmation:
        return FormattedText([("class:prompt.name", "confirm"), ("class:prompt.arrow", " › ")])
    return FormattedText([("class:prompt.name", "you"), ("class:prompt.arrow", " › ")])


def run_loop(env: Environment, conversation: Conversation) -> None:
    session = make_prompt_session(env, conversation)
    while not conversation.finished:
        try:
            line = session.prompt(lambda: prompt_message(conversation))
        except KeyboardInterrupt:
            continue  # Ctrl-C drops the current line, as in a shell
        except EOFError:
            conversation.quit()
            break
        try:
            conversation.handle(line)
        except KeyboardInterrupt:
            # Ctrl-C during a long step (a docker pull, a check) stops that, not the tutor.
            env.console.print("  Interrupted.", style="tutor.muted")
        except Exception as error:  # a bug must not cost the learner the session
            report_unexpected(env, error)


def report_unexpected(env: Environment, error: Exception) -> None:
    """Say what went wrong in one line; the traceback goes to a log file, not the screen."""
    import traceback

    log = None
    try:
        assert env.data_dir is not None
        env.data_dir.mkdir(parents=True, exist_ok=True)
        log = env.data_dir / "errors.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)) + "\n")
    except OSError:
        log = None
    where = f" Details are in {log}." if log else ""
    env.console.print(f"  Something went wrong: {type(error).__name__}: {error}. Your progress "
                      f"is saved and the tutor carries on.{where}", style="tutor.error")
