"""The tutor's side of the conversation, independent of any terminal library.

The REPL loop feeds it one line at a time; it decides whether the line is a
tutor command (``/hint``), a docker command, or an answer, and speaks through
the console. What a step does is the step's own business (``tutor.steps``);
the conversation is the :class:`~tutor.course.lesson.StepHost` that steps ask
for practice and cleanup. Everything it knows about the learner lives in
``Progress``, which is saved after every change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from tutor.course.lesson import problems_on_opening
from tutor.course.placeholders import render_template
from tutor.practice.protocol import Outcome, Practice
from tutor.progress import (
    PASSED,
    SKIPPED,
    LessonRecord,
    Progress,
    ProgressStore,
    StepRecord,
    now_iso,
)
from tutor.quiz.schedule import utc_now
from tutor.render import blocks as show
from tutor.repl import cleanup_offer, greeting
from tutor.repl.activity import Activity
from tutor.repl.asking import LessonKnowledge
from tutor.repl.commands import dispatch
from tutor.repl.replies import CONTINUE_WORDS, respond
from tutor.study import after
from tutor.study.recommend import next_lesson
from tutor.study.timing import TimeKeeper

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Course, Lesson, Step
    from tutor.steps.command import CommandStep

# A yes to the tutor's questions; anything else keeps things as they are.
YES_WORDS = {"y", "yes", "yeah", "yep", "sure", "ok", "okay", "go ahead", "do it"}

WARM_INDEX_LESSONS = 100
WARM_DELAY_SECONDS = 1.0


class Conversation:
    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        console: Console,
        practice: Practice | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.course = course
        self.store = store
        self.console = console
        self.practice = practice
        self.progress = progress if progress is not None else Progress()
        self.lesson: Lesson | None = None
        self.index = 0
        self.finished = False  # set by /quit
        self._pending: tuple[str, Callable[[], None], Callable[[], None] | None] | None = None
        self.activity: Activity | None = None  # a quiz round, while it runs
        self.timer = TimeKeeper()  # time spent, per lesson and in quizzes
        self.clock = utc_now  # the date quiz reviews are due by (tests move it on)
        self.profile: str | None = None  # the learner's --profile, named in reports
        self._save_failed = False
        # Resumed at a practice step: it is set up (which talks to the engine) when the
        # learner is ready, never before the first prompt.
        self._setup_deferred = False
        # The lessons' index for questions in plain words, built on the first question.
        self.knowledge = LessonKnowledge(course)
        self._restore_position()

    # -- position ---------------------------------------------------------------

    def _restore_position(self) -> None:
        lesson = self.course.lesson(self.progress.current_lesson or "")
        if lesson is None or problems_on_opening(lesson):
            # A lesson that turned out broken is said so when the learner opens it.
            self.progress.current_lesson = None
            return
        self.lesson = lesson
        index = lesson.step_index(self.progress.current_step or "")
        self.index = index if index is not None else self._first_unfinished(lesson)
        if self.practice is not None:
            self.practice.begin_lesson(lesson, self.progress.lesson(lesson.id))

    @property
    def step(self) -> Step | None:
        if self.lesson is None:
            return None
        return self.lesson.steps[self.index]

    def record_of(self, step: Step) -> StepRecord:
        assert self.lesson is not None
        return self.progress.lesson(self.lesson.id).step(step.id)

    def lesson_record(self, lesson: Lesson) -> LessonRecord:
        return self.progress.lesson(lesson.id)

    def _first_unfinished(self, lesson: Lesson) -> int:
        record = self.progress.lessons.get(lesson.id)
        for index, step in enumerate(lesson.steps):
            if not record or not (record.steps.get(step.id) and record.steps[step.id].status):
                return index
        return 0

    def save(self) -> bool:
        """Write progress; False (and the learner told once) when it could not be saved."""
        if self.lesson is not None:
            self.progress.current_lesson = self.lesson.id
            self.progress.current_step = self.lesson.steps[self.index].id
        else:
            self.progress.current_lesson = None
            self.progress.current_step = None
        try:
            self.store.save(self.progress)
        except OSError as error:
            # Said once: repeating it after every step would drown the lesson.
            if not self._save_failed:
                show.say(self.console, f"Could not save progress to {self.store.path}: "
                         f"{error.strerror or error}. Your place is kept until you quit.",
                         "tutor.error")
            self._save_failed = True
            return False
        self._save_failed = False
        return True

    # -- what the tutor says first -----------------------------------------------

    def greet(self) -> None:
        greeting.greet(self)

    def defer_setup(self) -> None:
        """A resumed practice step is set up when the learner presses Enter."""
        self._setup_deferred = True

    def next_lesson(self) -> Lesson | None:
        """The first unfinished lesson whose prerequisites are done (tutor.study)."""
        return next_lesson(self.course, self.progress)

    def warm_up(self) -> None:
        """Once the first prompt is up: build the lessons' index in the background, so
        the first question is answered at once (a very large course builds it on the
        first question instead: its thread would slow the prompt down for seconds)."""
        if len(self.course.lessons) <= WARM_INDEX_LESSONS:
            timer = threading.Timer(WARM_DELAY_SECONDS, self.knowledge.warm)
            timer.daemon = True  # never keeps a leaving tutor waiting
            timer.start()

    def show_header(self) -> None:
        assert self.lesson is not None
        show.step_header(self.console, f"{self.lesson.title} · step {self.index + 1}/"
                                       f"{len(self.lesson.steps)}")

    def show_step(self) -> None:
        if self.lesson is None:
            return
        self._setup_deferred = False
        step = self.lesson.steps[self.index]
        self.show_header()
        values = step.prepare(self)
        step.render(self.console, lambda text: render_template(text, values)
                    if "{{" in text else text)
        step.after_show(self)

    def render_text(self, text: str) -> str:
        """Fill the current step's {{ placeholders }} with this run's values."""
        step = self.step
        if step is None or "{{" not in text:
            return text
        return render_template(text, self.template_values(step))

    # -- the step host: what steps ask of the conversation -----------------------

    def template_values(self, step: Step) -> dict[str, str]:
        return self.practice.values_for(step) if self.practice is not None else {}

    def enter_practice(self, step: CommandStep) -> dict[str, str]:
        if self.practice is None or self.lesson is None:
            return {}
        values = self.practice.enter_step(self.lesson.id, step)
        self.save()  # the lesson's chosen ports and names are part of progress
        return values

    def leave_practice(self, step: CommandStep) -> None:
        if self.practice is not None and self.lesson is not None:
            self.practice.leave_step(self.lesson.id, step)

    def check_practice(self, step: CommandStep) -> bool:
        if self.practice is None:
            show.say(self.console, "Checking against the engine is not available in this "
                     "session.", "tutor.warning")
            return False
        return self.practice.check_step(self.lesson.id if self.lesson else "", step)

    def offer_cleanup(self, advance_after: bool = True) -> None:
        cleanup_offer.offer_cleanup(self, advance_after)

    # -- input ------------------------------------------------------------------

    def handle(self, line: str) -> None:
        after.count_time(self)
        if self._pending is not None:
            _question, action, otherwise = self._pending
            self._pending = None
            if line.strip().lower().rstrip(".!") in YES_WORDS:
                action()
            elif otherwise is not None:
                otherwise()
            else:
                show.say(self.console, "Cancelled: nothing was changed.", "tutor.muted")
            return
        text = line.strip()
        if self.activity is not None and self.activity.handle(text):
            return
        if self._setup_deferred:
            self._setup_deferred = False
            if text.lower() in CONTINUE_WORDS:
                self.show_step()
                return
        if text.startswith("/"):
            dispatch(self, text)
            return
        # On a free-text question "docker build" is an answer; elsewhere it runs.
        step = self.step
        takes_docker = step is not None and step.takes_docker_answers
        words = text.split(maxsplit=2)
        if (words[:1] in (["docker"], ["docker-compose"]) or words[:2] == ["sudo", "docker"]) \
                and not takes_docker:
            self.run_docker(text)
            return
        self.answer(text)

    def confirm(self, question: str, action: Callable[[], None],
                otherwise: Callable[[], None] | None = None) -> None:
        """Ask a yes/no question; the learner's next line answers it (``otherwise`` runs on
        any answer but yes)."""
        self._pending = (question, action, otherwise)
        show.say(self.console, f"{question} [y/N]", "tutor.warning")

    @property
    def awaiting_confirmation(self) -> bool:
        return self._pending is not None

    def answer(self, text: str) -> None:
        """A line that is neither a /command nor a docker command (tutor.repl.replies)."""
        respond(self, text)

    def run_docker(self, line: str) -> None:
        if self.practice is None:
            show.say(self.console, "Running docker commands is not available in this session.",
                     "tutor.warning")
            return
        step = self.step.practice_task() if self.step is not None else None
        lesson_id = self.lesson.id if self.lesson else None
        self.apply_outcome(self.practice.run_command(line, lesson_id, step), step)

    def apply_outcome(self, outcome: Outcome, step: CommandStep | None) -> None:
        if outcome.confirm is not None:
            question, proceed = outcome.confirm
            self.confirm(question, lambda: self.apply_outcome(proceed(), step))
            return
        # The learner may have moved on while a confirmation was pending.
        if step is not None and outcome.passed and self.step is step:
            self.pass_practice_step(step)

    def recheck(self) -> None:
        """/check: judge the current step against the engine again."""
        step = self.step
        result = step.recheck(self) if step is not None else None
        if result is None:
            show.say(self.console, "/check verifies practice steps against the engine; "
                     "this step is not one.", "tutor.muted")
        elif result and step is not None:
            self.pass_practice_step(step)

    def pass_practice_step(self, step: Step) -> None:
        self.record_of(step).status = PASSED
        show.correct(self.console, self.render_text(step.explanation))
        self.leave_step()
        self.advance()

    def leave_step(self) -> None:
        step = self.step
        if step is not None:
            step.leave(self)

    # -- moving through a lesson ----------------------------------------------

    def start_lesson(self, lesson: Lesson, index: int | None = None) -> None:
        broken = problems_on_opening(lesson)
        if broken:
            show.say(self.console, f"“{lesson.title}” cannot be opened: its lesson file has "
                     "problems (`docker-tutor lint` lists them all):", "tutor.warning")
            show.problems(self.console, broken)
            return
        self.leave_step()
        self.lesson = lesson
        self.index = index if index is not None else self._first_unfinished(lesson)
        record = self.progress.lesson(lesson.id)
        if self.practice is not None:
            self.practice.begin_lesson(lesson, record)
        if record.completed:
            self.index = 0 if index is None else self.index
        show.say(self.console, f"Lesson: {lesson.title}", "tutor.heading")
        show.say(self.console, lesson.summary, "tutor.muted")
        missing = [
            r for r in lesson.requires
            if not (self.progress.lessons.get(r) and self.progress.lessons[r].completed)
        ]
        if missing:
            titles = ", ".join(
                (found.title if (found := self.course.lesson(r)) else r) for r in missing
            )
            show.say(self.console, f"This lesson builds on: {titles}, not finished yet. Fine "
                     f"to go ahead; /start {missing[0]} opens it first.", "tutor.warning")
        self.save()
        self.show_step()

    def close_lesson(self) -> None:
        """Leave the open lesson without finishing it (its progress stays)."""
        self.leave_step()
        self.lesson = None
        self.index = 0

    def forget_lesson(self, lesson: Lesson) -> None:
        """Forget the learner's progress in one lesson."""
        if self.lesson is not None and self.lesson.id == lesson.id:
            self.close_lesson()
        self.progress.lessons.pop(lesson.id, None)
        self.save()

    def forget_everything(self) -> None:
        """Forget all progress: a fresh start."""
        self.close_lesson()
        self.progress = Progress()
        self.save()

    def advance(self) -> None:
        assert self.lesson is not None
        step = self.lesson.steps[self.index]
        if not step.is_question:
            self.record_of(step).status = PASSED
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            self.save()
            self.show_step()
            return
        self.complete_lesson()

    def move_on(self) -> None:
        """/next: leave a finished (or non-question) step for the next one."""
        step = self.step
        if step is None:
            upcoming = self.next_lesson()
            if upcoming is None:
                show.say(self.console, "Every lesson is done. /start <lesson> revisits one.")
                after.say_quiz_advice(self)
                return
            self.start_lesson(upcoming)
            return
        if step.is_question and not self.record_of(step).status:
            show.say(self.console, f"{step.pending_action} first, or /skip to move on "
                     "without it.", "tutor.muted")
            return
        self.leave_step()
        self.advance()

    def go_back(self) -> None:
        if self.lesson is None:
            show.say(self.console, "No lesson is running.", "tutor.muted")
            return
        if self.index == 0:
            show.say(self.console, "This is the first step of the lesson.", "tutor.muted")
            return
        self.leave_step()
        self.index -= 1
        self.save()
        self.show_step()

    def skip(self) -> None:
        step = self.step
        if step is None:
            show.say(self.console, "No lesson is running.", "tutor.muted")
            return
        record = self.record_of(step)
        if step.is_question and record.status != PASSED:
            record.status = SKIPPED
            show.say(self.console, "Skipped. You can come back with /back, and /progress "
                     "counts it as skipped.", "tutor.muted")
        self.leave_step()
        self.advance()

    def complete_lesson(self) -> None:
        assert self.lesson is not None
        lesson = self.lesson
        record = self.progress.lesson(lesson.id)
        record.completed_at = record.completed_at or now_iso()
        skipped = sum(1 for s in lesson.steps if (r := record.steps.get(s.id)) and r.status == SKIPPED)
        self.lesson = None
        self.index = 0
        self.save()
        self.console.print()
        show.say(self.console, f"🎉 Lesson complete: {lesson.title}", "tutor.correct")
        after.recap(self, lesson)
        if skipped:
            show.say(self.console, f"You skipped {skipped} question(s); /start {lesson.id} "
                     "to try them again.", "tutor.muted")
        upcoming = self.next_lesson()
        if upcoming:
            show.say(self.console, f"Next up: “{upcoming.title}”. Press Enter to start it, "
                     "or /lessons to choose.")
        else:
            show.say(self.console, "That was the last lesson: you have finished the course!",
                     "tutor.correct")
        after.say_quiz_advice(self)

    # -- help for the current step --------------------------------------------

    def hint(self) -> None:
        step = self.step
        if step is None or not step.is_question:
            show.say(self.console, "No question is waiting, so no hint is needed: "
                     "press Enter to go on.", "tutor.muted")
            return
        record = self.record_of(step)
        if record.hints >= len(step.hints):
            show.say(self.console, "No more hints for this step. /explain shows the "
                     "explanation; /skip moves on.", "tutor.muted")
            return
        record.hints += 1
        self.save()
        show.hint(self.console, self.render_text(step.hints[record.hints - 1]), record.hints,
                  len(step.hints))

    def explain(self) -> None:
        step = self.step
        if step is None or not step.is_question:
            show.say(self.console, "Nothing to explain here: this step is an explanation "
                     "already. Press Enter to go on.", "tutor.muted")
            return
        record = self.record_of(step)
        if record.status != PASSED:
            record.revealed = True
            self.save()
        show.explanation(self.console, self.render_text(step.explanation))
        if record.status != PASSED:
            show.say(self.console, "Now answer the question to go on (or /skip).", "tutor.muted")

    def toolbar_state(self) -> tuple[str | None, int, int]:
        if self.activity is not None:
            return self.activity.toolbar()
        if self.lesson is None:
            return None, 0, 0
        return self.lesson.title, self.index + 1, len(self.lesson.steps)

    def begin_activity(self, activity: Activity) -> None:
        """Let ``activity`` take the learner's lines until it calls end_activity."""
        self.leave_step()  # a practice step's fixtures: set up again when the lesson goes on
        self.activity = activity

    def end_activity(self) -> None:
        """The activity is over: back to the lesson, where the learner was."""
        self.activity = None
        if self.lesson is not None:
            if self.practice is not None:
                self.practice.begin_lesson(self.lesson, self.lesson_record(self.lesson))
            self.show_step()

    def quit(self) -> None:
        if self.activity is not None:
            self.activity.stop()
            self.activity = None
        self.leave_step()
        self.finished = True
        if self.save():
            show.say(self.console, "Progress saved. See you next time!", "tutor.muted")
        else:
            show.say(self.console, f"Progress could NOT be saved to {self.store.path}; "
                     "see the message above. See you next time!", "tutor.error")
