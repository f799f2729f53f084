"""Tutor commands. They all start with "/" so that no answer can trigger one by accident."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.dockercli import DockerCliError, ShellSyntaxError, parse, split_command
from tutor.render import blocks as show
from tutor.render import tables
from tutor.repl.asking import ask
from tutor.suggest import did_you_mean

if TYPE_CHECKING:
    from tutor.repl.conversation import Conversation


@dataclass(frozen=True)
class SlashCommand:
    name: str
    usage: str
    summary: str
    run: Callable[[Conversation, str], None]
    argument: str | None = None  # what the completer offers for the argument ("lesson")


def _help(conv: Conversation, _args: str) -> None:
    show.help_table(conv.console, [(c.usage, c.summary) for c in COMMANDS])
    show.say(conv.console, "A line starting with `docker` runs that docker command; "
             "anything else answers the current question.", "tutor.muted")


def _lessons(conv: Conversation, _args: str) -> None:
    tables.lesson_table(conv.console, conv.course, conv.progress)
    show.say(conv.console, "/start <id or number> opens a lesson.", "tutor.muted")


def find_lesson(conv: Conversation, wanted: str):
    course = conv.course
    if wanted.isdigit() and 1 <= int(wanted) <= len(course.lessons):
        return course.lessons[int(wanted) - 1]
    return course.lesson(wanted)


def _start(conv: Conversation, args: str) -> None:
    wanted = args.strip()
    if not wanted:
        upcoming = conv.next_lesson()
        if upcoming is None:
            show.say(conv.console, "Every lesson is done. /start <lesson> revisits one.")
            return
        conv.start_lesson(upcoming)
        return
    lesson = find_lesson(conv, wanted)
    if lesson is None:
        ids = [item.id for item in conv.course.lessons]
        show.say(conv.console, f"There is no lesson '{wanted}'{did_you_mean(wanted, ids)}. "
                 "/lessons lists them.", "tutor.warning")
        return
    conv.start_lesson(lesson)


def _next(conv: Conversation, _args: str) -> None:
    conv.move_on()


def _back(conv: Conversation, _args: str) -> None:
    conv.go_back()


def _hint(conv: Conversation, _args: str) -> None:
    conv.hint()


def _explain(conv: Conversation, args: str) -> None:
    if args.strip():
        explain_command(conv, args.strip())
    else:
        conv.explain()


def explain_command(conv: Conversation, line: str) -> None:
    """/explain docker ...: the command taken apart, without running it."""
    if line.split(maxsplit=1)[0] != "docker":
        show.say(conv.console, "/explain takes a docker command, e.g. "
                 "/explain docker run -d -p 8080:80 nginx (or no argument, to explain the "
                 "current question).", "tutor.muted")
        return
    try:
        parsed = parse(split_command(line))
    except ShellSyntaxError as error:
        show.say(conv.console, f"That line uses shell syntax ({error.construct}).",
                 "tutor.warning")
        show.markdown(conv.console, error.advice)
        return
    except DockerCliError as error:
        show.say(conv.console, str(error), "tutor.warning")
        return
    from rich.markup import escape  # the rows quote what was typed: never read it as markup

    from tutor.dockercli.explain import explain  # the flags' meanings: loaded when asked

    show.help_table(conv.console, [(escape(words), escape(meaning))
                                   for words, meaning in explain(parsed)])
    show.say(conv.console, "(Explained, not run.)", "tutor.muted")


def _ask(conv: Conversation, args: str) -> None:
    if not args.strip():
        show.say(conv.console, "Ask in plain words, e.g. /ask what is the difference between "
                 "an image and a container? (A line ending in ? works without /ask.)",
                 "tutor.muted")
        return
    ask(conv, args.strip())


def _skip(conv: Conversation, _args: str) -> None:
    conv.skip()


def _check(conv: Conversation, _args: str) -> None:
    conv.recheck()


def _progress(conv: Conversation, args: str) -> None:
    from tutor.study.output import progress_command  # the report's modules load when asked

    progress_command(conv, args)


def _quiz(conv: Conversation, args: str) -> None:
    from tutor.quiz.start import read_request, start_quiz  # loaded with the first /quiz

    request = read_request(args)
    if isinstance(request, str):
        show.say(conv.console, request, "tutor.warning")
        return
    start_quiz(conv, request, conv.clock)


def _recap(conv: Conversation, args: str) -> None:
    from tutor.study.recap import show_recap

    wanted = args.strip()
    lesson = find_lesson(conv, wanted) if wanted else conv.lesson or last_lesson(conv)
    if lesson is None:
        show.say(conv.console, f"There is no lesson '{wanted}'. /lessons lists them." if wanted
                 else "Which lesson? /recap <lesson> (no lesson is open).", "tutor.muted")
        return
    show_recap(conv.console, lesson)


def last_lesson(conv: Conversation):
    """The lesson finished last, for /recap without a lesson open."""
    done = [(record.completed_at, lesson) for lesson in conv.course.lessons
            if (record := conv.progress.lessons.get(lesson.id)) and record.completed_at]
    return max(done, key=lambda item: item[0])[1] if done else None


def _reset(conv: Conversation, args: str) -> None:
    wanted = args.strip()
    if wanted:
        lesson = find_lesson(conv, wanted)
        if lesson is None:
            show.say(conv.console, f"There is no lesson '{wanted}'. /lessons lists them.",
                     "tutor.warning")
            return

        def forget_lesson() -> None:
            conv.forget_lesson(lesson)
            show.say(conv.console, f"Progress for “{lesson.title}” forgotten.", "tutor.muted")

        conv.confirm(f"Forget your progress in “{lesson.title}”?", forget_lesson)
        return

    def forget_everything() -> None:
        conv.forget_everything()
        show.say(conv.console, "All progress forgotten. Press Enter to start from the beginning.",
                 "tutor.muted")

    conv.confirm("Forget ALL your progress in every lesson?", forget_everything)


def _cleanup(conv: Conversation, _args: str) -> None:
    conv.offer_cleanup(advance_after=False)


def _edit(conv: Conversation, args: str) -> None:
    name = args.strip()
    if not name:
        show.say(conv.console, "Which file? For example: /edit Dockerfile", "tutor.muted")
        return
    if conv.practice is None:
        show.say(conv.console, "Editing practice files needs a practice session.", "tutor.warning")
        return
    conv.practice.edit(name)


def _quit(conv: Conversation, _args: str) -> None:
    conv.quit()


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("help", "/help", "list the commands", _help),
    SlashCommand("lessons", "/lessons", "list the lessons and your status in each", _lessons),
    SlashCommand("start", "/start <lesson>", "open a lesson (by id or number)", _start, "lesson"),
    SlashCommand("next", "/next", "go to the next step (Enter does the same after an explanation)",
                 _next),
    SlashCommand("back", "/back", "go back one step", _back),
    SlashCommand("hint", "/hint", "show the next hint for this question", _hint),
    SlashCommand("explain", "/explain [docker ...]",
                 "why the answer is what it is, or what a docker command means", _explain),
    SlashCommand("ask", "/ask <question>", "ask about Docker in plain words (answered from "
                 "the lessons)", _ask),
    SlashCommand("skip", "/skip", "skip this question (it counts as skipped)", _skip),
    SlashCommand("check", "/check", "re-check a practice step against the engine", _check),
    SlashCommand("edit", "/edit <file>", "edit a file in the lesson's workspace ($EDITOR)",
                 _edit),
    SlashCommand("cleanup", "/cleanup", "list and remove what you created in this lesson",
                 _cleanup),
    SlashCommand("progress", "/progress [--json | --export FILE.md]",
                 "how far you are: lessons, quiz mastery, reviews due, time", _progress),
    SlashCommand("quiz", "/quiz [topic] [count]", "a round of quiz questions from the lessons "
                 "(due reviews first)", _quiz, "topic"),
    SlashCommand("recap", "/recap [lesson]", "the cheat sheet of a lesson's commands", _recap,
                 "lesson"),
    SlashCommand("reset", "/reset [lesson]", "forget progress (asks first)", _reset, "lesson"),
    SlashCommand("quit", "/quit", "save and leave (Ctrl-D does the same)", _quit),
)

BY_NAME = {command.name: command for command in COMMANDS}


def _closest_command(shown: str) -> str:
    """Did-you-mean for a command; letters swapped (/quti) mean the command with the
    same letters (/quit), not another as close (/quiz)."""
    from tutor.suggest import close_matches

    close = close_matches(shown, [f"/{known}" for known in BY_NAME])
    same_letters = [name for name in close if sorted(name) == sorted(shown)]
    best = (same_letters or close)[:1]
    return f" (did you mean '{best[0]}'?)" if best else ""


def dispatch(conv: Conversation, text: str) -> None:
    name, _, args = text[1:].partition(" ")
    name = name.strip().lower()
    command = BY_NAME.get(name)
    if command is None:
        shown = f"/{name}"
        suggestion = _closest_command(shown) if name else ""
        show.say(conv.console, f"Unknown command {shown}{suggestion}. "
                 "/help lists the commands.", "tutor.warning")
        return
    command.run(conv, args)
