"""The read-eval-print loop: survives Ctrl-C, leaves on Ctrl-D or /quit.

On a terminal the loop reads through prompt-toolkit. When stdin is not a
terminal (``docker-tutor < answers.txt``, a pipe) it reads plain lines until the
end of the input instead: prompt-toolkit would ask the terminal on stdout for the
cursor position, and the answer would land in the terminal's input, which the
tutor never reads (the parent shell does: a stray ``1R`` after the tutor exits).
"""

from __future__ import annotations

import re
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

# Escape sequences (CSI such as colours, OSC such as titles), then single control
# characters but newlines (a pasted multi-line command keeps its lines). Pasted
# coloured text ("\x1b[31mdocker ps\x1b[0m") is the text without its colours; no
# escape reaches an answer, a docker argument or the screen.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(line: str) -> str:
    """The line as text: escape sequences and control characters but newlines are
    dropped, tabs become spaces."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", line.replace("\t", " ")))


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
        key_bindings=make_key_bindings(can_suspend=env.interactive),
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


def prompt_name(conversation: Conversation) -> str:
    return "confirm" if conversation.awaiting_confirmation else "you"


def prompt_message(conversation: Conversation) -> FormattedText:
    return FormattedText([("class:prompt.name", prompt_name(conversation)),
                          ("class:prompt.arrow", " › ")])


def reads_plain_lines(env: Environment) -> bool:
    """stdin is the process's own and not a terminal (tests pass their own prompt input)."""
    return env.prompt_input is None and not env.stdin_isatty


def run_loop(env: Environment, conversation: Conversation) -> None:
    if reads_plain_lines(env):
        run_line_loop(env, conversation)
        return
    session = make_prompt_session(env, conversation)
    conversation.warm_up()
    if conversation.practice is not None:
        # The toolbar shows the engine's state as soon as the probe answers (the
        # redraw is thread-safe), not at its next periodic refresh.
        conversation.practice.watch_engine(session.app.invalidate)
    while not conversation.finished:
        try:
            line = session.prompt(lambda: prompt_message(conversation))
        except KeyboardInterrupt:
            continue  # Ctrl-C drops the current line, as in a shell
        except EOFError:
            conversation.quit()
            break
        handle_line(env, conversation, clean_line(line))


def run_line_loop(env: Environment, conversation: Conversation) -> None:
    """Lines from a file or a pipe, each shown after its prompt so the output reads
    like a session; the end of the input is Ctrl-D."""
    from rich.text import Text

    while not conversation.finished:
        name = prompt_name(conversation)
        try:
            raw = env.stdin.readline()
        except KeyboardInterrupt:
            continue
        except UnicodeDecodeError:
            env.console.print("  That line could not be read as UTF-8 text; it was skipped.",
                              style="tutor.warning")
            continue
        if not raw:
            conversation.quit()
            break
        line = clean_line(raw.rstrip("\r\n"))
        env.console.print(Text.assemble((name, "tutor.name"), (" › ", "tutor.muted"), line))
        handle_line(env, conversation, line)


def handle_line(env: Environment, conversation: Conversation, line: str) -> None:
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
