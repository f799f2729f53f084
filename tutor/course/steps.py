"""Parsers for each step type of a lesson file (see docs/lesson-format.md)."""

from __future__ import annotations

import re
from typing import Callable

from tutor.schema.fields import MISSING, Fields, describe_type, each_item
from tutor.course.model import (
    AnswerFeedback,
    AnswerPattern,
    Choice,
    ChoiceStep,
    CleanupStep,
    SayStep,
    Step,
    TextStep,
)

ANSWER_FORMS = ("exact", "ignore_case", "regex")


def parse_say(fields: Fields, step_id: str) -> Step | None:
    text = fields.text("text")
    diagram = fields.raw("diagram")
    if diagram is not MISSING and not isinstance(diagram, str):
        fields.field_problem("diagram", f"must be text, found {describe_type(diagram)}")
        diagram = MISSING
    diagram_title = fields.text("diagram_title", required=False)
    if text is None:
        return None
    return SayStep(
        id=step_id,
        text=text,
        diagram=diagram.rstrip() if diagram is not MISSING else None,
        diagram_title=diagram_title,
    )


def _question_parts(fields: Fields) -> tuple[str | None, tuple[str, ...], str | None]:
    question = fields.text("question")
    hints = fields.text_list("hints", required=True, min_items=1)
    explanation = fields.text("explanation")
    return question, hints, explanation


def parse_choice(fields: Fields, step_id: str) -> Step | None:
    question, hints, explanation = _question_parts(fields)

    def parse_one(choice: Fields) -> Choice | None:
        text = choice.text("text")
        correct = choice.boolean("correct", default=False)
        feedback = choice.text("feedback", required=False)
        if correct and feedback is not None:
            choice.field_problem(
                "feedback", "belongs on wrong choices; say why a right one is right in 'explanation'"
            )
        return Choice(text, correct, feedback) if text is not None else None

    items = fields.mappings("choices")
    choices = each_item(fields, "choices", parse_one) if items else []
    if items and len(items) < 2:
        fields.field_problem("choices", f"needs at least 2 choices, found {len(items)}")
    if len(choices) == len(items) and items and not any(c.correct for c in choices):
        fields.field_problem("choices", "no choice is marked 'correct: true'")
    if question is None or explanation is None or not hints or len(choices) != len(items):
        return None
    if len(choices) < 2 or not any(c.correct for c in choices):
        return None
    return ChoiceStep(step_id, question, tuple(choices), hints, explanation)


def parse_answer_pattern(fields: Fields) -> AnswerPattern | None:
    """One ``accept`` entry: exactly one of exact / ignore_case / regex."""
    present = [form for form in ANSWER_FORMS if fields.has(form)]
    if len(present) != 1:
        fields.problem(
            "needs exactly one of " + ", ".join(ANSWER_FORMS)
            + (f" (found {', '.join(present)})" if present else ""),
            fields.line_of(),
        )
        for form in ANSWER_FORMS:  # marked read, so a typo like "exakt" gets a suggestion
            fields.read.add(form)
        for form in present:
            fields.raw(form)
        return None
    form = present[0]
    values = fields.text_list(form, required=True, min_items=1)
    if not values:
        return None
    if form == "regex":
        for value in values:
            try:
                re.compile(value)
            except re.error as error:
                fields.field_problem(form, f"is not a valid regular expression: {error}")
                return None
    return AnswerPattern(form, values)


def parse_text(fields: Fields, step_id: str) -> Step | None:
    question, hints, explanation = _question_parts(fields)
    accept = each_item(fields, "accept", parse_answer_pattern)

    def parse_feedback(entry: Fields) -> AnswerFeedback | None:
        when_value = entry.raw("when", required=True)
        text = entry.text("text")
        if when_value is MISSING:
            return None
        when = Fields(when_value, entry.where.at_field("when"), entry.problems,
                      entry.line_of("when"))
        pattern = parse_answer_pattern(when) if when.ok else None
        when.finish()
        return AnswerFeedback(pattern, text) if pattern and text else None

    feedback = each_item(fields, "feedback", parse_feedback, required=False)
    if not fields.mappings("accept", required=False) and fields.has("accept"):
        fields.field_problem("accept", "needs at least one accepted answer")
    if question is None or explanation is None or not hints or not accept:
        return None
    return TextStep(step_id, question, tuple(accept), hints, explanation, tuple(feedback))


def parse_cleanup(fields: Fields, step_id: str) -> Step | None:
    text = fields.text("text")
    return CleanupStep(step_id, text) if text is not None else None


StepParser = Callable[[Fields, str], "Step | None"]

STEP_PARSERS: dict[str, StepParser] = {
    "say": parse_say,
    "choice": parse_choice,
    "text": parse_text,
    "cleanup": parse_cleanup,
}


def register_step_type(name: str, parser: StepParser) -> None:
    STEP_PARSERS[name] = parser


def step_parsers() -> dict[str, StepParser]:
    # Practice steps live in their own module (they pull in the check vocabulary);
    # importing it registers the "command" type.
    import tutor.course.practice  # noqa: F401

    return STEP_PARSERS
