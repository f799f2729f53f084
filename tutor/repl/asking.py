"""Questions in plain words, answered from what the tutor knows: the lessons (through
``tutor.knowledge``), the learner's progress and, for their own situation, the engine.

Never invented: when nothing in the lessons answers, the tutor says so and points
to the closest lessons and to ``/explain docker ...``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.knowledge import Answer, BackgroundIndex, Passage
from tutor.render import blocks as show

if TYPE_CHECKING:
    from tutor.course.lesson import Course
    from tutor.repl.conversation import Conversation

QUOTED_PASSAGES = 2  # brief: the best passages, not a lesson's worth of text


class LessonKnowledge:
    """The lessons' index: built in the background after the first prompt, so the first
    question is answered at once (and nothing of it loads before the prompt)."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self._background: BackgroundIndex | None = None

    def warm(self) -> None:
        if self._background is None:
            self._background = BackgroundIndex(self.course)
            self._background.start()

    def ask(self, question: str) -> Answer:
        self.warm()
        assert self._background is not None
        index = self._background.get()
        assert index is not None
        return index.ask(question, limit=3)


def ask(conv: Conversation, question: str) -> None:
    """Answer a question from the lessons, or say honestly that they do not answer it."""
    answer = conv.knowledge.ask(question)
    if not answer.found:
        _not_found(conv, answer)
        return
    if answer.corrections:
        read = ", ".join(f"{typed} → {meant}" for typed, meant in answer.corrections)
        show.say(conv.console, f"(Read as: {read}.)", "tutor.muted")
    passages = answer.passages[:QUOTED_PASSAGES]
    for passage in passages:
        _show_passage(conv, passage)
    if conv.step is not None and conv.step.is_question:
        show.say(conv.console, "(The question above is still waiting for your answer.)",
                 "tutor.muted")
    _offer_to_open(conv, passages[0])


def _show_passage(conv: Conversation, passage: Passage) -> None:
    """As the lesson shows it, briefly: where it comes from, then the lesson's own words."""
    show.say(conv.console, f"From “{passage.label}”:" if passage.kind != "glossary"
             else f"From the glossary of “{passage.lesson_title}”:", "tutor.heading")
    if passage.kind == "glossary":
        show.markdown(conv.console, f"**{passage.context}**: {passage.text}")
    elif passage.kind == "feedback" and passage.context:
        show.markdown(conv.console, f"*About “{passage.context}”:* {passage.text}")
    else:
        show.markdown(conv.console, passage.text)
    if passage.example:
        show.markdown(conv.console, "```\n" + passage.example + "\n```")


def _offer_to_open(conv: Conversation, best: Passage) -> None:
    lesson = conv.course.lesson(best.lesson_id)
    if lesson is None or (conv.lesson is not None and conv.lesson.id == lesson.id):
        return
    index = lesson.step_index(best.step_id) if best.step_id else None
    index = index or 0
    conv.confirm(f"Open “{lesson.title}” at step {index + 1}?",
                 lambda: conv.start_lesson(lesson, index))


def _not_found(conv: Conversation, answer: Answer) -> None:
    show.say(conv.console, "I don't find that in the lessons, and I'd rather not guess.",
             "tutor.heading")
    closest = answer.closest_lessons[:3]
    if closest:
        names = ", ".join(f"“{match.lesson_title}” (/start {match.lesson_id})"
                          for match in closest)
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
