"""How a quiz question is put to the learner, and what is said after the answer."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text

from tutor.render import blocks as show
from tutor.steps.quizfields import ASK, RECALL

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Course, Step
    from tutor.quiz.questions import QuizQuestion
    from tutor.quiz.recall import RecallQuestion


@dataclass
class Asked:
    """The question being asked, as shown: a choice question's choices in this round's
    order, a recall question's stand-in values, a challenge's chosen values."""

    question: QuizQuestion
    step: Step  # the step as asked (choices shuffled)
    recall: RecallQuestion | None = None
    values: dict[str, str] = field(default_factory=dict)
    helped: bool = False  # a hint was shown (or a typo forgiven)
    hints_shown: int = 0
    set_up: bool = False  # a challenge's fixtures are on the engine

    def fill(self, text: str) -> str:
        from tutor.course.placeholders import render_template

        return render_template(text, self.values) if "{{" in text else text


def prepare(question: QuizQuestion, rng: random.Random) -> Asked:
    """The question as this round asks it: choices shuffled and lettered anew."""
    step = question.step
    if question.mode == ASK:
        return Asked(question, step.shuffled(rng))
    if question.mode == RECALL:
        from tutor.quiz.recall import RecallQuestion
        from tutor.steps.command import CommandStep

        assert isinstance(step, CommandStep)
        recall = RecallQuestion.of(step)
        return Asked(question, step, recall=recall, values=recall.values)
    return Asked(question, step)


def header(console: Console, course: Course, asked: Asked, number: int, total: int,
           reason: str) -> None:
    topics = ", ".join(course.topic_title(topic) for topic in asked.question.topics)
    kind = {"recall": " · type the command", "challenge": " · challenge"}.get(
        asked.question.mode, "")
    note = {"missed": " · missed last time", "due": " · due for review"}.get(reason, "")
    show.step_header(console, f"Quiz · {number}/{total}{kind} · {topics}{note}")


def render(console: Console, asked: Asked) -> None:
    if asked.recall is not None:
        show.markdown(console, asked.fill(asked.recall.step.task))
        show.muted(console, "Type the docker command that does this (it is judged, not run).")
        return
    if asked.question.is_challenge:
        step = asked.step
        show.markdown(console, asked.fill(getattr(step, "task", "")))
        show.muted(console, "A practical challenge: type docker commands (they run against the "
                            "engine). /check checks work done elsewhere, /skip gives up.")
        return
    asked.step.render(console, asked.fill)


def the_answer(asked: Asked) -> str | None:
    """The right answer in words, said after a miss."""
    if asked.recall is not None:
        return f"The command: `{asked.recall.answer}`" if asked.recall.answer else None
    return asked.step.answer_in_words(asked.fill)


def right(console: Console, asked: Asked, notes: tuple[str, ...] = ()) -> None:
    console.print(Text("  ✔ Correct!" if not asked.question.is_challenge else "  ✔ Done!",
                       style="tutor.correct"))
    for note in notes:
        show.muted(console, note)
    show.markdown(console, asked.fill(asked.step.explanation))


def missed(console: Console, asked: Asked, feedback: tuple[str, ...], gave_up: bool) -> None:
    console.print(Text("  ✘ Skipped." if gave_up else "  ✘ Not quite.", style="tutor.wrong"))
    for item in feedback:
        console.print(Padding(show.Markdown(item), show.INDENT), style="tutor.feedback")
    answer = the_answer(asked)
    if answer:
        show.markdown(console, answer)
    show.explanation(console, asked.fill(asked.step.explanation))
