"""Start the interactive tutor: course, progress, banner, then the REPL loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tutor import __version__
from tutor.status import ExitStatus

if TYPE_CHECKING:
    from tutor.environment import Environment
    from tutor.practice.protocol import Practice
    from tutor.repl.conversation import Conversation


def build_conversation(env: Environment,
                       practice_for: Callable[[Environment, str], Practice | None] | None = None,
                       ) -> Conversation:
    """Load the course and the learner's progress, reporting (not hiding) anything broken;
    ``practice_for(env, learner)`` makes the practice side for the learner's id."""
    from tutor.lessonfile.loader import load_course
    from tutor.progress import ProgressStore
    from tutor.render import blocks as show
    from tutor.repl.conversation import Conversation

    assert env.lessons_dir is not None
    course = load_course(env.lessons_dir, env.cache_dir, headers_first=True)
    if course.problems:
        show.say(env.console, "Some lesson files have problems; the other lessons are open:",
                 "tutor.warning")
        show.problems(env.console, course.problems)
    store = ProgressStore(env.progress_path)
    loaded = store.load()
    if loaded.backup is not None:
        show.say(env.console, f"Your progress file could not be read ({loaded.problem}). "
                 f"It was kept as {loaded.backup}; starting with fresh progress.",
                 "tutor.warning")
    elif loaded.problem:
        show.say(env.console, f"Progress could not be read: {loaded.problem}", "tutor.warning")
    progress = loaded.progress
    practice = practice_for(env, progress.learner) if practice_for is not None else None
    conversation = Conversation(course, store, env.console, practice=practice, progress=progress)
    conversation.profile = env.profile
    return conversation


def make_practice(env: Environment, learner: str) -> Practice | None:
    from tutor.practice.deferred import DeferredPractice

    # The session itself is made after the first prompt, when first needed.
    return DeferredPractice(env, learner)


def run_tutor(env: Environment, banner: bool = True) -> ExitStatus:
    from tutor.repl.loop import run_loop

    conversation = open_course(env, banner)
    if isinstance(conversation, ExitStatus):
        return conversation
    conversation.greet()
    from tutor.lessonfile.fill import fill_later

    fill_later(conversation.course, env.lessons_dir, env.cache_dir)
    run_loop(env, conversation)
    return ExitStatus.SUCCESS


def open_course(env: Environment, banner: bool) -> Conversation | ExitStatus:
    """The banner, the course and the learner's progress; an exit status when the lesson
    folder cannot be used."""
    from tutor.lessonfile.loader import COURSE_FILE, MISSING_COURSE
    from tutor.render.banner import show_banner

    lessons = env.lessons_dir
    assert lessons is not None  # the Environment always sets it
    if not (lessons / COURSE_FILE).exists():
        env.stderr.write(f"docker-tutor: {lessons / COURSE_FILE} {MISSING_COURSE}; "
                         f"`docker-tutor lint {lessons}` checks the folder\n")
        return ExitStatus.ERROR
    show_banner(env.console, env, banner, __version__)
    if env.profile:
        from tutor.render import blocks as show

        show.say(env.console, f"Profile: {env.profile} (this learner's own progress)",
                 "tutor.muted")
    conversation = build_conversation(env, make_practice)
    if not conversation.course.lessons:
        env.stderr.write("docker-tutor: no lesson could be loaded (see the problems above)\n")
        return ExitStatus.LESSON_ERRORS
    return conversation


def run_quiz(env: Environment, topic: str | None, count: int | None,
             banner: bool = True) -> ExitStatus:
    """``docker-tutor quiz``: one round in the REPL, then the tutor closes."""
    from tutor.quiz.selection import DEFAULT_COUNT
    from tutor.quiz.start import MAX_COUNT, Request, start_quiz
    from tutor.repl.loop import run_loop

    if count is not None and not 1 <= count <= MAX_COUNT:
        env.stderr.write(f"docker-tutor: --count must be 1 to {MAX_COUNT}\n")
        return ExitStatus.USAGE
    conversation = open_course(env, banner)
    if isinstance(conversation, ExitStatus):
        return conversation

    def leave() -> None:
        conversation.activity = None
        conversation.quit()

    request = Request(topic.lower() if topic else None, count or DEFAULT_COUNT)
    if not start_quiz(conversation, request, conversation.clock, on_end=leave):
        return ExitStatus.USAGE if topic else ExitStatus.SUCCESS
    run_loop(env, conversation)
    return ExitStatus.SUCCESS
