"""``text``: a question answered in words, matched against accepted forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.course.lesson import Fill, Reading, Step, Verdict, first_paragraph
from tutor.render import blocks
from tutor.schema.fields import MISSING, Fields, each_item
from tutor.steps.question import question_parts
from tutor.steps.quizfields import parse_question_quiz, parse_topics

if TYPE_CHECKING:
    from rich.console import Console

ANSWER_FORMS = ("exact", "ignore_case", "regex")


@dataclass(frozen=True)
class AnswerPattern:
    """One accepted form of a free-text answer."""

    kind: str  # "exact" | "ignore_case" | "regex"
    values: tuple[str, ...]

    def matches(self, answer: str) -> bool:
        answer = answer.strip()
        if self.kind == "exact":
            return answer in self.values
        # Learners often quote an answer the way the lesson shows it: `docker build`.
        answer = unquote(answer)
        if self.kind == "ignore_case":
            folded = fold(answer)
            return any(folded == fold(value) for value in self.values)
        return any(
            re.fullmatch(value, answer, flags=re.IGNORECASE) is not None for value in self.values
        )


def unquote(text: str) -> str:
    for quote in ("`", '"', "'"):
        if len(text) > 1 and text.startswith(quote) and text.endswith(quote):
            return text[1:-1].strip()
    return text


def fold(text: str) -> str:
    """Case-insensitive, whitespace-insensitive form used by ``ignore_case``."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class AnswerFeedback:
    when: AnswerPattern
    text: str


@dataclass(frozen=True, kw_only=True)
class TextStep(Step):
    question: str
    accept: tuple[AnswerPattern, ...]
    feedback: tuple[AnswerFeedback, ...] = ()
    # The lesson allows small typos in answers that are words (not regexes).
    typos: bool = False

    kind = "text"
    is_question = True
    takes_docker_answers = True

    def texts(self) -> tuple[str, ...]:
        return (self.question, *(item.text for item in self.feedback), *super().texts())

    def render(self, console: Console, fill: Fill) -> None:
        blocks.markdown(console, fill(self.question))
        blocks.muted(console, "Type your answer.")

    def readings(self) -> tuple[Reading, ...]:
        question = first_paragraph(self.question)
        return (self.explanation_reading(question, f"{question}\n" + "\n".join(self.literal_answers())),
                *(Reading("feedback", item.text, question, question, by_block=False)
                  for item in self.feedback))

    def literal_answers(self) -> list[str]:
        """The accepted answers that are words (not regexes)."""
        return [value for pattern in self.accept if pattern.kind != "regex"
                for value in pattern.values]

    def quiz_identity(self, mode: str) -> tuple:
        return ("text", self.question, tuple((p.kind, p.values) for p in self.accept))

    def answer_in_words(self, fill: Fill) -> str | None:
        literal = self.literal_answers()
        return f"The answer: {literal[0]}" if literal else None

    def judge(self, answer: str) -> Verdict:
        if not answer.strip():
            return Verdict(False, ("Type your answer, or /hint for a clue.",), unclear=True)
        if any(pattern.matches(answer) for pattern in self.accept):
            return Verdict(True)
        feedback = tuple(item.text for item in self.feedback if item.when.matches(answer))
        if self.typos and not feedback:
            meant = close_answer(answer, [value for pattern in self.accept
                                          if pattern.kind != "regex" for value in pattern.values])
            if meant is not None:
                return Verdict(True, (f"(Read as `{meant}`: mind the spelling.)",))
        return Verdict(False, feedback)

    @classmethod
    def parse(cls, fields: Fields, step_id: str) -> TextStep | None:
        question, hints, explanation = question_parts(fields)
        topics, quiz = parse_topics(fields), parse_question_quiz(fields)
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
        typos = fields.boolean("typos", default=False)
        if not fields.mappings("accept", required=False) and fields.has("accept"):
            fields.field_problem("accept", "needs at least one accepted answer")
        if question is None or explanation is None or not hints or not accept:
            return None
        return cls(id=step_id, question=question, accept=tuple(accept), hints=hints,
                   explanation=explanation, feedback=tuple(feedback), typos=typos,
                   topics=topics, quiz=quiz)


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


# An answer this close to an accepted one (0-100, rapidfuzz's ratio) is a typo of it.
TYPO_SIMILARITY = 88


def close_answer(answer: str, accepted: list[str]) -> str | None:
    """The accepted answer that ``answer`` misspells ("Dokcer Hub"), or None."""
    from rapidfuzz import fuzz  # loaded with the first misspelt answer, not at start-up

    typed = fold(unquote(answer.strip()))
    if len(typed) < 4:
        return None  # too short to tell a typo from another word
    scored = sorted(((fuzz.ratio(typed, fold(value)), value) for value in accepted),
                    reverse=True)
    return scored[0][1] if scored and scored[0][0] >= TYPO_SIMILARITY else None
