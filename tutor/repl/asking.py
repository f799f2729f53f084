"""Questions in plain words, answered from what the tutor knows: the lessons (through
``tutor.knowledge``), the learner's progress and, for their own situation, the engine.

Never invented: when nothing in the lessons answers, the tutor says so and points
to the closest lessons and to ``/explain docker ...``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from tutor.render import blocks as show

if TYPE_CHECKING:
    from tutor.repl.conversation import Conversation

QUOTED_PASSAGES = 2  # brief: the best passages, not a lesson's worth of text


class LessonKnowledge:
    """The lessons' index, built once, lazily: never before the first prompt."""

    def __init__(self, course: Any) -> None:
        self.course = course
        self._index: Any = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the index in the background, so the first question is answered at once."""
        threading.Thread(target=self.index, daemon=True, name="docker-tutor-knowledge").start()

    def index(self) -> Any:
        with self._lock:
            if self._index is None:
                from tutor.knowledge import KnowledgeIndex  # the ranking library loads here

                self._index = KnowledgeIndex.build(self.course)
            return self._index

    def ask(self, question: str) -> Any:
        return self.index().ask(question, limit=3)


def ask(conv: Conversation, question: str) -> None:
    """Answer a question from the lessons, or say honestly that they do not answer it."""
    answer = conv.knowledge.ask(question)
    if not answer.found:
        _not_found(conv, answer)
        return
    passages = answer.passages[:QUOTED_PASSAGES]
    for passage in passages:
        where = f"From “{passage.lesson_title}”, step {passage.step_number}"
        show.say(conv.console, where + ":", "tutor.heading")
        show.markdown(conv.console, passage.text)
    best = passages[0]
    lesson = conv.course.lesson(best.lesson_id)
    here = conv.lesson is not None and conv.lesson.id == best.lesson_id
    if conv.step is not None and conv.step.is_question:
        show.say(conv.console, "(Your question above is still waiting for its answer.)",
                 "tutor.muted")
    if lesson is None or here:
        return
    index = lesson.step_index(best.step_id) or 0
    conv.confirm(f"Open “{lesson.title}” at step {index + 1}?",
                 lambda: conv.start_lesson(lesson, index))


def _not_found(conv: Conversation, answer: Any) -> None:
    show.say(conv.console, "I don't find that in the lessons, and I'd rather not guess.",
             "tutor.heading")
    closest = list(getattr(answer, "closest_lessons", ()) or ())[:3]
    if closest:
        names = ", ".join(f"“{lesson.title}” (/start {lesson.id})" for lesson in closest)
        show.say(conv.console, f"The nearest lessons: {names}.", "tutor.muted")
    show.say(conv.console, "For a docker command, `/explain docker ...` takes it apart word by "
             "word.", "tutor.muted")


def where_am_i(conv: Conversation) -> None:
    done = sum(1 for lesson in conv.course.lessons if conv.lesson_record(lesson).completed)
    total = len(conv.course.lessons)
    if conv.lesson is None or conv.step is None:
        show.say(conv.console, f"No lesson is open. You have finished {done} of {total} "
                 "lessons; press Enter for the next one, or /lessons.", "tutor.muted")
        return
    lesson, step = conv.lesson, conv.step
    record = conv.lesson_record(lesson)
    finished = sum(1 for s in lesson.steps if (r := record.steps.get(s.id)) and r.status)
    what = "a practice task" if step.practice_task() else (
        "a question" if step.is_question else "an explanation")
    show.say(conv.console, f"You are in “{lesson.title}”, step {conv.index + 1} of "
             f"{len(lesson.steps)} ({what}); {finished} of its steps are done. Across the "
             f"course: {done} of {total} lessons finished.", "tutor.muted")


def what_is_running(conv: Conversation) -> None:
    if conv.practice is None:
        show.say(conv.console, "Without the practice side there is no engine to ask.",
                 "tutor.muted")
        return
    try:
        lines = conv.practice.containers_summary()
    except Exception as error:  # the engine is not there: say it like any engine problem
        show.say(conv.console, f"I cannot ask the engine right now ({error}).", "tutor.warning")
        return
    if not lines:
        show.say(conv.console, "You have no containers made through the tutor right now "
                 "(`docker ps -a` lists every container on the engine).", "tutor.muted")
        return
    show.say(conv.console, "Your containers:", "tutor.heading")
    show.bullets(conv.console, lines)


def why_it_failed(conv: Conversation) -> None:
    failure = conv.practice.last_failure() if conv.practice is not None else None
    if failure is None:
        show.say(conv.console, "Nothing has failed yet in this session.", "tutor.muted")
        return
    if failure.command:
        show.say(conv.console, f"Your last failing command was `{failure.command}`. Docker said:",
                 "tutor.heading")
        show.markdown(conv.console, "```\n" + (failure.output or "(nothing)") + "\n```")
        for tip in failure.tips:
            show.say(conv.console, "Tip: " + tip, "tutor.hint")
    if failure.missing:
        show.say(conv.console, "The step checked the engine and found:", "tutor.heading")
        show.bullets(conv.console, failure.missing, "tutor.feedback")
        for hint in failure.hints:
            show.markdown(conv.console, hint)
    step = conv.step
    if step is not None and step.is_question and step.hints:
        used = conv.record_of(step).hints
        if used < len(step.hints):
            show.say(conv.console, "/hint gives the next clue for this step.", "tutor.muted")
        else:
            show.say(conv.console, "/explain shows the answer; /skip moves on.", "tutor.muted")
